import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALARM_TAGS } from '../../functions/commons/alarm-naming';
import { realClock } from '../../functions/commons/clock';
import type { ResolvedHeartbeat } from '../../functions/commons/config/heartbeat-schema';
import { MemoryHeartbeatStore } from '../../functions/heartbeats/adapters/memory-heartbeat-store';
import { evaluateHeartbeats, type HeartbeatEvaluation } from '../../functions/heartbeats/evaluate-heartbeats';
import { createPingCore } from '../../functions/heartbeats/handle-ping';
import {
  type HeartbeatAlarmKind,
  heartbeatAlarmDescription,
  heartbeatAlarmName,
} from '../../functions/heartbeats/heartbeat-alarms';
import { newPingToken } from '../../functions/heartbeats/ping-token';
import { MAX_OUTPUT_BYTES } from '../../functions/heartbeats/run-output';
import type { HeartbeatClock } from '../../functions/heartbeats/types/ports';
import { type LocalEscalation, recoverLocalAlarm } from './escalation/local-escalation';

/** Options of {@link startLocalHeartbeats}. */
export interface LocalHeartbeatsOptions {
  readonly app: string;
  readonly heartbeats: readonly ResolvedHeartbeat[];
  /** Lines for the console. */
  readonly print: (line: string) => void;
  /** Where a late or failed heartbeat pages. @default none: printed only */
  readonly escalation?: LocalEscalation;
  /** Port of the ping endpoint; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** @default Date.now */
  readonly clock?: HeartbeatClock;
  /** Evaluate heartbeats this often (the evaluator Lambda runs every minute). @default 10000 */
  readonly evaluateEveryMs?: number;
  /**
   * Demo cron jobs: ping each `every` heartbeat of at most 5 minutes on its period over HTTP; the one named
   * here pings once, then stops, so it goes late and pages. @default no demo jobs
   */
  readonly demo?: { readonly lateOnPurpose?: string };
}

/** The running local heartbeats. */
export interface LocalHeartbeats {
  /** Base URL of the local ping endpoint. */
  readonly url: string;
  /** Each heartbeat's ping URL (with its per-process token), by name. */
  readonly pingUrls: ReadonlyMap<string, string>;
  /** Evaluates every heartbeat now, paging the newly late or failed ones and resolving the recovered. */
  evaluate(): Promise<HeartbeatEvaluation[]>;
  /** Starts the evaluator timer and, with `demo`, the demo cron jobs. */
  startSchedules(): void;
  /** Stops timers and the endpoint. */
  stop(): Promise<void>;
}

/** Reads at most `limit` bytes of a request body; the rest is drained and dropped (truncated, not refused). */
const readBody = async (req: IncomingMessage, limit: number): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const piece = chunk as Buffer;
    if (size < limit) chunks.push(piece.subarray(0, limit - size));
    size += piece.length;
  }
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Heartbeats without AWS (`npm start`): the ping handler's core behind an HTTP server on 127.0.0.1, an
 * in-memory store, the evaluator's core on a timer, and pages through the local escalation engine under the
 * alarm names and tags the deployed alarms carry.
 */
export const startLocalHeartbeats = async (options: LocalHeartbeatsOptions): Promise<LocalHeartbeats> => {
  const clock = options.clock ?? realClock;
  const tokens = new Map(options.heartbeats.map((heartbeat) => [heartbeat.name, newPingToken()]));
  const store = new MemoryHeartbeatStore();
  const core = createPingCore({ tokens: async () => tokens, store, clock });
  const server = createServer((req, res) => {
    readBody(req, MAX_OUTPUT_BYTES * 4)
      .then((body) =>
        core({
          method: req.method ?? 'GET',
          path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
          body,
        }),
      )
      .then(
        (response) => res.writeHead(response.statusCode, { 'content-type': 'text/plain' }).end(response.body),
        () => res.writeHead(503).end('unavailable\n'),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pingUrls = new Map([...tokens].map(([name, token]) => [name, `${url}/ping/${name}/${token}`]));

  const down = new Set<string>();
  const page = async (heartbeat: ResolvedHeartbeat, kind: HeartbeatAlarmKind, status: string) => {
    const local = options.escalation;
    const alarm = heartbeatAlarmName(options.app, heartbeat.name, kind);
    if (!local) return;
    local.alarms.set(alarm, 'ALARM', {
      [ALARM_TAGS.app]: options.app,
      [ALARM_TAGS.kind]: 'heartbeat',
      [ALARM_TAGS.severity]: heartbeat.severity,
      [ALARM_TAGS.team]: heartbeat.team,
    });
    const outcome = await local.engine.ingest({
      alarmName: alarm,
      state: 'ALARM',
      previousState: 'OK',
      reason: `heartbeat '${heartbeat.name}' is ${status}`,
      description: heartbeatAlarmDescription(heartbeat, kind),
      stateChangedAt: new Date(clock.now()).toISOString(),
      region: 'us-east-1',
      source: 'local',
    });
    options.print(`ALARM ${alarm}: escalation ${outcome.result}`);
  };
  const evaluate = async () => {
    const evaluations = await evaluateHeartbeats(options.heartbeats, {
      store,
      clock,
      metrics: { publish: () => undefined },
    });
    for (const evaluation of evaluations) {
      const heartbeat = options.heartbeats.find((candidate) => candidate.name === evaluation.name)!;
      const kind: HeartbeatAlarmKind = evaluation.failed ? 'failed' : 'late';
      const alarm = heartbeatAlarmName(options.app, heartbeat.name, kind);
      const isDown = evaluation.late || evaluation.failed;
      if (isDown && !down.has(alarm)) {
        down.add(alarm);
        options.print(`HEARTBEAT ${evaluation.status.toUpperCase()} ${heartbeat.name}`);
        await page(heartbeat, kind, evaluation.status);
      } else if (!isDown) {
        for (const upKind of ['late', 'failed'] as const) {
          const name = heartbeatAlarmName(options.app, heartbeat.name, upKind);
          if (down.delete(name)) {
            options.print(`HEARTBEAT UP ${heartbeat.name}`);
            // The OK event, as CloudWatch sends it: the open incident resolves what it notified.
            if (options.escalation)
              await recoverLocalAlarm(
                options.escalation,
                name,
                clock.now(),
                `heartbeat '${heartbeat.name}' pinged`,
              );
          }
        }
      }
    }
    return evaluations;
  };
  const timers: NodeJS.Timeout[] = [];
  const report = (error: unknown) =>
    options.print(`heartbeat evaluation failed: ${(error as Error).message}`);
  const startDemoJobs = (late: string | undefined) => {
    const ping = (name: string, suffix = '') =>
      fetch(`${pingUrls.get(name)}${suffix}`, { method: 'POST', body: `demo run of ${name}` }).then(
        (response) => response.body?.cancel(),
        report,
      );
    for (const heartbeat of options.heartbeats) {
      if (!('everyMs' in heartbeat.expect) || heartbeat.expect.everyMs > 300_000) continue;
      const run = () => ping(heartbeat.name, '/start').then(() => ping(heartbeat.name));
      void run();
      if (heartbeat.name === late) {
        options.print(`demo: heartbeat '${late}' pinged once and will now miss its pings on purpose`);
        continue;
      }
      timers.push(setInterval(() => void run(), heartbeat.expect.everyMs));
    }
  };

  return {
    url,
    pingUrls,
    evaluate,
    startSchedules() {
      if (timers.length > 0) return;
      timers.push(setInterval(() => evaluate().catch(report), options.evaluateEveryMs ?? 10_000));
      if (options.demo) startDemoJobs(options.demo.lateOnPurpose);
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
