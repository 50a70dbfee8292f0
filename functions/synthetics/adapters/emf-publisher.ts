import type { EmfRecord, EmfWriter } from '../../commons/metrics/emf-writer';
import {
  CHECK_METRICS as CHECK,
  METRIC_DIMENSIONS,
  STEP_METRICS as STEP,
} from '../../commons/metrics/metric-catalog';
import { soonestCertificateExpiry } from '../engine/peer-certificate';
import type { CheckResult } from '../types/results';

/** `essential`: 2 metrics per check. `detailed`: those, 2 more per check and 8 per step. */
export type MetricsLevel = 'essential' | 'detailed';

/**
 * Metrics published per check at every level (dimensions `App`, `Check`): what the failure, degraded, rule
 * and SLO alarms and the dashboards read, and nothing else.
 */
export const CHECK_METRICS = [CHECK.success, CHECK.duration] as const;

/**
 * Metrics added per check at level `detailed`: no alarm or default dashboard reads them (the same facts are
 * in every record's metadata: `status`, `attempts`, `firstAttemptStatus`).
 */
export const DETAILED_CHECK_METRICS = [CHECK.degraded, CHECK.retries] as const;

/** Metrics added per step at level `detailed` (dimensions `App`, `Check`, `Step`). */
export const STEP_METRICS = Object.values(STEP);

/**
 * How many CloudWatch metrics (distinct name + dimension combinations, which is what is billed) one check
 * produces, certificate aside: 2 at `essential`, `4 + 8 × steps` at `detailed` (steps = setup + main +
 * teardown).
 *
 * @example
 * metricCountPerCheck('essential', 3); // 2
 * metricCountPerCheck('detailed', 3); // 28
 */
export const metricCountPerCheck = (level: MetricsLevel, steps: number): number =>
  CHECK_METRICS.length +
  (level === 'detailed' ? DETAILED_CHECK_METRICS.length + STEP_METRICS.length * steps : 0);

const flag = (condition: boolean): number => (condition ? 1 : 0);

/**
 * The EMF records of one check result: a check record with dimension `Check` (plus the writer's `App`)
 * carrying {@link CHECK_METRICS} (and {@link DETAILED_CHECK_METRICS} at `detailed`), and at `detailed` one
 * record per step with `Check` + `Step` carrying
 * {@link STEP_METRICS}. Status, attempts, trace id, error text and every step's phase timings go in the
 * check record as metadata, queryable in Logs Insights without being billed as metrics. Timestamped with
 * the check's start.
 */
export const checkMetricRecords = (result: CheckResult, level: MetricsLevel): EmfRecord[] => {
  const startedAt = Date.parse(result.startedAt);
  const timestamp = Number.isFinite(startedAt) ? { timestamp: startedAt } : {};
  const certificateDays = soonestCertificateExpiry(result.steps);
  const records: EmfRecord[] = [
    {
      ...timestamp,
      // `App` is added by the writer (every Vigil metric carries it).
      dimensionSets: [{ [METRIC_DIMENSIONS.check]: result.name }],
      metrics: [
        { name: CHECK.success, unit: 'Count', value: flag(result.status !== 'failed') },
        // Latency of the final attempt (what degradedAfter judges); the whole check, retries and waits
        // included, is the `durationMs` metadata.
        {
          name: CHECK.duration,
          unit: 'Milliseconds',
          value: result.attempts.at(-1)?.durationMs ?? result.durationMs,
        },
        ...(level === 'detailed'
          ? [
              { name: CHECK.degraded, unit: 'Count', value: flag(result.status === 'degraded') },
              { name: CHECK.retries, unit: 'Count', value: result.retries },
            ]
          : []),
        ...(certificateDays !== undefined
          ? [{ name: CHECK.certificateDaysToExpiry, unit: 'Count', value: certificateDays }]
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
    },
  ];
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
 * cannot be published, none. `CheckSuccess`/`StepSuccess` is 1 when the check (step) did not fail (a
 * degraded check succeeded, slowly); `CheckDegraded`/`StepDegraded` (`detailed`) is 1 when degraded. `CheckDuration`
 * is the final attempt's. Synchronous, so records of concurrent checks never mix.
 *
 * @throws {EmfNameError | EmfValueError | EmfDimensionError | EmfSizeError} from the writer
 * @example
 * runChecks(checks, { ...options, onResult: (result) => publishCheckMetrics(metrics, result, 'essential') });
 */
export const publishCheckMetrics = (metrics: EmfWriter, result: CheckResult, level: MetricsLevel): void => {
  metrics.write(checkMetricRecords(result, level).flatMap(metrics.serialize));
};
