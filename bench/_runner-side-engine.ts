// The engine side of `npm run bench -- runner` (see `_runner-side.ts`): runChecks with EMF publishing to
// stdout, which the parent discards, and X-Ray segment documents sent straight to the parent's UDP sink by
// the runner's daemon adapter, with Powertools Tracer loaded beside it, as in Lambda.
import type { ResolvedCheck } from '../functions/commons/config/types';
import { benchCheck } from './_resolved-check';
import { type Round, type SideInit, serveSide } from './_runner-side';

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

serveSide('engine', engineSide);
