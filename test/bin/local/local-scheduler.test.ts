import { nextDelayMs, startLocalScheduler } from '../../../bin/local/local-scheduler';
import { type ResolvedSchedule, resolveSchedule } from '../../../functions/commons/config/schedule';

describe('local scheduler', () => {
  it('waits the rate interval, or until the next cron minute in UTC', () => {
    // Prepare
    const now = Date.parse('2026-01-01T10:02:30Z');
    const every5 = resolveSchedule('5m') as ResolvedSchedule;
    const cron = resolveSchedule({ cron: '0/5 * * * ? *' }) as ResolvedSchedule;
    // Act + Assess
    expect(nextDelayMs(every5, now)).toBe(300_000);
    expect(nextDelayMs(cron, now)).toBe(150_000);
  });

  it('runs a numeric day-of-week cron on the day EventBridge does (1 = Sunday, 2 = Monday)', () => {
    // Prepare: Thursday 2026-01-01 10:00 UTC
    const now = Date.parse('2026-01-01T10:00:00Z');
    const monday = resolveSchedule({ cron: '0 9 ? * 2 *' }) as ResolvedSchedule;
    const weekend = resolveSchedule({ cron: '0 9 ? * 1,7 *' }) as ResolvedSchedule;
    // Act + Assess
    expect(new Date(now + nextDelayMs(monday, now)).toISOString()).toBe('2026-01-05T09:00:00.000Z');
    expect(new Date(now + nextDelayMs(weekend, now)).toISOString()).toBe('2026-01-03T09:00:00.000Z');
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('never overlaps a job with its own previous run, aborts the run in flight on stop and waits for it', async () => {
    // Prepare: a virtual clock; the job takes 70 ms of it, the schedule ticks every 20 ms.
    jest.useFakeTimers({ now: Date.parse('2026-01-01T10:00:00Z') });
    const t0 = Date.now();
    const starts: number[] = [];
    const errors: unknown[] = [];
    let running = 0;
    let maxRunning = 0;
    let sawAbort = false;
    const order: string[] = [];
    const skipped: number[] = [];
    const scheduler = startLocalScheduler(
      [
        {
          name: 'slow',
          schedule: { key: 'fast', expression: 'test', everyMs: 20 },
          run: async (signal) => {
            starts.push(Date.now() - t0);
            running += 1;
            maxRunning = Math.max(maxRunning, running);
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, 70);
              signal.addEventListener('abort', () => {
                clearTimeout(timer);
                // Winding down takes a while: stop() must wait for it.
                setTimeout(resolve, 50);
              });
            });
            if (signal.aborted) sawAbort = true;
            running -= 1;
            order.push('run settled');
          },
        },
      ],
      {
        onError: (_job, error) => errors.push(error),
        onSkip: () => {
          skipped.push(Date.now() - t0);
        },
      },
    );
    // Act
    await jest.advanceTimersByTimeAsync(300);
    const stopping = scheduler.stop().then(() => order.push('stop resolved'));
    await jest.advanceTimersByTimeAsync(1_000);
    await stopping;
    const runsAtStop = starts.length;
    await jest.advanceTimersByTimeAsync(1_000);
    // Assess: a run every 80 ms (the ticks at 20, 40, 60 find it busy), the 4th still running at 300 ms
    expect(errors).toEqual([]);
    expect(starts).toEqual([0, 80, 160, 240]);
    // ... and says so for each skipped tick (local mode counts them as silent periods, as the alarm does)
    expect(skipped).toEqual([20, 40, 60, 100, 120, 140, 180, 200, 220, 260, 280, 300]);
    expect(maxRunning).toBe(1);
    expect(sawAbort).toBe(true);
    expect(order).toEqual(['run settled', 'run settled', 'run settled', 'run settled', 'stop resolved']);
    expect(running).toBe(0);
    expect(starts).toHaveLength(runsAtStop);
  });

  it('reports a failing job and keeps scheduling it', async () => {
    // Prepare
    jest.useFakeTimers();
    const errors: string[] = [];
    const scheduler = startLocalScheduler(
      [
        {
          name: 'broken',
          schedule: { key: 'b', expression: 'test', everyMs: 20 },
          run: async () => {
            throw new Error('boom');
          },
        },
      ],
      { onError: (job, error) => errors.push(`${job.name}: ${(error as Error).message}`) },
    );
    // Act: the immediate run, then ticks at 20, 40, 60 and 80 ms
    await jest.advanceTimersByTimeAsync(90);
    await scheduler.stop();
    await jest.advanceTimersByTimeAsync(1_000);
    // Assess
    expect(errors).toEqual(Array.from({ length: 5 }, () => 'broken: boom'));
  });
});
