import { setTimeout as delay } from 'node:timers/promises';

/**
 * The one clock port of every Vigil core (checks, KPIs, heartbeats, escalation): wall time, a monotonic timer
 * and a sleep. A core that needs less asks for less with `Pick<Clock, 'now'>`; Lambda and `npm start` pass
 * {@link realClock}, `vigil simulate` and tests pass a {@link VirtualClock}.
 */
export interface Clock {
  /** Wall clock in epoch milliseconds. */
  now(): number;
  /** Monotonic milliseconds (`performance.now()`), for durations. */
  monotonic(): number;
  /** Resolves after `ms` (or early, without rejecting, once `signal` aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real {@link Clock}: `Date.now()`, `performance.now()` and a timer-based sleep that stops (and clears its
 * timer) when the signal aborts, so an aborted run leaves no timer behind.
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

/**
 * A clock for compressed runs and tests: a sleep takes no real time, the clock jumps to the time the sleep
 * waited until, and actions scheduled in between (an ack, the alarm going back to OK) run at their own time
 * first. `monotonic()` is the virtual time elapsed since the start; `sleeps` lists every sleep asked for.
 *
 * @example
 * const clock = new VirtualClock(Date.parse('2026-03-02T10:00:00Z'));
 * clock.schedule(clock.now() + 60_000, async () => ack());
 * await clock.sleep(300_000); // runs the ack at +1 min, returns at +5 min
 */
export class VirtualClock implements Clock {
  /** Every sleep asked for, in milliseconds, in order. */
  public readonly sleeps: number[] = [];
  private current: number;
  private readonly start: number;
  private readonly actions: { at: number; run: () => Promise<void> }[] = [];

  public constructor(start: number) {
    this.start = start;
    this.current = start;
  }

  // now, monotonic and sleep are bound: a core may pass `clock.now` on as a plain function.

  /** The virtual wall time, epoch milliseconds. */
  public readonly now = (): number => this.current;

  /** Virtual milliseconds since the start. */
  public readonly monotonic = (): number => this.current - this.start;

  /** Records the sleep and moves the clock forward by `ms` (running what is scheduled on the way). */
  public readonly sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    this.sleeps.push(ms);
    if (signal?.aborted) return;
    await this.advanceTo(this.current + ms);
  };

  /** Runs `run` when the clock reaches `at` (epoch ms). */
  public schedule(at: number, run: () => Promise<void>): void {
    this.actions.push({ at, run });
    this.actions.sort((a, b) => a.at - b.at);
  }

  /**
   * Moves the clock forward to `at`, running scheduled actions that fall on the way, in order; stops early,
   * at the time of the action after which `stop()` holds (a signal woke the waiter).
   */
  public async advanceTo(at: number, stop: () => boolean = () => false): Promise<void> {
    while (this.actions[0] !== undefined && this.actions[0].at <= at) {
      if (stop()) return;
      const action = this.actions.shift();
      if (action === undefined) break;
      this.current = Math.max(this.current, action.at);
      await action.run();
    }
    if (stop()) return;
    this.current = Math.max(this.current, at);
  }
}
