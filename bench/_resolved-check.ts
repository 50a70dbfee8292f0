// The resolved check the benches build their workloads from: the built-in defaults (CHECK_DEFAULTS) on a
// one-minute schedule with a 10 s budget, as a typical API check. Each bench names only what its workload
// changes.
import { CHECK_DEFAULTS } from '../functions/commons/config/defaults';
import type { ResolvedCheck, ResolvedStep } from '../functions/commons/config/types';

/**
 * A resolved API check named `name` running `steps`, with a bench's usual defaults; `overrides` replaces
 * any field (the scale run's schedule, for instance).
 */
export const benchCheck = (
  name: string,
  steps: ResolvedStep[],
  overrides: Partial<ResolvedCheck> = {},
): ResolvedCheck => ({
  name,
  type: 'api',
  schedule: { key: 'every-1m', expression: 'rate(1 minute)', everyMs: 60_000 },
  failWhen: { failures: 2, outOf: 2 },
  locations: [...CHECK_DEFAULTS.locations],
  severity: CHECK_DEFAULTS.severity,
  team: CHECK_DEFAULTS.team,
  retry: { ...CHECK_DEFAULTS.retry },
  maxBodyBytes: CHECK_DEFAULTS.maxBodyBytes,
  maxRedirects: CHECK_DEFAULTS.maxRedirects,
  timeoutMs: 10_000,
  tags: {},
  variables: {},
  setup: [],
  steps,
  teardown: [],
  secrets: [],
  ...overrides,
});
