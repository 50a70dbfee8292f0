import { resolveChecks } from '../../functions/commons/config/resolve-config';
import { resolveKpis } from '../../functions/commons/config/resolve-kpis';
import type { VigilConfig } from '../../functions/commons/config/schema';

/** What a config change does to one named item. */
export type ConfigChangeKind = 'added' | 'removed' | 'changed';

/** The three things `vigil diff-config` reports on, in the order it prints them. */
export const CONFIG_DIFF_AREAS = ['checks', 'alarms', 'policies'] as const;

/** One of {@link CONFIG_DIFF_AREAS}. */
export type ConfigDiffArea = (typeof CONFIG_DIFF_AREAS)[number];

/** One added, removed or changed item between two configs. */
export interface ConfigChange {
  readonly area: ConfigDiffArea;
  /** What the item is, in words: `check`, `KPI alarm`, `escalation policy`. */
  readonly noun: string;
  readonly name: string;
  readonly kind: ConfigChangeKind;
  /** For `changed`: the settings that differ, `severity: warning → critical` for plain values. */
  readonly fields: readonly string[];
  /** What the change does beyond the item itself, e.g. the alarms that come and go with a check. */
  readonly effect?: string;
}

interface Section {
  readonly area: ConfigDiffArea;
  readonly noun: string;
  readonly items: (config: VigilConfig) => ReadonlyMap<string, unknown>;
  readonly added?: string;
  readonly removed?: string;
}

const byName = <T extends { readonly name: string }>(items: readonly T[]): ReadonlyMap<string, T> =>
  new Map(items.map((item) => [item.name, item]));

const single = (value: unknown): ReadonlyMap<string, unknown> =>
  value === undefined ? new Map() : new Map([['', value]]);

const escalationPolicies = (config: VigilConfig): ReadonlyMap<string, unknown> => {
  const escalation = config.escalation;
  if (escalation === undefined) return new Map();
  const { critical, warning, info, teams, ...engine } = escalation;
  return new Map<string, unknown>([
    ['critical', critical],
    ['warning', warning],
    ['info', info],
    ...Object.entries(teams).flatMap(([team, policies]) =>
      Object.entries(policies).map(([severity, policy]): [string, unknown] => [
        `${team}/${severity}`,
        policy,
      ]),
    ),
    ['(engine settings)', engine],
  ]);
};

/** Every named item a config deploys, grouped by what it is; one home for what `diff-config` compares. */
const SECTIONS: readonly Section[] = [
  {
    area: 'checks',
    noun: 'check',
    items: (config) => byName(resolveChecks(config)),
    added: 'adds its failure alarm and runner schedule',
    removed: 'removes its alarms; its metrics stop',
  },
  { area: 'checks', noun: 'environment', items: (config) => new Map(Object.entries(config.environments)) },
  { area: 'checks', noun: 'runner settings', items: (config) => single(config.runner) },
  { area: 'checks', noun: 'check defaults', items: (config) => single(config.defaults) },
  {
    area: 'alarms',
    noun: 'check alarm settings',
    items: (config) => single(config.checkAlarms),
  },
  {
    area: 'alarms',
    noun: 'KPI',
    items: (config) => byName(resolveKpis(config)),
    added: 'adds its threshold alarms',
    removed: 'removes its alarms',
  },
  { area: 'alarms', noun: 'rule alarm', items: (config) => byName(config.alarms) },
  { area: 'alarms', noun: 'SLO', items: (config) => byName(config.slos), added: 'adds its burn-rate alarms' },
  { area: 'alarms', noun: 'error tracking', items: (config) => single(config.errorTracking) },
  { area: 'policies', noun: 'escalation policy', items: escalationPolicies },
  { area: 'policies', noun: 'channel', items: (config) => new Map(Object.entries(config.channels)) },
  { area: 'policies', noun: 'alert rule', items: (config) => byName(config.alertRules) },
  { area: 'policies', noun: 'silence', items: (config) => byName(config.silences) },
  { area: 'policies', noun: 'business hours', items: (config) => single(config.businessHours) },
];

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const isPlain = (value: unknown): value is string | number | boolean | undefined =>
  value === undefined || ['string', 'number', 'boolean'].includes(typeof value);

const changedFields = (before: unknown, after: unknown): string[] => {
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null) {
    return [`${JSON.stringify(before)} → ${JSON.stringify(after)}`];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key) => {
    const a = (before as Record<string, unknown>)[key];
    const b = (after as Record<string, unknown>)[key];
    if (same(a, b)) return [];
    if (isPlain(a) && isPlain(b)) return [`${key}: ${a ?? '(unset)'} → ${b ?? '(unset)'}`];
    return [key];
  });
};

/**
 * What changing the config from `before` to `after` does to checks, alarms and escalation policies: the
 * items added, removed and changed (with the settings that differ), compared after defaults are applied,
 * so spelling out a default is no change.
 *
 * @example
 * diffConfigs(loadConfig('old.ts').config, loadConfig('new.ts').config).map(describeConfigChange);
 */
export const diffConfigs = (before: VigilConfig, after: VigilConfig): ConfigChange[] =>
  SECTIONS.flatMap((section) => {
    const old = section.items(before);
    const next = section.items(after);
    const names = [...new Set([...old.keys(), ...next.keys()])].sort();
    return names.flatMap((name): ConfigChange[] => {
      const base = { area: section.area, noun: section.noun, name };
      if (!old.has(name)) {
        return [{ ...base, kind: 'added', fields: [], ...(section.added ? { effect: section.added } : {}) }];
      }
      if (!next.has(name)) {
        return [
          { ...base, kind: 'removed', fields: [], ...(section.removed ? { effect: section.removed } : {}) },
        ];
      }
      const fields = changedFields(old.get(name), next.get(name));
      return fields.length === 0 ? [] : [{ ...base, kind: 'changed', fields }];
    });
  });

/**
 * One change in words: `check 'search' added: adds its failure alarm and runner schedule`.
 *
 * @example
 * describeConfigChange({ area: 'checks', noun: 'check', name: 'home', kind: 'changed', fields: ['locations'] });
 * // "check 'home' changed: locations"
 */
export const describeConfigChange = (change: ConfigChange): string => {
  const subject = change.name === '' ? change.noun : `${change.noun} '${change.name}'`;
  const detail =
    change.kind === 'changed' ? change.fields.join('; ') : change.effect !== undefined ? change.effect : '';
  return `${subject} ${change.kind}${detail ? `: ${detail}` : ''}`;
};
