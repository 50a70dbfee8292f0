import { Duration } from 'aws-cdk-lib';
import { type Alarm, LogQueryWidget, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AlarmKind } from '../../../functions/commons/alarm-naming';
import { errorsNamespace } from '../../../functions/commons/metrics/metric-catalog';
import type { Severity } from '../../../functions/commons/severity';
import { AlarmFactory } from '../alarm-factory';
import { LATEST_ERRORS_QUERY } from './log-queries';
import { metricScope } from './metric-sources';

/** A log group to watch, with the label its metrics and alarms are named by. */
export interface WatchedLogGroup {
  /** Letters, digits, `_`, `-`, `.`: used in metric and alarm names. */
  readonly label: string;
  readonly logGroup: ILogGroup;
  /** Vigil's own function (alarm kind `vigil`) or the user's (kind `rule`). */
  readonly owner: 'vigil' | 'user';
}

/** JSON log lines at error level (Powertools Logger and Lambda JSON logs write `ERROR`, Winston `error`). */
export const ERROR_LINES = FilterPattern.any(
  FilterPattern.stringValue('$.level', '=', 'ERROR'),
  FilterPattern.stringValue('$.level', '=', 'error'),
);

/** Props for {@link ErrorTracking}. */
export interface ErrorTrackingProps {
  readonly app: string;
  /** Vigil's metrics namespace; error counts go to `<it>/Errors`. @default 'Vigil' */
  readonly metricsNamespace?: string;
  readonly logGroups: readonly WatchedLogGroup[];
  /** Errors in 5 minutes that fire the "new errors" alarm. @default 1 */
  readonly threshold?: number;
  /** Band width (standard deviations) of the "rising errors" anomaly alarm. @default 3 */
  readonly risingBand?: number;
  /** @default 'warning' */
  readonly severity?: Severity;
  /** Team of the user log groups' alarms (Vigil's own go to team `vigil`). @default 'default' */
  readonly team?: string;
}

/**
 * Error tracking, the seeds' Sentry role, on JSON logs. Per log group: a metric filter counting error
 * lines (`Vigil/Errors`, metric = the group's label) and one counting them by type (dimension `ErrorType`
 * from `$.error.name`, which Powertools Logger writes; each distinct type is a billed metric); an alarm on
 * new errors (at least `threshold` in 5 minutes, for groups that normally have none) and an anomaly-band
 * alarm on rising errors. Missing data is not breaching (no error lines = no datapoints). A Logs Insights
 * widget lists the latest errors with their stack and trace id.
 *
 * @example
 * new ErrorTracking(this, 'Errors', { app: 'shop', logGroups: [{ label: 'checkout', logGroup, owner: 'user' }] });
 */
export class ErrorTracking extends Construct {
  /**
   * CloudFormation resources one watched log group adds: two metric filters (errors, errors by type) and
   * two alarms (new errors, rising errors). Stacks are split by this count.
   */
  public static readonly RESOURCES_PER_LOG_GROUP = 4;

  /** Total error metric by label. */
  public readonly errorMetrics: ReadonlyMap<string, Metric>;
  /** "New errors" and "rising errors" alarms by label. */
  public readonly alarms: ReadonlyMap<string, { readonly newErrors: Alarm; readonly rising: Alarm }>;
  /** Latest errors with stack and trace id, over every watched group. */
  public readonly latestErrorsWidget: LogQueryWidget | undefined;

  public constructor(scope: Construct, id: string, props: ErrorTrackingProps) {
    super(scope, id);
    const metrics = new Map<string, Metric>();
    const alarms = new Map<string, { newErrors: Alarm; rising: Alarm }>();
    const threshold = props.threshold ?? 1;
    const factory = new AlarmFactory(this, { app: props.app });
    const namespace = errorsNamespace(metricScope(props).namespace);
    for (const watched of props.logGroups) {
      const { label } = watched;
      if (metrics.has(label)) throw new Error(`error tracking: two log groups share the label '${label}'`);
      const scopeOf = new Construct(this, label);
      const filter = new MetricFilter(scopeOf, 'Errors', {
        logGroup: watched.logGroup,
        filterPattern: ERROR_LINES,
        metricNamespace: namespace,
        metricName: label,
        metricValue: '1',
      });
      new MetricFilter(scopeOf, 'ErrorsByType', {
        logGroup: watched.logGroup,
        filterPattern: ERROR_LINES,
        metricNamespace: namespace,
        metricName: label,
        metricValue: '1',
        dimensions: { ErrorType: '$.error.name' },
      });
      const metric = filter.metric({
        statistic: 'Sum',
        period: Duration.minutes(5),
        label: `${label} errors`,
      });
      metrics.set(label, metric);
      const kind: AlarmKind = watched.owner === 'vigil' ? 'vigil' : 'rule';
      const severity = props.severity ?? 'warning';
      const team = watched.owner === 'vigil' ? 'vigil' : (props.team ?? 'default');
      const identity = { kind, severity, severityInName: true, team, missingData: 'notBreaching' } as const;
      const newErrors = factory.addAlarm(
        'NewErrors',
        {
          ...identity,
          name: `errors-${label}`,
          description: `${label}: ${threshold} or more error log lines in 5 minutes. Latest errors: Logs Insights query '${props.app}/errors-by-service'.`,
          metric,
          threshold,
          comparison: '>=',
          evaluationPeriods: 1,
        },
        scopeOf,
      );
      const rising = factory.addBandAlarm(
        'RisingErrors',
        {
          ...identity,
          name: `errors-rising-${label}`,
          description: `${label}: error log lines rising above their usual band.`,
          metric,
          stdDevs: props.risingBand ?? 3,
          comparison: 'aboveBand',
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
        },
        scopeOf,
      );
      alarms.set(label, { newErrors, rising });
    }
    this.errorMetrics = metrics;
    this.alarms = alarms;
    this.latestErrorsWidget =
      props.logGroups.length === 0
        ? undefined
        : new LogQueryWidget({
            title: 'Latest errors (stack, trace id)',
            logGroupNames: props.logGroups.map((watched) => watched.logGroup.logGroupName),
            queryLines: [...LATEST_ERRORS_QUERY],
            width: 24,
            height: 8,
          });
  }
}
