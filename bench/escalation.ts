/**
 * Alarm event -> first notification received by a local Slack receiver, through the deployed escalation
 * state machine executed with aws-local-stepfunctions and the real handler cores, over 200 incidents; against a
 * baseline function that turns the same alarm event into the same Slack message (normalise, route to the
 * rule, sign the ack link) and posts it directly. Both start from the EventBridge event and post with the same
 * HTTP adapter; they alternate incident by incident, so both see the same machine load, caches and
 * connection state. Traffic stays on 127.0.0.1; every loop is bounded in count and time.
 *
 * After the measured loop (so without touching its figures), a profiling pass runs the same path again with
 * marks taken at the ports (the Open task's first store read, the notify task's secret lookup, the HTTP post)
 * and prints the median of each span as `{"phase":"spans",...}`, to show where the engine's time goes.
 *
 * Run: npx tsx bench/escalation.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { localEscalationDefinition } from '../bin/local/escalation/local-escalation-definition';
import { LocalEscalationEngine, VirtualClock } from '../bin/local/escalation/local-escalation-engine';
import { parseConfig } from '../functions/commons/config/resolve-config';
import { fetchHttp } from '../functions/escalation/adapters/fetch-http';
import { envChannelSecrets } from '../functions/escalation/adapters/local-delivery';
import { MemoryAlarmState } from '../functions/escalation/adapters/memory-alarm-state';
import { MemoryIncidentStore } from '../functions/escalation/adapters/memory-incident-store';
import { alarmConsoleUrl } from '../functions/escalation/channels/alert-message';
import { slackMessage } from '../functions/escalation/channels/slack-message';
import { ackLink } from '../functions/escalation/core/ack-link';
import { routedIncident } from '../functions/escalation/core/check-escalation';
import { fromEventBridge } from '../functions/escalation/core/normalize-alarm-event';
import type { AlarmSnapshot } from '../functions/escalation/types/incident';

const INCIDENTS = 200;
/** Incidents of the profiling pass (after the measured loops; not part of the figures). */
const PROFILED = 200;
const WARMUP = 20;
const DEADLINE_MS = 120_000;
const ACK_SECRET = 'bench-ack-key';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const round = (value: number) => Math.round(value * 100) / 100;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

const main = async () => {
  const waiting = new Map<string, (at: number) => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const key = /bench-check-\d+/.exec(body)?.[0];
      if (key !== undefined && body.includes('[CRITICAL]')) waiting.get(key)?.(at);
      res.writeHead(200);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const slackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/bench`;
  const received = (key: string) => new Promise<number>((resolve) => waiting.set(key, resolve));

  const config = parseConfig({
    app: 'bench',
    environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
    channels: { slack: { type: 'slack', webhook: { secretsManager: 'bench/slack' } } },
    escalation: {
      critical: { levels: [{ after: '0s', channels: ['slack'] }] },
      warning: { levels: [{ after: '0s', channels: ['slack'] }] },
      info: { levels: [{ after: '0s', channels: ['slack'] }] },
      watchFor: '1m',
    },
    alertRules: [
      {
        name: 'ServiceDown',
        severity: 'critical',
        team: 'platform',
        summary: 'Service is down',
        alarms: ['bench-check-*'],
      },
    ],
  });
  const synthStart = performance.now();
  const synthesized = localEscalationDefinition(config);
  console.log(JSON.stringify({ phase: 'synth', ms: round(performance.now() - synthStart) }));

  const alarms = new MemoryAlarmState();
  const store = new MemoryIncidentStore();
  const clock = new VirtualClock(Date.now());
  const engine = new LocalEscalationEngine(
    synthesized,
    {
      alarms,
      store,
      http: fetchHttp,
      topics: { publish: async () => undefined },
      secrets: envChannelSecrets(synthesized.runtimeConfig.channels, { VIGIL_SLACK_WEBHOOK_URL: slackUrl }),
      ackSecret: async () => ACK_SECRET,
    },
    { clock },
  );
  /** The EventBridge `CloudWatch Alarm State Change` event of an alarm going into ALARM. */
  const alarmEvent = (index: number) => {
    const alarmName = `bench-check-${index}`;
    const time = new Date(clock.now()).toISOString();
    return {
      version: '0',
      id: `bench-${index}`,
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '123456789012',
      time,
      region: 'us-east-1',
      resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
      detail: {
        alarmName,
        state: {
          value: 'ALARM',
          reason: 'Threshold Crossed: 1 datapoint [0.0] was less than the threshold (1.0).',
          timestamp: time.replace('Z', '+0000'),
        },
        previousState: { value: 'OK', reason: 'Threshold Crossed', timestamp: time.replace('Z', '+0000') },
        configuration: { description: 'bench check' },
      },
    };
  };
  type AlarmEvent = ReturnType<typeof alarmEvent>;
  const runtime = synthesized.runtimeConfig;

  // The engine: the start handler's work (normalise, start the named execution), then the state machine.
  const escalate = (event: AlarmEvent) => engine.ingest(fromEventBridge(event));
  // Baseline: one function turns the event into the same Slack message (with a signed ack link) and posts it.
  // `onPost` lets the profiling pass below mark the moment before the post; the measured loop passes a no-op.
  const postDirectly = async (event: AlarmEvent, onPost: () => void) => {
    const alarm: AlarmSnapshot = fromEventBridge(event);
    const incident = routedIncident(`${alarm.alarmName}-direct`, alarm, {}, runtime, clock.now());
    const body = slackMessage({
      kind: 'trigger',
      incident,
      level: 1,
      alarmUrl: alarmConsoleUrl(alarm.alarmName, alarm.region),
      ackUrl: ackLink(runtime.ackUrl, ACK_SECRET, incident.id, 'slack', clock.now() + runtime.ackLinkTtlMs),
      at: clock.now(),
    });
    onPost();
    await fetchHttp({
      url: slackUrl,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: 5_000,
    });
  };

  const deadline = performance.now() + DEADLINE_MS;
  const engineLatencies: number[] = [];
  const baselineLatencies: number[] = [];
  for (let index = 0; index < WARMUP + INCIDENTS && performance.now() < deadline; index += 1) {
    const event = alarmEvent(index);
    alarms.set(event.detail.alarmName, 'ALARM');
    const arrival = received(event.detail.alarmName);
    const start = performance.now();
    const outcome = await escalate(event);
    const at = await arrival;
    if (index >= WARMUP) engineLatencies.push(at - start);
    alarms.set(event.detail.alarmName, 'OK');
    await engine.done(outcome.incidentId ?? '');

    const direct = alarmEvent(100_000 + index);
    const directArrival = received(direct.detail.alarmName);
    const directStart = performance.now();
    await postDirectly(direct, () => undefined);
    const directAt = await directArrival;
    if (index >= WARMUP) baselineLatencies.push(directAt - directStart);
  }

  // Profiling pass: same path, marks at the ports. Runs after the measurements, so it cannot change them.
  let marks: Record<string, number> = {};
  const mark = (name: string) => {
    marks[name] ??= performance.now();
  };
  const profiledStore = new (class extends MemoryIncidentStore {
    public override async getIncident(incidentId: string) {
      mark('open');
      return super.getIncident(incidentId);
    }
  })();
  const channelSecrets = envChannelSecrets(synthesized.runtimeConfig.channels, {
    VIGIL_SLACK_WEBHOOK_URL: slackUrl,
  });
  const profiled = new LocalEscalationEngine(
    synthesized,
    {
      alarms,
      store: profiledStore,
      http: (request) => {
        mark('post');
        return fetchHttp(request);
      },
      topics: { publish: async () => undefined },
      secrets: (name) => {
        mark('notify');
        return channelSecrets(name);
      },
      ackSecret: async () => ACK_SECRET,
    },
    { clock },
  );
  const spans: Record<string, number[]> = {};
  const span = (name: string, from: number | undefined, to: number | undefined) => {
    if (from === undefined || to === undefined) return;
    spans[name] ??= [];
    spans[name].push(to - from);
  };
  for (let index = 0; index < WARMUP + PROFILED && performance.now() < deadline; index += 1) {
    const event = alarmEvent(200_000 + index);
    alarms.set(event.detail.alarmName, 'ALARM');
    const arrival = received(event.detail.alarmName);
    marks = {};
    const start = performance.now();
    const outcome = await profiled.ingest(fromEventBridge(event));
    const at = await arrival;
    if (index >= WARMUP) {
      span('ingestToOpenTask', start, marks.open);
      span('openTaskToNotifyTask', marks.open, marks.notify);
      span('notifyTaskToPost', marks.notify, marks.post);
      span('postToReceived', marks.post, at);
    }
    alarms.set(event.detail.alarmName, 'OK');
    await profiled.done(outcome.incidentId ?? '');
    const direct = alarmEvent(300_000 + index);
    const directArrival = received(direct.detail.alarmName);
    marks = {};
    const directStart = performance.now();
    await postDirectly(direct, () => mark('post'));
    const directAt = await directArrival;
    if (index >= WARMUP) {
      span('baselineBuild', directStart, marks.post);
      span('baselinePostToReceived', marks.post, directAt);
      span('engineTotal', start, at);
      span('baselineTotal', directStart, directAt);
    }
  }
  server.close();
  console.log(
    JSON.stringify({
      phase: 'spans',
      what: 'p50 of each span in ms (profiling pass, not the measured figures)',
      ...Object.fromEntries(
        Object.entries(spans).map(([name, values]) => [`${name}P50Ms`, round3(percentile(values, 50))]),
      ),
    }),
  );

  const engineP50 = percentile(engineLatencies, 50);
  const engineP95 = percentile(engineLatencies, 95);
  const baseP50 = percentile(baselineLatencies, 50);
  const baseP95 = percentile(baselineLatencies, 95);
  console.log(
    JSON.stringify({
      phase: 'engine',
      incidents: engineLatencies.length,
      p50Ms: round(engineP50),
      p95Ms: round(engineP95),
    }),
  );
  console.log(
    JSON.stringify({
      phase: 'baseline',
      incidents: baselineLatencies.length,
      p50Ms: round(baseP50),
      p95Ms: round(baseP95),
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'escalation',
      metric: 'first_notification_p50_ms',
      value: round(engineP50),
      unit: 'ms',
      baseline: round(baseP50),
      ratio: round(engineP50 / baseP50),
      p95Ms: round(engineP95),
      baselineP95Ms: round(baseP95),
      addedP95Ms: round(engineP95 - baseP95),
      incidents: engineLatencies.length,
    }),
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
