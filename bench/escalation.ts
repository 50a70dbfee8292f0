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
 * A third side, in the same alternation, runs a config whose first level also targets an on-call schedule:
 * resolving who is on call happens inside `Open incident` and must add no state to the first page (the
 * `{"phase":"states"}` line counts both definitions' states); `{"phase":"schedule-level"}` gives its first page
 * and the on-call person's SMS (at the pager port), and its ratio to the same baseline.
 *
 * Run: npx tsx bench/escalation.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { localEscalationDefinition } from '../bin/local/escalation/local-escalation-definition';
import { LocalEscalationEngine } from '../bin/local/escalation/local-escalation-engine';
import { VirtualClock } from '../functions/commons/clock';
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
  // The same, with the first level also paging whoever is on call for a schedule (through their SMS rule).
  const scheduleConfig = parseConfig({
    ...config,
    people: {
      oncall: {
        name: 'On Call',
        timezone: 'UTC',
        contact: { sms: '+447700900101' },
        rules: { critical: [{ method: 'sms' }] },
      },
    },
    schedules: {
      primary: {
        timezone: 'Europe/London',
        layers: [{ members: ['oncall'], start: '2026-01-05T09:00', rotation: 'weekly' }],
      },
    },
    paging: { sms: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef' } },
    escalation: {
      ...config.escalation,
      critical: { levels: [{ after: '0s', channels: ['slack'], schedules: ['primary'] }] },
    },
  });
  const synthStart = performance.now();
  const synthesized = localEscalationDefinition(config);
  console.log(JSON.stringify({ phase: 'synth', ms: round(performance.now() - synthStart) }));
  const scheduleSynthesized = localEscalationDefinition(scheduleConfig);
  const statesOf = (definition: Record<string, unknown>) =>
    Object.keys((definition as { States: Record<string, unknown> }).States).length;
  console.log(
    JSON.stringify({
      phase: 'states',
      channelLevel: statesOf(synthesized.definition),
      scheduleLevel: statesOf(scheduleSynthesized.definition),
    }),
  );

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
  // Pages to the on-call person: recorded at the pager port (an SMS would leave the machine). Incidents run
  // one at a time, so the page belongs to the incident in flight (an SMS names the rule, not the alarm).
  let inFlight = '';
  const paged = new Map<string, number>();
  const pagedAt = () => {
    if (!paged.has(inFlight)) paged.set(inFlight, performance.now());
    return Promise.resolve('bench');
  };
  const scheduleEngine = new LocalEscalationEngine(
    scheduleSynthesized,
    {
      alarms,
      store,
      http: fetchHttp,
      topics: { publish: async () => undefined },
      secrets: envChannelSecrets(scheduleSynthesized.runtimeConfig.channels, {
        VIGIL_SLACK_WEBHOOK_URL: slackUrl,
      }),
      pager: {
        sendText: pagedAt,
        callVoice: pagedAt,
        sendEmail: pagedAt,
      },
      overrides: async () => [],
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
  const scheduleLatencies: number[] = [];
  const personPageLatencies: number[] = [];
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

    // A level that also targets a schedule: its first page (the Slack post or the on-call person's SMS,
    // whichever comes first), and the person's SMS.
    const scheduled = alarmEvent(400_000 + index);
    const name = scheduled.detail.alarmName;
    inFlight = name;
    alarms.set(name, 'ALARM');
    const scheduledArrival = received(name);
    const scheduledStart = performance.now();
    const scheduledOutcome = await scheduleEngine.ingest(fromEventBridge(scheduled));
    const scheduledAt = await scheduledArrival;
    alarms.set(name, 'OK');
    await scheduleEngine.done(scheduledOutcome.incidentId ?? '');
    const pagedAtMs = paged.get(name);
    if (index >= WARMUP) {
      scheduleLatencies.push(Math.min(scheduledAt, pagedAtMs ?? scheduledAt) - scheduledStart);
      if (pagedAtMs !== undefined) personPageLatencies.push(pagedAtMs - scheduledStart);
    }
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
  const scheduleP50 = percentile(scheduleLatencies, 50);
  console.log(
    JSON.stringify({
      phase: 'schedule-level',
      what: 'a first level with a channel and a schedule: its first page (Slack post or SMS), and the SMS',
      incidents: scheduleLatencies.length,
      p50Ms: round(scheduleP50),
      p95Ms: round(percentile(scheduleLatencies, 95)),
      ratio: round(scheduleP50 / baseP50),
      personPaged: personPageLatencies.length,
      personPageP50Ms: round(percentile(personPageLatencies, 50)),
      personPageP95Ms: round(percentile(personPageLatencies, 95)),
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
