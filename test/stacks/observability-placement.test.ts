import type { RuleAlarmConfig, SloConfig } from '../../functions/commons/config/observability-schema';
import { planObservabilityAlarms, suppressionGroups } from '../../stacks/observability-placement';

const rule = (name: string, suppressedBy: string[] = []) =>
  ({ name, suppressedBy }) as unknown as RuleAlarmConfig;
const slo = (name: string) => ({ name }) as unknown as SloConfig;
const costs = { rule: () => 2, slo: () => 6, logGroup: (log: { cost: number }) => log.cost };

describe('observability placement', () => {
  it('keeps an alarm with everything it suppresses or is suppressed by in one group', () => {
    // Prepare
    const alarms = [rule('Down'), rule('Errors', ['Down']), rule('Latency', ['Errors']), rule('Other')];

    // Act
    const groups = suppressionGroups(alarms).map((group) => group.map((alarm) => alarm.name));

    // Assess
    expect(groups).toEqual([['Down', 'Errors', 'Latency'], ['Other']]);
  });

  it('splits exactly where the counted resources pass the budget, never inside a suppression group', () => {
    // Prepare: a group of 3 alarms (6), a lone alarm (2), two SLOs (6 each), a log group (4); budget 10
    const items = {
      alarms: [rule('Down'), rule('Errors', ['Down']), rule('Latency', ['Down']), rule('Other')],
      slos: [slo('a'), slo('b')],
      logGroups: [{ cost: 4 }],
    };

    // Act
    const parts = planObservabilityAlarms(items, costs, 10);

    // Assess: 6 + 2 = 8 (an SLO would make 14); SLO a alone (b would make 12); SLO b + the log group = 10
    expect(
      parts.map((part) => ({
        alarms: part.alarms.map((a) => a.name),
        slos: part.slos.map((s) => s.name),
        logs: part.logGroups.length,
        resources: part.resources,
      })),
    ).toEqual([
      { alarms: ['Down', 'Errors', 'Latency', 'Other'], slos: [], logs: 0, resources: 8 },
      { alarms: [], slos: ['a'], logs: 0, resources: 6 },
      { alarms: [], slos: ['b'], logs: 1, resources: 10 },
    ]);
  });

  it('plans no part for a config with nothing to alarm on', () => {
    // Act / Assess
    expect(planObservabilityAlarms({ alarms: [], slos: [], logGroups: [] }, costs, 10)).toEqual([]);
  });
});
