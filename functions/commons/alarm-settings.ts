import { AWS_LIMITS } from './aws-limits';
import { speaksTls } from './config/check-steps';
import type { ResolvedSchedule } from './config/schedule';
import type { ResolvedCheck, ResolvedFailWhen } from './config/types';

/**
 * Alarm settings that config validation and the stacks must agree on: the rule catalog's per-type
 * defaults, the check failure alarm's period, and how descriptions are composed within CloudWatch's
 * 1,024 characters. Pure data and functions, no CDK.
 */

/** How an alarm counts a period without data (the config's words). */
export type MissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

/** Per-type defaults of the rule catalog: period (ms), periods evaluated, breaching periods, missing data. See docs/observability.md. */
export const RULE_ALARM_DEFAULTS = {
  serviceDown: { periodMs: 60_000, evaluationPeriods: 2, datapointsToAlarm: 2, missingData: 'breaching' },
  errorRate: { periodMs: 300_000, evaluationPeriods: 1, datapointsToAlarm: 1, missingData: 'notBreaching' },
  latency: { periodMs: 300_000, evaluationPeriods: 3, datapointsToAlarm: 3, missingData: 'notBreaching' },
  databaseConnections: {
    periodMs: 300_000,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    missingData: 'missing',
  },
  metricBelow: { periodMs: 300_000, evaluationPeriods: 3, datapointsToAlarm: 3, missingData: 'missing' },
  failures: { periodMs: 300_000, evaluationPeriods: 1, datapointsToAlarm: 1, missingData: 'notBreaching' },
  lambda: { periodMs: 300_000, evaluationPeriods: 1, datapointsToAlarm: 1, missingData: 'notBreaching' },
  queue: { periodMs: 300_000, evaluationPeriods: 2, datapointsToAlarm: 2, missingData: 'notBreaching' },
  metric: { periodMs: 300_000, evaluationPeriods: 1, datapointsToAlarm: 1, missingData: 'missing' },
} as const satisfies Record<
  string,
  { periodMs: number; evaluationPeriods: number; datapointsToAlarm: number; missingData: MissingData }
>;

/**
 * The period of a `serviceDown` alarm when none is given: the slowest watched check's interval (an hour
 * for cron checks), at least a minute.
 *
 * @example
 * serviceDownPeriodMs([{ everyMs: 60_000 }, { everyMs: 300_000 }]); // 300_000
 */
export const serviceDownPeriodMs = (schedules: readonly Pick<ResolvedSchedule, 'everyMs'>[]): number =>
  Math.max(60_000, ...schedules.map((schedule) => schedule.everyMs ?? 3_600_000));

/**
 * The period of a check's failure alarm: its interval (at least a minute), an hour for cron checks.
 *
 * @example
 * checkFailurePeriodMs({ everyMs: 300_000 }); // 300_000
 */
export const checkFailurePeriodMs = (schedule: Pick<ResolvedSchedule, 'everyMs'>): number =>
  schedule.everyMs !== undefined ? Math.max(60_000, schedule.everyMs) : 3_600_000;

/** The state of a check's failure alarm. */
export type CheckAlarmState = 'ALARM' | 'OK';

/**
 * A check's failure alarm as CloudWatch evaluates it (`datapointsToAlarm` of `evaluationPeriods`, one
 * period per run): `ALARM` when at least `failWhen.failures` of the last `failWhen.outOf` runs failed,
 * else `OK`. `runs` is the run history, oldest first, `true` for a failed run; only its last `outOf`
 * entries count, and a history shorter than that counts what it has (no run yet is no failure).
 *
 * @example
 * checkAlarmState([true, false, true], { failures: 2, outOf: 3 }); // 'ALARM'
 */
export const checkAlarmState = (runs: readonly boolean[], failWhen: ResolvedFailWhen): CheckAlarmState => {
  const failed = runs.slice(-failWhen.outOf).filter(Boolean).length;
  return failed >= failWhen.failures ? 'ALARM' : 'OK';
};

/** Days before a certificate expires at which its alarms fire, by severity. */
export interface CertificateThresholds {
  readonly warning: number;
  readonly critical: number;
}

/** The certificate alarm thresholds when the config sets none (the config's `checkAlarms.certificate` default). */
export const DEFAULT_CERTIFICATE_THRESHOLDS: CertificateThresholds = { warning: 14, critical: 7 };

/** What decides a check's certificate alarms: the config's `checkAlarms.certificate` and the environment's base URL. */
export interface CertificateAlarmOptions {
  /** Thresholds for checks that see a certificate; `false`: no certificate alarms. @default { warning: 14, critical: 7 } */
  readonly certificate?: CertificateThresholds | false;
  /** The environment's base URL: decides whether `{{baseUrl}}` steps speak HTTPS. @default '' */
  readonly baseUrl?: string;
}

/**
 * The certificate alarm thresholds of a check (it then gets a `warning` and a `critical` alarm on
 * `CertificateDaysToExpiry`), or `undefined` when it sees no certificate or they are turned off. A `tls`
 * check uses its own `daysBeforeExpiry`. The one decision the check alarms and the cost estimate share.
 *
 * @example
 * certificateThresholds(check, { baseUrl: 'https://shop.example' }); // { warning: 14, critical: 7 }
 * certificateThresholds(check, { certificate: false }); // undefined
 */
export const certificateThresholds = (
  check: ResolvedCheck,
  options: CertificateAlarmOptions,
): CertificateThresholds | undefined => {
  const defaults = options.certificate ?? DEFAULT_CERTIFICATE_THRESHOLDS;
  if (defaults === false || !speaksTls(check, options.baseUrl ?? '')) return undefined;
  return check.probe?.type === 'tls'
    ? { warning: check.probe.warningDays, critical: check.probe.criticalDays }
    : defaults;
};

/** The alarms of a check that sees a certificate (see {@link certificateThresholds}), by severity: one each. */
export const CERTIFICATE_ALARM_SEVERITIES = ['warning', 'critical'] as const;

/**
 * Characters of an alarm description kept for Vigil's own wording (what fired, the team, `Runbook: `):
 * config validation keeps each item's description and runbook URL within the rest.
 */
export const DESCRIPTION_RESERVE = 224;

/**
 * An alarm description: what fired, then the runbook URL (which the escalation engine and people look
 * for). Cut to CloudWatch's 1,024 characters at the text, never at the runbook URL.
 *
 * @example
 * alarmDescription('Checkout 5xx above 5 %', 'https://runbooks.example.com/5xx');
 */
export const alarmDescription = (text: string, runbookUrl?: string): string => {
  const runbook = runbookUrl !== undefined ? ` Runbook: ${runbookUrl}` : '';
  const room = Math.max(0, AWS_LIMITS.alarmDescription - runbook.length);
  const cut = text.length > room ? `${text.slice(0, Math.max(0, room - 3))}...` : text;
  return `${cut}${runbook}`.slice(0, AWS_LIMITS.alarmDescription);
};
