import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ApiRefConfig, MetricRefConfig } from '../../../functions/commons/config/observability-schema';
import {
  appDimensions,
  CHECK_METRICS,
  certificateDimensions,
  checkDimensions,
  DEFAULT_METRICS_NAMESPACE,
  heartbeatDimensions,
  kpiDimensions,
  METRIC_DIMENSIONS,
  type MetricScope,
  scheduleDimensions,
} from '../../../functions/commons/metrics/metric-catalog';

/** What construct props say about where their Vigil metrics live. */
export interface MetricScopeProps {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
}

/**
 * The {@link MetricScope} of construct props: their `app`, their `metricsNamespace` or the default.
 *
 * @example
 * metricScope({ app: 'shop' }); // { app: 'shop', namespace: 'Vigil' }
 */
export const metricScope = (props: MetricScopeProps): MetricScope => ({
  app: props.app,
  namespace: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
});

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
}

/**
 * A synthetic check metric the runner publishes (`CheckDuration`, `CheckRetries` ...; the catalog's
 * dimensions `App` + `Check` [+ `Step`], in the app's namespace).
 *
 * @example
 * checkMetric({ app: 'shop', namespace: 'Vigil' }, 'login', 'CheckDuration', { statistic: 'Minimum', periodMs: 60_000 });
 */
export const checkMetric = (
  scope: MetricScope,
  check: string,
  metricName: string,
  options: CheckMetricOptions,
): Metric =>
  new Metric({
    namespace: scope.namespace,
    metricName,
    dimensionsMap: {
      ...checkDimensions(scope.app, check),
      ...(options.step !== undefined ? { [METRIC_DIMENSIONS.step]: options.step } : {}),
    },
    statistic: options.statistic,
    period: seconds(options.periodMs),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.label !== undefined ? { label: options.label } : {}),
  });

/** Options for {@link kpiMetric}. */
export interface KpiMetricOptions {
  readonly periodMs: number;
  /** @default 'Average' */
  readonly statistic?: string;
  /** The graph label, or `false` for none (an alarm's metric). @default `<kpi> <metricName>` */
  readonly label?: string | false;
}

/**
 * A KPI metric as the KPI runner publishes it (the catalog's dimensions `App` + `Kpi`, in the app's
 * namespace).
 *
 * @example
 * kpiMetric({ app: 'shop', namespace: 'Vigil' }, 'conversion_rate', 'conversion_rate', { periodMs: 300_000 });
 */
export const kpiMetric = (
  scope: MetricScope,
  kpi: string,
  metricName: string,
  options: KpiMetricOptions,
): Metric =>
  new Metric({
    namespace: scope.namespace,
    metricName,
    dimensionsMap: kpiDimensions(scope.app, kpi),
    statistic: options.statistic ?? 'Average',
    period: seconds(options.periodMs),
    ...(options.label !== false ? { label: options.label ?? `${kpi} ${metricName}` } : {}),
  });

/** How often and how an alarm or widget reads one of Vigil's own metrics. */
interface VigilMetricReading {
  readonly statistic: string;
  readonly periodMs: number;
}

/** One of Vigil's own metrics, with the catalog's dimensions for its subject, in the app's namespace. */
const vigilMetric = (
  scope: MetricScope,
  metricName: string,
  dimensionsMap: Record<string, string>,
  reading: VigilMetricReading,
): Metric =>
  new Metric({
    namespace: scope.namespace,
    metricName,
    dimensionsMap,
    statistic: reading.statistic,
    period: seconds(reading.periodMs),
  });

/**
 * A heartbeat metric as the ping and evaluator Lambdas publish it (the catalog's dimensions `App` +
 * `Heartbeat`, in the app's namespace).
 *
 * @example
 * heartbeatMetric({ app: 'shop', namespace: 'Vigil' }, 'nightly_backup', 'HeartbeatLate', { statistic: 'Maximum', periodMs: 60_000 });
 */
export const heartbeatMetric = (
  scope: MetricScope,
  heartbeat: string,
  metricName: string,
  reading: VigilMetricReading,
): Metric => vigilMetric(scope, metricName, heartbeatDimensions(scope.app, heartbeat), reading);

/**
 * A host's certificate metric (`CertificateDaysToExpiry`; dimensions `App`, `Host`, in the app's namespace),
 * published from the home location of the first check that sees the host.
 *
 * @example
 * certificateMetric({ app: 'shop', namespace: 'Vigil' }, 'api.shop.example', { statistic: 'Minimum', periodMs: 3_600_000 });
 */
export const certificateMetric = (
  scope: MetricScope,
  host: string,
  reading: VigilMetricReading & { readonly region?: string; readonly label?: string },
): Metric =>
  new Metric({
    namespace: scope.namespace,
    metricName: CHECK_METRICS.certificateDaysToExpiry,
    dimensionsMap: certificateDimensions(scope.app, host),
    statistic: reading.statistic,
    period: seconds(reading.periodMs),
    ...(reading.region !== undefined ? { region: reading.region } : {}),
    ...(reading.label !== undefined ? { label: reading.label } : {}),
  });

/**
 * An on-call schedule's metric (`OnCallGapMinutes`; dimensions `App`, `Schedule`, in the app's namespace).
 *
 * @example
 * scheduleMetric({ app: 'shop', namespace: 'Vigil' }, 'primary', 'OnCallGapMinutes', { statistic: 'Maximum', periodMs: 300_000 });
 */
export const scheduleMetric = (
  scope: MetricScope,
  schedule: string,
  metricName: string,
  reading: VigilMetricReading,
): Metric => vigilMetric(scope, metricName, scheduleDimensions(scope.app, schedule), reading);

/**
 * One of Vigil's app-wide metrics (`SkippedRuns`, `NotificationFailures`; dimension `App`).
 *
 * @example
 * appMetric({ app: 'shop', namespace: 'Vigil' }, 'NotificationFailures', { statistic: 'Sum', periodMs: 300_000 });
 */
export const appMetric = (scope: MetricScope, metricName: string, reading: VigilMetricReading): Metric =>
  vigilMetric(scope, metricName, appDimensions(scope.app), reading);

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
