import { TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmKind } from '../../../functions/commons/alarm-naming';
import type { AlertRuleConfig } from '../../../functions/commons/config/escalation-schema';
import type { RuleAlarmConfig } from '../../../functions/commons/config/observability-schema';
import type { Severity } from '../../../functions/commons/severity';

/**
 * Name of an alarm that only feeds a composite (a suppressed alarm's input, a burn-rate window). It
 * deliberately does not start with `<app>-`, so the escalation engine (which routes every alarm named
 * `<app>-*`) never pages on it: only the composite above it is routed.
 *
 * @example
 * inputAlarmName('shop', 'slo', 'checkout-burn-1h'); // 'shop.input.slo-checkout-burn-1h'
 */
export const inputAlarmName = (app: string, kind: AlarmKind, name: string): string =>
  `${app}.input.${kind}-${name}`.slice(0, 255);

/** Maps the config's missing-data words to CloudWatch's. */
export const treatMissingData = (
  value: 'missing' | 'ignore' | 'breaching' | 'notBreaching',
): TreatMissingData =>
  ({
    missing: TreatMissingData.MISSING,
    ignore: TreatMissingData.IGNORE,
    breaching: TreatMissingData.BREACHING,
    notBreaching: TreatMissingData.NOT_BREACHING,
  })[value];

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
