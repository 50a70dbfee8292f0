import type { Assertion, ResolvedCheck, ResolvedStep } from '../../../functions/commons/config/types';

/**
 * A resolved step with test-friendly defaults: GET, no extractors, a 30 s timeout. The timeout is generous
 * on purpose: a test about something else must pass however loaded the machine is; a test about timeouts
 * sets its own.
 */
export const step = (
  name: string,
  url: string,
  overrides: Partial<Omit<ResolvedStep, 'request'>> & { request?: Partial<ResolvedStep['request']> } = {},
): ResolvedStep => {
  const { request, ...rest } = overrides;
  return {
    name,
    extract: [],
    assert: [] as Assertion[],
    timeoutMs: 30_000,
    ...rest,
    request: { method: 'GET', url, headers: {}, ...request },
  };
};

/** A resolved check with the built-in defaults a config would give it, one attempt and a generous 60 s budget. */
export const check = (
  name: string,
  steps: ResolvedStep[],
  overrides: Partial<ResolvedCheck> = {},
): ResolvedCheck => ({
  name,
  type: 'api',
  schedule: { key: 'every-5m', expression: 'rate(5 minutes)', everyMs: 300_000 },
  locations: ['us-east-1'],
  severity: 'warning',
  team: 'default',
  failWhen: { failures: 2, outOf: 2 },
  tags: {},
  timeoutMs: 60_000,
  retry: { strategy: 'fixed', maxAttempts: 1, delayMs: 10, maxDelayMs: 1_000 },
  maxBodyBytes: 1_048_576,
  maxRedirects: 5,
  variables: {},
  setup: [],
  steps,
  teardown: [],
  secrets: [],
  ...overrides,
});
