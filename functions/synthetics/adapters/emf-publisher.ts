import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CheckResult } from '../types/results';

/** `essential`: 4 metrics per check. `detailed`: those plus 8 per step. */
export type MetricsLevel = 'essential' | 'detailed';

/** Metrics published per check at every level (dimensions `service`, `Check`). */
export const CHECK_METRICS = ['CheckSuccess', 'CheckDegraded', 'CheckDuration', 'CheckRetries'] as const;

/** Metrics added per step at level `detailed` (dimensions `service`, `Check`, `Step`). */
export const STEP_METRICS = [
  'StepSuccess',
  'StepDegraded',
  'StepDuration',
  'StepDnsTime',
  'StepConnectTime',
  'StepTlsTime',
  'StepFirstByteTime',
  'StepDownloadTime',
] as const;

/**
 * How many CloudWatch metrics (distinct name + dimension combinations, which is what is billed) one check
 * produces: 4 at `essential`, `4 + 8 × steps` at `detailed` (steps = setup + main + teardown).
 *
 * @example
 * metricCountPerCheck('detailed', 3); // 28
 */
export const metricCountPerCheck = (level: MetricsLevel, steps: number): number =>
  CHECK_METRICS.length + (level === 'detailed' ? STEP_METRICS.length * steps : 0);

const flag = (condition: boolean): number => (condition ? 1 : 0);

/**
 * Powertools types metadata values as strings, but stores and serializes them with `JSON.stringify`, so
 * numbers and objects stay structured in the record (and Logs Insights discovers their nested fields).
 */
const addMetadata = (metrics: Metrics, key: string, value: unknown): void => {
  (metrics.addMetadata as (key: string, value: unknown) => Metrics).call(metrics, key, value);
};

/**
 * Publishes one check result as EMF through Powertools Metrics, one record (one dimension set) at a time:
 * a check record with dimensions `service` + `Check` carrying {@link CHECK_METRICS}, and at `detailed`
 * one record per step with `service` + `Check` + `Step` carrying {@link STEP_METRICS}. Every record is
 * flushed at once (≤ 8 metrics, ≤ 3 dimensions, 1 dimension set: well within EMF's 100 / 30 / 1 here).
 * Status, attempts, trace id, error text and every step's phase timings go in the check record as
 * metadata, queryable in Logs Insights without being billed as metrics.
 *
 * `CheckSuccess`/`StepSuccess` is 1 when the check (step) did not fail (a degraded check succeeded,
 * slowly); `CheckDegraded`/`StepDegraded` is 1 when degraded. `CheckDuration` is the final attempt's.
 * Metrics the caller stored earlier on the same instance are flushed first under their own dimensions.
 * Synchronous, so records of concurrent checks never mix.
 *
 * @example
 * runChecks(checks, { ...options, onResult: (result) => publishCheckMetrics(metrics, result, 'essential') });
 */
export const publishCheckMetrics = (metrics: Metrics, result: CheckResult, level: MetricsLevel): void => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  const timestamp = Date.parse(result.startedAt);
  const stamp = (): void => {
    if (Number.isFinite(timestamp)) metrics.setTimestamp(timestamp);
  };

  stamp();
  metrics.addDimension('Check', result.name);
  metrics.addMetric('CheckSuccess', MetricUnit.Count, flag(result.status !== 'failed'));
  metrics.addMetric('CheckDegraded', MetricUnit.Count, flag(result.status === 'degraded'));
  // Latency of the final attempt (what degradedAfter judges); the whole check, retries and waits included,
  // is the `durationMs` metadata.
  metrics.addMetric(
    'CheckDuration',
    MetricUnit.Milliseconds,
    result.attempts.at(-1)?.durationMs ?? result.durationMs,
  );
  metrics.addMetric('CheckRetries', MetricUnit.Count, result.retries);
  addMetadata(metrics, 'status', result.status);
  addMetadata(metrics, 'firstAttemptStatus', result.firstAttemptStatus);
  addMetadata(metrics, 'attempts', result.attempts.length);
  addMetadata(metrics, 'durationMs', result.durationMs);
  addMetadata(metrics, 'severity', result.severity);
  addMetadata(metrics, 'team', result.team);
  if (result.location !== undefined) addMetadata(metrics, 'location', result.location);
  if (result.traceId !== undefined) addMetadata(metrics, 'traceId', result.traceId);
  if (result.error !== undefined) addMetadata(metrics, 'error', result.error);
  addMetadata(
    metrics,
    'steps',
    result.steps.map((step) => ({
      name: step.name,
      phase: step.phase,
      status: step.status,
      durationMs: step.durationMs,
      ...(step.statusCode !== undefined ? { statusCode: step.statusCode } : {}),
      timings: step.timings,
      ...(step.error !== undefined ? { error: step.error } : {}),
    })),
  );
  metrics.publishStoredMetrics();

  if (level !== 'detailed') return;
  for (const step of result.steps) {
    stamp();
    metrics.addDimension('Check', result.name);
    metrics.addDimension('Step', step.name);
    metrics.addMetric('StepSuccess', MetricUnit.Count, flag(step.status !== 'failed'));
    metrics.addMetric('StepDegraded', MetricUnit.Count, flag(step.status === 'degraded'));
    metrics.addMetric('StepDuration', MetricUnit.Milliseconds, step.durationMs);
    metrics.addMetric('StepDnsTime', MetricUnit.Milliseconds, step.timings.dnsMs);
    metrics.addMetric('StepConnectTime', MetricUnit.Milliseconds, step.timings.connectMs);
    metrics.addMetric('StepTlsTime', MetricUnit.Milliseconds, step.timings.tlsMs);
    metrics.addMetric('StepFirstByteTime', MetricUnit.Milliseconds, step.timings.firstByteMs);
    metrics.addMetric('StepDownloadTime', MetricUnit.Milliseconds, step.timings.downloadMs);
    addMetadata(metrics, 'status', step.status);
    addMetadata(metrics, 'phase', step.phase);
    if (step.statusCode !== undefined) addMetadata(metrics, 'statusCode', step.statusCode);
    if (step.error !== undefined) addMetadata(metrics, 'error', step.error);
    metrics.publishStoredMetrics();
  }
};
