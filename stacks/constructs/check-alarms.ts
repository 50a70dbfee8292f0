import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { alarmName } from '../../functions/commons/alarm-naming';
import { alarmDescription, checkFailurePeriodMs } from '../../functions/commons/alarm-settings';
import type { ResolvedCheck } from '../../functions/commons/config/types';
import { CHECK_METRICS } from '../../functions/commons/metrics/metric-catalog';
import { checkMetric, metricScope } from './observability/metric-sources';
import { tagAlarm } from './tag-alarm';

/** Props for {@link CheckAlarms}. */
export interface CheckAlarmsProps {
  readonly app: string;
  readonly checks: readonly ResolvedCheck[];
  /** Metrics namespace the runner publishes to (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
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
  /** Alarms by check name. */
  public readonly alarms: ReadonlyMap<string, Alarm>;

  public constructor(scope: Construct, id: string, props: CheckAlarmsProps) {
    super(scope, id);
    const failures = props.failuresToAlarm ?? 2;
    const alarms = new Map<string, Alarm>();
    for (const check of props.checks) {
      const periodS = checkFailurePeriodMs(check.schedule) / 1000;
      const alarm = new Alarm(this, check.name, {
        alarmName: alarmName(props.app, 'check', check.name),
        alarmDescription: alarmDescription(
          `Synthetic check '${check.name}' failed ${failures} run(s) in a row${check.description ? `: ${check.description}` : ''}.`,
          check.runbookUrl,
        ),
        metric: checkMetric(metricScope(props), check.name, CHECK_METRICS.success, {
          statistic: 'Minimum',
          periodMs: periodS * 1000,
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: Math.max(failures, props.evaluationPeriods ?? failures),
        datapointsToAlarm: failures,
        treatMissingData:
          check.schedule.everyMs !== undefined ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
      });
      tagAlarm(alarm, { app: props.app, kind: 'check', severity: check.severity, team: check.team });
      alarms.set(check.name, alarm);
    }
    this.alarms = alarms;
  }
}
