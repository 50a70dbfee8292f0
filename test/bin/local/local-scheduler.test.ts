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

  it('never overlaps a job with its own previous run, and stops cleanly', async () => {
    // Prepare
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const scheduler = startLocalScheduler(
      [
        {
          name: 'slow',
          schedule: { key: 'fast', expression: 'test', everyMs: 20 },
          run: async (signal) => {
            runs += 1;
            running += 1;
            maxRunning = Math.max(maxRunning, running);
            await new Promise((resolve) => setTimeout(resolve, 70));
            running -= 1;
            expect(signal.aborted).toBe(false);
          },
        },
      ],
      {
        onError: (_job, error) => {
          throw error;
        },
      },
    );
    // Act
    await new Promise((resolve) => setTimeout(resolve, 300));
    await scheduler.stop();
    const runsAtStop = runs;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Assess
    expect(maxRunning).toBe(1);
    expect(runsAtStop).toBeGreaterThanOrEqual(3);
    expect(runs).toBe(runsAtStop);
  });

  it('reports a failing job and keeps scheduling it', async () => {
    // Prepare
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
    // Act
    await new Promise((resolve) => setTimeout(resolve, 110));
    await scheduler.stop();
    // Assess
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors[0]).toBe('broken: boom');
  });
});
