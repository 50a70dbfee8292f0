// The resolved check the benches build their workloads from: the shared test fixture (a check with the
// built-in defaults) on a one-minute schedule with a 10 s budget and the built-in retry, as a typical API
// check. Each bench names only what its workload changes.
import { CHECK_DEFAULTS } from '../functions/commons/config/defaults';
import type { ResolvedCheck, ResolvedStep } from '../functions/commons/config/types';
import { check } from '../test/helpers/http/check-fixture';

/**
 * A resolved API check named `name` running `steps`, with a bench's usual settings; `overrides` replaces
 * any field (the scale run's schedule, for instance).
 */
export const benchCheck = (
  name: string,
  steps: ResolvedStep[],
  overrides: Partial<ResolvedCheck> = {},
): ResolvedCheck =>
  check(name, steps, {
    schedule: { key: 'every-1m', expression: 'rate(1 minute)', everyMs: 60_000 },
    timeoutMs: 10_000,
    retry: { ...CHECK_DEFAULTS.retry },
    ...overrides,
  });
