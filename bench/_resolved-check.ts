// The resolved check the benches build their workloads from, with the defaults a config would give a typical
// API check (one-minute schedule, 10 s budget, one attempt). Each bench names only what its workload changes.
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
  locations: ['us-east-1'],
  severity: 'warning',
  team: 'default',
  tags: {},
  timeoutMs: 10_000,
  retry: { strategy: 'fixed', maxAttempts: 1, delayMs: 1_000, maxDelayMs: 10_000 },
  maxBodyBytes: 1_048_576,
  maxRedirects: 5,
  variables: {},
  setup: [],
  steps,
  teardown: [],
  secrets: [],
  ...overrides,
});
