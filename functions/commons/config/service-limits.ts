import { alarmName, logGroupLabel } from '../alarm-naming';
import {
  checkFailurePeriodMs,
  DESCRIPTION_RESERVE,
  RULE_ALARM_DEFAULTS,
  serviceDownPeriodMs,
} from '../alarm-settings';
import { AWS_LIMITS, maxEvaluationRangeSeconds } from '../aws-limits';
import { httpsHost } from './check-steps';
import { CHECK_DEFAULTS } from './defaults';
import { resolveFailWhen } from './fail-when';
import { KPI_DEFAULTS, kpiPeriodMs } from './kpi-schema';
import { type ResolvedSchedule, resolveSchedule } from './schedule';
import type { VigilConfig } from './schema';

type Issue = (path: PropertyKey[], message: string) => void;
type Schedule = Parameters<typeof resolveSchedule>[0];

/** Longest suffix Vigil appends to the app name in a per-app resource name (`-synthetics`, `-control-tower-12`). */
const APP_NAME_SUFFIX = '-control-tower-99'.length;
/** Longest app name: every `<app>-…` name (schedule groups, dashboards, stacks) stays within its limit. */
export const MAX_APP_NAME =
  Math.min(AWS_LIMITS.scheduleGroupName, AWS_LIMITS.dashboardName) - APP_NAME_SUFFIX;
/**
 * Characters one `ALARM("<alarm ARN>") OR ` term of a composite rule takes besides the alarm name: the
 * longest partition, region and account in the ARN, the quotes and the operator.
 */
const RULE_TERM_OVERHEAD = 'ALARM("arn:aws-iso-b:cloudwatch:ap-southeast-5:123456789012:alarm:") OR '.length;
/** `-errors-rising-` and the longest severity around an error-tracking label in its alarm name. */
const ERROR_ALARM_EXTRA = '-rule-errors-rising--critical'.length;
/** What a host's certificate alarm name adds around the app name and the host (`CheckAlarms`). */
const CERTIFICATE_ALARM_EXTRA = '-check-certificate--critical'.length;

const seconds = (ms: number) => ms / 1000;
const plural = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}`;

/**
 * Reports an alarm whose period or `period × evaluationPeriods` CloudWatch rejects: periods up to a day;
 * a range up to a day for periods under an hour, up to seven days otherwise.
 */
const evaluationIssue = (
  periodMs: number,
  evaluationPeriods: number,
  path: PropertyKey[],
  what: string,
  issue: Issue,
): void => {
  const period = seconds(periodMs);
  if (period > AWS_LIMITS.alarmPeriodSeconds) {
    issue(
      path,
      `${what}: its alarm period is ${plural(period, 's')}; CloudWatch alarm periods are at most ${plural(AWS_LIMITS.alarmPeriodSeconds, 's')} (1d)`,
    );
    return;
  }
  const limit = maxEvaluationRangeSeconds(period);
  if (period * evaluationPeriods > limit) {
    issue(
      path,
      `${what}: period (${plural(period, 's')}) x evaluationPeriods (${evaluationPeriods}) = ${plural(period * evaluationPeriods, 's')}; CloudWatch allows at most ${plural(limit, 's')} (${limit === AWS_LIMITS.evaluationRangeSeconds ? '7 days' : '1 day for periods under an hour'})`,
    );
  }
};

/** Reports a description plus runbook URL that would not fit an alarm description beside Vigil's own text. */
const descriptionIssue = (
  description: string | undefined,
  runbookUrl: string | undefined,
  path: PropertyKey[],
  issue: Issue,
): void => {
  const room = AWS_LIMITS.alarmDescription - DESCRIPTION_RESERVE;
  const used = (description?.length ?? 0) + (runbookUrl?.length ?? 0);
  if (used > room) {
    issue(
      path,
      `description and runbookUrl take ${plural(used, 'characters')}; CloudWatch alarm descriptions hold ${plural(AWS_LIMITS.alarmDescription, 'characters')}, of which Vigil keeps ${DESCRIPTION_RESERVE} for what fired: keep both within ${plural(room, 'characters')}`,
    );
  }
};

const scheduleExpressionIssue = (schedule: Schedule | undefined, path: PropertyKey[], issue: Issue) => {
  if (schedule === undefined) return;
  const resolved = resolveSchedule(schedule);
  if ('error' in resolved) return; // reported by the schedule check
  if (resolved.expression.length > AWS_LIMITS.scheduleExpression) {
    issue(
      path,
      `schedule expression is ${plural(resolved.expression.length, 'characters')}; EventBridge Scheduler allows ${AWS_LIMITS.scheduleExpression}`,
    );
  }
};

const scheduleOf = (schedule: Schedule | undefined): ResolvedSchedule | undefined => {
  if (schedule === undefined) return undefined;
  const resolved = resolveSchedule(schedule);
  return 'error' in resolved ? undefined : resolved;
};

/**
 * The AWS limits a config can reach, checked at validation so a config CloudWatch, Scheduler or
 * CloudFormation would reject never synthesizes: the app name within every `<app>-…` name (stacks,
 * schedule groups, dashboards), alarm periods and `period × evaluationPeriods`, metrics per metric-math
 * alarm, alarm name and description lengths, composite alarm rule length, schedule expression length,
 * unique error-tracking labels. Each problem is reported with its path and the limit it breaks
 * (docs/limits.md lists them). Called from the config schema's `superRefine`.
 *
 * @example
 * checkServiceLimits(config, (path, message) => problems.push({ path, message }));
 */
export const checkServiceLimits = (config: VigilConfig, issue: Issue): void => {
  checkAppName(config, issue);
  checkCheckAlarms(config, issue);
  checkKpiAlarms(config, issue);
  checkRuleAlarms(config, issue);
  checkErrorTracking(config, issue);
  config.slos.forEach((slo, index) => {
    descriptionIssue(undefined, slo.runbookUrl, ['slos', index, 'runbookUrl'], issue);
  });
  checkCertificateAlarmNames(config, issue);
};

const checkAppName = (config: VigilConfig, issue: Issue) => {
  // Stack names: a letter, then letters, digits and '-'; dashboard names: letters, digits, '-' and '_'.
  // (Characters no name allows are reported by the name schema already.)
  if (/^[A-Za-z0-9_.-]+$/.test(config.app) && !/^[A-Za-z][A-Za-z0-9-]*$/.test(config.app)) {
    issue(
      ['app'],
      `'${config.app}' cannot name CloudFormation stacks (a letter, then letters, digits and '-') or CloudWatch dashboards (letters, digits, '-' and '_'): use e.g. '${config.app.replace(/^[^A-Za-z]+/, '').replace(/[^A-Za-z0-9-]/g, '-') || 'my-app'}'`,
    );
  }
  if (config.app.length > MAX_APP_NAME) {
    issue(
      ['app'],
      `'${config.app}' is ${plural(config.app.length, 'characters')}; at most ${MAX_APP_NAME}, so '<app>-synthetics' and '<app>-kpis' stay within EventBridge Scheduler's ${AWS_LIMITS.scheduleGroupName}-character schedule group names and '<app>-control-tower-2' within CloudWatch's dashboard names`,
    );
  }
};

const checkCheckAlarms = (config: VigilConfig, issue: Issue) => {
  const groups = new Map(config.checkGroups.map((group) => [group.name, group]));
  config.checkGroups.forEach((group, index) => {
    scheduleExpressionIssue(group.schedule, ['checkGroups', index, 'schedule'], issue);
  });
  scheduleExpressionIssue(config.defaults.schedule, ['defaults', 'schedule'], issue);
  config.checks.forEach((check, index) => {
    const group = check.group !== undefined ? groups.get(check.group) : undefined;
    scheduleExpressionIssue(check.schedule, ['checks', index, 'schedule'], issue);
    const schedule = scheduleOf(
      check.schedule ?? group?.schedule ?? config.defaults.schedule ?? CHECK_DEFAULTS.schedule,
    );
    if (check.enabled && schedule !== undefined) {
      const own = check.failWhen ?? group?.failWhen ?? config.defaults.failWhen;
      const { failures, outOf } = resolveFailWhen(own, config.checkAlarms);
      evaluationIssue(
        checkFailurePeriodMs(schedule),
        outOf,
        own === undefined
          ? ['checks', index, 'schedule']
          : check.failWhen !== undefined
            ? ['checks', index, 'failWhen', 'outOf']
            : group?.failWhen !== undefined
              ? ['checkGroups', config.checkGroups.indexOf(group), 'failWhen', 'outOf']
              : ['defaults', 'failWhen', 'outOf'],
        `the failure alarm of check '${check.name}' (failWhen: ${failures} of the last ${outOf} runs)`,
        issue,
      );
    }
    descriptionIssue(
      check.description,
      check.runbookUrl ?? group?.runbookUrl ?? config.defaults.runbookUrl,
      ['checks', index, 'description'],
      issue,
    );
  });
};

const checkKpiAlarms = (config: VigilConfig, issue: Issue) => {
  config.kpis.forEach((kpi, index) => {
    const at = (...path: PropertyKey[]) => ['kpis', index, ...path];
    scheduleExpressionIssue(kpi.schedule, at('schedule'), issue);
    const schedule = scheduleOf(kpi.schedule ?? KPI_DEFAULTS.schedule);
    if (schedule !== undefined) {
      const period = kpiPeriodMs(schedule, kpi.period);
      if ('periodMs' in period) {
        evaluationIssue(
          period.periodMs,
          kpi.evaluationPeriods ?? KPI_DEFAULTS.evaluationPeriods,
          at('evaluationPeriods'),
          `KPI '${kpi.name}'`,
          issue,
        );
      }
    }
    descriptionIssue(undefined, kpi.runbookUrl ?? config.defaults.runbookUrl, at('runbookUrl'), issue);
  });
};

const checkRuleAlarms = (config: VigilConfig, issue: Issue) => {
  const groups = new Map(config.checkGroups.map((group) => [group.name, group]));
  const checkSchedules = new Map(
    config.checks.map((check) => {
      const group = check.group !== undefined ? groups.get(check.group) : undefined;
      return [
        check.name,
        scheduleOf(check.schedule ?? group?.schedule ?? config.defaults.schedule ?? CHECK_DEFAULTS.schedule),
      ];
    }),
  );
  const rules = new Map(config.alertRules.map((rule) => [rule.name, rule]));
  const byName = new Map(config.alarms.map((alarm) => [alarm.name, alarm]));
  config.alarms.forEach((alarm, index) => {
    const at = (...path: PropertyKey[]) => ['alarms', index, ...path];
    const defaults = RULE_ALARM_DEFAULTS[alarm.type];
    let periodMs: number = alarm.period ?? defaults.periodMs;
    if (alarm.type === 'serviceDown') {
      if (alarm.checks.length > AWS_LIMITS.alarmMetricStats) {
        issue(
          at('checks'),
          `a serviceDown alarm over ${alarm.checks.length} checks needs ${alarm.checks.length} metrics; a CloudWatch metric-math alarm retrieves at most ${AWS_LIMITS.alarmMetricStats}: split it into several serviceDown alarms`,
        );
      }
      if (alarm.period === undefined) {
        const schedules = alarm.checks.flatMap((name) => {
          const schedule = checkSchedules.get(name);
          return schedule !== undefined ? [schedule] : [];
        });
        periodMs = serviceDownPeriodMs(schedules);
      }
    }
    evaluationIssue(
      periodMs,
      alarm.evaluationPeriods ?? defaults.evaluationPeriods,
      at(alarm.evaluationPeriods !== undefined ? 'evaluationPeriods' : 'period'),
      `alarm '${alarm.name}'`,
      issue,
    );
    const rule = rules.get(alarm.rule ?? alarm.name);
    descriptionIssue(
      alarm.description ?? rule?.summary,
      alarm.runbookUrl ?? rule?.runbookUrl,
      at(alarm.description !== undefined ? 'description' : 'runbookUrl'),
      issue,
    );
    if (alarm.suppressedBy.length > 0) {
      // The composite ORing the suppressors names each by ARN: `(ALARM("arn:…:alarm:<app>-rule-<name>") OR …)`.
      const ruleLength = alarm.suppressedBy
        .filter((name) => byName.has(name))
        .reduce((sum, name) => sum + RULE_TERM_OVERHEAD + alarmName(config.app, 'rule', name).length, 2);
      if (ruleLength > AWS_LIMITS.compositeAlarmRule) {
        issue(
          at('suppressedBy'),
          `the composite alarm ORing ${alarm.suppressedBy.length} suppressors has a rule of up to ${plural(ruleLength, 'characters')}; CloudWatch composite alarm rules hold ${plural(AWS_LIMITS.compositeAlarmRule, 'characters')}: suppress by fewer alarms (e.g. one serviceDown alarm over several checks)`,
        );
      }
    }
  });
};

const checkErrorTracking = (config: VigilConfig, issue: Issue) => {
  const labels = new Map<string, number>();
  config.errorTracking.logGroups.forEach((entry, index) => {
    const name = typeof entry === 'string' ? entry : entry.name;
    const at = ['errorTracking', 'logGroups', index];
    const label = logGroupLabel(name);
    const previous = labels.get(label);
    if (previous !== undefined) {
      issue(
        at,
        `log group '${name}' gets the metric and alarm label '${label}', like errorTracking.logGroups[${previous}]: watch each log group once`,
      );
    }
    labels.set(label, index);
    // Measured untrimmed: alarmName() trims to the limit, which would hide the problem.
    const longest = config.app.length + ERROR_ALARM_EXTRA + label.length;
    if (longest > AWS_LIMITS.alarmName) {
      issue(
        at,
        `its alarm '${alarmName(config.app, 'rule', `errors-rising-${label}`)}-<severity>' would be ${plural(longest, 'characters')}; CloudWatch alarm names hold ${AWS_LIMITS.alarmName}: watch a log group with a shorter name`,
      );
    }
  });
};

/**
 * Every host a certificate alarm pair could be made for (the check alarms' `certificateWatches`), where the config names it: a `tls` or TLS `tcp`
 * check's host, a literal HTTPS step URL, and (when a step is `{{baseUrl}}`- or `/`-relative) every
 * environment's HTTPS base URL.
 */
const certificateHostsNamed = (config: VigilConfig): { host: string; path: PropertyKey[] }[] => {
  const named: { host: string; path: PropertyKey[] }[] = [];
  let relative = false;
  config.checks.forEach((check, index) => {
    if (
      'host' in check &&
      typeof check.host === 'string' &&
      (check.type === 'tls' || (check.type === 'tcp' && check.tls))
    ) {
      named.push({ host: check.host.toLowerCase(), path: ['checks', index, 'host'] });
    }
    for (const part of ['setup', 'steps', 'teardown'] as const) {
      const steps = part in check ? (check as Record<typeof part, { request: { url: string } }[]>)[part] : [];
      steps.forEach((step, at) => {
        const url = step?.request?.url;
        if (typeof url !== 'string') return; // it did not parse: its own problem is reported
        if (url.startsWith('{{baseUrl}}') || url.startsWith('/')) relative = true;
        const host = httpsHost(url);
        if (host !== undefined) named.push({ host, path: ['checks', index, part, at, 'request', 'url'] });
      });
    }
  });
  if (relative) {
    for (const [name, environment] of Object.entries(config.environments)) {
      if (typeof environment?.baseUrl !== 'string') continue;
      const host = httpsHost(environment.baseUrl);
      if (host !== undefined) named.push({ host, path: ['environments', name, 'baseUrl'] });
    }
  }
  return named;
};

const checkCertificateAlarmNames = (config: VigilConfig, issue: Issue) => {
  if (config.checkAlarms.certificate === false) return;
  for (const { host, path } of certificateHostsNamed(config)) {
    // Measured untrimmed: alarmName() trims to the limit, which would cut the severity off.
    const longest = config.app.length + CERTIFICATE_ALARM_EXTRA + host.length;
    if (longest > AWS_LIMITS.alarmName) {
      issue(
        path,
        `the certificate alarms of host '${host}' ('${config.app}-check-certificate-<host>-<severity>') would be ${plural(longest, 'characters')}; CloudWatch alarm names hold ${AWS_LIMITS.alarmName}: use a shorter app name or turn certificate alarms off (checkAlarms.certificate: false)`,
      );
    }
  }
};
