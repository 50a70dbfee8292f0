import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  CERTIFICATE_ALARM_SEVERITIES,
  type CertificateAlarmOptions,
  certificateThresholds,
  checkFailurePeriodMs,
} from '../../functions/commons/alarm-settings';
import { CERTIFICATE_METRIC } from '../../functions/commons/config/check-steps';
import type { ResolvedCheck } from '../../functions/commons/config/types';
import { CHECK_METRICS } from '../../functions/commons/metrics/metric-catalog';
import type { Severity } from '../../functions/commons/severity';
import { AlarmFactory } from './alarm-factory';
import { checkMetric, metricScope } from './observability/metric-sources';

/** Props for {@link CheckAlarms}. */
export interface CheckAlarmsProps extends CertificateAlarmOptions {
  readonly app: string;
  readonly checks: readonly ResolvedCheck[];
  /** Metrics namespace the runner publishes to (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
}

/**
 * One failure alarm per check on `CheckSuccess` (the runner publishes 1 or 0 per run, after retries),
 * firing when `failWhen.failures` of the last `failWhen.outOf` runs failed (one period per run).
 * For rate schedules missing data counts as failing, so a dead runner pages: the dead man's switch.
 * Cron schedules run rarely, so there a gap is normal and missing data is ignored.
 */
export class CheckAlarms extends Construct {
  /**
   * CloudFormation resources the alarms of these checks add: one failure alarm per check, and two
   * certificate alarms per check that sees a certificate. Stacks are split by this count.
   *
   * @example
   * CheckAlarms.resourcesFor(checks); // checks.length
   */
  public static resourcesFor(
    checks: readonly ResolvedCheck[],
    options: CertificateAlarmOptions = {},
  ): number {
    return checks.reduce(
      (sum, check) =>
        sum +
        1 +
        (certificateThresholds(check, options) !== undefined ? CERTIFICATE_ALARM_SEVERITIES.length : 0),
      0,
    );
  }

  /** Failure alarms by check name. */
  public readonly alarms: ReadonlyMap<string, Alarm>;
  /** Certificate alarms (`warning`, `critical`) by check name, for checks that see a certificate. */
  public readonly certificateAlarms: ReadonlyMap<string, ReadonlyMap<Severity, Alarm>>;

  public constructor(scope: Construct, id: string, props: CheckAlarmsProps) {
    super(scope, id);
    const factory = new AlarmFactory(this, { app: props.app });
    const alarms = new Map<string, Alarm>();
    const certificateAlarms = new Map<string, ReadonlyMap<Severity, Alarm>>();
    for (const check of props.checks) {
      const periodMs = checkFailurePeriodMs(check.schedule);
      const { failures, outOf } = check.failWhen;
      const alarm = factory.addAlarm(check.name, {
        kind: 'check',
        name: check.name,
        severity: check.severity,
        team: check.team,
        description: `Synthetic check '${check.name}': ${failures} of the last ${outOf} runs failed${check.description ? ` (${check.description})` : ''}.`,
        ...(check.runbookUrl !== undefined ? { runbookUrl: check.runbookUrl } : {}),
        metric: checkMetric(metricScope(props), check.name, CHECK_METRICS.success, {
          statistic: 'Minimum',
          periodMs,
        }),
        threshold: 1,
        comparison: '<',
        evaluationPeriods: outOf,
        datapointsToAlarm: failures,
        // Cron checks run rarely: a gap between runs is normal.
        ...(check.schedule.everyMs === undefined ? { missingData: 'notBreaching' as const } : {}),
      });
      alarms.set(check.name, alarm);
      const thresholds = certificateThresholds(check, props);
      if (thresholds === undefined) continue;
      const certificate = new Map<Severity, Alarm>();
      for (const severity of CERTIFICATE_ALARM_SEVERITIES) {
        certificate.set(
          severity,
          factory.addAlarm(`${check.name}-certificate-${severity}`, {
            kind: 'check',
            name: `${check.name}-certificate`,
            severity,
            severityInName: true,
            team: check.team,
            description: `A certificate check '${check.name}' sees expires in less than ${thresholds[severity]} days: renew it.`,
            ...(check.runbookUrl !== undefined ? { runbookUrl: check.runbookUrl } : {}),
            metric: checkMetric(metricScope(props), check.name, CERTIFICATE_METRIC, {
              statistic: 'Minimum',
              periodMs,
            }),
            threshold: thresholds[severity],
            comparison: '<',
            evaluationPeriods: 1,
            // No data is the failure alarm's job.
            missingData: 'notBreaching',
          }),
        );
      }
      certificateAlarms.set(check.name, certificate);
    }
    this.alarms = alarms;
    this.certificateAlarms = certificateAlarms;
  }
}
