import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { checkFailurePeriodMs } from '../../functions/commons/alarm-settings';
import type { ResolvedCheck } from '../../functions/commons/config/types';
import { AlarmFactory } from './alarm-factory';
import { checkMetric } from './observability/metric-sources';

/** Props for {@link CheckAlarms}. */
export interface CheckAlarmsProps {
  readonly app: string;
  readonly checks: readonly ResolvedCheck[];
  /** Metrics namespace the runner publishes to. @default 'Vigil' */
  readonly namespace?: string;
  /** Consecutive failed runs before the alarm fires. @default 2 */
  readonly failuresToAlarm?: number;
  /** Runs looked at, of which `failuresToAlarm` must fail (M of N). @default failuresToAlarm */
  readonly evaluationPeriods?: number;
}

/**
 * One failure alarm per check on `CheckSuccess` (the runner publishes 1 or 0 per run, after retries).
 * For rate schedules missing data counts as failing, so a dead runner pages: the dead man's switch.
 * Cron schedules run rarely, so there a gap is normal and missing data is ignored.
 */
export class CheckAlarms extends Construct {
  /**
   * CloudFormation resources the alarms of these checks add: one failure alarm per check. Stacks are split
   * by this count.
   *
   * @example
   * CheckAlarms.resourcesFor(checks); // checks.length
   */
  public static resourcesFor(checks: readonly ResolvedCheck[]): number {
    return checks.length;
  }

  /** Alarms by check name. */
  public readonly alarms: ReadonlyMap<string, Alarm>;

  public constructor(scope: Construct, id: string, props: CheckAlarmsProps) {
    super(scope, id);
    const failures = props.failuresToAlarm ?? 2;
    const factory = new AlarmFactory(this, { app: props.app });
    const alarms = new Map<string, Alarm>();
    for (const check of props.checks) {
      const periodMs = checkFailurePeriodMs(check.schedule);
      const alarm = factory.addAlarm(check.name, {
        kind: 'check',
        name: check.name,
        severity: check.severity,
        team: check.team,
        description: `Synthetic check '${check.name}' failed ${failures} run(s) in a row${check.description ? `: ${check.description}` : ''}.`,
        ...(check.runbookUrl !== undefined ? { runbookUrl: check.runbookUrl } : {}),
        metric: checkMetric(props.app, check.name, 'CheckSuccess', {
          statistic: 'Minimum',
          periodMs,
          ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
        }),
        threshold: 1,
        comparison: '<',
        evaluationPeriods: Math.max(failures, props.evaluationPeriods ?? failures),
        datapointsToAlarm: failures,
        // Cron checks run rarely: a gap between runs is normal.
        ...(check.schedule.everyMs === undefined ? { missingData: 'notBreaching' as const } : {}),
      });
      alarms.set(check.name, alarm);
    }
    this.alarms = alarms;
  }
}
