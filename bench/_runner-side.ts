// One side of the HTTP part of `npm run bench -- runner`, in its own process so its CPU time and peak RSS
// are its own: `engine` (runChecks with EMF publishing to stdout, which the parent discards, and X-Ray
// segment documents sent straight to the parent's UDP sink by the runner's daemon adapter, with
// Powertools Tracer loaded beside it, as in Lambda) or `floor` (plain undici doing the same requests and the
// same three assertions: status, a JSON field, response time). The parent sends `round` messages
// (interleaving the two sides) and `end`; each round answers with its wall and CPU time, `end` with the
// peak RSS (`process.resourceUsage().maxRSS`).
import type { ResolvedCheck } from '../functions/commons/config/types';
import { benchCheck } from './_resolved-check';

/** What the parent sends first. */
export interface SideInit {
  readonly type: 'init';
  readonly side: 'engine' | 'floor';
  readonly baseUrl: string;
  readonly checks: number;
  readonly concurrency: number;
  /** The response-time assertion's bound, the same on both sides. */
  readonly maxResponseMs: number;
}

/** One round's figures, as the side reports them. */
export interface SideRound {
  readonly type: 'round';
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly failures: number;
}

/** The side's last message. */
export interface SideEnd {
  readonly type: 'end';
  readonly maxRssKb: number;
}

type Round = () => Promise<number>;

/** The engine's check: one GET with the three assertions, as a config would resolve it. */
const engineCheck = (i: number, maxResponseMs: number): ResolvedCheck =>
  benchCheck(`check-${i}`, [
    {
      name: 'search',
      request: { method: 'GET', url: '/flights', headers: {} },
      extract: [],
      assert: [
        { type: 'status', op: 'equals', value: 200 },
        { type: 'jsonPath', path: '$.flights.length', op: '>', value: 0 },
        { type: 'responseTime', op: '<', value: maxResponseMs },
      ],
      timeoutMs: 5_000,
    },
  ]);

const engineSide = async (init: SideInit): Promise<Round> => {
  // Built as the runner handler builds it (its DynamoDB and Secrets Manager clients are traced through
  // it), so the X-Ray SDK is loaded as in Lambda; the engine's spans go straight to the daemon.
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  new Tracer();
  const { createEmfWriter, stdoutSink } = await import('../functions/commons/metrics');
  const { runChecks } = await import('../functions/synthetics/engine');
  const { createXrayDaemonTracing, publishCheckMetrics } = await import('../functions/synthetics/adapters');
  const tracing = createXrayDaemonTracing();
  const metrics = createEmfWriter({
    namespace: 'Vigil/Bench',
    defaultDimensions: { service: 'vigil-bench' },
    sink: stdoutSink,
  });
  const checks = Array.from({ length: init.checks }, (_, i) => engineCheck(i, init.maxResponseMs));
  return async () => {
    const results = await runChecks(checks, {
      baseUrl: init.baseUrl,
      concurrency: init.concurrency,
      tracing,
      onResult: (result) => publishCheckMetrics(metrics, result, 'essential'),
    });
    return results.filter((result) => result.status !== 'passed').length;
  };
};

const floorSide = async (init: SideInit): Promise<Round> => {
  const { Agent, request } = await import('undici');
  const dispatcher = new Agent({ connections: init.concurrency });
  const url = `${init.baseUrl}/flights`;
  return async () => {
    let next = 0;
    let failures = 0;
    const worker = async (): Promise<void> => {
      while (next < init.checks) {
        next += 1;
        const started = performance.now();
        const response = await request(url, { dispatcher });
        const body = (await response.body.json()) as { flights?: unknown[] };
        const elapsed = performance.now() - started;
        const ok =
          response.statusCode === 200 &&
          Array.isArray(body.flights) &&
          body.flights.length > 0 &&
          elapsed < init.maxResponseMs;
        if (!ok) failures += 1;
      }
    };
    await Promise.all(Array.from({ length: init.concurrency }, worker));
    return failures;
  };
};

// Bounded: a side never outlives its parent, nor ten minutes.
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(1), 600_000).unref();

let round: Round | undefined;
const send = (message: SideRound | SideEnd | { type: 'ready' }): void => {
  process.send?.(message);
};

process.on('message', (message: SideInit | { type: 'round' } | { type: 'end' }) => {
  void (async () => {
    if (message.type === 'init') {
      round = await (message.side === 'engine' ? engineSide(message) : floorSide(message));
      await round(); // warm-up: JIT, connections
      send({ type: 'ready' });
    } else if (message.type === 'round' && round) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const failures = await round();
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      send({ type: 'round', wallMs, cpuMs: (used.user + used.system) / 1000, failures });
    } else if (message.type === 'end') {
      send({ type: 'end', maxRssKb: process.resourceUsage().maxRSS });
      process.disconnect();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
