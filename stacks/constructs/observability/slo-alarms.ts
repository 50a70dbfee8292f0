import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmRule,
  AlarmState,
  type CompositeAlarm,
  type IMetric,
  MathExpression,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { MissingData } from '../../../functions/commons/alarm-settings';
import type { SloConfig } from '../../../functions/commons/config/observability-schema';
import type { ResolvedCheck } from '../../../functions/commons/config/types';
import {
  CHECK_DURATION,
  CHECK_DURATION_STATISTICS,
  CHECK_METRICS,
  type MetricScope,
  passingRunsWithin,
} from '../../../functions/commons/metrics/metric-catalog';
import { AlarmFactory } from '../alarm-factory';
import { apiMetric, checkMetric, metricScope, userMetric } from './metric-sources';

/** One burn-rate alert: two windows that must both burn faster than `factor` (Google SRE workbook, ch. 5). */
export interface BurnRateAlert {
  readonly kind: 'page' | 'ticket';
  readonly factor: number;
  readonly longMs: number;
  readonly shortMs: number;
}

/** The multi-window, multi-burn-rate alerts: 2 % of a 30-day budget in 1 h pages, 5 % in 6 h opens a ticket. */
export const BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
  { kind: 'page', factor: 14.4, longMs: 3_600_000, shortMs: 300_000 },
  { kind: 'ticket', factor: 6, longMs: 21_600_000, shortMs: 1_800_000 },
];

/**
 * The error budget as a fraction (`99.9` -> `0.001`), rounded so the expression reads exactly.
 *
 * @example
 * errorBudget(99.9); // 0.001
 */
export const errorBudget = (targetPercent: number): number => Number((100 - targetPercent).toFixed(6)) / 100;

/** Where an SLO's events come from, as metric-math inputs: `good` and `total` (or `bad` and `total`). */
export interface SloSeries {
  readonly usingMetrics: Record<string, IMetric>;
  /** Expression counting bad events over the period. */
  readonly bad: string;
  /** Expression counting all events over the period. */
  readonly total: string;
  /**
   * How the burn-rate alarms treat a window without data. @default 'notBreaching' (no traffic); a rate
   * check's SLO: `breaching` (no passing run in the whole window is a full outage)
   */
  readonly missingData?: MissingData;
}

/**
 * The metric-math inputs of an SLO over one period.
 * Check availability, rate check: good = passing runs (`CheckDuration` values above 0,
 * `TC(0:ceiling)`: a failed run publishes 0), at most the runs its schedule expects in the period; total =
 * those expected runs, so a failed or skipped run is a bad event. Check latency, rate check: good = passing
 * runs within `thresholdMs` (`TC(0:threshold)`: a failed run is not a fast one), total = expected runs. A
 * cron check (no expected count): availability good = passing runs, total = all runs (`SampleCount`);
 * latency good = passing runs within the threshold, total = passing runs.
 * API availability: bad = `5XXError`, total = `Count`. API latency: `Latency` SampleCount - `TC(:threshold)`.
 * Good/total pair: both Sum.
 *
 * Metric ids end with `suffix` (`good_1h`), so several windows can share one graph.
 *
 * @example
 * const series = sloSeries(slo, { app: 'shop', namespace: 'Vigil' }, 3_600_000, '_1h', check);
 */
export const sloSeries = (
  slo: SloConfig,
  scope: MetricScope,
  periodMs: number,
  suffix = '',
  check?: Pick<ResolvedCheck, 'schedule'>,
): SloSeries => {
  const latency = slo.objective === 'latency';
  const within = `TC(:${slo.thresholdMs})`;
  // A check's fast runs: passing ones within the threshold (a failed run's 0 is not fast). Only latency
  // SLOs read it, and config validation gives each a threshold.
  const fastRuns = passingRunsWithin(slo.thresholdMs ?? CHECK_DURATION.ceilingMs);
  const good = `good${suffix}`;
  const total = `total${suffix}`;
  const bad = `bad${suffix}`;
  const ratioOfGood = (goodMetric: IMetric, totalMetric: IMetric): SloSeries => ({
    usingMetrics: { [good]: goodMetric, [total]: totalMetric },
    bad: `(${total} - ${good})`,
    total,
  });
  const everyMs = check?.schedule.everyMs;
  if ('check' in slo.source && everyMs !== undefined) {
    const name = slo.source.check;
    const expected = Number((periodMs / everyMs).toFixed(6));
    const passing = `passing${suffix}`;
    const counted = latency ? `fast${suffix}` : passing;
    const runs = checkMetric(scope, name, CHECK_METRICS.duration, {
      statistic: CHECK_DURATION_STATISTICS.passingRuns,
      periodMs,
    });
    const countedMetric = latency
      ? checkMetric(scope, name, CHECK_METRICS.duration, { statistic: fastRuns, periodMs })
      : runs;
    const period = Duration.millis(periodMs);
    return {
      ...ratioOfGood(
        new MathExpression({
          expression: `IF(FILL(${counted}, 0) > ${expected}, ${expected}, FILL(${counted}, 0))`,
          usingMetrics: { [counted]: countedMetric },
          period,
        }),
        new MathExpression({
          expression: `FILL(${passing}, 0) * 0 + ${expected}`,
          usingMetrics: { [passing]: runs },
          period,
        }),
      ),
      missingData: 'breaching',
    };
  }
  if ('check' in slo.source) {
    const { passingRuns, runs } = CHECK_DURATION_STATISTICS;
    const read = (statistic: string) =>
      checkMetric(scope, (slo.source as { check: string }).check, CHECK_METRICS.duration, {
        statistic,
        periodMs,
      });
    return latency
      ? ratioOfGood(read(fastRuns), read(passingRuns))
      : ratioOfGood(read(passingRuns), read(runs));
  }
  if ('api' in slo.source) {
    if (latency) {
      return ratioOfGood(
        apiMetric(slo.source.api, 'Latency', within, periodMs),
        apiMetric(slo.source.api, 'Latency', 'SampleCount', periodMs),
      );
    }
    return {
      usingMetrics: {
        [bad]: apiMetric(slo.source.api, '5XXError', 'Sum', periodMs),
        [total]: apiMetric(slo.source.api, 'Count', 'Sum', periodMs),
      },
      bad,
      total,
    };
  }
  return ratioOfGood(
    userMetric({ ...slo.source.good, statistic: 'Sum' }, periodMs),
    userMetric({ ...slo.source.total, statistic: 'Sum' }, periodMs),
  );
};

/**
 * The burn rate over one period: the share of bad events divided by the error budget (1 = spending the
 * budget exactly over the window). No events in the period burns nothing.
 *
 * @example
 * burnRateExpression(series, 0.001); // 'IF(total > 0, (total - good) / total / 0.001, 0)'
 */
export const burnRateExpression = (series: SloSeries, budget: number): string =>
  `IF(${series.total} > 0, ${series.bad} / ${series.total} / ${budget}, 0)`;

/**
 * Error budget remaining in percent, accumulated from the start of the graph's time range (set the
 * dashboard to the SLO window): 100 until the first bad event, 0 when the budget is spent, negative beyond.
 *
 * @example
 * budgetRemainingExpression(series, 0.001); // '100 * (1 - RUNNING_SUM((total - good)) / (0.001 * RUNNING_SUM(total)))'
 */
export const budgetRemainingExpression = (series: SloSeries, budget: number): string =>
  `100 * (1 - RUNNING_SUM(${series.bad}) / (${budget} * RUNNING_SUM(${series.total})))`;

const label = (ms: number): string => (ms >= 3_600_000 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`);

/** Props for {@link SloAlarms}. */
export interface SloAlarmsProps {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  readonly slos: readonly SloConfig[];
  readonly checks: readonly ResolvedCheck[];
  /** Team of SLOs that name none: the check's team, else this. @default 'default' */
  readonly defaultTeam?: string;
  /** Region the alarms live in: checks an SLO watches must run there. @default not checked */
  readonly region?: string;
}

/** The alarms and charted series of one SLO. */
export interface SloOutputs {
  readonly slo: SloConfig;
  /** Routed composites: `page` (fast burn) and `ticket` (slow burn). */
  readonly alerts: ReadonlyMap<'page' | 'ticket', CompositeAlarm>;
  /** The unrouted window alarms by window label (`1h`, `5m`, `6h`, `30m`). */
  readonly windows: ReadonlyMap<string, Alarm>;
  /** Burn rate per window, for charts. */
  readonly burnRates: readonly MathExpression[];
  /** Error budget remaining (%), hourly, accumulated over the graph's range. */
  readonly budgetRemaining: MathExpression;
}

/**
 * Multi-window, multi-burn-rate SLO alarms with CloudWatch metric math. Per SLO, four window alarms (burn
 * rate over 1h, 5m, 6h, 30m; not routed) and two routed composites: page = `ALARM(1h) AND ALARM(5m)` at
 * 14.4x, ticket = `ALARM(6h) AND ALARM(30m)` at 6x. The short window makes the alert stop soon after the
 * burning stops. Missing data (no traffic) is not breaching.
 *
 * @example
 * new SloAlarms(this, 'Slos', { app: 'shop', slos: config.slos, checks });
 */
export class SloAlarms extends Construct {
  /**
   * CloudFormation resources one SLO adds: an alarm per distinct burn-rate window and a composite per
   * alert (four and two). Stacks are split by this count.
   *
   * @example
   * SloAlarms.resourcesPerSlo(); // 6
   */
  public static resourcesPerSlo(): number {
    const windows = new Set(BURN_RATE_ALERTS.flatMap((alert) => [alert.longMs, alert.shortMs]));
    return windows.size + BURN_RATE_ALERTS.length;
  }

  public readonly outputs: readonly SloOutputs[];

  public constructor(scope: Construct, id: string, props: SloAlarmsProps) {
    super(scope, id);
    const factory = new AlarmFactory(this, { app: props.app });
    this.outputs = props.slos.map((slo) => {
      const check =
        'check' in slo.source
          ? props.checks.find((c) => c.name === (slo.source as { check: string }).check)
          : undefined;
      if ('check' in slo.source) {
        if (check === undefined) throw new Error(`SLO ${slo.name}: unknown check '${slo.source.check}'`);
        if (props.region !== undefined && !check.locations.includes(props.region)) {
          throw new Error(
            `SLO ${slo.name}: check '${check.name}' does not run in ${props.region}, where the SLO alarms live`,
          );
        }
      }
      const team = slo.team ?? check?.team ?? props.defaultTeam ?? 'default';
      const runbookUrl = slo.runbookUrl ?? check?.runbookUrl;
      const budget = errorBudget(slo.target);
      const windows = new Map<string, Alarm>();
      const burnRates: MathExpression[] = [];
      const windowAlarm = (ms: number, factor: number): Alarm => {
        const key = label(ms);
        const existing = windows.get(key);
        if (existing !== undefined) return existing;
        const series = sloSeries(slo, metricScope(props), ms, `_${key}`, check);
        const expression = new MathExpression({
          expression: burnRateExpression(series, budget),
          usingMetrics: series.usingMetrics,
          period: Duration.millis(ms),
          label: `burn rate ${key}`,
        });
        burnRates.push(expression);
        const alarm = factory.addAlarm(`${slo.name}-burn-${key}`, {
          kind: 'slo',
          name: `${slo.name}-burn-${key}`,
          severity: 'info',
          team,
          routed: false,
          description: `SLO ${slo.name} (${slo.target} %): burn rate over ${key} above ${factor}x. Input of the burn-rate composites (not routed).`,
          metric: expression,
          threshold: factor,
          comparison: '>',
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          ...(series.missingData !== undefined ? { missingData: series.missingData } : {}),
        });
        windows.set(key, alarm);
        return alarm;
      };
      const alerts = new Map<'page' | 'ticket', CompositeAlarm>();
      for (const alert of BURN_RATE_ALERTS) {
        const long = windowAlarm(alert.longMs, alert.factor);
        const short = windowAlarm(alert.shortMs, alert.factor);
        const severity = alert.kind === 'page' ? slo.pageSeverity : slo.ticketSeverity;
        const composite = factory.addComposite(`${slo.name}-${alert.kind}`, {
          kind: 'slo',
          name: `${slo.name}-${alert.kind}`,
          severity,
          severityInName: true,
          team,
          description: `SLO ${slo.name} (${slo.target} % ${slo.objective} over ${slo.window / 86_400_000}d) burns its error budget at over ${alert.factor}x over ${label(alert.longMs)} and ${label(alert.shortMs)}${alert.kind === 'page' ? `: at this rate the budget is gone in ${Math.round(slo.window / 3_600_000 / alert.factor)}h` : ''}.`,
          ...(runbookUrl !== undefined ? { runbookUrl } : {}),
          alarmRule: AlarmRule.allOf(
            AlarmRule.fromAlarm(long, AlarmState.ALARM),
            AlarmRule.fromAlarm(short, AlarmState.ALARM),
          ),
        });
        alerts.set(alert.kind, composite);
      }
      const hourly = sloSeries(slo, metricScope(props), 3_600_000, '_budget', check);
      const budgetRemaining = new MathExpression({
        expression: budgetRemainingExpression(hourly, budget),
        usingMetrics: hourly.usingMetrics,
        period: Duration.hours(1),
        label: `${slo.name} error budget remaining (%)`,
      });
      return { slo, alerts, windows, burnRates, budgetRemaining };
    });
  }
}
