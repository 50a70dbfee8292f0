import { checkOffsetMs } from '../../../functions/synthetics/planning/check-offsets';
import { runnerPlan } from '../../../functions/synthetics/planning/runner-plan';
import { runScheduledChecks } from '../../../functions/synthetics/run-scheduled-checks';
import { parseRunnerEvent, SyntheticsEventError } from '../../../functions/synthetics/runner-event';
import type { CheckResult } from '../../../functions/synthetics/types/results';
import type { RunnerConfig } from '../../../functions/synthetics/types/runner-config';
import { check, step } from '../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../helpers/http/test-server';
import { skippingClock } from '../../helpers/skipping-clock';

const EVERY_MINUTE = { key: 'every-1m', expression: 'rate(1 minute)', everyMs: 60_000 };

describe('runScheduledChecks with shards', () => {
  let server: TestServer;
  let config: RunnerConfig;

  beforeAll(async () => {
    server = await startTestServer({ '/ok': { status: 200 } });
    config = {
      app: 'shop',
      environment: 'test',
      baseUrl: server.url,
      variables: {},
      concurrency: 20,
      metrics: 'essential',
      connections: 'reuse',
      location: 'us-east-1',
      secrets: {},
      // 80 one-minute checks of 10 s each: four waves at 20 at a time, too many for one shard
      checks: Array.from({ length: 80 }, (_, i) =>
        check(`c${i}`, [step('get', '{{baseUrl}}/ok', { timeoutMs: 10_000 })], {
          schedule: EVERY_MINUTE,
          timeoutMs: 10_000,
        }),
      ),
    };
  });
  afterAll(() => server.close());

  const run = async (event: Parameters<typeof runScheduledChecks>[1]) => {
    const clock = skippingClock();
    const { sleeps } = clock;
    const results: CheckResult[] = [];
    const startedAt = clock.now();
    const summary = await runScheduledChecks(config, event, {
      secrets: async () => '',
      clock,
      publish: (result) => results.push(result),
    });
    return { summary, results, sleeps, startedAt };
  };

  it("runs exactly one shard's checks, and the shards together run every check once", async () => {
    // Prepare
    const plan = runnerPlan(config).get('every-1m');
    expect(plan?.shards.length).toBeGreaterThan(1);

    // Act
    const runs = [];
    for (const shard of plan?.shards ?? [])
      runs.push(await run({ schedule: 'every-1m', shard: shard.index }));

    // Assess
    for (const [index, { results, summary }] of runs.entries()) {
      expect(results.map((result) => result.name).sort()).toEqual([...(plan?.shards[index]?.checks ?? [])]);
      expect(summary).toMatchObject({ shard: index, failed: 0 });
    }
    const all = runs.flatMap(({ results }) => results.map((result) => result.name));
    expect(all.sort()).toEqual(config.checks.map((c) => c.name).sort());
  });

  it('starts each check of a shard at its own offset, in offset order, on the clock it is given', async () => {
    // Prepare
    const plan = runnerPlan(config).get('every-1m');
    const spreadMs = plan?.shards[0]?.spreadMs ?? 0;

    // Act
    const { results, startedAt } = await run({ schedule: 'every-1m', shard: 0 });

    // Assess: no check starts before its offset, and the offsets reach across the window
    const offsets = results.map((result) => ({
      expected: checkOffsetMs(result.name, spreadMs),
      actual: Date.parse(result.startedAt) - startedAt,
    }));
    for (const { expected, actual } of offsets) expect(actual).toBeGreaterThanOrEqual(expected - 1);
    const expected = offsets.map((offset) => offset.expected);
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(spreadMs / 2);
  });

  it('runs every check of the schedule at once for an event without a shard, as before sharding', async () => {
    // Act
    const { results, sleeps, summary } = await run({ schedule: 'every-1m' });

    // Assess
    expect(results).toHaveLength(80);
    expect(sleeps).toEqual([]);
    expect(summary).not.toHaveProperty('shard');
  });
});

describe('parseRunnerEvent', () => {
  const schedules = new Set(['every-1m']);
  const names = new Set(['a']);
  const counts = new Map([['every-1m', 3]]);

  it('accepts a shard of the schedule and an old event without one', () => {
    expect(parseRunnerEvent({ schedule: 'every-1m', shard: 2 }, schedules, names, counts)).toEqual({
      schedule: 'every-1m',
      shard: 2,
    });
    expect(parseRunnerEvent({ schedule: 'every-1m' }, schedules, names, counts)).toEqual({
      schedule: 'every-1m',
    });
  });

  it('names the range when the shard is not one of the schedule', () => {
    expect(() => parseRunnerEvent({ schedule: 'every-1m', shard: 3 }, schedules, names, counts)).toThrow(
      new SyntheticsEventError(
        'event.shard must be an integer from 0 to 2 (schedule every-1m has 3 shard(s)), got 3',
      ),
    );
    expect(() => parseRunnerEvent({ schedule: 'every-1m', shard: '1' }, schedules, names, counts)).toThrow(
      SyntheticsEventError,
    );
  });

  it('reports every wrong field at once, each by its path', () => {
    expect(() => parseRunnerEvent({ schedule: 'every-2m', only: 'a' }, schedules, names, counts)).toThrow(
      new SyntheticsEventError(
        'event.schedule must be one of every-1m, got "every-2m"; event.only must be an array of check names',
      ),
    );
    expect(() =>
      parseRunnerEvent({ schedule: 'every-1m', shard: -1, only: ['a', 'b'] }, schedules, names, counts),
    ).toThrow(
      new SyntheticsEventError(
        'event.shard must be an integer from 0 to 2 (schedule every-1m has 3 shard(s)), got -1; ' +
          'event.only names unknown checks: b',
      ),
    );
  });
});
