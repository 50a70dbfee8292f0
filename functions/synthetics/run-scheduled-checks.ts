import type { Clock } from '../commons/clock';
import { reuseConnectionsFor, runChecks } from './engine';
import { checkOffsetMs } from './planning/check-offsets';
import { runnerPlan } from './planning/runner-plan';
import { SyntheticsEventError } from './runner-event';
import type { SecretResolver, Tracing } from './types/ports';
import type { CheckResult } from './types/results';
import type { RunnerConfig, RunnerEvent } from './types/runner-config';

/** Ports for {@link runScheduledChecks}. */
export interface ScheduledRunPorts {
  readonly secrets: SecretResolver;
  readonly tracing?: Tracing;
  readonly clock?: Clock;
  /** Publishes one result (EMF metrics, logs) as soon as its check finishes. */
  readonly publish: (result: CheckResult) => void;
  /** Aborts the run (the Lambda is about to time out). */
  readonly signal?: AbortSignal;
}

/** What one scheduled run did. */
export interface ScheduledRunSummary {
  readonly schedule: string;
  /** The shard run, when the event named one. */
  readonly shard?: number;
  readonly location: string;
  /** The run did not start: the shard's previous run still held its lease. */
  readonly skipped?: true;
  readonly total: number;
  readonly passed: number;
  readonly degraded: number;
  readonly failed: number;
  /** Names of the failed checks. */
  readonly failures: readonly string[];
}

/**
 * Runs the checks of one schedule group (optionally a subset) and publishes each result. The core of the
 * runner Lambda: no AWS here, the handler passes the adapters. A `{schedule, shard}` event runs that
 * shard's checks of the plan, each starting at its offset over the period (the clock's sleep waits);
 * a `{schedule}` event runs every check of the schedule at once, as before sharding.
 */
export const runScheduledChecks = async (
  config: RunnerConfig,
  event: RunnerEvent,
  ports: ScheduledRunPorts,
): Promise<ScheduledRunSummary> => {
  const only = event.only ? new Set(event.only) : undefined;
  const plan = event.shard === undefined ? undefined : runnerPlan(config).get(event.schedule);
  const shard = plan?.shards[event.shard ?? 0];
  if (event.shard !== undefined && shard === undefined)
    throw new SyntheticsEventError(`schedule ${event.schedule} has no shard ${event.shard}`);
  const inShard = shard ? new Set(shard.checks) : undefined;
  const offsetOf = (name: string) => (shard ? checkOffsetMs(name, shard.spreadMs) : 0);
  const checks = config.checks
    .filter(
      (check) =>
        check.schedule.key === event.schedule &&
        (inShard === undefined || inShard.has(check.name)) &&
        (only === undefined || only.has(check.name)),
    )
    .map((check) => ({ check, offsetMs: offsetOf(check.name) }))
    .sort((a, b) => a.offsetMs - b.offsetMs);
  const results = await runChecks(
    checks.map(({ check }) => check),
    {
      ...(shard ? { startOffsetsMs: checks.map(({ offsetMs }) => offsetMs) } : {}),
      baseUrl: config.baseUrl,
      variables: config.variables,
      concurrency: config.concurrency,
      reuseConnections: reuseConnectionsFor(config.connections),
      location: config.location,
      secrets: ports.secrets,
      onResult: ports.publish,
      ...(ports.tracing ? { tracing: ports.tracing } : {}),
      ...(ports.clock ? { clock: ports.clock } : {}),
      ...(ports.signal ? { signal: ports.signal } : {}),
    },
  );
  const count = (status: CheckResult['status']) =>
    results.filter((result) => result.status === status).length;
  return {
    schedule: event.schedule,
    ...(event.shard === undefined ? {} : { shard: event.shard }),
    location: config.location,
    total: results.length,
    passed: count('passed'),
    degraded: count('degraded'),
    failed: count('failed'),
    failures: results.filter((result) => result.status === 'failed').map((result) => result.name),
  };
};
