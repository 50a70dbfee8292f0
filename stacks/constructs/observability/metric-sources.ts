import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ApiRefConfig, MetricRefConfig } from '../../../functions/commons/config/observability-schema';

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
    namespace: VIGIL_NAMESPACE,
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

/**
 * A KPI metric as the KPI monitors publish it (namespace `Vigil`, dimensions `service` + `Kpi`).
 *
 * @example
 * kpiMetric('shop', 'conversion_rate', 'conversion_rate', 300_000);
 */
export const kpiMetric = (app: string, kpi: string, metricName: string, periodMs: number): Metric =>
  new Metric({
    namespace: VIGIL_NAMESPACE,
    metricName,
    dimensionsMap: { App: app, Kpi: kpi },
    statistic: 'Average',
    period: seconds(periodMs),
    label: `${kpi} ${metricName}`,
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
