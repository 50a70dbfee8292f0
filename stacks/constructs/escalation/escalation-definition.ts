import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  Map as MapState,
  Pass,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { NON_RETRYABLE_ESCALATION_ERRORS } from '../../../functions/escalation/core/errors';

/** Inputs of {@link escalationDefinition}. */
export interface EscalationDefinitionProps {
  /** The check-status Lambda (open, check, arm the signal wait). */
  readonly checkFunction: IFunction;
  /** The notify Lambda (trigger, acknowledge, resolve). */
  readonly notifyFunction: IFunction;
}

/** Names of the states, shared with tests and the local runner. */
export const ESCALATION_STATES = {
  /** Task: claim the alarm (or join its open incident), route, silence check, enrichment, first decision. */
  open: 'Open incident',
  /** Choice on what the last task decided: send, wait, or end. */
  decide: 'Decide',
  /** Task: the one notification due (the first page of a one-channel level takes this path). */
  sendOne: 'Send one',
  /** Map: several notifications due (a level's channels, retries, follow-ups), in parallel. */
  sendAll: 'Send all',
  /** Task inside `Send all`. */
  send: 'Send',
  /** Pass inside `Send all`: the notify task itself failed (the next check schedules a retry). */
  sendFailed: 'Send failed',
  /** Task (callback): wait until `waitUntil`, or until the alarm's OK event wakes the execution. */
  waitForSignal: 'Wait for signal',
  /** Wait: the fallback when the signal wait cannot be armed (polling only). */
  wait: 'Wait',
  /** Task: fold in the sends' results, read alarm state, ack and silences, decide the next step. */
  check: 'Check',
  resolved: 'Resolved',
  silenced: 'Silenced',
  expired: 'Expired',
  /** The alarm already had an open incident: the flap is recorded there. */
  joined: 'Joined',
  /** Fewer of the check's locations fail than its quorum asks: audited, nobody paged. */
  belowQuorum: 'Below quorum',
  /** Fail: a resolve could not be delivered within its retry window (alarmed as a failed execution). */
  undeliverable: 'Resolve undeliverable',
  unknown: 'Unknown outcome',
} as const;

/** The error a `Resolve undeliverable` execution fails with. */
export const UNDELIVERABLE_ERROR = 'EscalationFollowUpUndeliverable';

const outcome = (...values: string[]) =>
  values.length === 1
    ? Condition.stringEquals('$.status.outcome', values[0] as string)
    : Condition.or(...values.map((value) => Condition.stringEquals('$.status.outcome', value)));

/**
 * Builds the escalation state machine: one loop for every policy, level and channel, so its size does not
 * depend on the config (the policies are data the check-status Lambda reads from its bundle).
 *
 * `Open incident` -> `Decide` -> `Send one` / `Send all` (the notifications the last task put in
 * `status.sends`: a level's channels, retries due, acknowledge or resolve follow-ups) -> `Check` -> `Decide`
 * ...; a `wait` goes to `Wait for signal` (a callback task with the wait as its timeout, woken early by the
 * alarm's OK event) -> `Check`. A failed round of a notification is retried by the loop at its `retryAt`
 * (backoff with jitter over the action's window, as Wait time, not Lambda time). Ends: `Resolved` (every
 * notified channel has its resolve), `Resolve undeliverable` (Fail, alarmed), `Silenced`, `Expired`,
 * `Joined`.
 *
 * The execution state is the incident's {@link EscalationState} alone (`Open incident` and every `Check`
 * replace it): the config stays in the Lambdas, so each transition copies a few hundred bytes.
 */
export const escalationChain = (scope: Construct, props: EscalationDefinitionProps): IChainable => {
  const state = { 'state.$': '$' };
  // A failed status check (DynamoDB or CloudWatch throttling, a 5xx, a timeout) is retried rather than ending
  // the escalation; an error a retry cannot fix (bad input, a broken bundled config) fails it at once. Step
  // Functions uses the first retrier whose errors match, so the named errors come before the wildcard.
  const checkTask = (id: string, payload: Record<string, unknown>) =>
    new LambdaInvoke(scope, id, {
      stateName: id,
      lambdaFunction: props.checkFunction,
      payload: TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    })
      .addRetry({ errors: [...NON_RETRYABLE_ESCALATION_ERRORS], maxAttempts: 0 })
      .addRetry({
        errors: ['States.TaskFailed'],
        maxAttempts: 4,
        interval: Duration.seconds(2),
        backoffRate: 2,
      });

  const open = checkTask(ESCALATION_STATES.open, { phase: 'open', 'execution.$': '$' });
  const check = checkTask(ESCALATION_STATES.check, { phase: 'check', ...state });
  const decide = new Choice(scope, ESCALATION_STATES.decide, { stateName: ESCALATION_STATES.decide });

  const sendOne = new LambdaInvoke(scope, ESCALATION_STATES.sendOne, {
    stateName: ESCALATION_STATES.sendOne,
    lambdaFunction: props.notifyFunction,
    payload: TaskInput.fromObject({ 'send.$': '$.status.sends[0]', ...state }),
    payloadResponseOnly: true,
    resultPath: '$.sentOne',
    retryOnServiceExceptions: true,
  });
  sendOne.addCatch(check, { errors: ['States.ALL'], resultPath: '$.sentOne' });
  sendOne.next(check);

  const send = new LambdaInvoke(scope, ESCALATION_STATES.send, {
    stateName: ESCALATION_STATES.send,
    lambdaFunction: props.notifyFunction,
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
  });
  send.addCatch(
    new Pass(scope, ESCALATION_STATES.sendFailed, {
      stateName: ESCALATION_STATES.sendFailed,
      parameters: {
        'channel.$': '$.send.channel',
        'kind.$': '$.send.kind',
        'level.$': '$.send.level',
        outcome: 'error',
      },
    }),
    { errors: ['States.ALL'], resultPath: '$.error' },
  );
  const sendAll = new MapState(scope, ESCALATION_STATES.sendAll, {
    stateName: ESCALATION_STATES.sendAll,
    itemsPath: '$.status.sends',
    itemSelector: { 'send.$': '$$.Map.Item.Value', ...state },
    resultPath: '$.sent',
    maxConcurrency: 10,
  });
  sendAll.itemProcessor(send);
  sendAll.next(check);

  const wait = new Wait(scope, ESCALATION_STATES.wait, {
    stateName: ESCALATION_STATES.wait,
    time: WaitTime.timestampPath('$.status.waitUntil'),
  });
  wait.next(check);
  const waitForSignal = new LambdaInvoke(scope, ESCALATION_STATES.waitForSignal, {
    stateName: ESCALATION_STATES.waitForSignal,
    lambdaFunction: props.checkFunction,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({ phase: 'arm', token: JsonPath.taskToken, ...state }),
    taskTimeout: Timeout.at('$.status.waitSeconds'),
    resultPath: JsonPath.DISCARD,
  });
  // The timeout is the wait's normal end; a wait that cannot be armed falls back to a plain Wait (polling).
  waitForSignal.addCatch(check, {
    errors: ['States.Timeout', 'EscalationAlarmRecoveredError'],
    resultPath: JsonPath.DISCARD,
  });
  waitForSignal.addCatch(wait, { errors: ['States.ALL'], resultPath: JsonPath.DISCARD });
  waitForSignal.next(check);

  const end = (name: string) => new Succeed(scope, name, { stateName: name });
  decide
    // Tested first: the first page of a one-channel level is two rules away.
    .when(Condition.isPresent('$.status.sends[1]'), sendAll)
    .when(Condition.isPresent('$.status.sends[0]'), sendOne)
    .when(outcome('wait'), waitForSignal)
    .when(outcome('closed'), end(ESCALATION_STATES.resolved))
    .when(
      outcome('undeliverable'),
      new Fail(scope, ESCALATION_STATES.undeliverable, {
        stateName: ESCALATION_STATES.undeliverable,
        error: UNDELIVERABLE_ERROR,
        causePath: '$.status.detail',
      }),
    )
    .when(outcome('silenced'), end(ESCALATION_STATES.silenced))
    .when(outcome('expired'), end(ESCALATION_STATES.expired))
    .when(outcome('joined'), end(ESCALATION_STATES.joined))
    .when(outcome('below-quorum'), end(ESCALATION_STATES.belowQuorum))
    // A decision with nothing to send (an ack when nobody was notified yet) is checked again at once.
    .when(outcome('due', 'acked', 'resolved', 'retry', 'repeat'), check)
    .otherwise(
      new Fail(scope, ESCALATION_STATES.unknown, {
        stateName: ESCALATION_STATES.unknown,
        error: 'EscalationInputError',
        causePath: '$.status.outcome',
      }),
    );
  check.next(decide);
  return open.next(decide);
};

/** {@link escalationChain} as a state machine's definition body (what the {@link EscalationEngine} deploys). */
export const escalationDefinition = (scope: Construct, props: EscalationDefinitionProps): DefinitionBody =>
  DefinitionBody.fromChainable(escalationChain(scope, props));

/** Step Functions keeps a Standard execution at most a year; the engine ends well before. */
export const MAX_EXECUTION = Duration.days(7);
