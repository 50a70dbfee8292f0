import { AWS_LIMITS } from './aws-limits';
import { certificateHosts } from './config/check-steps';
import type { ResolvedSchedule } from './config/schedule';
import type { ResolvedCheck, ResolvedFailWhen } from './config/types';
import { CHECK_DURATION, CHECK_DURATION_STATISTICS, CHECK_METRICS } from './metrics/metric-catalog';

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

/** What a check's failure alarm reads, one datapoint per period ({@link checkFailurePeriodMs}). */
export interface CheckFailureSignal {
  /** The metric (dimensions `App`, `Check`). */
  readonly metric: string;
  readonly statistic: 'Minimum';
  /** A period breaches at or below this (and, for a rate check, when it has no data). */
  readonly threshold: typeof CHECK_DURATION.failedRun;
  readonly comparison: '<=';
  readonly missingData: MissingData;
}

/**
 * What a check's failure alarm reads: the `Minimum` of `CheckDuration`, which every run publishes (0 for a
 * failed run, above 0 for any other), `<= 0`: a failed run is a real datapoint the alarm judges in the
 * period it ran. A rate check's missing data (a skipped or lost run, a dead runner) breaches; a cron check
 * runs rarely, so a gap is normal there and does not. Not the `SampleCount` of passing runs only (the
 * reverted first one-metric design): CloudWatch judges an alarm by the real datapoints of its evaluation
 * range and ignores the missing-data setting while there are enough of them, so a check failing every
 * other run would never page and a check that starts failing would page minutes late. The one decision
 * the alarm, the rule alarms and local mode share.
 *
 * @example
 * checkFailureSignal({ everyMs: 60_000 }); // { metric: 'CheckDuration', statistic: 'Minimum', threshold: 0, comparison: '<=', missingData: 'breaching' }
 */
export const checkFailureSignal = (schedule: Pick<ResolvedSchedule, 'everyMs'>): CheckFailureSignal => ({
  metric: CHECK_METRICS.duration,
  statistic: CHECK_DURATION_STATISTICS.worstRun,
  threshold: CHECK_DURATION.failedRun,
  comparison: '<=',
  missingData: schedule.everyMs !== undefined ? 'breaching' : 'notBreaching',
});

/** The state of a check's failure alarm. */
export type CheckAlarmState = 'ALARM' | 'OK';

/**
 * One evaluation period of a check's failure alarm, as CloudWatch sees it: a run that did not fail reported
 * (`passed`), only a failed run did (`failed`), or nothing did (`silent`: a run skipped while the previous
 * one held its lease, a dead runner, a lost record).
 */
export type CheckPeriod = 'passed' | 'failed' | 'silent';

/**
 * Whether a period breaches a check's failure alarm ({@link checkFailureSignal}): every check's alarm sees
 * a failed run's `CheckDuration` 0; a rate check's also breaches on a `silent` period (missing data,
 * breaching), a cron check's does not (silence between its runs is normal). Deployed, CloudWatch judges a
 * silent period so only while its evaluation range runs short of real datapoints: local mode is stricter.
 *
 * @example
 * breaches('silent', { everyMs: 60_000 }); // true
 */
export const breaches = (period: CheckPeriod, schedule: Pick<ResolvedSchedule, 'everyMs'>): boolean =>
  period === 'failed' || (period === 'silent' && checkFailureSignal(schedule).missingData === 'breaching');

/**
 * A check's failure alarm as CloudWatch evaluates it (`datapointsToAlarm` of `evaluationPeriods`, one
 * period per run): `ALARM` when at least `failWhen.failures` of the last `failWhen.outOf` periods breached
 * (see {@link breaches}), else `OK`. `periods` is the history, oldest first; only its last `outOf` entries
 * count, and a history shorter than that counts what it has (no run yet is no failure).
 *
 * @example
 * checkAlarmState(['failed', 'passed', 'silent'], { failures: 2, outOf: 3 }, { everyMs: 60_000 }); // 'ALARM'
 */
export const checkAlarmState = (
  periods: readonly CheckPeriod[],
  failWhen: ResolvedFailWhen,
  schedule: Pick<ResolvedSchedule, 'everyMs'>,
): CheckAlarmState => {
  const breached = periods.slice(-failWhen.outOf).filter((period) => breaches(period, schedule)).length;
  return breached >= failWhen.failures ? 'ALARM' : 'OK';
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
 * The certificate alarm thresholds of a check (what it asks of every host it sees), or `undefined` when it
 * sees no certificate or they are turned off. A `tls` check uses its own `daysBeforeExpiry`.
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
  if (defaults === false || certificateHosts(check, options.baseUrl ?? '').length === 0) return undefined;
  return check.probe?.type === 'tls'
    ? { warning: check.probe.warningDays, critical: check.probe.criticalDays }
    : defaults;
};

/** The alarms of a watched certificate (see {@link certificateWatches}), by severity: one each. */
export const CERTIFICATE_ALARM_SEVERITIES = ['warning', 'critical'] as const;

/** Who publishes a host's `CertificateDaysToExpiry`: one check, from one location. */
export interface CertificateOwner {
  /** The host name (the metric's `Host` dimension). */
  readonly host: string;
  /** The first check (config order) that sees the host: it publishes the metric. */
  readonly check: string;
  /** That check's first (home) location: the one region the metric and its alarms live in. */
  readonly location: string;
}

/**
 * The owner of every host whose certificate a check sees: the first check that sees it, from its first
 * location. The certificate is the same from everywhere, so it is one metric (and one pair of alarms) per
 * host, whichever checks and locations see it.
 *
 * @example
 * certificateOwners(checks, 'https://api.shop.example'); // [{ host: 'api.shop.example', check: 'login', location: 'us-east-1' }]
 */
export const certificateOwners = (checks: readonly ResolvedCheck[], baseUrl: string): CertificateOwner[] => {
  const owners = new Map<string, CertificateOwner>();
  for (const check of checks) {
    const location = check.locations[0];
    if (location === undefined) continue;
    for (const host of certificateHosts(check, baseUrl))
      if (!owners.has(host)) owners.set(host, { host, check: check.name, location });
  }
  return [...owners.values()];
};

/** A host's certificate alarms: where they live and when they fire. */
export interface CertificateWatch extends CertificateOwner {
  /** The earliest warning and critical days any check seeing the host asks for. */
  readonly thresholds: CertificateThresholds;
}

/**
 * The certificate alarms to make: per host ({@link certificateOwners}), a `warning` and a `critical` alarm
 * at the earliest thresholds any check seeing it asks for ({@link certificateThresholds}); none when
 * `certificate` is `false`. The one decision the check alarms and the cost estimate share.
 *
 * @example
 * certificateWatches(checks, { baseUrl: 'https://api.shop.example' }).length; // 1 (two alarms)
 */
export const certificateWatches = (
  checks: readonly ResolvedCheck[],
  options: CertificateAlarmOptions,
): CertificateWatch[] =>
  certificateOwners(checks, options.baseUrl ?? '').flatMap((owner) => {
    const asked = checks.flatMap((check) => {
      const thresholds = certificateThresholds(check, options);
      return thresholds !== undefined && certificateHosts(check, options.baseUrl ?? '').includes(owner.host)
        ? [thresholds]
        : [];
    });
    if (asked.length === 0) return [];
    return [
      {
        ...owner,
        thresholds: {
          warning: Math.max(...asked.map((thresholds) => thresholds.warning)),
          critical: Math.max(...asked.map((thresholds) => thresholds.critical)),
        },
      },
    ];
  });

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
