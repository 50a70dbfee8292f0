import type { EmfRecord, EmfWriter } from '../../commons/metrics/emf-writer';
import {
  CHECK_METRICS as CHECK,
  checkDurationValue,
  METRIC_DIMENSIONS,
  STEP_METRICS as STEP,
} from '../../commons/metrics/metric-catalog';
import type { CheckResult, StepResult } from '../types/results';
import type { RunnerConfig } from '../types/runner-config';

/** `essential`: 1 metric per check (`CheckDuration`). `detailed`: 2 more per check and 8 per step. */
export type MetricsLevel = 'essential' | 'detailed';

/**
 * The metric every check publishes at every level (dimensions `App`, `Check`): `CheckDuration` from every
 * run, 0 for a failed one ({@link checkDurationValue}). Its `Minimum` is what the failure alarm reads, its
 * p95 what the degraded alarm judges, its count of values above 0 the passing runs the availability SLO
 * and the dashboards count.
 */
export const CHECK_METRICS = [CHECK.duration] as const;

/**
 * Metrics added per check at level `detailed`: no
 * alarm or default dashboard reads them (the same facts are in every record's metadata: `status`,
 * `attempts`, `firstAttemptStatus`).
 */
export const DETAILED_CHECK_METRICS = [CHECK.degraded, CHECK.retries] as const;

/** Metrics added per step at level `detailed` (dimensions `App`, `Check`, `Step`). */
export const STEP_METRICS = Object.values(STEP);

/**
 * How many CloudWatch metrics (distinct name + dimension combinations, which is what is billed) one check
 * produces in one location, certificates aside: 1 at `essential`, `3 + 8 × steps` at `detailed` (steps =
 * setup + main + teardown).
 *
 * @example
 * metricCountPerCheck('essential', 3); // 1
 * metricCountPerCheck('detailed', 3); // 27
 */
export const metricCountPerCheck = (level: MetricsLevel, steps: number): number =>
  CHECK_METRICS.length +
  (level === 'detailed' ? DETAILED_CHECK_METRICS.length + STEP_METRICS.length * steps : 0);

/** What decides which metrics a check's result publishes, besides the result itself. */
export interface CheckPublishing {
  readonly level: MetricsLevel;
  /** The hosts whose `CertificateDaysToExpiry` this check publishes from here. @default none */
  readonly certificateHosts?: readonly string[];
}

/**
 * How each check of a runner config publishes (by check name): its level and the certificate hosts it
 * owns in this location.
 *
 * @example
 * checkPublishing(runnerConfig).get('login'); // { level: 'essential', certificateHosts: ['api.shop.example'] }
 */
export const checkPublishing = (
  config: Pick<RunnerConfig, 'checks' | 'metrics' | 'certificateHosts'>,
): ReadonlyMap<string, CheckPublishing> =>
  new Map(
    config.checks.map((check) => [
      check.name,
      {
        level: config.metrics,
        certificateHosts: config.certificateHosts?.[check.name] ?? [],
      },
    ]),
  );

/** A bare level publishes without certificate hosts. */
const publishingOf = (publishing: CheckPublishing | MetricsLevel): CheckPublishing =>
  typeof publishing === 'string' ? { level: publishing } : publishing;

/** The host a step connected to (`https://h/...`, `tcp://h:p`, `tls://h:p`), lower case. */
const hostOf = (step: StepResult): string | undefined => {
  try {
    return new URL(step.request.url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
};

/** The fewest days to expiry per host among the certificates a result's steps saw, for the given hosts. */
const certificateDaysByHost = (
  steps: readonly StepResult[],
  hosts: readonly string[],
): Map<string, number> => {
  const days = new Map<string, number>();
  for (const step of steps) {
    const host = hostOf(step);
    if (step.certificate === undefined || host === undefined || !hosts.includes(host)) continue;
    days.set(host, Math.min(days.get(host) ?? Number.POSITIVE_INFINITY, step.certificate.daysToExpiry));
  }
  return days;
};

const flag = (condition: boolean): number => (condition ? 1 : 0);

/**
 * The EMF records of one check result: a check record with dimension `Check` (plus the writer's `App`)
 * carrying `CheckDuration` (0 for a failed run, see {@link checkDurationValue}) and
 * {@link DETAILED_CHECK_METRICS} at `detailed`; one record per owned certificate host the run saw, with
 * dimension `Host`, carrying `CertificateDaysToExpiry`; and at `detailed` one record per step with
 * `Check` + `Step` carrying {@link STEP_METRICS}. Status, attempts, trace id, error text and every step's
 * phase timings go in the check record as metadata, queryable in Logs Insights without being billed as
 * metrics. Timestamped with the
 * check's start.
 */
export const checkMetricRecords = (result: CheckResult, how: CheckPublishing | MetricsLevel): EmfRecord[] => {
  const publishing = publishingOf(how);
  const { level } = publishing;
  const startedAt = Date.parse(result.startedAt);
  const timestamp = Number.isFinite(startedAt) ? { timestamp: startedAt } : {};
  const check: EmfRecord = {
    ...timestamp,
    // `App` is added by the writer (every Vigil metric carries it).
    dimensionSets: [{ [METRIC_DIMENSIONS.check]: result.name }],
    metrics: [
      // Every run: 0 when it failed, else the latency of its final attempt (what degradedAfter judges),
      // never 0; the whole check, retries and waits included, is the `durationMs` metadata.
      {
        name: CHECK.duration,
        unit: 'Milliseconds',
        value: checkDurationValue(
          result.status === 'failed',
          result.attempts.at(-1)?.durationMs ?? result.durationMs,
        ),
      },
      ...(level === 'detailed'
        ? [
            { name: CHECK.degraded, unit: 'Count', value: flag(result.status === 'degraded') },
            { name: CHECK.retries, unit: 'Count', value: result.retries },
          ]
        : []),
    ],
    metadata: {
      status: result.status,
      firstAttemptStatus: result.firstAttemptStatus,
      attempts: result.attempts.length,
      durationMs: result.durationMs,
      severity: result.severity,
      team: result.team,
      ...(result.location !== undefined ? { location: result.location } : {}),
      ...(result.traceId !== undefined ? { traceId: result.traceId } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      steps: result.steps.map((step) => ({
        name: step.name,
        phase: step.phase,
        status: step.status,
        durationMs: step.durationMs,
        ...(step.statusCode !== undefined ? { statusCode: step.statusCode } : {}),
        timings: step.timings,
        ...(step.error !== undefined ? { error: step.error } : {}),
      })),
    },
  };
  const records: EmfRecord[] = [check];
  for (const [host, days] of certificateDaysByHost(result.steps, publishing.certificateHosts ?? [])) {
    records.push({
      ...timestamp,
      dimensionSets: [{ [METRIC_DIMENSIONS.host]: host }],
      metrics: [{ name: CHECK.certificateDaysToExpiry, unit: 'Count', value: days }],
      metadata: { check: result.name },
    });
  }
  if (level !== 'detailed') return records;
  for (const step of result.steps) {
    records.push({
      ...timestamp,
      dimensionSets: [{ [METRIC_DIMENSIONS.check]: result.name, [METRIC_DIMENSIONS.step]: step.name }],
      metrics: [
        { name: STEP.success, unit: 'Count', value: flag(step.status !== 'failed') },
        { name: STEP.degraded, unit: 'Count', value: flag(step.status === 'degraded') },
        { name: STEP.duration, unit: 'Milliseconds', value: step.durationMs },
        { name: STEP.dnsTime, unit: 'Milliseconds', value: step.timings.dnsMs },
        { name: STEP.connectTime, unit: 'Milliseconds', value: step.timings.connectMs },
        { name: STEP.tlsTime, unit: 'Milliseconds', value: step.timings.tlsMs },
        { name: STEP.firstByteTime, unit: 'Milliseconds', value: step.timings.firstByteMs },
        { name: STEP.downloadTime, unit: 'Milliseconds', value: step.timings.downloadMs },
      ],
      metadata: {
        status: step.status,
        phase: step.phase,
        ...(step.statusCode !== undefined ? { statusCode: step.statusCode } : {}),
        ...(step.error !== undefined ? { error: step.error } : {}),
      },
    });
  }
  return records;
};

/**
 * Publishes one check result as EMF through Vigil's EMF writer ({@link checkMetricRecords}): one
 * document per dimension set (≤ 8 metrics, ≤ 3 dimensions), all of the check's records or, when one
 * cannot be published, none. `CheckDuration` is the final attempt's for a run that did not fail (a
 * degraded run succeeded, slowly), 0 for a failed one; `StepSuccess` is 1 when the step did not fail; `CheckDegraded`/`StepDegraded` (`detailed`) is 1 when degraded. Synchronous, so records
 * of concurrent checks never mix.
 *
 * @throws {EmfNameError | EmfValueError | EmfDimensionError | EmfSizeError} from the writer
 * @example
 * publishCheckMetrics(metrics, result, { level: 'essential', certificateHosts: ['api.shop.example'] });
 */
export const publishCheckMetrics = (
  metrics: EmfWriter,
  result: CheckResult,
  publishing: CheckPublishing | MetricsLevel,
): void => {
  metrics.write(checkMetricRecords(result, publishing).flatMap(metrics.serialize));
};
