import { ALARM_TAGS } from '../../commons/alarm-naming';
import type { AlarmSnapshot } from '../types/incident';
import type { AlertSeverity, EscalationRuntimeConfig, RuntimeAlertRule } from '../types/runtime-config';
import { globMatch } from './glob';
import { policyKey } from './resolve-runtime-config';

/** Where an alarm goes: severity, team, policy and the rule that describes it. */
export interface AlarmRoute {
  readonly severity: AlertSeverity;
  readonly team: string;
  readonly policy: string;
  readonly rule?: RuntimeAlertRule;
  readonly summary: string;
  readonly runbookUrl?: string;
}

const SEVERITIES = new Set<string>(['critical', 'warning', 'info']);

/** Severity when neither tags nor a rule say. */
export const DEFAULT_SEVERITY: AlertSeverity = 'warning';
/** Team when neither tags nor a rule say. */
export const DEFAULT_TEAM = 'default';

/** Finds the alert rule covering an alarm: a matching `alarms` pattern, else a `<app>-rule-<Name>` name. */
export const findRule = (
  alarmName: string,
  rules: readonly RuntimeAlertRule[],
  app: string,
): RuntimeAlertRule | undefined =>
  rules.find((rule) => rule.alarms.some((pattern) => globMatch(pattern, alarmName))) ??
  rules.find(
    (rule) => alarmName === `${app}-rule-${rule.name}` || alarmName.startsWith(`${app}-rule-${rule.name}-`),
  );

const runbookFrom = (description: string | undefined): string | undefined =>
  description?.match(/https?:\/\/[^\s)>"']+/)?.[0];

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
  config: Pick<EscalationRuntimeConfig, 'rules' | 'policies' | 'app'>,
): AlarmRoute => {
  const rule = findRule(alarm.alarmName, config.rules, config.app);
  const tagged = tags[ALARM_TAGS.severity];
  const severity: AlertSeverity =
    tagged !== undefined && SEVERITIES.has(tagged)
      ? (tagged as AlertSeverity)
      : (rule?.severity ?? DEFAULT_SEVERITY);
  const team = tags[ALARM_TAGS.team] ?? rule?.team ?? DEFAULT_TEAM;
  const teamPolicy = policyKey(severity, team);
  const runbookUrl = rule?.runbookUrl ?? runbookFrom(alarm.description);
  return {
    severity,
    team,
    policy: teamPolicy in config.policies ? teamPolicy : severity,
    ...(rule !== undefined ? { rule } : {}),
    summary: rule?.summary ?? alarm.description?.split('\n')[0] ?? alarm.alarmName,
    ...(runbookUrl !== undefined ? { runbookUrl } : {}),
  };
};
