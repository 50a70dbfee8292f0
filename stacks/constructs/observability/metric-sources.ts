import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ApiRefConfig, MetricRefConfig } from '../../../functions/commons/config/observability-schema';
import { HEARTBEAT_DIMENSION } from '../../../functions/heartbeats/heartbeat-metrics';
import { ONCALL_GAP_METRIC } from '../../../functions/oncall/core/shift-notices';

/** The namespace Vigil's runner, KPI monitors and escalation engine publish to. */
export const VIGIL_NAMESPACE = 'Vigil';

const seconds = (periodMs: number): Duration => Duration.seconds(Math.round(periodMs / 1000));

/**
 * One of the user's own metrics, as configured.
 *
 * @example
 * userMetric({ namespace: 'Shop', metricName: 'Orders', dimensions: {}, statistic: 'Sum' }, 300_000);
 */
export const userMetric = (ref: MetricRefConfig, periodMs: number, label?: string): Metric =>
  new Metric({
    namespace: ref.namespace,
    metricName: ref.metricName,
    dimensionsMap: ref.dimensions,
    statistic: ref.statistic,
    period: seconds(periodMs),
    ...(label !== undefined ? { label } : {}),
  });

/** Options for {@link checkMetric}. */
export interface CheckMetricOptions {
  readonly statistic: string;
  readonly periodMs: number;
  /** Region the metric lives in (dashboards only; alarms must stay in their own region). @default the stack's */
  readonly region?: string;
  readonly label?: string;
  /** A step name for the `Step*` metrics (`detailed` runner metrics). */
  readonly step?: string;
  /** The namespace the runner publishes to. @default VIGIL_NAMESPACE */
  readonly namespace?: string;
}

/**
 * A synthetic check metric the runner publishes (`CheckSuccess`, `CheckDuration` ...; dimensions
 * `service` + `Check` [+ `Step`]).
 *
 * @example
 * checkMetric('shop', 'login', 'CheckSuccess', { statistic: 'Minimum', periodMs: 60_000 });
 */
export const checkMetric = (
  app: string,
  check: string,
  metricName: string,
  options: CheckMetricOptions,
): Metric =>
  new Metric({
    namespace: options.namespace ?? VIGIL_NAMESPACE,
    metricName,
    dimensionsMap: {
      service: app,
      Check: check,
      ...(options.step !== undefined ? { Step: options.step } : {}),
    },
    statistic: options.statistic,
    period: seconds(options.periodMs),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.label !== undefined ? { label: options.label } : {}),
  });

/** Options for {@link kpiMetric}. */
export interface KpiMetricOptions {
  /** @default 'Average' */
  readonly statistic?: string;
  /** The namespace the KPI runners publish to. @default VIGIL_NAMESPACE */
  readonly namespace?: string;
  /** The graph label, or `false` for none (an alarm's metric). @default '<kpi> <metricName>' */
  readonly label?: string | false;
}

/**
 * A KPI metric as the KPI monitors publish it (namespace `Vigil`, dimensions `App` + `Kpi`).
 *
 * @example
 * kpiMetric('shop', 'conversion_rate', 'conversion_rate', 300_000);
 */
export const kpiMetric = (
  app: string,
  kpi: string,
  metricName: string,
  periodMs: number,
  options: KpiMetricOptions = {},
): Metric =>
  new Metric({
    namespace: options.namespace ?? VIGIL_NAMESPACE,
    metricName,
    dimensionsMap: { App: app, Kpi: kpi },
    statistic: options.statistic ?? 'Average',
    period: seconds(periodMs),
    ...(options.label !== false ? { label: options.label ?? `${kpi} ${metricName}` } : {}),
  });

/** Options for {@link heartbeatMetric}. */
export interface HeartbeatMetricOptions {
  /** @default 'Maximum' */
  readonly statistic?: string;
  /** The namespace the heartbeat evaluator publishes to. @default VIGIL_NAMESPACE */
  readonly namespace?: string;
}

/**
 * A heartbeat metric as the evaluator publishes it (`HeartbeatLate`, `HeartbeatFailed`,
 * `HeartbeatDuration`; dimensions `service` + `Heartbeat`).
 *
 * @example
 * heartbeatMetric('shop', 'nightly-export', 'HeartbeatLate', 60_000);
 */
export const heartbeatMetric = (
  app: string,
  heartbeat: string,
  metricName: string,
  periodMs: number,
  options: HeartbeatMetricOptions = {},
): Metric =>
  new Metric({
    namespace: options.namespace ?? VIGIL_NAMESPACE,
    metricName,
    dimensionsMap: { service: app, [HEARTBEAT_DIMENSION]: heartbeat },
    statistic: options.statistic ?? 'Maximum',
    period: seconds(periodMs),
  });

/**
 * The on-call gap metric the shift notifier publishes per schedule (1 while a slot in the next 7 days has
 * nobody on call; dimensions `service` + `Schedule`).
 *
 * @example
 * oncallGapMetric('shop', 'primary', 300_000);
 */
export const oncallGapMetric = (
  app: string,
  schedule: string,
  periodMs: number,
  options: { readonly namespace?: string } = {},
): Metric =>
  new Metric({
    namespace: options.namespace ?? VIGIL_NAMESPACE,
    metricName: ONCALL_GAP_METRIC.name,
    dimensionsMap: { service: app, [ONCALL_GAP_METRIC.dimension]: schedule },
    statistic: 'Maximum',
    period: seconds(periodMs),
  });

/**
 * A metric Vigil's own functions publish about themselves (`NotificationFailures`, `SkippedRuns` ...;
 * dimension `service`: the publishing service).
 *
 * @example
 * vigilServiceMetric('shop', 'SkippedRuns', 'Sum', 300_000);
 */
export const vigilServiceMetric = (
  service: string,
  metricName: string,
  statistic: string,
  periodMs: number,
): Metric =>
  new Metric({
    namespace: VIGIL_NAMESPACE,
    metricName,
    dimensionsMap: { service },
    statistic,
    period: seconds(periodMs),
  });

/** An API Gateway REST API metric (`Count`, `5XXError`, `4XXError`, `Latency`). */
export const apiMetric = (
  api: ApiRefConfig,
  metricName: string,
  statistic: string,
  periodMs: number,
): Metric =>
  new Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: { ApiName: api.apiName, ...(api.stage !== undefined ? { Stage: api.stage } : {}) },
    statistic,
    period: seconds(periodMs),
  });

/** A Lambda function metric (`Errors`, `Throttles`, `Duration`, `Invocations`). */
export const lambdaMetric = (
  functionName: string,
  metricName: string,
  statistic: string,
  periodMs: number,
): Metric =>
  new Metric({
    namespace: 'AWS/Lambda',
    metricName,
    dimensionsMap: { FunctionName: functionName },
    statistic,
    period: seconds(periodMs),
  });

/** An SQS queue metric (`ApproximateAgeOfOldestMessage`, `ApproximateNumberOfMessagesVisible`). */
export const queueMetric = (queueName: string, metricName: string, periodMs: number): Metric =>
  new Metric({
    namespace: 'AWS/SQS',
    metricName,
    dimensionsMap: { QueueName: queueName },
    statistic: 'Maximum',
    period: seconds(periodMs),
  });

/** An RDS metric of an instance or a cluster. */
export const rdsMetric = (
  target: { readonly dbInstance?: string; readonly dbCluster?: string },
  metricName: string,
  periodMs: number,
): Metric =>
  new Metric({
    namespace: 'AWS/RDS',
    metricName,
    dimensionsMap:
      target.dbInstance !== undefined
        ? { DBInstanceIdentifier: target.dbInstance }
        : { DBClusterIdentifier: target.dbCluster ?? '' },
    statistic: 'Maximum',
    period: seconds(periodMs),
  });
