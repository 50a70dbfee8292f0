import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../types/ports';

/**
 * The default {@link Clock}: `Date.now()`, `performance.now()` and a timer-based sleep that stops
 * (and clears its timer) when the signal aborts, so an aborted run leaves no timer behind.
 */
export const realClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: async (ms: number, signal?: AbortSignal) => {
    if (ms <= 0) return;
    try {
      await delay(ms, undefined, signal ? { signal } : undefined);
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  },
};
