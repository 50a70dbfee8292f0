import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  CERTIFICATE_ALARM_SEVERITIES,
  type CertificateWatch,
  checkFailurePeriodMs,
  checkFailureSignal,
} from '../../functions/commons/alarm-settings';
import type { ResolvedCheck } from '../../functions/commons/config/types';
import type { Severity } from '../../functions/commons/severity';
import { AlarmFactory } from './alarm-factory';
import { certificateMetric, checkMetric, metricScope } from './observability/metric-sources';

/** Props for {@link CheckAlarms}. */
export interface CheckAlarmsProps {
  readonly app: string;
  readonly checks: readonly ResolvedCheck[];
  /** Metrics namespace the runner publishes to (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  /**
   * The certificate alarms to make here (`certificateWatches`, those whose owner check is among `checks`
   * and whose home location is this region): a `warning` and a `critical` alarm per host. @default none
   */
  readonly certificates?: readonly CertificateWatch[];
}

/** The period of a host's certificate alarms: daily would do, but the owner's runs say it sooner. */
const CERTIFICATE_PERIOD_MS = 3_600_000;

/**
 * One failure alarm per check, on what `checkFailureSignal` says: the `Minimum` of `CheckDuration` `<= 0`
 * (a failed run publishes 0, any other run more), missing data breaching for a rate check (a skipped or lost run, the dead man's switch) and
 * not for a cron check (a gap between runs is normal). It fires when
 * `failWhen.failures` of the last `failWhen.outOf` periods breached (one period per run). Plus, per host
 * whose certificate it owns, a `warning` and a `critical` alarm on that host's `CertificateDaysToExpiry`.
 */
export class CheckAlarms extends Construct {
  /**
   * CloudFormation resources the alarms of these checks add: one failure alarm per check, and two per
   * certificate watch owned by one of them. Stacks are split by this count.
   *
   * @example
   * CheckAlarms.resourcesFor(checks); // checks.length
   */
  public static resourcesFor(
    checks: readonly ResolvedCheck[],
    certificates: readonly CertificateWatch[] = [],
  ): number {
    return checks.reduce(
      (sum, check) =>
        sum +
        1 +
        certificates.filter((watch) => watch.check === check.name).length *
          CERTIFICATE_ALARM_SEVERITIES.length,
      0,
    );
  }

  /** Failure alarms by check name. */
  public readonly alarms: ReadonlyMap<string, Alarm>;
  /** Certificate alarms (`warning`, `critical`) by host name. */
  public readonly certificateAlarms: ReadonlyMap<string, ReadonlyMap<Severity, Alarm>>;

  public constructor(scope: Construct, id: string, props: CheckAlarmsProps) {
    super(scope, id);
    const factory = new AlarmFactory(this, { app: props.app });
    const alarms = new Map<string, Alarm>();
    const certificateAlarms = new Map<string, ReadonlyMap<Severity, Alarm>>();
    for (const check of props.checks) {
      const periodMs = checkFailurePeriodMs(check.schedule);
      const { failures, outOf } = check.failWhen;
      const signal = checkFailureSignal(check.schedule);
      const alarm = factory.addAlarm(check.name, {
        kind: 'check',
        name: check.name,
        severity: check.severity,
        team: check.team,
        description: `Synthetic check '${check.name}': ${failures} of the last ${outOf} runs failed or did not run${check.description ? ` (${check.description})` : ''}.`,
        ...(check.runbookUrl !== undefined ? { runbookUrl: check.runbookUrl } : {}),
        metric: checkMetric(metricScope(props), check.name, signal.metric, {
          statistic: signal.statistic,
          periodMs,
        }),
        threshold: signal.threshold,
        comparison: signal.comparison,
        evaluationPeriods: outOf,
        datapointsToAlarm: failures,
        missingData: signal.missingData,
      });
      alarms.set(check.name, alarm);
      for (const watch of props.certificates ?? []) {
        if (watch.check !== check.name) continue;
        const certificate = new Map<Severity, Alarm>();
        for (const severity of CERTIFICATE_ALARM_SEVERITIES) {
          certificate.set(
            severity,
            factory.addAlarm(`certificate-${watch.host}-${severity}`, {
              kind: 'check',
              name: `certificate-${watch.host}`,
              severity,
              severityInName: true,
              team: check.team,
              description: `The certificate of ${watch.host} (seen by check '${check.name}' and any other check calling it) expires in less than ${watch.thresholds[severity]} days: renew it.`,
              ...(check.runbookUrl !== undefined ? { runbookUrl: check.runbookUrl } : {}),
              metric: certificateMetric(metricScope(props), watch.host, {
                statistic: 'Minimum',
                periodMs: Math.max(CERTIFICATE_PERIOD_MS, periodMs),
              }),
              threshold: watch.thresholds[severity],
              comparison: '<',
              evaluationPeriods: 1,
              // No data is the failure alarm's job.
              missingData: 'notBreaching',
            }),
          );
        }
        certificateAlarms.set(watch.host, certificate);
      }
    }
    this.alarms = alarms;
    this.certificateAlarms = certificateAlarms;
  }
}
