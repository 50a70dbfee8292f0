/**
 * Every metric Vigil publishes, in one place: the namespace, the dimension vocabulary, the metric names and
 * the dimension sets. The runtime publishers (runner, KPI runner, heartbeats, escalation) and the stack-side
 * builders (`stacks/constructs/observability/metric-sources.ts`, read by alarms and dashboards) both build
 * their dimensions here, so what an alarm reads is what a Lambda writes. Plain data, no zod, so Lambda
 * bundles stay small. Documented in docs/metrics.md.
 */

import { AWS_LIMITS } from '../aws-limits';

/** The namespace Vigil's metrics go to unless the config's `metricsNamespace` names another. */
export const DEFAULT_METRICS_NAMESPACE = 'Vigil';

/** The environment variables a Lambda's EMF writer reads (set by `VigilFunction`). */
export const LAMBDA_METRICS_ENV = {
  /** The CloudWatch namespace: the config's `metricsNamespace`. */
  namespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** The config's `app`: the `App` dimension every Vigil metric carries. */
  app: 'VIGIL_APP',
} as const;

/**
 * The namespace of the error counts Vigil's metric filters publish from watched log groups (`ErrorType`
 * dimension, metric named by the log group's label): `<metricsNamespace>/Errors`.
 *
 * @example
 * errorsNamespace('Vigil'); // 'Vigil/Errors'
 */
export const errorsNamespace = (namespace: string): string => `${namespace}/Errors`;

/** Where one app's Vigil metrics live: the config's `app` and `metricsNamespace`. */
export interface MetricScope {
  /** The config's `app`: the value of the {@link METRIC_DIMENSIONS.app} dimension of every Vigil metric. */
  readonly app: string;
  /** The CloudWatch namespace. */
  readonly namespace: string;
}

/**
 * The dimension names of every Vigil metric: `App` on all of them, plus the one subject it is about (a
 * check, or for a certificate the host).
 * No metric has a second dimension set of its own (each set would be a billed metric), except a KPI's
 * per-series sets (its row dimensions, see docs/kpis.md) and a check's per-step sets at `detailed`.
 */
export const METRIC_DIMENSIONS = {
  /** The config's `app`, on every Vigil metric. */
  app: 'App',
  /** A synthetic check's name. */
  check: 'Check',
  /** A check's step name (`detailed` metrics only). */
  step: 'Step',
  /** A KPI's name. */
  kpi: 'Kpi',
  /** A heartbeat's name. */
  heartbeat: 'Heartbeat',
  /** An on-call schedule's id. */
  schedule: 'Schedule',
  /** A host name whose certificate a check sees (`CertificateDaysToExpiry`). */
  host: 'Host',
} as const;

/**
 * A check's metrics (dimensions {@link checkDimensions}, but `CertificateDaysToExpiry`:
 * {@link certificateDimensions}).
 */
export const CHECK_METRICS = {
  /**
   * Every run publishes it, the one metric a check costs at `essential`. Milliseconds. A run that did not
   * fail (passed or degraded): the latency of its final attempt, what `degradedAfter` judges, never below
   * {@link CHECK_DURATION.passingMinimumMs}; a failed run: exactly {@link CHECK_DURATION.failedRun} (0).
   * So its `Minimum` is 0 in a period with a failed run (the failure alarm, see `checkFailureSignal`), its
   * count of values above 0 the passing runs ({@link CHECK_DURATION_STATISTICS}).
   */
  duration: 'CheckDuration',
  /** 1 when the run was `degraded`. Count. */
  degraded: 'CheckDegraded',
  /** Attempts beyond the first. Count. */
  retries: 'CheckRetries',
  /**
   * Whole days until the host's certificate expires (negative: expired). Count. One metric per host
   * (dimensions `App`, `Host`), published from the home location of the first check that sees it.
   */
  certificateDaysToExpiry: 'CertificateDaysToExpiry',
} as const;

/**
 * How `CheckDuration` encodes a run: 0 is a failed run, any value above it a run that did not fail. No
 * run can publish a value above {@link CHECK_DURATION.ceilingMs}, so a statistic bounded by it counts
 * every run that did not fail.
 */
export const CHECK_DURATION = {
  /** The value a failed run publishes. */
  failedRun: 0,
  /**
   * The least value a run that did not fail publishes (a sub-millisecond probe measured at 0 ms, say):
   * positive, so it is never read as a failed run; exact in JSON and well above CloudWatch's smallest
   * accepted magnitude (2^-360).
   */
  passingMinimumMs: 0.001,
  /**
   * No run lasts longer: the runner is a Lambda function, and Lambda ends an invocation at 15 minutes
   * (its hard limit). The upper bound of every statistic that counts runs that did not fail.
   */
  ceilingMs: AWS_LIMITS.lambdaTimeoutSeconds * 1000,
} as const;

/**
 * The `CheckDuration` value of a run: {@link CHECK_DURATION.failedRun} when it failed, else its final
 * attempt's duration, at least {@link CHECK_DURATION.passingMinimumMs}.
 *
 * @example
 * checkDurationValue(false, 0); // 0.001
 * checkDurationValue(true, 812); // 0
 */
export const checkDurationValue = (failed: boolean, durationMs: number): number =>
  failed
    ? CHECK_DURATION.failedRun
    : Math.max(CHECK_DURATION.passingMinimumMs, Number.isFinite(durationMs) ? durationMs : 0);

/**
 * The CloudWatch statistics that read `CheckDuration` as runs ({@link CHECK_DURATION}). Absolute bounds
 * exclude the lower and include the upper one (CloudWatch statistics definitions), so `(0:ceiling]` is
 * every run that did not fail and a failed run's 0 is never in it. Both bounds are always given: the
 * alarm API documents `PR(n:m)` with both.
 */
export const CHECK_DURATION_STATISTICS = {
  /** Every run, failed ones too. */
  runs: 'SampleCount',
  /** 0 when a run of the period failed (the failure alarm's statistic). */
  worstRun: 'Minimum',
  /** Runs that did not fail. */
  passingRuns: `TC(0:${CHECK_DURATION.ceilingMs})`,
  /** Runs that did not fail, in percent of all runs (the dashboards' success graph). */
  passingPercent: `PR(0:${CHECK_DURATION.ceilingMs})`,
  /** Mean latency of the runs that did not fail (a failed run's 0 left out). */
  passingMean: `TM(0:${CHECK_DURATION.ceilingMs})`,
} as const;

/**
 * The statistic counting runs that did not fail within `thresholdMs` (a failed run is not a fast one).
 *
 * @example
 * passingRunsWithin(500); // 'TC(0:500)'
 */
export const passingRunsWithin = (thresholdMs: number): string => `TC(0:${thresholdMs})`;

/** A step's metrics (dimensions {@link stepDimensions}), published at `detailed` only. */
export const STEP_METRICS = {
  success: 'StepSuccess',
  degraded: 'StepDegraded',
  duration: 'StepDuration',
  dnsTime: 'StepDnsTime',
  connectTime: 'StepConnectTime',
  tlsTime: 'StepTlsTime',
  firstByteTime: 'StepFirstByteTime',
  downloadTime: 'StepDownloadTime',
} as const;

/** The runner's own metrics (dimensions {@link appDimensions}). */
export const RUNNER_METRICS = {
  /** A scheduled run skipped because the shard's previous run still held its lease. Count. */
  skippedRuns: 'SkippedRuns',
} as const;

/** A KPI's own health metrics (dimensions {@link kpiDimensions}); its values are named by the config. */
export const KPI_HEALTH_METRICS = {
  /** Query wall time. Milliseconds. */
  duration: 'QueryDuration',
  /** 1 when the query or its result failed, else 0: its alarm pages when a KPI breaks or goes silent. */
  failed: 'QueryFailed',
} as const;

/** A heartbeat's metrics (dimensions {@link heartbeatDimensions}). */
export const HEARTBEAT_METRICS = {
  /** 1 while the heartbeat is late, else 0: published every minute by the evaluator. */
  late: 'HeartbeatLate',
  /** 1 while the last run failed (`/fail` or a non-zero exit code), else 0. */
  failed: 'HeartbeatFailed',
  /** Milliseconds from a `/start` ping to the next success ping. */
  duration: 'HeartbeatDuration',
} as const;

/** The on-call metrics (dimensions {@link scheduleDimensions}), published by the shift notifier. */
export const ONCALL_METRICS = {
  /** Minutes in the next 7 days with nobody on call (0 when covered), every run (5 min). None. */
  gapMinutes: 'OnCallGapMinutes',
} as const;

/** The escalation engine's own metrics (dimensions {@link appDimensions}). */
export const ENGINE_METRICS = {
  /** A notification that failed after its retries and fallbacks. Count. */
  notificationFailures: 'NotificationFailures',
} as const;

/**
 * The dimensions of Vigil's app-wide metrics (`SkippedRuns`, `NotificationFailures`).
 *
 * @example
 * appDimensions('shop'); // { App: 'shop' }
 */
export const appDimensions = (app: string): Record<string, string> => ({ [METRIC_DIMENSIONS.app]: app });

/**
 * The dimensions of a check's metrics.
 *
 * @example
 * checkDimensions('shop', 'login'); // { App: 'shop', Check: 'login' }
 */
export const checkDimensions = (app: string, check: string): Record<string, string> => ({
  [METRIC_DIMENSIONS.app]: app,
  [METRIC_DIMENSIONS.check]: check,
});

/**
 * The dimensions of a host's certificate metric (`CertificateDaysToExpiry`): one per host, whichever
 * checks see it.
 *
 * @example
 * certificateDimensions('shop', 'api.shop.example'); // { App: 'shop', Host: 'api.shop.example' }
 */
export const certificateDimensions = (app: string, host: string): Record<string, string> => ({
  [METRIC_DIMENSIONS.app]: app,
  [METRIC_DIMENSIONS.host]: host,
});

/**
 * The dimensions of a step's metrics (`detailed`).
 *
 * @example
 * stepDimensions('shop', 'login', 'submit'); // { App: 'shop', Check: 'login', Step: 'submit' }
 */
export const stepDimensions = (app: string, check: string, step: string): Record<string, string> => ({
  ...checkDimensions(app, check),
  [METRIC_DIMENSIONS.step]: step,
});

/**
 * The dimensions every metric of a KPI carries (its per-series sets add the row dimensions).
 *
 * @example
 * kpiDimensions('shop', 'revenue'); // { App: 'shop', Kpi: 'revenue' }
 */
export const kpiDimensions = (app: string, kpi: string): Record<string, string> => ({
  [METRIC_DIMENSIONS.app]: app,
  [METRIC_DIMENSIONS.kpi]: kpi,
});

/**
 * The dimensions of a heartbeat's metrics.
 *
 * @example
 * heartbeatDimensions('shop', 'nightly_backup'); // { App: 'shop', Heartbeat: 'nightly_backup' }
 */
export const heartbeatDimensions = (app: string, heartbeat: string): Record<string, string> => ({
  [METRIC_DIMENSIONS.app]: app,
  [METRIC_DIMENSIONS.heartbeat]: heartbeat,
});

/**
 * The dimensions of an on-call schedule's metrics.
 *
 * @example
 * scheduleDimensions('shop', 'payments-primary'); // { App: 'shop', Schedule: 'payments-primary' }
 */
export const scheduleDimensions = (app: string, schedule: string): Record<string, string> => ({
  [METRIC_DIMENSIONS.app]: app,
  [METRIC_DIMENSIONS.schedule]: schedule,
});
