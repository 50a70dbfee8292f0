import {
  breaches,
  type CheckPeriod,
  certificateOwners,
  certificateWatches,
  checkAlarmState,
  checkFailureSignal,
} from '../../../functions/commons/alarm-settings';
import { parseConfig, resolveChecks } from '../../../functions/commons/config/resolve-config';
import { checkMetricRecords } from '../../../functions/synthetics/adapters/emf-publisher';
import { runCheck } from '../../../functions/synthetics/engine/check-runner';
import { check, step } from '../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../helpers/http/test-server';

const F: CheckPeriod = 'failed';
const P: CheckPeriod = 'passed';
const S: CheckPeriod = 'silent';
const RATE = { everyMs: 60_000 };
const CRON = {};

describe('checkAlarmState', () => {
  it.each([
    // N of N: the breaches must be consecutive
    ['2 of 2: two failed runs in a row', [P, F, F], { failures: 2, outOf: 2 }, 'ALARM'],
    ['2 of 2: fail, pass, fail is not two in a row', [F, P, F], { failures: 2, outOf: 2 }, 'OK'],
    ['1 of 1: one failed run', [F], { failures: 1, outOf: 1 }, 'ALARM'],
    ['1 of 1: one skipped run (no data) pages like a failure', [P, S], { failures: 1, outOf: 1 }, 'ALARM'],
    ['2 of 2: a failure then a silent period', [P, F, S], { failures: 2, outOf: 2 }, 'ALARM'],
    ['1 of 1: a passing run', [F, P], { failures: 1, outOf: 1 }, 'OK'],
    ['3 of 3: only two runs so far', [F, F], { failures: 3, outOf: 3 }, 'OK'],
    // N of M: a pass in between does not reset the count
    ['2 of 3: fail, pass, fail', [F, P, F], { failures: 2, outOf: 3 }, 'ALARM'],
    ['2 of 3: one failure among three runs', [P, P, F], { failures: 2, outOf: 3 }, 'OK'],
    [
      '3 of 10: three failures spread over ten runs',
      [F, P, P, P, F, P, P, P, P, F],
      { failures: 3, outOf: 10 },
      'ALARM',
    ],
    // Recovery: breaches older than the last M periods no longer count
    ['2 of 3: the first failure left the window', [F, P, F, P], { failures: 2, outOf: 3 }, 'OK'],
    ['2 of 3: still two failures after one pass', [F, F, P], { failures: 2, outOf: 3 }, 'ALARM'],
    ['2 of 2: one pass after a failing streak', [F, F, F, P], { failures: 2, outOf: 2 }, 'OK'],
    ['no run yet', [], { failures: 1, outOf: 1 }, 'OK'],
  ] as const)('rate check, %s → %s', (_what, periods, failWhen, expected) => {
    // Act
    const state = checkAlarmState(periods, failWhen, RATE);
    // Assess
    expect(state).toBe(expected);
  });

  it('a cron check breaches on a failed run, not on the silence between its runs', () => {
    // Act + Assess
    expect(checkAlarmState([P, S, S], { failures: 1, outOf: 1 }, CRON)).toBe('OK');
    expect(checkAlarmState([S, F], { failures: 1, outOf: 1 }, CRON)).toBe('ALARM');
    expect(breaches(S, CRON)).toBe(false);
    expect(breaches(S, RATE)).toBe(true);
  });
});

describe("the failure alarm's datapoint from real published results", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ '/ok': { status: 200 }, '/slow': { delayMs: 40, status: 200 } });
  });
  afterAll(async () => {
    await server.close();
  });

  /**
   * What CloudWatch's failure alarm sees for one period holding `records`: the Minimum of its metric
   * with the check's dimensions, or no data. `breaching` is the alarm's own verdict: its comparison with its
   * threshold (`<= 0`), and missing data as the signal says.
   */
  const alarmSees = (records: ReturnType<typeof checkMetricRecords>, schedule: { everyMs?: number }) => {
    const signal = checkFailureSignal(schedule);
    const values = records
      .filter((record) => record.dimensionSets.some((set) => 'Check' in set))
      .flatMap((record) => record.metrics.filter((metric) => metric.name === signal.metric))
      .map((metric) => metric.value as number);
    const datapoint = values.length === 0 ? undefined : Math.min(...values);
    const breaching =
      datapoint === undefined
        ? signal.missingData === 'breaching'
        : signal.comparison === '<=' && datapoint <= signal.threshold;
    return { datapoint, breaching };
  };

  it('breaches for a failed run and a skipped one, not for a passing or degraded run, as checkAlarmState says', async () => {
    // Prepare: real results from a real server
    const passed = await runCheck(check('ok', [step('home', '/ok')]), {
      baseUrl: server.url,
      concurrency: 1,
    });
    const degraded = await runCheck(check('slow', [step('home', '/slow', { degradedAfterMs: 5 })]), {
      baseUrl: server.url,
      concurrency: 1,
    });
    const failed = await runCheck(
      check('down', [step('home', '/missing', { assert: [{ type: 'status', op: 'equals', value: 200 }] })]),
      { baseUrl: server.url, concurrency: 1 },
    );
    expect([passed.status, degraded.status, failed.status]).toEqual(['passed', 'degraded', 'failed']);

    // Act: what the deployed alarm sees per period (a skipped run publishes nothing)
    const periods = {
      passed: alarmSees(checkMetricRecords(passed, 'essential'), RATE),
      degraded: alarmSees(checkMetricRecords(degraded, 'essential'), RATE),
      failed: alarmSees(checkMetricRecords(failed, 'essential'), RATE),
      skipped: alarmSees([], RATE),
    };

    // Assess: the alarm and local mode agree period by period
    expect(periods).toEqual({
      passed: { datapoint: expect.any(Number), breaching: false },
      degraded: { datapoint: expect.any(Number), breaching: false },
      failed: { datapoint: 0, breaching: true },
      skipped: { datapoint: undefined, breaching: true },
    });
    const local: Record<keyof typeof periods, CheckPeriod> = {
      passed: 'passed',
      degraded: 'passed',
      failed: 'failed',
      skipped: 'silent',
    };
    for (const [what, period] of Object.entries(local))
      expect(breaches(period, RATE)).toBe(periods[what as keyof typeof periods].breaching);
    expect(checkAlarmState([local.passed, local.failed], { failures: 1, outOf: 1 }, RATE)).toBe('ALARM');
    expect(checkAlarmState([local.failed, local.degraded], { failures: 1, outOf: 1 }, RATE)).toBe('OK');
  });

  it("a cron check's failed run publishes CheckDuration 0 and breaches; its silence does not", async () => {
    // Prepare
    const failed = await runCheck(
      check('nightly', [
        step('home', '/missing', { assert: [{ type: 'status', op: 'equals', value: 200 }] }),
      ]),
      { baseUrl: server.url, concurrency: 1 },
    );
    // Act
    const seen = alarmSees(checkMetricRecords(failed, 'essential'), CRON);
    // Assess
    expect(seen).toEqual({ datapoint: 0, breaching: true });
    expect(alarmSees([], CRON).breaching).toBe(breaches('silent', CRON));
  });
});

describe('certificateOwners and certificateWatches', () => {
  const checks = resolveChecks(
    parseConfig({
      app: 'shop',
      environments: { prod: { baseUrl: 'https://api.shop.example', variables: { tenant: 'acme' } } },
      checks: [
        {
          name: 'home',
          locations: ['eu-west-1', 'us-east-1'],
          steps: [{ name: 'a', request: { url: '{{baseUrl}}/' } }],
        },
        {
          name: 'cart',
          locations: ['us-east-1'],
          steps: [{ name: 'b', request: { url: 'https://API.shop.example/cart' } }],
        },
        {
          type: 'tls',
          name: 'cert',
          host: 'API.shop.example',
          daysBeforeExpiry: { warning: 30, critical: 10 },
        },
        { name: 'tenant', steps: [{ name: 'c', request: { url: 'https://{{tenant}}.shop.example/' } }] },
        { name: 'plain', steps: [{ name: 'd', request: { url: 'http://10.0.0.1/' } }] },
      ],
    }),
  );

  it('gives each host one owner: the first check that sees it, from its home (first) location', () => {
    // Act
    const owners = certificateOwners(checks, 'https://api.shop.example');
    // Assess: three checks see api.shop.example; a host known only at run time is not watched
    expect(owners).toEqual([{ host: 'api.shop.example', check: 'home', location: 'eu-west-1' }]);
  });

  it('watches each host once, at the earliest thresholds any check seeing it asks for', () => {
    // Act
    const watches = certificateWatches(checks, { baseUrl: 'https://api.shop.example' });
    // Assess
    expect(watches).toEqual([
      {
        host: 'api.shop.example',
        check: 'home',
        location: 'eu-west-1',
        thresholds: { warning: 30, critical: 10 },
      },
    ]);
    expect(certificateWatches(checks, { baseUrl: 'https://api.shop.example', certificate: false })).toEqual(
      [],
    );
  });
});
