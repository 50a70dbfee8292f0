import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type CheckPeriod, checkAlarmState } from '../../../functions/commons/alarm-settings';
import type { ResolvedCheck } from '../../../functions/commons/config/types';
import { createEmfWriter } from '../../../functions/commons/metrics';
import { publishCheckMetrics } from '../../../functions/synthetics/adapters/emf-publisher';
import { runCheck } from '../../../functions/synthetics/engine/check-runner';
import type { CheckResult } from '../../../functions/synthetics/types/results';
import { CheckAlarms } from '../../../stacks/constructs/check-alarms';
import { expectValidEmf } from '../../helpers/emf-spec';
import { check, step } from '../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../helpers/http/test-server';

/** The properties of a synthesized single-metric alarm this evaluator reads. */
interface AlarmProperties {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: readonly { Name: string; Value: string }[];
  readonly Statistic?: string;
  readonly ExtendedStatistic?: string;
  readonly ComparisonOperator: string;
  readonly Threshold: number;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly TreatMissingData?: string;
}

/** One evaluation period as the alarm judges it: from a real datapoint, or from missing data. */
interface JudgedPeriod {
  readonly datapoint: number | undefined;
  readonly breaching: boolean;
}

const COMPARE: Record<string, (value: number, threshold: number) => boolean> = {
  LessThanThreshold: (value, threshold) => value < threshold,
  LessThanOrEqualToThreshold: (value, threshold) => value <= threshold,
  GreaterThanThreshold: (value, threshold) => value > threshold,
  GreaterThanOrEqualToThreshold: (value, threshold) => value >= threshold,
};

/** The datapoint of one period of published values, by the alarm's statistic (the ones a failure alarm may use). */
const statisticOf = (statistic: string, values: readonly number[]): number | undefined => {
  if (values.length === 0) return undefined;
  if (statistic === 'Minimum') return Math.min(...values);
  if (statistic === 'Maximum') return Math.max(...values);
  if (statistic === 'SampleCount') return values.length;
  throw new Error(`this evaluator does not compute ${statistic}`);
};

/**
 * A synthesized alarm judging periods of published values: each period's datapoint by the alarm's statistic,
 * compared by its operator with its threshold; a period without values breaches only when missing data does.
 */
const judge = (alarm: AlarmProperties, periods: readonly (readonly number[])[]): JudgedPeriod[] => {
  const compare = COMPARE[alarm.ComparisonOperator];
  if (compare === undefined) throw new Error(`unknown operator ${alarm.ComparisonOperator}`);
  return periods.map((values) => {
    const datapoint = statisticOf(alarm.Statistic ?? alarm.ExtendedStatistic ?? '', values);
    return {
      datapoint,
      breaching:
        datapoint === undefined
          ? alarm.TreatMissingData === 'breaching'
          : compare(datapoint, alarm.Threshold),
    };
  });
};

/** The alarm's state after each period: ALARM when DatapointsToAlarm of the last EvaluationPeriods breached. */
const statesOf = (alarm: AlarmProperties, judged: readonly JudgedPeriod[]): string[] =>
  judged.map((_, index) => {
    const window = judged.slice(Math.max(0, index + 1 - alarm.EvaluationPeriods), index + 1);
    const breached = window.filter((period) => period.breaching).length;
    return breached >= (alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods) ? 'ALARM' : 'OK';
  });

describe("a check's synthesized failure alarm over what real runs publish", () => {
  let server: TestServer;
  let passed: CheckResult;
  let failed: CheckResult;
  beforeAll(async () => {
    server = await startTestServer({ '/ok': { status: 200 } });
    const options = { baseUrl: server.url, concurrency: 1 };
    passed = await runCheck(check('login', [step('home', '/ok')]), options);
    failed = await runCheck(
      check('login', [step('home', '/missing', { assert: [{ type: 'status', op: 'equals', value: 200 }] })]),
      options,
    );
  });
  afterAll(async () => {
    await server.close();
  });

  /** The values the alarm's metric receives from one run: the real EMF lines of the runner's publisher. */
  const published = (alarm: AlarmProperties, result: CheckResult): number[] => {
    const lines: string[] = [];
    const writer = createEmfWriter({
      namespace: alarm.Namespace,
      defaultDimensions: { App: 'shop' },
      sink: (line) => lines.push(line),
    });
    publishCheckMetrics(writer, result, 'essential');
    expectValidEmf(lines);
    return lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => alarm.Dimensions.every(({ Name, Value }) => record[Name] === Value))
      .flatMap((record) =>
        typeof record[alarm.MetricName] === 'number' ? [record[alarm.MetricName] as number] : [],
      );
  };

  /** The failure alarm CheckAlarms synthesizes for one check. */
  const failureAlarm = (resolved: ResolvedCheck): AlarmProperties => {
    const stack = new Stack(new App(), 'Alarms');
    new CheckAlarms(stack, 'Checks', { app: 'shop', checks: [resolved] });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(1);
    return (alarms[0] as { Properties: AlarmProperties }).Properties;
  };

  it('pages for every failed run of a check failing every other run, failWhen 1 of 1, from a real datapoint each time', () => {
    // Prepare
    const resolved = check('login', [step('home', '/ok')], {
      schedule: { key: 'every-1m', expression: 'rate(1 minute)', everyMs: 60_000 },
      failWhen: { failures: 1, outOf: 1 },
    });
    const alarm = failureAlarm(resolved);
    const runs = [passed, failed, passed, failed, passed, failed];

    // Act: one run per period, as the schedule and the alarm's period (the interval) make it
    const judged = judge(
      alarm,
      runs.map((run) => published(alarm, run)),
    );

    // Assess: every failed period breaches from its own datapoint (never from missing data, which
    // CloudWatch would ignore while the range holds other real datapoints), every passing one does not
    expect(judged.map((period) => period.datapoint !== undefined)).toEqual(runs.map(() => true));
    expect(statesOf(alarm, judged)).toEqual(['OK', 'ALARM', 'OK', 'ALARM', 'OK', 'ALARM']);
    const local = runs.map((run): CheckPeriod => (run.status === 'failed' ? 'failed' : 'passed'));
    expect(
      local.map((_, index) =>
        checkAlarmState(local.slice(0, index + 1), resolved.failWhen, resolved.schedule),
      ),
    ).toEqual(statesOf(alarm, judged));
  });

  it.each([
    ['fail, pass, fail', 'FPF', 'ALARM'],
    ['pass, pass, fail', 'PPF', 'OK'],
    ['fail, fail, pass, pass, pass', 'FFPPP', 'OK'],
    ['pass, fail, pass, pass, fail', 'PFPPF', 'OK'],
    ['fail, pass, pass, fail, pass, fail', 'FPPFPF', 'ALARM'],
  ])('failWhen 2 of 3, intermittent failures (%s) → %s, as local mode says', (_what, sequence, expected) => {
    // Prepare
    const resolved = check('login', [step('home', '/ok')], { failWhen: { failures: 2, outOf: 3 } });
    const alarm = failureAlarm(resolved);
    const runs = [...sequence].map((letter) => (letter === 'F' ? failed : passed));

    // Act
    const judged = judge(
      alarm,
      runs.map((run) => published(alarm, run)),
    );

    // Assess
    expect(alarm).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 2, Period: 300 });
    expect(statesOf(alarm, judged).at(-1)).toBe(expected);
    const local = runs.map((run): CheckPeriod => (run.status === 'failed' ? 'failed' : 'passed'));
    expect(checkAlarmState(local, resolved.failWhen, resolved.schedule)).toBe(expected);
  });

  it('breaches in a period holding a passing and a failed run (its Minimum is the failed run)', () => {
    // Prepare
    const alarm = failureAlarm(
      check('login', [step('home', '/ok')], { failWhen: { failures: 1, outOf: 1 } }),
    );

    // Act
    const [period] = judge(alarm, [[...published(alarm, passed), ...published(alarm, failed)]]);

    // Assess
    expect(period).toEqual({ datapoint: 0, breaching: true });
  });
});
