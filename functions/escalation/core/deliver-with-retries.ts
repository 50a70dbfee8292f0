import type { EscalationClock, HttpPort, HttpRequest, RandomSource } from '../types/ports';
import type { RuntimeRetryWindows } from '../types/runtime-config';
import { EscalationDeliveryError } from './errors';

/** Retry windows when the bundled config predates them (the `escalation.retry` defaults). */
export const DEFAULT_RETRY_WINDOWS: RuntimeRetryWindows = {
  trigger: 120_000,
  acknowledge: 3_600_000,
  resolve: 3_600_000,
};

/**
 * Pauses between rounds of attempts (each round is the channel's `attempts` with {@link deliverWithRetries}'
 * short backoff): the first `baseMs`, doubling each round up to `maxMs`, each drawn with equal jitter from
 * [half, whole]. Long pauses are Wait states of the execution, never a sleeping Lambda.
 */
export const ROUND_BACKOFF = {
  /** Ceiling of the first pause. */
  baseMs: 10_000,
  /** Largest ceiling. */
  maxMs: 300_000,
} as const;

/** Longest `Retry-After` waited inside a round (in the Lambda); a longer one ends the round and is waited by the execution. */
export const IN_ROUND_RETRY_AFTER_MS = 5_000;

/**
 * The pause after failed round `round` (1-based): `min(maxMs, baseMs × 2^(round-1))`, halved plus a random
 * half (equal jitter), so channels failing together do not retry in lockstep.
 *
 * @example
 * roundBackoffMs(1, () => 0.5); // 7500
 */
export const roundBackoffMs = (round: number, random: RandomSource): number => {
  const ceiling = Math.min(ROUND_BACKOFF.maxMs, ROUND_BACKOFF.baseMs * 2 ** Math.max(0, round - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
};

/**
 * When the next round may start: after the receiver's `Retry-After` when it gave one, else after the
 * jittered backoff; `undefined` when that falls beyond the window (the delivery is given up on now).
 */
export const nextRoundAt = (
  now: number,
  since: number,
  windowMs: number,
  round: number,
  random: RandomSource,
  retryAfter?: number,
): number | undefined => {
  const at = now + (retryAfter ?? roundBackoffMs(round, random));
  return at <= since + windowMs ? at : undefined;
};

/** One send's verdict. */
export type SendResult =
  | { readonly status: 'ok'; readonly detail: string }
  | { readonly status: 'retry'; readonly detail: string; readonly afterMs?: number }
  | { readonly status: 'fatal'; readonly detail: string };

/** Retry policy of one delivery. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** First backoff; doubles each retry. @default 250 */
  readonly baseDelayMs?: number;
  /** A `Retry-After` longer than this fails the delivery rather than blocking it. @default 20000 */
  readonly maxRetryAfterMs?: number;
}

/**
 * Parses `Retry-After`: delta seconds or an HTTP date. `undefined` when absent or unreadable.
 *
 * @example
 * retryAfterMs('2', Date.now()); // 2000
 */
export const retryAfterMs = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

/**
 * Runs `send` until it succeeds, with exponential backoff; a `retry` verdict carrying `afterMs` (a 429's
 * `Retry-After`) waits exactly that long instead.
 *
 * @returns the number of attempts it took and the final detail
 * @throws {EscalationDeliveryError} when every attempt failed, a failure was fatal, or `Retry-After` exceeds the cap
 */
export const deliverWithRetries = async (
  send: () => Promise<SendResult>,
  clock: EscalationClock,
  options: RetryOptions,
): Promise<{ attempts: number; detail: string }> => {
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxRetryAfterMs ?? 20_000;
  const history: string[] = [];
  for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
    let result: SendResult;
    try {
      result = await send();
    } catch (error) {
      result = { status: 'retry', detail: `${(error as Error).name}: ${(error as Error).message}` };
    }
    if (result.status === 'ok') return { attempts: attempt, detail: [...history, result.detail].join('; ') };
    history.push(result.detail);
    if (result.status === 'fatal') throw new EscalationDeliveryError(history.join('; '), attempt, false);
    if (attempt === options.attempts) break;
    if (result.afterMs !== undefined && result.afterMs > cap) {
      throw new EscalationDeliveryError(
        `${history.join('; ')}; Retry-After ${result.afterMs}ms exceeds ${cap}ms`,
        attempt,
        true,
        { retryAfterMs: result.afterMs },
      );
    }
    await clock.sleep(result.afterMs ?? base * 2 ** (attempt - 1));
  }
  throw new EscalationDeliveryError(history.join('; '), options.attempts, true);
};

/** Sends one HTTP request and classifies the response: 2xx ok, 429 / 5xx / network retry, other 4xx fatal. */
export const httpSend =
  (http: HttpPort, request: HttpRequest, now: () => number) => async (): Promise<SendResult> => {
    const response = await http(request);
    // A local run that printed the request made no send: it reports no HTTP status.
    if (response.printed === true) return { status: 'ok', detail: 'printed' };
    const detail = `HTTP ${response.status}`;
    if (response.status >= 200 && response.status < 300) return { status: 'ok', detail };
    if (response.status === 429) {
      const after = retryAfterMs(response.headers['retry-after'], now());
      return { status: 'retry', detail, ...(after !== undefined ? { afterMs: after } : {}) };
    }
    if (response.status >= 500 || response.status === 408) return { status: 'retry', detail };
    return { status: 'fatal', detail: `${detail}: ${response.body.slice(0, 200)}` };
  };
