import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkFailureSignal } from '../../functions/commons/alarm-settings';
import { loadConfig } from '../../functions/commons/config/load-config';
import { CHECK_METRICS } from '../../functions/commons/metrics/metric-catalog';
import { estimateConfigCost } from '../../functions/cost/config-cost';
import { type SynthesizedVigil, synthVigil } from '../helpers/synth-vigil';

const demo = loadConfig(join(__dirname, '../../vigil.config.ts')).config;

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/**
 * The single-metric alarms of the templates, with the metric and statistic each reads and the stack file it
 * lives in.
 */
const alarmsOf = (templates: readonly string[]): { file: string; metric: string; statistic: string }[] =>
  templates.flatMap((file) =>
    Object.values(
      (JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, Resource> }).Resources,
    )
      .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
      .map((resource) => ({
        file: basename(file),
        metric: String(resource.Properties?.MetricName),
        statistic: String(resource.Properties?.Statistic ?? resource.Properties?.ExtendedStatistic),
      })),
  );

describe('vigil cost counts the check alarms the demo deploys', () => {
  let synth: SynthesizedVigil;
  beforeAll(() => {
    synth = synthVigil(demo);
  });

  const quantity = (item: string): number | undefined =>
    estimateConfigCost(demo).lines.find((line) => line.item === item)?.quantity;

  it('prices exactly the certificate alarms the template holds (warning and critical per host)', () => {
    // Act
    const deployed = alarmsOf(synth.templates).filter(
      (alarm) => alarm.metric === CHECK_METRICS.certificateDaysToExpiry,
    ).length;

    // Assess: prod is HTTPS and every check calls one host, so one pair across 9 check-locations
    expect(deployed).toBe(2);
    expect(quantity('check certificate alarms (warning, critical, per host)')).toBe(deployed);
    expect(quantity('check certificate metrics (CertificateDaysToExpiry, one per host)')).toBe(1);
  });

  it('prices exactly the failure and certificate alarms of the check alarm stacks, nothing more or less', () => {
    // Act
    const inCheckStacks = alarmsOf(synth.templates).filter((alarm) =>
      alarm.file.startsWith(`${demo.app}-check-alarms-`),
    );

    // Assess
    expect(quantity('check failure alarms')).toBe(
      inCheckStacks.filter((alarm) => {
        const signal = checkFailureSignal({ everyMs: 60_000 });
        return alarm.metric === signal.metric && alarm.statistic === signal.statistic;
      }).length,
    );
    expect(
      (quantity('check failure alarms') ?? 0) +
        (quantity('check certificate alarms (warning, critical, per host)') ?? 0),
    ).toBe(inCheckStacks.length);
  });
});
