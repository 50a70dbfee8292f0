import type { RuleAlarmConfig, SloConfig } from '../functions/commons/config/observability-schema';
import type { ResolvedCheck } from '../functions/commons/config/types';
import { splitByCost } from './stack-budget';

/**
 * Where the observability alarms go: pure functions over the config and the resources each construct says
 * it adds, so the placement is planned (and tested) without building a construct.
 */

/**
 * Groups rule alarms into suppression groups (an alarm with everything it suppresses or is suppressed by),
 * so a composite and its suppressors always land in the same stack.
 *
 * @example
 * suppressionGroups(config.alarms).length; // number of independent groups
 */
export const suppressionGroups = (alarms: readonly RuleAlarmConfig[]): RuleAlarmConfig[][] => {
  const parent = new Map(alarms.map((alarm) => [alarm.name, alarm.name]));
  const find = (name: string): string => {
    let root = name;
    while (parent.get(root) !== root && parent.get(root) !== undefined) root = parent.get(root) as string;
    return root;
  };
  for (const alarm of alarms) {
    for (const other of alarm.suppressedBy) if (parent.has(other)) parent.set(find(other), find(alarm.name));
  }
  const groups = new Map<string, RuleAlarmConfig[]>();
  for (const alarm of alarms) groups.set(find(alarm.name), [...(groups.get(find(alarm.name)) ?? []), alarm]);
  return [...groups.values()];
};

/** What the alarms stacks hold, before placement. */
export interface ObservabilityAlarmItems<Log> {
  readonly alarms: readonly RuleAlarmConfig[];
  readonly slos: readonly SloConfig[];
  readonly logGroups: readonly Log[];
}

/** CloudFormation resources each item adds, as its construct reports them. */
export interface ObservabilityAlarmCosts<Log> {
  readonly rule: (alarm: RuleAlarmConfig) => number;
  readonly slo: (slo: SloConfig) => number;
  readonly logGroup: (entry: Log) => number;
}

/** The items of one alarms stack, and the resources they add. */
export interface ObservabilityAlarmPart<Log> {
  readonly alarms: readonly RuleAlarmConfig[];
  readonly slos: readonly SloConfig[];
  readonly logGroups: readonly Log[];
  readonly resources: number;
}

type Unit<Log> =
  | { readonly alarms: readonly RuleAlarmConfig[]; readonly cost: number }
  | { readonly slo: SloConfig; readonly cost: number }
  | { readonly log: Log; readonly cost: number };

/**
 * Splits rule alarms (whole suppression groups), SLOs and watched log groups, in that order, into parts
 * whose counted resources stay within `budget`. A unit costing more than the budget gets a part of its own
 * (the synth guard then names the stack).
 *
 * @example
 * planObservabilityAlarms({ alarms, slos, logGroups }, costs, STACK_RESOURCE_BUDGET).length; // stacks needed
 */
export const planObservabilityAlarms = <Log>(
  items: ObservabilityAlarmItems<Log>,
  costs: ObservabilityAlarmCosts<Log>,
  budget: number,
): ObservabilityAlarmPart<Log>[] => {
  const units: Unit<Log>[] = [
    ...suppressionGroups(items.alarms).map((group) => ({
      alarms: group,
      cost: group.reduce((sum, alarm) => sum + costs.rule(alarm), 0),
    })),
    ...items.slos.map((slo) => ({ slo, cost: costs.slo(slo) })),
    ...items.logGroups.map((log) => ({ log, cost: costs.logGroup(log) })),
  ];
  if (units.length === 0) return [];
  return splitByCost(units, (unit) => unit.cost, budget).map((part) => ({
    alarms: part.flatMap((unit) => ('alarms' in unit ? unit.alarms : [])),
    slos: part.flatMap((unit) => ('slo' in unit ? [unit.slo] : [])),
    logGroups: part.flatMap((unit) => ('log' in unit ? [unit.log] : [])),
    resources: part.reduce((sum, unit) => sum + unit.cost, 0),
  }));
};

/**
 * The checks of each region, regions in order, keeping the checks' order: what every per-region stack
 * (runner, check alarms, degraded alarms) is built from.
 *
 * @example
 * checksByRegion(checks); // [['eu-west-1', [...]], ['us-east-1', [...]]]
 */
export const checksByRegion = (checks: readonly ResolvedCheck[]): [string, ResolvedCheck[]][] => {
  const byRegion = new Map<string, ResolvedCheck[]>();
  for (const check of checks) {
    for (const region of check.locations) byRegion.set(region, [...(byRegion.get(region) ?? []), check]);
  }
  return [...byRegion].sort(([a], [b]) => a.localeCompare(b));
};
