/**
 * Built-in settings, the last step of inheritance (check > group > `defaults` > these).
 * Kept in one place so docs, schema and runtime agree.
 */
export const CHECK_DEFAULTS = {
  /** Every five minutes. */
  schedule: '5m',
  /** One location. */
  locations: ['us-east-1'],
  /** A failing check is a warning unless said otherwise. */
  severity: 'warning',
  /** Owner when none is named. */
  team: 'default',
  /** Whole check, across steps and retries. */
  timeoutMs: 60_000,
  /** Each request. */
  stepTimeoutMs: 10_000,
  /** No retry: one attempt. */
  retry: { strategy: 'fixed', maxAttempts: 1, delayMs: 1_000, maxDelayMs: 10_000 },
  /** Response bodies beyond this fail the step instead of filling memory. */
  maxBodyBytes: 1_048_576,
  /** Redirects followed per request. */
  maxRedirects: 5,
} as const;

/**
 * The words a health body uses for a dependency's status, compared case-insensitively. A check may replace
 * either list (`healthy` / `unhealthy` on a `dependencies` assertion, `healthyValues` / `unhealthyValues`
 * on a health check); a status in neither list counts as down, named as unrecognised.
 */
export const DEPENDENCY_STATUSES = {
  /** Up: the usual words of Spring, the IETF health draft (`pass`, `warn`), gRPC (`SERVING`) and the rest. */
  healthy: [
    'ok',
    'up',
    'healthy',
    'ready',
    'pass',
    'passed',
    'passing',
    'warn',
    'connected',
    'available',
    'online',
    'running',
    'alive',
    'started',
    'serving',
    'operational',
    'success',
    'green',
    'true',
  ],
  /** Down. */
  unhealthy: [
    'down',
    'fail',
    'failed',
    'failing',
    'error',
    'unhealthy',
    'not_ready',
    'disconnected',
    'unavailable',
    'offline',
    'stopped',
    'dead',
    'timeout',
    'critical',
    'not_serving',
    'out_of_service',
    'red',
    'false',
  ],
} as const;
