import type { Clock } from '../../functions/commons/clock';

/** A {@link Clock} on real time whose sleeps pass at once, and what they waited. */
export interface SkippingClock extends Clock {
  /** Every sleep asked for, in milliseconds, in order. */
  readonly sleeps: number[];
}

/**
 * Real time, except that a sleep returns at once and moves the clock forward by what it waited: work (an HTTP
 * request) takes its real time, waits between attempts take none. For a clock where nothing but sleeps moves
 * time, use the commons `VirtualClock`.
 *
 * @example
 * const clock = skippingClock();
 * await runCheck(check, { ...options, clock });
 * expect(clock.sleeps).toEqual([1_000, 2_000]);
 */
export const skippingClock = (): SkippingClock => {
  let offset = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now() + offset,
    monotonic: () => performance.now() + offset,
    sleep: async (ms) => {
      sleeps.push(ms);
      offset += ms;
    },
  };
};
