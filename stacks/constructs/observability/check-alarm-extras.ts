import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { ResolvedCheck } from '../../../functions/commons/config/types';
import { CHECK_METRICS } from '../../../functions/commons/metrics/metric-catalog';
import { AlarmFactory } from '../alarm-factory';
import { checkMetric, metricScope } from './metric-sources';

/** Props for {@link CheckAlarmExtras}. */
export interface CheckAlarmExtrasProps {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  readonly checks: readonly ResolvedCheck[];
  /** Consecutive slow periods before the degraded alarm fires. @default 3 */
  readonly periodsToAlarm?: number;
}

/** Shortest period of the degraded alarm: a p95 needs several runs to mean anything. */
const MIN_PERIOD_MS = 300_000;

/**
 * The period of a check's degraded-latency alarm: 5 minutes, or the check's interval when longer
 * (capped at an hour). Cron-scheduled checks get none: they run too rarely for a percentile.
 *
 * @example
 * degradedPeriodMs(check); // 300000 for a 1-minute check
 */
export const degradedPeriodMs = (check: ResolvedCheck): number | undefined =>
  check.schedule.everyMs === undefined
    ? undefined
    : Math.min(3_600_000, Math.max(MIN_PERIOD_MS, check.schedule.everyMs));

/**
 * Per check with a `degradedAfter` threshold and a rate schedule, a warning alarm when the check's p95
 * `CheckDuration` stays above that threshold for `periodsToAlarm` periods. A failed run publishes 0, so it
 * never makes a check look slow (a timeout, say): failing is the failure alarm's job. Where a period holds
 * several runs (a 5-minute period of a 1-minute check), a failed run's 0 is one of the period's values: p95
 * is above the threshold when more than 5 % of all the period's runs, failed ones included, were slow
 * passing runs (before, of its passing runs only). No exact statistic over passing runs only exists at one
 * alarm metric (a ratio of two trimmed counts would bill two). Missing data is not breaching:
 * absence is the failure alarm's job (its dead man's switch). Named `<app>-check-<name>-degraded-warning`,
 * tagged with the check's team.
 *
 * High-resolution periods are not used: EventBridge Scheduler runs a check at most once a minute and the
 * runner publishes standard-resolution metrics, so a sub-minute period would mostly see no data.
 *
 * @example
 * new CheckAlarmExtras(this, 'Degraded', { app: 'shop', checks });
 */
export class CheckAlarmExtras extends Construct {
  /**
   * CloudFormation resources the extras of these checks add: one degraded alarm per check with a
   * `degradedAfter` threshold and a rate schedule. Stacks are split by this count.
   *
   * @example
   * CheckAlarmExtras.resourcesFor(checks);
   */
  public static resourcesFor(checks: readonly ResolvedCheck[]): number {
    return checks.filter(
      (check) => check.degradedAfterMs !== undefined && degradedPeriodMs(check) !== undefined,
    ).length;
  }

  /** Degraded alarms by check name. */
  public readonly degradedAlarms: ReadonlyMap<string, Alarm>;

  public constructor(scope: Construct, id: string, props: CheckAlarmExtrasProps) {
    super(scope, id);
    const periods = props.periodsToAlarm ?? 3;
    const factory = new AlarmFactory(this, { app: props.app });
    const alarms = new Map<string, Alarm>();
    for (const check of props.checks) {
      const periodMs = degradedPeriodMs(check);
      if (check.degradedAfterMs === undefined || periodMs === undefined) continue;
      const alarm = factory.addAlarm(check.name, {
        kind: 'check',
        name: `${check.name}-degraded`,
        severity: 'warning',
        severityInName: true,
        team: check.team,
        description: `Synthetic check '${check.name}' is degraded: p95 duration above ${check.degradedAfterMs} ms for ${(periods * periodMs) / 60_000} minutes.`,
        ...(check.runbookUrl !== undefined ? { runbookUrl: check.runbookUrl } : {}),
        metric: checkMetric(metricScope(props), check.name, CHECK_METRICS.duration, {
          statistic: 'p95',
          periodMs,
        }),
        threshold: check.degradedAfterMs,
        comparison: '>',
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        // Absence is the failure alarm's job (its dead man's switch).
        missingData: 'notBreaching',
      });
      alarms.set(check.name, alarm);
    }
    this.degradedAlarms = alarms;
  }
}
