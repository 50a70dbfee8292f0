import { StateMachine } from 'aws-local-stepfunctions';
import { EscalationConfigLoadError } from '../../../../functions/escalation/adapters/bundled-runtime-config';
import {
  EscalationEventError,
  EscalationInputError,
  NON_RETRYABLE_ESCALATION_ERRORS,
} from '../../../../functions/escalation/core/errors';
import { EscalationConfigMissingError } from '../../../../functions/escalation/core/resolve-runtime-config';
import { ESCALATION_STATES } from '../../../../stacks/constructs/escalation/escalation-definition';
import {
  type RenderedEscalationDefinition,
  renderEscalationDefinition,
} from '../../../../stacks/constructs/escalation/render-escalation-definition';

let rendered: RenderedEscalationDefinition;

beforeAll(() => {
  // Prepare
  rendered = renderEscalationDefinition();
}, 120_000);

/** An error as a Lambda reports it to Step Functions: by its name. */
const named = (name: string): Error => Object.assign(new Error(`${name} from the task`), { name });

/**
 * Runs the rendered definition with `aws-local-stepfunctions`, `Open incident` failing with `error` on every
 * invocation (retry waits take no time); returns how often it ran and the execution's error name.
 */
const runWithFailingOpen = async (error: Error): Promise<{ invocations: number; failedWith: string }> => {
  let invocations = 0;
  const fail = async (): Promise<never> => {
    invocations += 1;
    throw error;
  };
  const tasks = Object.fromEntries(Object.keys(rendered.tasks).map((name) => [name, fail]));
  const machine = new StateMachine(rendered.definition as never);
  const execution = machine.run({ alarm: { alarmName: 'shop-check-login' } } as never, {
    overrides: {
      taskResourceLocalHandlers: tasks as never,
      retryIntervalOverrides: { [ESCALATION_STATES.open]: 0, [ESCALATION_STATES.check]: 0 },
    },
  });
  let failedWith = '';
  try {
    await execution.result;
  } catch (thrown) {
    failedWith = (thrown as { name?: string }).name ?? String(thrown);
  }
  return { invocations, failedWith };
};

describe('escalation state machine: which task errors are retried', () => {
  it.each([...NON_RETRYABLE_ESCALATION_ERRORS])('fails at once on %s, with one invocation', async (name) => {
    // Act
    const run = await runWithFailingOpen(named(name));
    // Assess
    expect(run.invocations).toBe(1);
    expect(run.failedWith).not.toBe('');
  });

  it.each(['ThrottlingException', 'InternalServerError', 'Error', 'TimeoutError'])(
    'retries %s four times before failing',
    async (name) => {
      // Act
      const run = await runWithFailingOpen(named(name));
      // Assess
      expect(run.invocations).toBe(5);
    },
  );

  it('gives Open incident and Check the same retriers', () => {
    // Prepare
    const states = rendered.definition.States as Record<string, { Retry?: unknown }>;
    // Assess
    expect(states[ESCALATION_STATES.check]?.Retry).toEqual(states[ESCALATION_STATES.open]?.Retry);
  });

  it('lists the errors by the names their classes give them', () => {
    // Assess
    expect([...NON_RETRYABLE_ESCALATION_ERRORS].sort()).toEqual(
      [
        new EscalationInputError('x').name,
        new EscalationEventError('x').name,
        new EscalationConfigMissingError().name,
        new EscalationConfigLoadError('x').name,
      ].sort(),
    );
  });
});
