// The engine side of `npm run bench -- runner` (see `_runner-side.ts`): runChecks with EMF publishing to
// stdout, which the parent discards, and X-Ray segment documents sent straight to the parent's UDP sink by
// the runner's daemon adapter, each round one invocation through the runner's handler chain (Powertools
// Logger, the daemon's handler subsegment), as in Lambda: no X-Ray SDK, no Powertools Tracer (issue 16).
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
  // Loaded through the modules the runner handler loads: its logger, its handler chain and its daemon
  // tracing (which also traces its DynamoDB and Secrets Manager calls), so no X-Ray SDK, as in Lambda.
  const { logger } = await import('../functions/commons/logger');
  const { chainHandler } = await import('../functions/commons/handler-chain');
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
  const invocation = chainHandler(
    async (_event: unknown, _context: unknown) => {
      const results = await runChecks(checks, {
        baseUrl: init.baseUrl,
        concurrency: init.concurrency,
        tracing,
        onResult: (result) => publishCheckMetrics(metrics, result, 'essential'),
      });
      return results.filter((result) => result.status !== 'passed').length;
    },
    { logger, tracing: tracing.captureLambdaHandler() },
  );
  let round = 0;
  return async () => {
    round += 1;
    return invocation({}, { awsRequestId: `bench-${round}`, functionName: 'vigil-bench-runner' });
  };
};

serveSide('engine', engineSide);
