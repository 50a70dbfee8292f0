import { setMaxListeners } from 'node:events';
import { realClock } from '../../commons/clock';
import type { ResolvedCheck } from '../../commons/config/types';
import type { CheckResult } from '../types/results';
import { runCheck, type SharedRun, trustOf } from './check-runner';
import type { EngineOptions } from './engine-options';
import { HttpClient } from './http-client';

const crashed = (
  check: ResolvedCheck,
  error: unknown,
  options: EngineOptions,
  startedAt: string,
): CheckResult => ({
  name: check.name,
  status: 'failed',
  startedAt,
  durationMs: 0,
  steps: [],
  firstAttemptStatus: 'failed',
  retries: 0,
  attempts: [],
  error: `internal error: ${(error as Error)?.message ?? String(error)}`,
  severity: check.severity,
  team: check.team,
  ...(options.location !== undefined ? { location: options.location } : {}),
});

/**
 * The abort signal of one run: a single listener on the caller's signal, forwarded to a run signal that the
 * run's requests and retry waits listen to. Each in-flight check holds at most one listener on it at a
 * time (its current request or its retry wait), so its limit is the concurrency, not Node's default 10.
 */
const runSignal = (
  signal: AbortSignal | undefined,
  concurrency: number,
): { readonly signal?: AbortSignal; dispose(): void } => {
  if (!signal) return { dispose: () => undefined };
  const controller = new AbortController();
  setMaxListeners(concurrency + 1, controller.signal);
  const forward = (): void => controller.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  return { signal: controller.signal, dispose: () => signal.removeEventListener('abort', forward) };
};

/**
 * Runs many checks with at most `options.concurrency` in flight. By default the batch shares one
 * keep-alive pool of at most `concurrency` connections per origin (destroyed when the batch ends), so
 * every running check always has a connection of its own: a slow check never queues or distorts another's
 * timings, and the number of sockets stays bounded. One check's failure or timeout never rejects the batch. Secrets are resolved once for the whole call. Results come back in input order,
 * and each is also handed to `options.onResult` as soon as it is ready.
 *
 * @throws {RangeError} when `concurrency` is not an integer >= 1
 * @throws the first error thrown by `onResult`, after every check has finished
 * @example
 * const results = await runChecks(checks, { baseUrl: 'https://api.example.com', concurrency: 20 });
 */
export const runChecks = async (
  checks: readonly ResolvedCheck[],
  options: EngineOptions,
): Promise<CheckResult[]> => {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`EngineOptions.concurrency must be an integer >= 1, got ${options.concurrency}`);
  }
  const results: CheckResult[] = new Array(checks.length);
  const shared: SharedRun =
    options.reuseConnections === 'check'
      ? { secretCache: new Map() }
      : { secretCache: new Map(), client: new HttpClient(options.concurrency, trustOf(options)) };
  const run = runSignal(options.signal, options.concurrency);
  const checkOptions: EngineOptions = { ...options, ...(run.signal ? { signal: run.signal } : {}) };
  const clock = options.clock ?? realClock;
  const batchStart = clock.monotonic();
  let next = 0;
  let callbackError: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < checks.length) {
      const index = next;
      next += 1;
      const check = checks[index] as ResolvedCheck;
      const wait = batchStart + (options.startOffsetsMs?.[index] ?? 0) - clock.monotonic();
      if (wait > 0 && !run.signal?.aborted) await clock.sleep(wait, run.signal);
      let result: CheckResult;
      try {
        result = await runCheck(check, checkOptions, shared);
      } catch (error) {
        result = crashed(check, error, options, new Date((options.clock?.now ?? Date.now)()).toISOString());
      }
      results[index] = result;
      try {
        options.onResult?.(result);
      } catch (error) {
        callbackError ??= { error };
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, checks.length) }, worker));
  } finally {
    run.dispose();
    shared.client?.close();
  }
  if (callbackError) throw callbackError.error;
  return results;
};
