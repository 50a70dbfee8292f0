import { reuseConnectionsFor, runChecks } from './engine';
import type { Clock, SecretResolver, Tracing } from './types/ports';
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
  readonly location: string;
  readonly total: number;
  readonly passed: number;
  readonly degraded: number;
  readonly failed: number;
  /** Names of the failed checks. */
  readonly failures: readonly string[];
}

/**
 * Runs the checks of one schedule group (optionally a subset) and publishes each result. The core of the
 * runner Lambda: no AWS here, the handler passes the adapters.
 */
export const runScheduledChecks = async (
  config: RunnerConfig,
  event: RunnerEvent,
  ports: ScheduledRunPorts,
): Promise<ScheduledRunSummary> => {
  const only = event.only ? new Set(event.only) : undefined;
  const checks = config.checks.filter(
    (check) => check.schedule.key === event.schedule && (only === undefined || only.has(check.name)),
  );
  const results = await runChecks(checks, {
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
  });
  const count = (status: CheckResult['status']) =>
    results.filter((result) => result.status === status).length;
  return {
    schedule: event.schedule,
    location: config.location,
    total: results.length,
    passed: count('passed'),
    degraded: count('degraded'),
    failed: count('failed'),
    failures: results.filter((result) => result.status === 'failed').map((result) => result.name),
  };
};
