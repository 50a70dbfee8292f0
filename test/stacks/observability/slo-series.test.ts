import { MathExpression, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { parseConfig, resolveChecks } from '../../../functions/commons/config/resolve-config';
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
      'SampleCount',
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
    expect([fast.metricName, fast.statistic]).toEqual(['CheckDuration', 'TC(:800)']);
    expect(expressionOf(series.usingMetrics.total_w)).toBe('FILL(passing_w, 0) * 0 + 60');
  });

  it("keeps a cron check's availability on CheckSuccess, which it still publishes", () => {
    // Act
    const series = seriesOf({ cron: '0 3 * * ? *' }, 3_600_000);

    // Assess
    const good = series.usingMetrics.good_w as Metric;
    expect(good).not.toBeInstanceOf(MathExpression);
    expect([good.metricName, good.statistic]).toEqual(['CheckSuccess', 'Sum']);
    expect(series.missingData).toBeUndefined();
  });
});
