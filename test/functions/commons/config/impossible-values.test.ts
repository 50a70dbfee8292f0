import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { resolveSchedule } from '../../../../functions/commons/config/schedule';
import { configIssueLines, configIssues } from '../../../helpers/config-issues';

const base = { app: 'shop', environments: { local: { baseUrl: 'http://127.0.0.1:4010' } } };
const api = (name: string, extra: Record<string, unknown> = {}, stepExtra: Record<string, unknown> = {}) => ({
  name,
  steps: [{ name: 's', request: { url: '{{baseUrl}}/' }, ...stepExtra }],
  ...extra,
});

describe('EventBridge Scheduler cron rules', () => {
  it.each([
    ['0/5 * * * ? *'],
    ['0 18 ? * MON-FRI *'],
    ['15 10 ? * 6L 2026-2030'],
    ['0 8 L * ? *'],
    ['0 8 3W * ? *'],
    ['0 9 ? * 3#2 *'],
    ['0 9 ? * mon#1 *'],
    ['0,30 8-17/2 1,15 JAN-MAR,DEC ? 1970'],
    ['*/10 * ? * * 2199'],
  ])('accepts %s', (cron) => {
    expect(resolveSchedule({ cron })).toMatchObject({ expression: `cron(${cron})` });
  });

  it.each([
    ['99 99 ? 13 MON 1800', "minutes '99' is not in 0-59"],
    ['0 24 * * ? *', "hours '24' is not in 0-23"],
    ['0 0 0 * ? *', "day-of-month '0' is not in 1-31"],
    ['0 0 1 13 ? *', "month '13' is not in 1-12 or JAN-DEC"],
    ['0 0 ? * 8 *', "day-of-week '8' is not in 1-7 or SUN-SAT"],
    ['0 0 ? * FUN *', "day-of-week 'FUN' is not in 1-7 or SUN-SAT"],
    ['0 0 1 * ? 2200', "year '2200' is not in 1970-2199"],
    ['0 0 * * * *', "exactly one of day-of-month or day-of-week must be '?'"],
    ['0 0 ? * ? *', "exactly one of day-of-month or day-of-week must be '?'"],
    ['? 0 1 * ? *', "'?' is only for day-of-month or day-of-week, not minutes"],
    ['0/0 * * * ? *', "minutes '0/0' has a bad increment"],
    ['0 0 ? * 3#1,6#3 *', "day-of-week '3#1,6#3': an L, W or # form stands alone in its field"],
    ['0 0 32W * ? *', "day-of-month '32W' is not in 1-31"],
    ['0 0 1,,2 * ? *', "day-of-month '' is not in 1-31"],
  ])('rejects %s: %s', (cron, problem) => {
    expect(resolveSchedule({ cron })).toEqual({ error: `invalid cron '${cron}': ${problem}` });
  });

  it('reports an out-of-range cron at the schedule that uses it', () => {
    // Act
    const lines = configIssueLines({
      ...base,
      checks: [api('a', { schedule: { cron: '99 99 ? 13 MON 1800' } })],
    });
    // Assess
    expect(lines).toEqual([
      "checks[0].schedule: invalid cron '99 99 ? 13 MON 1800': minutes '99' is not in 0-59",
    ]);
  });
});

describe('durations that can never work', () => {
  it('rejects a zero timeout, step timeout, latency threshold and channel timeout', () => {
    // Prepare
    const input = {
      ...base,
      app: DEMO_APP,
      ...demoEscalation,
      channels: {
        ...demoEscalation.channels,
        'oncall-slack': { type: 'slack', webhook: { secretsManager: 'x' }, timeout: '0s' },
      },
      defaults: { stepTimeout: 0 },
      checks: [
        api(
          'a',
          { timeout: 0, failedAfter: '0ms' },
          {
            timeout: '0s',
            assert: [{ type: 'responseTime', value: 0 }],
          },
        ),
      ],
    };
    // Act
    const issues = configIssues(input);
    // Assess
    const zero = (path: string) => ({ path, message: "must be longer than 0, e.g. '10s'" });
    expect(issues).toEqual(
      expect.arrayContaining([
        zero('defaults.stepTimeout'),
        zero('checks[0].timeout'),
        zero('checks[0].failedAfter'),
        zero('checks[0].steps[0].timeout'),
        zero('checks[0].steps[0].assert[0].value'),
        zero('channels["oncall-slack"].timeout'),
      ]),
    );
    expect(issues).toHaveLength(6);
  });

  it('rejects stepTimeout above timeout and degradedAfter above failedAfter, set at the same level', () => {
    // Act
    const issues = configIssues({
      ...base,
      checks: [api('a', { timeout: '20s', stepTimeout: '30s', degradedAfter: '5s', failedAfter: '2s' })],
    });
    // Assess
    expect(issues).toEqual([
      {
        path: 'checks[0].stepTimeout',
        message: 'stepTimeout 30s is above timeout 20s: a request would be cut off by the whole check first',
      },
      {
        path: 'checks[0].degradedAfter',
        message: 'degradedAfter 5s is above failedAfter 2s: a check would fail before it could be degraded',
      },
    ]);
  });

  it('reports an inherited conflict at the value that is set where it conflicts, once', () => {
    // Prepare
    const input = {
      ...base,
      defaults: { stepTimeout: '30s', failedAfter: '3s' },
      checkGroups: [{ name: 'paths', degradedAfter: '4s' }],
      checks: [
        api('own_timeout', { timeout: '20s' }),
        api('grouped_1', { group: 'paths' }),
        api('grouped_2', { group: 'paths' }),
        api('long_step', {}, { timeout: '90s', degradedAfter: '2s', failedAfter: '1s' }),
      ],
    };
    // Act
    const issues = configIssues(input);
    // Assess
    expect(issues).toEqual([
      {
        path: 'checkGroups[0].degradedAfter',
        message:
          'degradedAfter 4s is above failedAfter 3s (defaults.failedAfter): a check would fail before it could be degraded',
      },
      {
        path: 'checks[0].timeout',
        message:
          'timeout 20s is below stepTimeout 30s (defaults.stepTimeout): a request would be cut off by the whole check first',
      },
      {
        path: 'checks[3].steps[0].timeout',
        message:
          "timeout 90s is above the check's timeout 1m (the built-in default): the step would be cut off by the whole check first",
      },
      {
        path: 'checks[3].steps[0].degradedAfter',
        message: 'degradedAfter 2s is above failedAfter 1s: the step would fail before it could be degraded',
      },
    ]);
  });

  it('reports a defaults stepTimeout above the built-in timeout at defaults', () => {
    // Act
    const issues = configIssues({ ...base, defaults: { stepTimeout: '2m' } });
    // Assess
    expect(issues).toEqual([
      {
        path: 'defaults.stepTimeout',
        message:
          'stepTimeout 2m is above timeout 1m (the built-in default): a request would be cut off by the whole check first',
      },
    ]);
  });
});
