import type { Logger } from '@aws-lambda-powertools/logger';
import { chainHandler, type HandlerMiddleware } from '../commons/handler-chain';
import type { LambdaContext } from '../commons/lambda-context';
import type { EmfWriter } from '../commons/metrics/emf-writer';
import { RUNNER_METRICS } from '../commons/metrics/metric-catalog';
import { checkPublishing, publishCheckMetrics } from './adapters/emf-publisher';
import { runnerPlan } from './planning/runner-plan';
import { runScheduledChecks, type ScheduledRunSummary } from './run-scheduled-checks';
import { parseRunnerEvent } from './runner-event';
import type { RunLease, SecretResolver, Tracing } from './types/ports';
import type { RunnerConfig, RunnerEvent } from './types/runner-config';

const skippedSummary = (event: RunnerEvent, location: string): ScheduledRunSummary => ({
  schedule: event.schedule,
  ...(event.shard === undefined ? {} : { shard: event.shard }),
  location,
  skipped: true,
  total: 0,
  passed: 0,
  degraded: 0,
  failed: 0,
  failures: [],
});

/** What the runner handler is built from: its config and its adapters. */
export interface RunnerHandlerDeps {
  readonly config: RunnerConfig;
  readonly logger: Logger;
  /** Vigil's EMF writer (its default dimensions, e.g. `service`, go on every record). */
  readonly metrics: EmfWriter;
  /** The checks' spans. */
  readonly tracing: Tracing;
  /**
   * The invocation's subsegment (the checks' spans hang from it): in Lambda, the X-Ray daemon adapter's
   * `captureLambdaHandler()`. @default not traced
   */
  readonly invocationTracing?: HandlerMiddleware;
  readonly secrets: SecretResolver;
  /** Time kept back to publish and return before Lambda's own timeout. @default 5000 */
  readonly safetyMs?: number;
  /**
   * Keeps a shard's runs from overlapping: a `{schedule, shard}` run that finds its previous run still
   * holding the lease is skipped and counted (`SkippedRuns`). @default no lease: runs may overlap
   */
  readonly lease?: RunLease;
  /** Wall clock for lease expiry. @default Date.now */
  readonly now?: () => number;
}

/**
 * Builds the runner handler: validates the event, runs the schedule group's checks, publishes EMF
 * metrics and one JSON log line per result, and stops in-flight checks before Lambda's timeout.
 * Instrumented with every handler's chain ({@link chainHandler}): the Lambda context on every log line, the
 * invocation's subsegment; without Powertools Tracer (its spans go straight to the X-Ray daemon) nor
 * Powertools Metrics (its metrics go through Vigil's EMF writer: nothing to flush), which cost every check
 * CPU and the cold start init time (BENCHMARKS.md, issue 16).
 */
export const createRunnerHandler = (deps: RunnerHandlerDeps) => {
  const { config, logger, metrics } = deps;
  const schedules = new Set(config.checks.map((check) => check.schedule.key));
  const checkNames = new Set(config.checks.map((check) => check.name));
  const shardCounts = new Map([...runnerPlan(config)].map(([key, plan]) => [key, plan.shards.length]));
  const publishing = checkPublishing(config);
  const run = async (event: unknown, context: LambdaContext): Promise<ScheduledRunSummary> => {
    const runnerEvent = parseRunnerEvent(event, schedules, checkNames, shardCounts);
    const leaseKey =
      deps.lease && runnerEvent.shard !== undefined
        ? `${runnerEvent.schedule}#${runnerEvent.shard}`
        : undefined;
    const now = deps.now ?? Date.now;
    if (
      leaseKey !== undefined &&
      !(await deps.lease?.acquire(leaseKey, context.awsRequestId, now() + context.getRemainingTimeInMillis()))
    ) {
      metrics.publish({
        dimensionSets: [{}],
        metrics: [{ name: RUNNER_METRICS.skippedRuns, unit: 'Count', value: 1 }],
      });
      logger.error(`run skipped: shard ${leaseKey} is still running its previous run`, {
        event: runnerEvent,
      });
      return skippedSummary(runnerEvent, config.location);
    }
    const controller = new AbortController();
    const budget = Math.max(0, context.getRemainingTimeInMillis() - (deps.safetyMs ?? 5_000));
    const deadline = setTimeout(() => controller.abort(), budget);
    try {
      const summary = await runScheduledChecks(config, runnerEvent, {
        secrets: deps.secrets,
        tracing: deps.tracing,
        signal: controller.signal,
        publish: (result) => {
          publishCheckMetrics(metrics, result, publishing.get(result.name) ?? config.metrics);
          if (result.status === 'failed') logger.warn(`check ${result.name} failed`, { check: result });
          else logger.info(`check ${result.name} ${result.status}`, { check: result });
        },
      });
      logger.info('run complete', { summary });
      return summary;
    } finally {
      clearTimeout(deadline);
      if (leaseKey !== undefined) await deps.lease?.release(leaseKey, context.awsRequestId);
    }
  };
  return chainHandler(run, {
    logger,
    ...(deps.invocationTracing !== undefined ? { tracing: deps.invocationTracing } : {}),
  });
};
