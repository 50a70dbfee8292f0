import { ALARM_TAGS, isAlarmFor } from '../../commons/alarm-naming';
import { isSeverity, type Severity } from '../../commons/severity';
import type { AlarmSnapshot } from '../types/incident';
import type { EscalationRuntimeConfig, RuntimeAlertRule } from '../types/runtime-config';
import { globMatch } from './glob';
import { policyKey } from './resolve-runtime-config';

/** Where an alarm goes: severity, team, policy and the rule that describes it. */
export interface AlarmRoute {
  readonly severity: Severity;
  readonly team: string;
  readonly policy: string;
  readonly rule?: RuntimeAlertRule;
  readonly summary: string;
  readonly runbookUrl?: string;
}

/** Severity when neither tags nor a rule say. */
export const DEFAULT_SEVERITY: Severity = 'warning';
/** Team when neither tags nor a rule say. */
export const DEFAULT_TEAM = 'default';

/** Finds the alert rule covering an alarm: a matching `alarms` pattern, else a `<app>-rule-<Name>` name. */
export const findRule = (
  alarmName: string,
  rules: readonly RuntimeAlertRule[],
  app: string,
): RuntimeAlertRule | undefined =>
  rules.find((rule) => rule.alarms.some((pattern) => globMatch(pattern, alarmName))) ??
  rules.find((rule) => isAlarmFor(alarmName, app, 'rule', rule.name));

/**
 * The runbook an alarm description names, when it is one the config names: Vigil writes `Runbook: <url>`
 * into the descriptions of the alarms it creates, but anyone with `PutMetricAlarm` can write a description, so
 * a link found there is only a choice among the configured runbooks, never a new link.
 */
const configuredRunbookIn = (
  description: string | undefined,
  runbooks: readonly string[] | undefined,
): string | undefined => {
  if (description === undefined || runbooks === undefined || runbooks.length === 0) return undefined;
  const known = new Set(runbooks);
  return description.match(/https?:\/\/[^\s)>"'\]]+/g)?.find((url) => known.has(url));
};

/**
 * Routes an alarm: severity and team from its `vigil:*` tags, else from its alert rule, else defaults; the
 * team's own policy for that severity when one exists, else the severity's policy.
 *
 * @example
 * routeAlarm(alarm, { 'vigil:severity': 'critical', 'vigil:team': 'payments' }, config).policy; // 'team.payments.critical' or 'critical'
 */
export const routeAlarm = (
  alarm: AlarmSnapshot,
  tags: Readonly<Record<string, string>>,
  config: Pick<EscalationRuntimeConfig, 'rules' | 'policies' | 'app' | 'runbooks'>,
): AlarmRoute => {
  const rule = findRule(alarm.alarmName, config.rules, config.app);
  const tagged = tags[ALARM_TAGS.severity];
  const severity: Severity = isSeverity(tagged) ? tagged : (rule?.severity ?? DEFAULT_SEVERITY);
  const team = tags[ALARM_TAGS.team] ?? rule?.team ?? DEFAULT_TEAM;
  const teamPolicy = policyKey(severity, team);
  const runbookUrl = rule?.runbookUrl ?? configuredRunbookIn(alarm.description, config.runbooks);
  return {
    severity,
    team,
    policy: Object.hasOwn(config.policies, teamPolicy) ? teamPolicy : severity,
    ...(rule !== undefined ? { rule } : {}),
    summary: rule?.summary ?? alarm.description?.split('\n')[0] ?? alarm.alarmName,
    ...(runbookUrl !== undefined ? { runbookUrl } : {}),
  };
};
