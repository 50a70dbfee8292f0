import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { ESCALATION_STATES } from '../../../../stacks/constructs/escalation/escalation-definition';
import {
  type SynthesizedEscalation,
  synthesizeEscalation,
} from '../../../../stacks/constructs/escalation/synthesize-escalation';

type AslState = {
  Type: string;
  Next?: string;
  Result?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Choices?: { Variable: string; StringEquals: string; Next: string }[];
  Branches?: { StartAt: string }[];
  Catch?: { Next: string }[];
};

let synthesized: SynthesizedEscalation;
let states: Record<string, AslState>;

beforeAll(() => {
  // Prepare
  synthesized = synthesizeEscalation(
    parseConfig({
      app: DEMO_APP,
      environments: { prod: { baseUrl: 'https://api.example.com' } },
      ...demoEscalation,
    }),
  );
  states = synthesized.definition.States as Record<string, AslState>;
}, 120_000);

describe('escalationDefinition', () => {
  it('carries no config in the execution state: the Lambdas load it, tasks pass the state alone', () => {
    // Act
    const text = JSON.stringify(synthesized.definition);
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');

    // Assess
    expect(synthesized.definition.StartAt).toBe(ESCALATION_STATES.open);
    expect(text).not.toContain('config');
    expect(text).not.toContain('secretsManager');
    expect(states[ESCALATION_STATES.open]?.Parameters).toEqual({ phase: 'open', 'execution.$': '$' });
    for (const [name, state] of tasks) {
      if (name === ESCALATION_STATES.open) continue;
      expect([name, state.Parameters?.['state.$']]).toEqual([name, '$']);
    }
    expect(synthesized.runtimeConfig.rules.map((rule) => rule.name)).toEqual(
      expect.arrayContaining(['ServiceDown', 'HighErrorRate', 'LowConversionRate', 'PaymentFailuresHigh']),
    );
  });

  it('routes an incident whose first level is due straight to that notification, others to `decide`', () => {
    // Act
    const route = states[ESCALATION_STATES.route] as unknown as {
      Choices: { And?: { Variable: string; StringEquals: string }[]; Variable?: string; Next: string }[];
      Default: string;
    };
    const fast = route.Choices.filter((choice) => choice.And !== undefined);
    const plain = route.Choices.filter((choice) => choice.And === undefined);

    // Assess
    expect(fast.find((choice) => choice.And?.[0]?.StringEquals === 'critical')).toEqual({
      And: [
        { Variable: '$.incident.policy', StringEquals: 'critical' },
        { Variable: '$.status.outcome', StringEquals: 'due' },
      ],
      Next: 'critical L1 notify',
    });
    expect(plain.find((choice) => choice.Next === 'critical L1 decide')).toMatchObject({
      Variable: '$.incident.policy',
      StringEquals: 'critical',
    });
    expect(fast).toHaveLength(plain.length);
    expect(route.Choices.indexOf(fast[fast.length - 1] as never)).toBeLessThan(
      route.Choices.indexOf(plain[0] as never),
    );
    expect(route.Default).toBe('Unknown policy');
  });

  it('notifies a single-channel level through its Task and a multi-channel level through a Parallel', () => {
    // Act
    const infoDue = states['info L1 decide']?.Choices?.[0];
    const criticalDue = states['critical L1 decide']?.Choices?.[0];
    const infoNotify = states['info L1 notify oncall-slack'];

    // Assess
    expect(infoDue).toMatchObject({ StringEquals: 'due', Next: 'info L1 notify oncall-slack' });
    expect(infoNotify).toMatchObject({ Type: 'Task', Next: 'info watch check' });
    expect(infoNotify?.Catch?.[0]?.Next).toBe('info L1 notify oncall-slack failed');
    expect(states['info L1 notify oncall-slack failed']).toMatchObject({
      Type: 'Pass',
      Next: 'info watch check',
    });
    expect(criticalDue).toMatchObject({ StringEquals: 'due', Next: 'critical L1 notify' });
    expect(states['critical L1 notify']?.Type).toBe('Parallel');
    expect(states['critical L1 notify']?.Branches?.map((branch) => branch.StartAt)).toEqual([
      'critical L1 notify oncall-slack',
      'critical L1 notify oncall-pagerduty',
    ]);
  });

  it('tests `due` first in every level decision, and still ends silenced, resolved and acked incidents', () => {
    // Act
    const decides = Object.entries(states).filter(
      ([name, state]) => state.Type === 'Choice' && / L\d+ decide$/.test(name),
    );

    // Assess
    expect(decides.length).toBeGreaterThan(0);
    for (const [, state] of decides) {
      const outcomes = state.Choices?.map((choice) => choice.StringEquals);
      expect(outcomes?.[0]).toBe('due');
      expect(outcomes).toEqual(expect.arrayContaining(['resolved', 'acked', 'silenced', 'expired']));
    }
  });
});
