import { join } from 'node:path';
import { checkStepNames } from '../../../functions/commons/config/check-steps';
import { loadConfig } from '../../../functions/commons/config/load-config';
import { resolveChecks } from '../../../functions/commons/config/resolve-config';
import { resolveKpis } from '../../../functions/commons/config/resolve-kpis';
import { costChoices } from '../../../functions/cost/cost-choices';
import { estimateCost } from '../../../functions/cost/estimate-cost';

const demo = loadConfig(join(__dirname, '../../../vigil.config.ts')).config;
const checks = resolveChecks(demo);
const kpis = resolveKpis(demo);
const choiceOf = (name: string) => {
  const found = costChoices(demo, checks, kpis).find((choice) => choice.choice === name);
  if (found === undefined) throw new Error(`no choice ${name}`);
  return found;
};

describe('costChoices', () => {
  it('adds CheckDegraded, CheckRetries and 8 metrics per step for every check-location with detailed metrics', () => {
    // Prepare: 2 more per check, 8 per step (setup + main + teardown), in every location
    const expected = checks.reduce(
      (sum, check) => sum + check.locations.length * (2 + 8 * checkStepNames(check).length),
      0,
    );
    const detailed = estimateCost({ ...demo, runner: { ...demo.runner, metrics: 'detailed' } }, checks, kpis);
    const essential = estimateCost(demo, checks, kpis);
    const metricsLine = (estimate: typeof essential) =>
      estimate.lines.find((line) => line.item === 'check metrics');

    // Act
    const choice = choiceOf("runner.metrics: 'detailed'");

    // Assess
    expect(choice.metrics).toBe(expected);
    expect(metricsLine(detailed)?.quantity).toBe((metricsLine(essential)?.quantity ?? 0) + expected);
    // Every metric of the demo's checks is still in the first price tier ($0.30)
    expect((metricsLine(detailed)?.usd ?? 0) - (metricsLine(essential)?.usd ?? 0)).toBeCloseTo(
      expected * 0.3,
      2,
    );
    expect(choice.usd).toBeGreaterThan(expected * 0.3);
    expect(choice.ratio).toBeLessThan(estimateCost(demo, checks, kpis).ratio);
  });

  it('prices one more location as every check running there too: its metrics and alarms', () => {
    // Act
    const choice = choiceOf('one more location for every check');

    // Assess: 6 checks × CheckDuration; a failure and a degraded alarm each. The certificate is still
    // one host's, published from its owner's home: no metric or alarm more
    expect(choice.metrics).toBe(6 * 1);
    expect(choice.alarms).toBe(6 * 2);
    expect(choice.usd).toBeGreaterThan(0);
  });

  it('names what turning degraded alarms off saves', () => {
    // Act
    const choice = choiceOf('checkAlarms.degraded: false');

    // Assess: 9 check-locations, one degraded alarm each at $0.10
    expect(choice).toMatchObject({ metrics: 0, alarms: -9, usd: -0.9 });
  });

  it('names what turning certificate alarms off saves, and what turning them back on costs', () => {
    // Act
    const off = choiceOf('checkAlarms.certificate: false (certificate alarms off)');
    const on = costChoices(
      { ...demo, checkAlarms: { ...demo.checkAlarms, certificate: false } },
      checks,
      kpis,
    ).find((choice) => choice.choice === 'checkAlarms.certificate: { warning: 14, critical: 7 }');

    // Assess: 9 check-locations see one host's certificate (prod is HTTPS), a warning and a critical alarm
    // on it at $0.10; the certificate metric stays
    expect(off).toMatchObject({ metrics: 0, alarms: -2, usd: -0.2 });
    expect(on).toMatchObject({ metrics: 0, alarms: 2, usd: 0.2 });
  });
});
