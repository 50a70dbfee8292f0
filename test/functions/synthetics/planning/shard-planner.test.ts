import {
  checkWorstCaseMs,
  planSchedule,
  planShards,
  schedulePeriodMs,
  shardWorstCaseMs,
} from '../../../../functions/synthetics/planning/shard-planner';
import { check, step } from '../../../helpers/http/check-fixture';

const EVERY_MINUTE = { key: 'every-1m', expression: 'rate(1 minute)', everyMs: 60_000 };

/** `count` one-minute checks of one 10 s step each (worst case 10 s), named `c-0000`... */
const minuteChecks = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) =>
    check(`c-${String(from + i).padStart(4, '0')}`, [step('get', '/', { timeoutMs: 10_000 })], {
      schedule: EVERY_MINUTE,
      timeoutMs: 10_000,
    }),
  );

const shardOf = (plan: ReturnType<typeof planSchedule>) =>
  new Map(plan.shards.flatMap((shard) => shard.checks.map((name) => [name, shard.index] as const)));

describe('checkWorstCaseMs', () => {
  it('counts every attempt timing out on every step plus the waits between attempts', () => {
    // Prepare
    const slow = check(
      'slow',
      [step('a', '/a', { timeoutMs: 3_000 }), step('b', '/b', { timeoutMs: 2_000 })],
      {
        timeoutMs: 60_000,
        retry: { strategy: 'linear', maxAttempts: 3, delayMs: 1_000, maxDelayMs: 10_000 },
      },
    );

    // Act
    const worst = checkWorstCaseMs(slow);

    // Assess: 3 attempts × 5 s + waits of 1 s and 2 s
    expect(worst).toBe(18_000);
  });

  it("is capped by the check's own timeout, which the engine enforces over the whole check", () => {
    // Prepare
    const capped = check('capped', [step('a', '/a', { timeoutMs: 10_000 })], {
      timeoutMs: 12_000,
      retry: { strategy: 'fixed', maxAttempts: 3, delayMs: 1_000, maxDelayMs: 1_000 },
    });

    // Act / Assess
    expect(checkWorstCaseMs(capped)).toBe(12_000);
  });
});

describe('shardWorstCaseMs', () => {
  it('runs equal checks in waves of the concurrency', () => {
    expect(shardWorstCaseMs([10_000, 10_000, 10_000], 2)).toBe(20_000);
  });

  it("uses Graham's bound when a few long checks would make whole waves too pessimistic", () => {
    // 1 check of 10 s and 9 of 1 s at 5 at a time: waves say 20 s, sum/c + max says 13.8 s
    expect(shardWorstCaseMs([10_000, ...Array(9).fill(1_000)], 5)).toBe(13_800);
  });
});

describe('schedulePeriodMs', () => {
  it('reads rates and the minute step of crons, and takes one minute when a cron is irregular', () => {
    expect(schedulePeriodMs(EVERY_MINUTE)).toBe(60_000);
    expect(schedulePeriodMs({ key: 'k', expression: 'cron(0/5 * * * ? *)', cron: '0/5 * * * ? *' })).toBe(
      300_000,
    );
    expect(schedulePeriodMs({ key: 'k', expression: 'cron(7 * * * ? *)', cron: '7 * * * ? *' })).toBe(
      3_600_000,
    );
    expect(schedulePeriodMs({ key: 'k', expression: 'cron(0,30 9 * * ? *)', cron: '0,30 9 * * ? *' })).toBe(
      60_000,
    );
  });
});

describe('planSchedule', () => {
  it('splits a schedule so that every shard fits its period, spread and margin included', () => {
    // Prepare: 1,000 checks of 10 s at 20 at a time would take 500 s in one invocation
    const checks = minuteChecks(1_000);

    // Act
    const plan = planSchedule(checks, { concurrency: 20 });

    // Assess
    expect(plan.fits).toBe(true);
    expect(plan.shards.length).toBeGreaterThan(1);
    for (const shard of plan.shards) {
      expect(shard.worstCaseMs).toBeLessThanOrEqual(plan.capacityMs);
      expect(shard.spreadMs + shard.worstCaseMs + plan.marginMs).toBeLessThanOrEqual(plan.periodMs);
      expect(shard.headroomMs).toBeGreaterThanOrEqual(0);
    }
    const planned = plan.shards.flatMap((shard) => shard.checks);
    expect(planned.length).toBe(1_000);
    expect(new Set(planned).size).toBe(1_000);
  });

  it('keeps a small schedule in a single shard', () => {
    const plan = planSchedule(minuteChecks(10), { concurrency: 20 });

    expect(plan.shards).toHaveLength(1);
    expect(plan.shards[0]?.checks).toHaveLength(10);
  });

  it('moves no existing check when an added check fits the shards there are', () => {
    // Prepare
    const before = shardOf(planSchedule(minuteChecks(1_001), { concurrency: 20 }));

    // Act
    const after = shardOf(
      planSchedule([...minuteChecks(1_001), ...minuteChecks(1, 5_000)], { concurrency: 20 }),
    );

    // Assess: splitting by position or by hash modulo the count would move most of them
    const moved = [...before].filter(([name, shard]) => after.get(name) !== shard).length;
    expect(moved).toBeLessThanOrEqual(5);
  });

  it('moves about the share the new shards take when an added check needs more shards', () => {
    // Prepare
    const smaller = planSchedule(minuteChecks(1_000), { concurrency: 20 });
    const before = shardOf(smaller);

    // Act
    const larger = planSchedule([...minuteChecks(1_000), ...minuteChecks(1, 5_000)], { concurrency: 20 });
    const after = shardOf(larger);

    // Assess: rendezvous hashing moves about added/total of the checks, to the new shards
    const added = larger.shards.length - smaller.shards.length;
    expect(added).toBeGreaterThan(0);
    const moved = [...before].filter(([name, shard]) => after.get(name) !== shard).length;
    expect(moved).toBeLessThanOrEqual(Math.ceil((1.5 * 1_000 * added) / larger.shards.length));
  });

  it('does not depend on the order the checks are written in', () => {
    const checks = minuteChecks(300);

    const forward = planSchedule(checks, { concurrency: 20 });
    const backward = planSchedule([...checks].reverse(), { concurrency: 20 });

    expect(backward.shards.map((shard) => shard.checks)).toEqual(forward.shards.map((shard) => shard.checks));
  });

  it('warns, naming the check, when a check cannot fit its period even alone', () => {
    // Prepare
    const hungry = check('hungry', [step('a', '/a', { timeoutMs: 55_000 })], {
      schedule: EVERY_MINUTE,
      timeoutMs: 55_000,
    });

    // Act
    const plan = planSchedule([...minuteChecks(3), hungry], { concurrency: 20 });

    // Assess
    expect(plan.fits).toBe(false);
    expect(plan.warnings).toEqual([
      expect.stringContaining('check hungry can take 55000 ms, more than the 50000 ms'),
    ]);
    expect(plan.shards.find((shard) => shard.checks.includes('hungry'))).toMatchObject({
      checks: ['hungry'],
      fits: false,
    });
  });

  it('keeps a few checks in one shard when together they leave a fifth of the budget, a long one among them', () => {
    // Prepare: as the demo's one-minute schedule, four 10 s checks and one of 30 s (more than a spread
    // shard's 25 s); together they take 30 s of the minute's 50 s budget
    const long = check('long', [step('a', '/a', { timeoutMs: 30_000 })], {
      schedule: EVERY_MINUTE,
      timeoutMs: 30_000,
    });

    // Act
    const plan = planSchedule([...minuteChecks(4), long], { concurrency: 20 });

    // Assess
    expect(plan.fits).toBe(true);
    expect(plan.shards).toEqual([
      {
        index: 0,
        checks: ['c-0000', 'c-0001', 'c-0002', 'c-0003', 'long'],
        spreadMs: 250,
        worstCaseMs: 30_000,
        headroomMs: 19_750,
        fits: true,
      },
    ]);
  });

  it('gives a check too long for a spread shard a shard of its own, and spreads each shard by its check count', () => {
    // Prepare: 42 s is more than a spread shard's 25 s, less than the minute's 50 s budget, and leaves
    // less than a fifth of it: one shard for all would be too tight
    const long = check('long', [step('a', '/a', { timeoutMs: 42_000 })], {
      schedule: EVERY_MINUTE,
      timeoutMs: 42_000,
    });

    // Act
    const plan = planSchedule([...minuteChecks(3), long], { concurrency: 20 });

    // Assess
    expect(plan.fits).toBe(true);
    expect(plan.warnings).toEqual([]);
    expect(plan.shards[0]).toMatchObject({ checks: ['c-0000', 'c-0001', 'c-0002'], spreadMs: 150 });
    expect(plan.shards.find((shard) => shard.checks.includes('long'))).toEqual({
      index: 1,
      checks: ['long'],
      spreadMs: 50,
      worstCaseMs: 42_000,
      headroomMs: 7_950,
      fits: true,
    });
  });

  it('rejects a concurrency below one', () => {
    expect(() => planSchedule(minuteChecks(1), { concurrency: 0 })).toThrow(
      'concurrency must be an integer >= 1',
    );
  });
});

describe('planShards', () => {
  it('plans each schedule on its own', () => {
    const fiveMinutes = check('five', [step('a', '/a')]);

    const plans = planShards([...minuteChecks(2), fiveMinutes], { concurrency: 20 });

    expect(plans.map((plan) => [plan.schedule, plan.shards.flatMap((shard) => shard.checks)])).toEqual([
      ['every-1m', ['c-0000', 'c-0001']],
      ['every-5m', ['five']],
    ]);
  });
});
