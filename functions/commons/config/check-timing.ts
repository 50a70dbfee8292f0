import type { z } from 'zod';
import type { checkGroupSchema, checkSchema, checkSettingsSchema } from './check-schema';
import { CHECK_DEFAULTS } from './defaults';
import { formatDuration } from './duration';
import { formatPath } from './errors';

type Settings = z.output<typeof checkSettingsSchema>;
type Issue = (path: PropertyKey[], message: string) => void;

/** Settings of one level of inheritance, and where they are written. */
interface Scope {
  readonly settings: Partial<Settings>;
  readonly path: readonly PropertyKey[];
}

/** A duration in effect at some level: its value, and whether that level sets it or inherits it. */
interface InEffect {
  readonly ms: number;
  readonly own: boolean;
  readonly path: PropertyKey[];
  readonly from: string;
}

const BUILT_IN: Partial<Record<keyof Settings, number>> = {
  timeout: CHECK_DEFAULTS.timeoutMs,
  stepTimeout: CHECK_DEFAULTS.stepTimeoutMs,
};

const inEffect = (
  key: 'timeout' | 'stepTimeout' | 'degradedAfter' | 'failedAfter',
  chain: readonly Scope[],
): InEffect | undefined => {
  for (const [index, scope] of chain.entries()) {
    const ms = scope.settings[key];
    if (typeof ms === 'number') {
      const path = [...scope.path, key];
      return { ms, own: index === 0, path, from: formatPath(path) };
    }
  }
  const builtIn = BUILT_IN[key];
  return builtIn === undefined
    ? undefined
    : { ms: builtIn, own: false, path: [], from: 'the built-in default' };
};

// Pairs whose first value must not be above the second, and why.
const ORDERED = [
  ['stepTimeout', 'timeout', 'a request would be cut off by the whole check first'],
  ['degradedAfter', 'failedAfter', 'a check would fail before it could be degraded'],
] as const;

/**
 * Reports durations whose order can never work, at the level that sets them: a `stepTimeout` above the
 * `timeout` in effect (own or inherited: check > group > `defaults` > built-ins), a `degradedAfter` above the
 * `failedAfter` in effect, and within steps a `timeout` above the check's and a `degradedAfter` above the
 * step's `failedAfter`. Each problem is reported once, at the path of the value set at that level.
 */
export const checkTimings = (
  config: {
    readonly defaults: Partial<Settings>;
    readonly checkGroups: readonly z.output<typeof checkGroupSchema>[];
    readonly checks: readonly z.output<typeof checkSchema>[];
  },
  issue: Issue,
): void => {
  const ordered = (chain: readonly Scope[]) => {
    for (const [low, high, why] of ORDERED) {
      const a = inEffect(low, chain);
      const b = inEffect(high, chain);
      if (a === undefined || b === undefined || a.ms <= b.ms || (!a.own && !b.own)) continue;
      if (a.own) {
        issue(
          a.path,
          `${low} ${formatDuration(a.ms)} is above ${high} ${formatDuration(b.ms)}${b.own ? '' : ` (${b.from})`}: ${why}`,
        );
      } else {
        issue(
          b.path,
          `${high} ${formatDuration(b.ms)} is below ${low} ${formatDuration(a.ms)} (${a.from}): ${why}`,
        );
      }
    }
  };
  const defaults: Scope = { settings: config.defaults ?? {}, path: ['defaults'] };
  ordered([defaults]);
  const groups = new Map<string, Scope>();
  config.checkGroups.forEach((group, index) => {
    const scope = { settings: group, path: ['checkGroups', index] };
    if (!groups.has(group.name)) groups.set(group.name, scope);
    ordered([scope, defaults]);
  });
  config.checks.forEach((check, index) => {
    const group = check.group !== undefined ? groups.get(check.group) : undefined;
    const chain = [{ settings: check, path: ['checks', index] }, ...(group ? [group] : []), defaults];
    ordered(chain);
    if (check.type !== 'api') return;
    const timeout = inEffect('timeout', chain);
    for (const phase of ['setup', 'steps', 'teardown'] as const) {
      check[phase]?.forEach((step, stepIndex) => {
        const at = ['checks', index, phase, stepIndex];
        if (step.timeout !== undefined && timeout !== undefined && step.timeout > timeout.ms) {
          issue(
            [...at, 'timeout'],
            `timeout ${formatDuration(step.timeout)} is above the check's timeout ${formatDuration(timeout.ms)}${timeout.own ? '' : ` (${timeout.from})`}: the step would be cut off by the whole check first`,
          );
        }
        if (
          step.degradedAfter !== undefined &&
          step.failedAfter !== undefined &&
          step.degradedAfter > step.failedAfter
        ) {
          issue(
            [...at, 'degradedAfter'],
            `degradedAfter ${formatDuration(step.degradedAfter)} is above failedAfter ${formatDuration(step.failedAfter)}: the step would fail before it could be degraded`,
          );
        }
      });
    }
  });
};
