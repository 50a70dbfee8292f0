import { Duration } from 'aws-cdk-lib';
import { type Alarm, type AlarmBase, type IMetric, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { alarmName } from '../../../functions/commons/alarm-naming';
import {
  checkFailureSignal,
  type MissingData,
  RULE_ALARM_DEFAULTS,
  serviceDownPeriodMs,
} from '../../../functions/commons/alarm-settings';
import type { AlertRuleConfig } from '../../../functions/commons/config/escalation-schema';
import type { RuleAlarmConfig } from '../../../functions/commons/config/observability-schema';
import type { ResolvedCheck } from '../../../functions/commons/config/types';
import { CHECK_DURATION } from '../../../functions/commons/metrics/metric-catalog';
import { type AlarmComparison, AlarmFactory, BAND_OPERATORS, type BandComparison } from '../alarm-factory';
import { type RuleRouting, ruleRouting } from './alarm-identity';
import { CompositeSuppression } from './composite-suppression';
import {
  apiMetric,
  checkMetric,
  lambdaMetric,
  metricScope,
  queueMetric,
  rdsMetric,
  userMetric,
} from './metric-sources';

type Comparison = AlarmComparison | BandComparison;

/** What one rule alarm watches, before naming and routing. */
export interface RuleAlarmSpec {
  readonly metric: IMetric;
  readonly comparison: Comparison;
  /** Static threshold, or band width in standard deviations for band comparisons. */
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly missingData: MissingData;
  /** What a breach means, for the description. */
  readonly text: string;
}

/** Context a rule alarm's metric needs. */
export interface RuleAlarmContext {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  readonly checks: readonly ResolvedCheck[];
  /** The region the alarm is created in: checks it watches must run there. @default not checked */
  readonly region?: string;
}

const LAMBDA_METRICS = {
  errors: { name: 'Errors', statistic: 'Sum', unit: 'errors' },
  throttles: { name: 'Throttles', statistic: 'Sum', unit: 'throttles' },
  duration: { name: 'Duration', statistic: 'p99', unit: 'ms (p99)' },
} as const;

/**
 * Turns one rule-catalog entry into what its alarm watches: the metric (or metric-math expression),
 * comparison, threshold and evaluation settings, defaults per type applied.
 *
 * @throws {Error} when a `serviceDown` check does not run in `context.region`
 * @example
 * const spec = ruleAlarmSpec({ type: 'queue', name: 'orders-age', queueName: 'orders', metric: 'age', threshold: 300, suppressedBy: [] }, { app: 'shop', checks: [] });
 */
export const ruleAlarmSpec = (alarm: RuleAlarmConfig, context: RuleAlarmContext): RuleAlarmSpec => {
  const defaults = RULE_ALARM_DEFAULTS[alarm.type];
  let periodMs: number = alarm.period ?? defaults.periodMs;
  const evaluationPeriods = alarm.evaluationPeriods ?? defaults.evaluationPeriods;
  const datapointsToAlarm =
    alarm.datapointsToAlarm ??
    Math.min(evaluationPeriods, alarm.evaluationPeriods ?? defaults.datapointsToAlarm);
  let missingData: MissingData = alarm.missingData ?? defaults.missingData;
  const base = { evaluationPeriods, datapointsToAlarm };
  switch (alarm.type) {
    case 'serviceDown': {
      const checks = alarm.checks.map((name) => {
        const check = context.checks.find((candidate) => candidate.name === name);
        if (check === undefined) throw new Error(`alarm ${alarm.name}: unknown check '${name}'`);
        if (context.region !== undefined && !check.locations.includes(context.region)) {
          throw new Error(
            `alarm ${alarm.name}: check '${name}' does not run in ${context.region}, where the alarm lives (it runs in ${check.locations.join(', ')}); add that location`,
          );
        }
        return check;
      });
      if (alarm.period === undefined) {
        periodMs = serviceDownPeriodMs(checks.map((check) => check.schedule));
      }
      if (alarm.missingData === undefined && checks.some((check) => check.schedule.everyMs === undefined)) {
        missingData = 'notBreaching';
      }
      // Each check's failure signal (checkFailureSignal): CheckDuration's Minimum, 0 when a run failed; a
      // rate check's period without a run filled with that 0 (missing breaches), a cron check's with a
      // passing value.
      const signals = checks.map((check) => {
        const signal = checkFailureSignal(check.schedule);
        return {
          signal,
          metric: checkMetric(metricScope(context), check.name, signal.metric, {
            statistic: signal.statistic,
            periodMs,
          }),
        };
      });
      const only = signals.length === 1 ? signals[0] : undefined;
      const metric: IMetric =
        only !== undefined
          ? only.metric
          : new MathExpression({
              expression: `MIN([${signals
                .map(
                  ({ signal }, index) =>
                    `FILL(c${index}, ${signal.missingData === 'breaching' ? signal.threshold : CHECK_DURATION.ceilingMs})`,
                )
                .join(', ')}])`,
              usingMetrics: Object.fromEntries(signals.map(({ metric: m }, index) => [`c${index}`, m])),
              label: 'worst check (CheckDuration minimum, 0: a run failed)',
              // The expression's period is the one CloudWatch uses (its metrics' own are ignored).
              period: Duration.millis(periodMs),
            });
      // Every check's signal breaches the same way (Minimum <= 0), and so does their MIN.
      const { comparison, threshold } = signals[0]?.signal ?? checkFailureSignal({});
      return {
        ...base,
        metric,
        comparison,
        threshold,
        missingData,
        text: `Service down: check(s) ${alarm.checks.join(', ')} failing`,
      };
    }
    case 'errorRate': {
      const errors = alarm.api
        ? apiMetric(alarm.api, '5XXError', 'Sum', periodMs)
        : userMetric(alarm.errors!, periodMs);
      const total = alarm.api
        ? apiMetric(alarm.api, 'Count', 'Sum', periodMs)
        : userMetric(alarm.total!, periodMs);
      const metric = new MathExpression({
        expression: 'IF(total > 0, 100 * errors / total, 0)',
        usingMetrics: { errors, total },
        label: '5xx error rate (%)',
      });
      return {
        ...base,
        metric,
        comparison: '>',
        threshold: alarm.thresholdPercent,
        missingData,
        text: `5xx error rate above ${alarm.thresholdPercent} %`,
      };
    }
    case 'latency': {
      const metric = alarm.api
        ? apiMetric(alarm.api, 'Latency', alarm.percentile, periodMs)
        : userMetric({ ...alarm.metric!, statistic: alarm.percentile }, periodMs);
      return {
        ...base,
        metric,
        comparison: '>',
        threshold: alarm.thresholdMs,
        missingData,
        text: `${alarm.percentile} latency above ${alarm.thresholdMs} ms`,
      };
    }
    case 'databaseConnections':
      return {
        ...base,
        metric: rdsMetric(alarm, 'DatabaseConnections', periodMs),
        comparison: '>',
        threshold: alarm.threshold,
        missingData,
        text: `Database ${alarm.dbInstance ?? alarm.dbCluster} has more than ${alarm.threshold} connections`,
      };
    case 'metricBelow':
      return {
        ...base,
        metric: userMetric(alarm.metric, periodMs),
        comparison: '<',
        threshold: alarm.below,
        missingData,
        text: `${alarm.metric.metricName} below ${alarm.below}`,
      };
    case 'failures': {
      if (alarm.total !== undefined && alarm.thresholdPercent !== undefined) {
        const metric = new MathExpression({
          expression: 'IF(total > 0, 100 * failures / total, 0)',
          usingMetrics: {
            failures: userMetric(alarm.failures, periodMs),
            total: userMetric(alarm.total, periodMs),
          },
          label: 'failure rate (%)',
        });
        return {
          ...base,
          metric,
          comparison: '>',
          threshold: alarm.thresholdPercent,
          missingData,
          text: `${alarm.failures.metricName} rate above ${alarm.thresholdPercent} %`,
        };
      }
      const threshold = alarm.threshold ?? 1;
      return {
        ...base,
        metric: userMetric(alarm.failures, periodMs),
        comparison: '>',
        threshold,
        missingData,
        text: `${alarm.failures.metricName} above ${threshold}`,
      };
    }
    case 'lambda': {
      const kind = LAMBDA_METRICS[alarm.metric];
      return {
        ...base,
        metric: lambdaMetric(alarm.functionName, kind.name, kind.statistic, periodMs),
        comparison: '>',
        threshold: alarm.threshold,
        missingData,
        text: `Lambda ${alarm.functionName}: ${kind.name} above ${alarm.threshold} ${kind.unit}`,
      };
    }
    case 'queue': {
      const age = alarm.metric === 'age';
      return {
        ...base,
        metric: queueMetric(
          alarm.queueName,
          age ? 'ApproximateAgeOfOldestMessage' : 'ApproximateNumberOfMessagesVisible',
          periodMs,
        ),
        comparison: '>',
        threshold: alarm.threshold,
        missingData,
        text: `Queue ${alarm.queueName}: ${age ? 'oldest message older than' : 'more visible messages than'} ${alarm.threshold}${age ? ' s' : ''}`,
      };
    }
    case 'metric':
      return {
        ...base,
        metric: userMetric(alarm.metric, periodMs),
        comparison: alarm.comparison,
        threshold: alarm.threshold,
        missingData,
        text: `${alarm.metric.metricName} ${alarm.comparison} ${alarm.threshold}`,
      };
  }
};

/** Props for {@link RuleAlarms}. */
export interface RuleAlarmsProps extends RuleAlarmContext {
  readonly alarms: readonly RuleAlarmConfig[];
  /** The escalation config's alert rules: severity, team, runbook and summary are inherited from them. */
  readonly alertRules: readonly AlertRuleConfig[];
  /** Team of alarms that name none and whose rule names none. @default 'default' */
  readonly defaultTeam?: string;
}

/**
 * The seeds' alert rule catalog over the user's own metrics and resources: one alarm per `alarms` entry,
 * named `<app>-rule-<name>`, tagged with severity and team, described with the runbook URL. An entry with
 * `suppressedBy` becomes a routed composite alarm (see {@link CompositeSuppression}) over an unrouted input
 * alarm, so "service down" suppresses its dependents; suppressors may be suppressed in turn.
 *
 * @example
 * new RuleAlarms(this, 'Rules', { app: 'shop', alarms: config.alarms, alertRules: config.alertRules, checks });
 */
export class RuleAlarms extends Construct {
  /**
   * CloudFormation resources one `alarms` entry adds: its alarm, plus the routed composite when suppressed,
   * plus the OR of its suppressors when there are several. Stacks are split by this count.
   *
   * @example
   * RuleAlarms.resourcesFor({ ...alarm, suppressedBy: ['ServiceDown'] }); // 2
   */
  public static resourcesFor(alarm: Pick<RuleAlarmConfig, 'suppressedBy'>): number {
    return 1 + (alarm.suppressedBy.length > 0 ? 1 : 0) + (alarm.suppressedBy.length > 1 ? 1 : 0);
  }

  /** The routed alarm of each entry (a metric alarm, or the composite of a suppressed one), by entry name. */
  public readonly alarms: ReadonlyMap<string, AlarmBase>;
  /** The metric alarm of each entry, by entry name. */
  public readonly metricAlarms: ReadonlyMap<string, Alarm>;
  /** Routing of each entry, by name. */
  public readonly routing: ReadonlyMap<string, RuleRouting>;

  public constructor(scope: Construct, id: string, props: RuleAlarmsProps) {
    super(scope, id);
    const routed = new Map<string, AlarmBase>();
    const metricAlarms = new Map<string, Alarm>();
    const routing = new Map<string, RuleRouting>();
    const byName = new Map(props.alarms.map((alarm) => [alarm.name, alarm]));
    const factory = new AlarmFactory(this, { app: props.app });
    const build = (entry: RuleAlarmConfig, path: readonly string[]): AlarmBase => {
      const done = routed.get(entry.name);
      if (done !== undefined) return done;
      if (path.includes(entry.name))
        throw new Error(`alarms: suppression loops through ${[...path, entry.name].join(' -> ')}`);
      const suppressors = entry.suppressedBy.map((name) => {
        const suppressor = byName.get(name);
        if (suppressor === undefined) throw new Error(`alarm ${entry.name}: unknown suppressor '${name}'`);
        return build(suppressor, [...path, entry.name]);
      });
      const route = ruleRouting(entry, props.alertRules, props.defaultTeam ?? 'default');
      const spec = ruleAlarmSpec(entry, props);
      const suppressed = suppressors.length > 0;
      const text = `${route.summary}: ${spec.text}.`;
      const common = {
        kind: 'rule',
        name: entry.name,
        severity: route.severity,
        team: route.team,
        routed: !suppressed,
        description: suppressed
          ? `Input of ${alarmName(props.app, 'rule', entry.name)} (not routed). ${text}`
          : text,
        ...(route.runbookUrl !== undefined ? { runbookUrl: route.runbookUrl } : {}),
        metric: spec.metric,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        missingData: spec.missingData,
      } as const;
      const metricAlarm =
        spec.comparison in BAND_OPERATORS
          ? factory.addBandAlarm(entry.name, {
              ...common,
              stdDevs: spec.threshold,
              comparison: spec.comparison as BandComparison,
            })
          : factory.addAlarm(entry.name, {
              ...common,
              threshold: spec.threshold,
              comparison: spec.comparison as AlarmComparison,
            });
      metricAlarms.set(entry.name, metricAlarm);
      routing.set(entry.name, route);
      const alarm = suppressed
        ? new CompositeSuppression(this, `${entry.name}Suppressed`, {
            app: props.app,
            kind: 'rule',
            name: entry.name,
            severity: route.severity,
            team: route.team,
            description: text,
            ...(route.runbookUrl !== undefined ? { runbookUrl: route.runbookUrl } : {}),
            input: metricAlarm,
            suppressors,
          }).alarm
        : metricAlarm;
      routed.set(entry.name, alarm);
      return alarm;
    };
    for (const entry of props.alarms) build(entry, []);
    this.alarms = routed;
    this.metricAlarms = metricAlarms;
    this.routing = routing;
  }
}
