import type { AlertRuleConfig } from '../../../functions/commons/config/escalation-schema';
import type { RuleAlarmConfig } from '../../../functions/commons/config/observability-schema';
import type { Severity } from '../../../functions/commons/severity';

/** Severity, team, runbook and summary of a rule alarm after inheriting from its alert rule. */
export interface RuleRouting {
  readonly severity: Severity;
  readonly team: string;
  readonly runbookUrl?: string;
  readonly summary: string;
}

/**
 * Resolves a rule alarm's routing: its own fields, else its alert rule's (`rule`, or the rule named like
 * the alarm), else `warning` / the config's default team.
 *
 * @example
 * ruleRouting({ name: 'ServiceDown', ... }, [{ name: 'ServiceDown', severity: 'critical', team: 'platform', ... }], 'default');
 */
export const ruleRouting = (
  alarm: RuleAlarmConfig,
  rules: readonly AlertRuleConfig[],
  defaultTeam: string,
): RuleRouting => {
  const rule = rules.find((candidate) => candidate.name === (alarm.rule ?? alarm.name));
  const runbookUrl = alarm.runbookUrl ?? rule?.runbookUrl;
  return {
    severity: alarm.severity ?? rule?.severity ?? 'warning',
    team: alarm.team ?? rule?.team ?? defaultTeam,
    ...(runbookUrl !== undefined ? { runbookUrl } : {}),
    summary: alarm.description ?? rule?.summary ?? alarm.name,
  };
};
