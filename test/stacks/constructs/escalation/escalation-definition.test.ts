import {
  type LocalEscalationDefinition,
  localEscalationDefinition,
} from '../../../../bin/local/escalation/local-escalation-definition';
import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import {
  ESCALATION_STATES,
  UNDELIVERABLE_ERROR,
} from '../../../../stacks/constructs/escalation/escalation-definition';
import { HANG_GUARD_MS } from '../../../helpers/patience';

type AslState = {
  Type: string;
  Next?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSecondsPath?: string;
  Choices?: { Variable?: string; IsPresent?: boolean; StringEquals?: string; Next: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Error?: string;
};

const demoInput = {
  app: DEMO_APP,
  environments: { prod: { baseUrl: 'https://api.example.com' } },
  ...demoEscalation,
};

/** The demo with `count` teams overriding every severity with a four-level policy of their own. */
const withTeamOverrides = (count: number) => {
  const policy = {
    levels: [
      { after: '0s', channels: ['oncall-slack', 'oncall-pagerduty'] },
      { after: '5m', channels: ['oncall-sms'] },
      { after: '10m', channels: ['oncall-email', 'oncall-slack'] },
      { after: '20m', channels: ['oncall-pagerduty', 'oncall-sms', 'oncall-email'] },
    ],
    repeat: 2,
  };
  const teams = Object.fromEntries(
    Array.from({ length: count }, (_, index) => [
      `team${index}`,
      { critical: policy, warning: policy, info: policy },
    ]),
  );
  return { ...demoInput, escalation: { ...demoInput.escalation, teams } };
};

let synthesized: LocalEscalationDefinition;
let states: Record<string, AslState>;

beforeAll(() => {
  // Prepare
  synthesized = localEscalationDefinition(parseConfig(demoInput));
  states = synthesized.definition.States as Record<string, AslState>;
}, HANG_GUARD_MS);

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
      const payload = (state.Parameters?.Payload ?? state.Parameters) as Record<string, unknown>;
      expect([name, payload['state.$']]).toEqual([name, '$']);
    }
    expect(synthesized.runtimeConfig.rules.map((rule) => rule.name)).toEqual(
      expect.arrayContaining(['ServiceDown', 'HighErrorRate', 'LowConversionRate', 'PaymentFailuresHigh']),
    );
  });

  it(
    'keeps the definition the same size however many team policies and levels the config has',
    () => {
      // Act
      const heavy = localEscalationDefinition(parseConfig(withTeamOverrides(20)));
      const demoBytes = JSON.stringify(synthesized.definition).length;
      const heavyBytes = JSON.stringify(heavy.definition).length;

      // Assess
      expect(Object.keys(heavy.runtimeConfig.policies)).toHaveLength(3 + 20 * 3);
      expect(heavyBytes).toBe(demoBytes);
      expect(Object.keys(heavy.definition.States as object)).toEqual(Object.keys(states));
    },
    HANG_GUARD_MS,
  );

  it('sends the one notification due through a Task two Choice rules away, several through a Map', () => {
    // Act
    const decide = states[ESCALATION_STATES.decide];

    // Assess
    expect(decide?.Choices?.slice(0, 2)).toEqual([
      { Variable: '$.status.sends[1]', IsPresent: true, Next: ESCALATION_STATES.sendAll },
      { Variable: '$.status.sends[0]', IsPresent: true, Next: ESCALATION_STATES.sendOne },
    ]);
    expect(states[ESCALATION_STATES.sendOne]).toMatchObject({
      Type: 'Task',
      Next: ESCALATION_STATES.check,
      Parameters: { 'send.$': '$.status.sends[0]', 'state.$': '$' },
    });
    expect(states[ESCALATION_STATES.sendAll]).toMatchObject({ Type: 'Map', Next: ESCALATION_STATES.check });
    expect(states[ESCALATION_STATES.check]?.Next).toBe(ESCALATION_STATES.decide);
  });

  it('waits on a task token with the wait as timeout, and falls back to a plain Wait when it cannot arm', () => {
    // Act
    const signal = states[ESCALATION_STATES.waitForSignal];

    // Assess
    expect(signal).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSecondsPath: '$.status.waitSeconds',
      Next: ESCALATION_STATES.check,
    });
    expect(signal?.Parameters?.Payload).toEqual({ phase: 'arm', 'token.$': '$$.Task.Token', 'state.$': '$' });
    expect(signal?.Catch?.map((rule) => [rule.ErrorEquals, rule.Next])).toEqual([
      [['States.Timeout', 'EscalationAlarmRecoveredError'], ESCALATION_STATES.check],
      [['States.ALL'], ESCALATION_STATES.wait],
    ]);
    expect(states[ESCALATION_STATES.wait]).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.status.waitUntil',
      Next: ESCALATION_STATES.check,
    });
  });

  it('ends an undeliverable resolve in a failed execution (alarmed), and every other end in Succeed', () => {
    // Act
    const decide = states[ESCALATION_STATES.decide];
    const next = (outcome: string) =>
      decide?.Choices?.find((choice) => choice.StringEquals === outcome)?.Next;

    // Assess
    expect(states[next('undeliverable') ?? '']).toMatchObject({ Type: 'Fail', Error: UNDELIVERABLE_ERROR });
    for (const [outcome, end] of [
      ['closed', ESCALATION_STATES.resolved],
      ['silenced', ESCALATION_STATES.silenced],
      ['expired', ESCALATION_STATES.expired],
      ['joined', ESCALATION_STATES.joined],
    ])
      expect([outcome, next(outcome), states[end]?.Type]).toEqual([outcome, end, 'Succeed']);
  });
});
