import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  JsonPath,
  Map as MapState,
  Parallel,
  Pass,
  type State,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type {
  EscalationRuntimeConfig,
  RuntimePolicy,
} from '../../../functions/escalation/types/runtime-config';

/** Inputs of {@link escalationDefinition}. */
export interface EscalationDefinitionProps {
  /** The runtime config: its policies shape the states (the Lambdas load the config themselves). */
  readonly config: Pick<EscalationRuntimeConfig, 'policies'>;
  /** The check-status Lambda (open, check). */
  readonly checkFunction: IFunction;
  /** The notify Lambda (trigger, acknowledge, resolve). */
  readonly notifyFunction: IFunction;
}

/** Names of the fixed states, shared with tests and the local runner. */
export const ESCALATION_STATES = {
  /** Task: route, silence check, enrichment, first decision. Its result becomes the whole state. */
  open: 'Open incident',
  /** Choice on the incident's policy (straight to level 1's notification when it is due). */
  route: 'Route to policy',
  /** Map: resolve every notified channel. */
  resolve: 'Resolve notified channels',
  /** Map: tell every notified channel who acknowledged. */
  acknowledge: 'Acknowledge notified channels',
  resolved: 'Resolved',
  acknowledged: 'Acknowledged',
  silenced: 'Silenced',
  expired: 'Expired',
} as const;

/** The name of a policy's level state (`critical L2 wait`), `watch` after the last level. */
export const levelStateName = (policy: string, level: number | 'watch', what: string): string =>
  `${policy} ${level === 'watch' ? 'watch' : `L${level + 1}`} ${what}`.slice(0, 80);

const outcome = (value: string) => Condition.stringEquals('$.status.outcome', value);

/**
 * Builds the escalation state machine from the policies: for each policy and level, `check` (alarm state,
 * ack, silence, due time) -> `decide` -> `wait` (until the level is due or the next poll) or `notify` (the
 * level's channels in parallel) -> next level; after the last level a slower `watch` loop (and the policy's
 * repeats) until resolution, acknowledgement or `watchFor`. OK -> resolve every notified channel;
 * acknowledged -> tell them who acked and stop.
 *
 * The execution state is the incident's {@link EscalationState} alone (`Open incident` and every `check`
 * replace it; notifications discard their result): the config stays in the Lambdas, so each transition
 * copies a few hundred bytes, not the config.
 */
export const escalationDefinition = (scope: Construct, props: EscalationDefinitionProps): DefinitionBody => {
  const { config } = props;
  // No result path: the task's result (the new EscalationState) replaces the state.
  const invoke = (id: string, fn: IFunction, payload: Record<string, unknown>, resultPath?: string) =>
    new LambdaInvoke(scope, id, {
      stateName: id,
      lambdaFunction: fn,
      payload: TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      ...(resultPath !== undefined ? { resultPath } : {}),
      retryOnServiceExceptions: true,
    });
  const common = { 'state.$': '$' };
  // A failed status check (DynamoDB or CloudWatch throttling) is retried rather than ending the escalation.
  const withRetry = (task: LambdaInvoke) =>
    task.addRetry({
      errors: ['States.TaskFailed'],
      maxAttempts: 4,
      interval: Duration.seconds(2),
      backoffRate: 2,
    });
  const check = (id: string, level: number) =>
    withRetry(invoke(id, props.checkFunction, { phase: 'check', level, ...common }));

  const followUps = (id: string, kind: 'resolve' | 'acknowledge', end: State) => {
    const map = new MapState(scope, id, {
      stateName: id,
      itemsPath: '$.status.followUps',
      itemSelector: { 'channel.$': '$$.Map.Item.Value', kind, level: 0, ...common },
      resultPath: JsonPath.DISCARD,
      maxConcurrency: 10,
    });
    const send = new LambdaInvoke(scope, `${id} send`, {
      stateName: `${kind === 'resolve' ? 'Send resolve' : 'Send acknowledge'}`,
      lambdaFunction: props.notifyFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    send.addCatch(new Pass(scope, `${id} failed`, { stateName: `${kind} delivery failed` }), {
      resultPath: '$.error',
    });
    map.itemProcessor(send);
    return map.next(end);
  };
  const resolved = new Succeed(scope, ESCALATION_STATES.resolved, { stateName: ESCALATION_STATES.resolved });
  const acknowledged = new Succeed(scope, ESCALATION_STATES.acknowledged, {
    stateName: ESCALATION_STATES.acknowledged,
  });
  const silenced = new Succeed(scope, ESCALATION_STATES.silenced, { stateName: ESCALATION_STATES.silenced });
  const expired = new Succeed(scope, ESCALATION_STATES.expired, { stateName: ESCALATION_STATES.expired });
  const resolve = followUps(ESCALATION_STATES.resolve, 'resolve', resolved);
  const acknowledge = followUps(ESCALATION_STATES.acknowledge, 'acknowledge', acknowledged);

  // A level's `decide` tests `due` first: it is the outcome on the way to every notification, and each rule
  // tested before it is one more JSONPath evaluation on that path.
  const withOutcomes = (choice: Choice) =>
    choice
      .when(outcome('resolved'), resolve)
      .when(outcome('acked'), acknowledge)
      .when(outcome('silenced'), silenced)
      .when(outcome('expired'), expired);
  const decide = (id: string) => withOutcomes(new Choice(scope, id, { stateName: id }));
  const wait = (id: string) =>
    new Wait(scope, id, { stateName: id, time: WaitTime.timestampPath('$.status.waitUntil') });

  const buildPolicy = (policy: RuntimePolicy): { decide: State; notify: State } => {
    // Watch loop after the last level (also where repeats start over).
    const watchCheck = check(levelStateName(policy.key, 'watch', 'check'), policy.levels.length);
    const watchDecide = decide(levelStateName(policy.key, 'watch', 'decide'));
    const watchWait = wait(levelStateName(policy.key, 'watch', 'wait'));
    watchCheck.next(watchDecide);
    watchWait.next(watchCheck);

    let nextCheck: State = watchCheck;
    let firstDecide: Choice | undefined;
    let firstNotify: State | undefined;
    const levelChecks: State[] = [];
    for (let level = policy.levels.length - 1; level >= 0; level -= 1) {
      const spec = policy.levels[level];
      if (spec === undefined) continue;
      const levelCheck = check(levelStateName(policy.key, level, 'check'), level);
      const levelWait = wait(levelStateName(policy.key, level, 'wait'));
      const notifyTask = (channel: string) => {
        const name = levelStateName(policy.key, level, `notify ${channel}`);
        const task = invoke(
          name,
          props.notifyFunction,
          { kind: 'trigger', channel, level, ...common },
          JsonPath.DISCARD,
        );
        const failed = new Pass(scope, `${name} failed`, { stateName: `${name} failed` });
        task.addCatch(failed, { resultPath: JsonPath.DISCARD });
        return { task, failed };
      };
      let notify: State;
      const [only] = spec.channels;
      if (spec.channels.length === 1 && only !== undefined) {
        // One channel: the Task itself, not a one-branch Parallel (same output, one state less to enter).
        const { task, failed } = notifyTask(only);
        task.next(nextCheck);
        failed.next(nextCheck);
        notify = task;
      } else {
        const parallel = new Parallel(scope, levelStateName(policy.key, level, 'notify'), {
          stateName: levelStateName(policy.key, level, 'notify'),
          resultPath: JsonPath.DISCARD,
        });
        for (const channel of spec.channels) parallel.branch(notifyTask(channel).task);
        parallel.next(nextCheck);
        notify = parallel;
      }
      const levelDecide = new Choice(scope, levelStateName(policy.key, level, 'decide'), {
        stateName: levelStateName(policy.key, level, 'decide'),
      }).when(outcome('due'), notify);
      withOutcomes(levelDecide).otherwise(levelWait);
      levelWait.next(levelCheck);
      levelCheck.next(levelDecide);
      nextCheck = levelCheck;
      levelChecks.unshift(levelCheck);
      firstDecide = levelDecide;
      firstNotify = notify;
    }
    const firstCheck = levelChecks[0];
    if (firstDecide === undefined || firstNotify === undefined || firstCheck === undefined)
      throw new Error(`policy ${policy.key} has no levels`);
    watchDecide.when(outcome('repeat'), firstCheck).otherwise(watchWait);
    return { decide: firstDecide, notify: firstNotify };
  };

  // An incident whose first level is due goes straight to that level's notification (the page that
  // matters most, one transition sooner); any other outcome goes to the policy's first `decide`, which
  // waits, defers or ends it (a silenced incident ends in `Silenced`).
  const route = new Choice(scope, ESCALATION_STATES.route, { stateName: ESCALATION_STATES.route });
  const policyIs = (key: string) => Condition.stringEquals('$.incident.policy', key);
  const branches = Object.values(config.policies).map((policy) => ({
    key: policy.key,
    ...buildPolicy(policy),
  }));
  for (const branch of branches)
    route.when(Condition.and(policyIs(branch.key), outcome('due')), branch.notify);
  for (const branch of branches) route.when(policyIs(branch.key), branch.decide);
  route.otherwise(
    new Fail(scope, 'Unknown policy', {
      stateName: 'Unknown policy',
      error: 'EscalationInputError',
      cause: 'no state branch for the incident policy',
    }),
  );

  // The whole execution input (an object: JSONPath to a scalar costs more in the local interpreter).
  const open = withRetry(
    invoke(ESCALATION_STATES.open, props.checkFunction, { phase: 'open', 'execution.$': '$' }),
  );
  return DefinitionBody.fromChainable(open.next(route));
};

/** Step Functions keeps a Standard execution at most a year; the engine ends well before. */
export const MAX_EXECUTION = Duration.days(7);
