import { MathExpression, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { parseConfig, resolveChecks } from '../../../functions/commons/config/resolve-config';
import { checkDurationValue } from '../../../functions/commons/metrics/metric-catalog';
import { burnRateExpression, sloSeries } from '../../../stacks/constructs/observability/slo-alarms';

const configWith = (schedule: unknown, objective?: 'latency') =>
  parseConfig({
    app: 'shop',
    environments: { prod: { baseUrl: 'https://shop.example' } },
    checks: [{ name: 'login', schedule, steps: [{ name: 'home', request: { url: '{{baseUrl}}/' } }] }],
    slos: [
      {
        name: 'login_slo',
        source: { check: 'login' },
        target: 99,
        window: '30d',
        ...(objective === 'latency' ? { objective, thresholdMs: 800 } : {}),
      },
    ],
  });

const seriesOf = (schedule: unknown, periodMs: number, objective?: 'latency') => {
  const config = configWith(schedule, objective);
  const slo = config.slos[0]!;
  const check = resolveChecks(config)[0]!;
  return sloSeries(slo, { app: 'shop', namespace: 'Vigil' }, periodMs, '_w', check);
};

const expressionOf = (metric: unknown): string => (metric as MathExpression).expression;

describe('sloSeries of a check', () => {
  it('counts passing runs against the runs a 5-minute check is expected to make in the window', () => {
    // Act
    const hour = seriesOf('5m', 3_600_000);
    const fiveMinutes = seriesOf('5m', 300_000);

    // Assess: 12 runs expected an hour, 1 in five minutes; more passing runs than expected count as expected
    expect(expressionOf(hour.usingMetrics.good_w)).toBe(
      'IF(FILL(passing_w, 0) > 12, 12, FILL(passing_w, 0))',
    );
    expect(expressionOf(hour.usingMetrics.total_w)).toBe('FILL(passing_w, 0) * 0 + 12');
    expect(expressionOf(fiveMinutes.usingMetrics.total_w)).toBe('FILL(passing_w, 0) * 0 + 1');
    const passing = (hour.usingMetrics.good_w as MathExpression).usingMetrics.passing_w as Metric;
    expect([passing.metricName, passing.statistic, passing.dimensions]).toEqual([
      'CheckDuration',
      'TC(0:900000)',
      { App: 'shop', Check: 'login' },
    ]);
    // Bad = expected - passing: a failed or skipped run burns budget; no passing run at all is no data,
    // which the burn-rate alarms treat as breaching
    expect(burnRateExpression(hour, 0.01)).toBe('IF(total_w > 0, (total_w - good_w) / total_w / 0.01, 0)');
    expect(hour.missingData).toBe('breaching');
  });

  it('counts a latency SLO as runs within the threshold against the expected runs (a failed run is not fast)', () => {
    // Act
    const series = seriesOf('1m', 3_600_000, 'latency');

    // Assess
    expect(expressionOf(series.usingMetrics.good_w)).toBe('IF(FILL(fast_w, 0) > 60, 60, FILL(fast_w, 0))');
    const fast = (series.usingMetrics.good_w as MathExpression).usingMetrics.fast_w as Metric;
    expect([fast.metricName, fast.statistic]).toEqual(['CheckDuration', 'TC(0:800)']);
    expect(expressionOf(series.usingMetrics.total_w)).toBe('FILL(passing_w, 0) * 0 + 60');
  });

  it("counts a cron check's availability as passing runs of all its runs, both from CheckDuration", () => {
    // Act
    const series = seriesOf({ cron: '0 3 * * ? *' }, 3_600_000);

    // Assess
    const good = series.usingMetrics.good_w as Metric;
    const total = series.usingMetrics.total_w as Metric;
    expect(good).not.toBeInstanceOf(MathExpression);
    expect([good.metricName, good.statistic]).toEqual(['CheckDuration', 'TC(0:900000)']);
    expect([total.metricName, total.statistic]).toEqual(['CheckDuration', 'SampleCount']);
    expect(series.missingData).toBeUndefined();
  });
});

/**
 * CloudWatch's statistics over one period's values, for the ones SLOs read: `SampleCount`, `Sum`, `Minimum`
 * and trimmed counts with absolute bounds (`TC(lo:hi)`: lower bound excluded, upper included; an absent
 * bound is open).
 */
const statistic = (name: string, values: readonly number[]): number | undefined => {
  if (values.length === 0) return undefined;
  if (name === 'SampleCount') return values.length;
  if (name === 'Sum') return values.reduce((sum, value) => sum + value, 0);
  if (name === 'Minimum') return Math.min(...values);
  const range = /^TC\(([\d.]*):([\d.]*)\)$/.exec(name);
  if (range === null) throw new Error(`this evaluator does not compute ${name}`);
  const low = range[1] === '' ? Number.NEGATIVE_INFINITY : Number(range[1]);
  const high = range[2] === '' ? Number.POSITIVE_INFINITY : Number(range[2]);
  return values.filter((value) => value > low && value <= high).length;
};

/**
 * Evaluates a metric-math expression of the shapes SLO series use (numbers, ids, `+ - * /`, `>`, `IF`,
 * `FILL`) over one period; an id is a nested expression or a metric's statistic of `values`.
 */
const evaluate = (metric: unknown, values: readonly number[]): number | undefined => {
  if (!(metric instanceof MathExpression)) return statistic((metric as Metric).statistic, values);
  const tokens = metric.expression.match(/[A-Za-z_][\w]*|\d+(?:\.\d+)?|[-+*/>(),]/g) ?? [];
  let at = 0;
  const next = () => tokens[at++];
  const expect_ = (token: string) => {
    if (next() !== token) throw new Error(`expected ${token} in ${metric.expression}`);
  };
  type V = number | undefined;
  const primary = (): V => {
    const token = next();
    if (token === undefined) throw new Error(`unexpected end of ${metric.expression}`);
    if (token === '(') {
      const value = comparison();
      expect_(')');
      return value;
    }
    if (/^\d/.test(token)) return Number(token);
    if (token === 'IF' || token === 'FILL') {
      expect_('(');
      const first = comparison();
      expect_(',');
      const second = comparison();
      if (token === 'FILL') {
        expect_(')');
        return first ?? second;
      }
      expect_(',');
      const third = comparison();
      expect_(')');
      return first === undefined ? undefined : first !== 0 ? second : third;
    }
    return evaluate(metric.usingMetrics[token], values);
  };
  const binary =
    (operand: () => V, operators: string, apply: (a: number, op: string, b: number) => number) => (): V => {
      let left = operand();
      while (tokens[at] !== undefined && operators.includes(tokens[at] as string)) {
        const op = next() as string;
        const right = operand();
        left = left === undefined || right === undefined ? undefined : apply(left, op, right);
      }
      return left;
    };
  const product = binary(primary, '*/', (a, op, b) => (op === '*' ? a * b : a / b));
  const sum = binary(product, '+-', (a, op, b) => (op === '+' ? a + b : a - b));
  const comparison = binary(sum, '>', (a, _op, b) => (a > b ? 1 : 0));
  return comparison();
};

describe('SLO math over what runs publish (CheckDuration, 0 for a failed run)', () => {
  const passing = (durationMs: number) => checkDurationValue(false, durationMs);
  const failedRun = checkDurationValue(true, 1_234);
  const goodAndTotal = (series: ReturnType<typeof seriesOf>, values: readonly number[]) => ({
    good: evaluate(series.usingMetrics.good_w, values),
    total: evaluate(series.usingMetrics.total_w, values),
  });

  it('counts a failed run and a skipped run of a rate check as not good in its availability', () => {
    // Prepare: a 5-minute check over an hour expects 12 runs: 10 passed, 1 failed, 1 skipped (published nothing)
    const values = [...Array.from({ length: 10 }, (_, index) => passing(100 + index)), failedRun];

    // Act
    const { good, total } = goodAndTotal(seriesOf('5m', 3_600_000), values);

    // Assess
    expect({ good, total }).toEqual({ good: 10, total: 12 });
  });

  it('counts a passing run measured at 0 ms as good, and every run of a fully failing hour as bad', () => {
    // Act
    const instant = goodAndTotal(
      seriesOf('5m', 3_600_000),
      Array.from({ length: 12 }, () => passing(0)),
    );
    const down = goodAndTotal(
      seriesOf('5m', 3_600_000),
      Array.from({ length: 12 }, () => failedRun),
    );

    // Assess
    expect(instant).toEqual({ good: 12, total: 12 });
    expect(down).toEqual({ good: 0, total: 12 });
  });

  it("ignores a rate check's failed runs as fast ones in its latency SLO: good is passing runs within the threshold", () => {
    // Prepare: a 1-minute check over an hour (60 expected): 50 fast, 5 slow, 3 failed, 2 skipped
    const values = [
      ...Array.from({ length: 50 }, () => passing(100)),
      ...Array.from({ length: 5 }, () => passing(900)),
      ...Array.from({ length: 3 }, () => failedRun),
    ];

    // Act
    const { good, total } = goodAndTotal(seriesOf('1m', 3_600_000, 'latency'), values);

    // Assess: the threshold is 800 ms
    expect({ good, total }).toEqual({ good: 50, total: 60 });
  });

  it("counts a cron check's failed run as not good in its availability, and leaves it out of its latency SLO", () => {
    // Prepare: 3 passing runs (one slow) and a failed one
    const values = [passing(100), passing(200), passing(900), failedRun];

    // Act
    const availability = goodAndTotal(seriesOf({ cron: '0 3 * * ? *' }, 86_400_000), values);
    const latency = goodAndTotal(seriesOf({ cron: '0 3 * * ? *' }, 86_400_000, 'latency'), values);

    // Assess
    expect(availability).toEqual({ good: 3, total: 4 });
    expect(latency).toEqual({ good: 2, total: 3 });
  });
});
