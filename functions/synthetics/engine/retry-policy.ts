import type { ResolvedRetry } from '../../commons/config/types';

/**
 * The wait before retry number `retry` (1 for the first retry): `fixed` waits `delayMs` each time,
 * `linear` `delayMs * retry`, `exponential` `delayMs * 2^(retry-1)`; all capped by `maxDelayMs`.
 * The check runner also never sleeps past the check's own `timeoutMs`.
 *
 * @example
 * retryDelayMs({ strategy: 'exponential', maxAttempts: 4, delayMs: 100, maxDelayMs: 300 }, 3); // 300
 */
export const retryDelayMs = (policy: ResolvedRetry, retry: number): number => {
  const n = Math.max(1, Math.floor(retry));
  const raw =
    policy.strategy === 'linear'
      ? policy.delayMs * n
      : policy.strategy === 'exponential'
        ? policy.delayMs * 2 ** (n - 1)
        : policy.delayMs;
  return Math.max(0, Math.min(raw, policy.maxDelayMs));
};
