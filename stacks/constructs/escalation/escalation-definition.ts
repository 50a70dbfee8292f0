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
  Result,
  type State,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type {
  CarriedRuntimeConfig,
  EscalationRuntimeConfig,
  RuntimePolicy,
} from '../../../functions/escalation/types/runtime-config';

/** Inputs of {@link escalationDefinition}. */
export interface EscalationDefinitionProps {
  /** The runtime config: rendered into the `Load config` Pass state, its rules into `Open incident`. */
  readonly config: EscalationRuntimeConfig;
  /** The check-status Lambda (open, check). */
  readonly checkFunction: IFunction;
  /** The notify Lambda (trigger, acknowledge, resolve). */
  readonly notifyFunction: IFunction;
}

/** Names of the fixed states, shared with tests and the local runner. */
export const ESCALATION_STATES = {
  /** Pass state carrying the runtime config (all but the rules, which go to `Open incident`). */
  loadConfig: 'Load config',
  /** Task: route, silence check, enrichment, first decision. */
  open: 'Open incident',
  /** Choice on the incident's policy. */
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

const outcome = (value: string) => Condition.stringEquals('$.state.status.outcome', value);

/**
 * Builds the escalation state machine from the policies: for each policy and level, `check` (alarm state,
 * ack, silence, due time) -> `decide` -> `wait` (until the level is due or the next poll) or `notify` (the
 * level's channels in parallel) -> next level; after the last level a slower `watch` loop (and the policy's
 * repeats) until resolution, acknowledgement or `watchFor`. OK -> resolve every notified channel;
 * acknowledged -> tell them who acked and stop.
 */
export const escalationDefinition = (scope: Construct, props: EscalationDefinitionProps): DefinitionBody => {
  const { config } = props;
  const invoke = (id: string, fn: IFunction, payload: Record<string, unknown>, resultPath: string) =>
    new LambdaInvoke(scope, id, {
      stateName: id,
      lambdaFunction: fn,
      payload: TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      resultPath,
      retryOnServiceExceptions: true,
    });
  const common = { 'config.$': '$.config', 'state.$': '$.state' };
  // A failed status check (DynamoDB or CloudWatch throttling) is retried rather than ending the escalation.
  const withRetry = (task: LambdaInvoke) =>
    task.addRetry({
      errors: ['States.TaskFailed'],
      maxAttempts: 4,
      interval: Duration.seconds(2),
      backoffRate: 2,
    });
  const check = (id: string, level: number) =>
    withRetry(invoke(id, props.checkFunction, { phase: 'check', level, ...common }, '$.state'));

  const followUps = (id: string, kind: 'resolve' | 'acknowledge', end: State) => {
    const map = new MapState(scope, id, {
      stateName: id,
      itemsPath: '$.state.status.followUps',
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
    new Wait(scope, id, { stateName: id, time: WaitTime.timestampPath('$.state.status.waitUntil') });

  const buildPolicy = (policy: RuntimePolicy): State => {
    // Watch loop after the last level (also where repeats start over).
    const watchCheck = check(levelStateName(policy.key, 'watch', 'check'), policy.levels.length);
    const watchDecide = decide(levelStateName(policy.key, 'watch', 'decide'));
    const watchWait = wait(levelStateName(policy.key, 'watch', 'wait'));
    watchCheck.next(watchDecide);
    watchWait.next(watchCheck);

    let nextCheck: State = watchCheck;
    let firstDecide: Choice | undefined;
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
    }
    const firstCheck = levelChecks[0];
    if (firstDecide === undefined || firstCheck === undefined)
      throw new Error(`policy ${policy.key} has no levels`);
    watchDecide.when(outcome('repeat'), firstCheck).otherwise(watchWait);
    return firstDecide;
  };

  // A silenced incident goes on to its policy's first `decide`, which ends it in `Silenced`.
  const route = new Choice(scope, ESCALATION_STATES.route, { stateName: ESCALATION_STATES.route });
  for (const policy of Object.values(config.policies)) {
    route.when(Condition.stringEquals('$.state.incident.policy', policy.key), buildPolicy(policy));
  }
  route.otherwise(
    new Fail(scope, 'Unknown policy', {
      stateName: 'Unknown policy',
      error: 'EscalationInputError',
      cause: 'no state branch for the incident policy',
    }),
  );

  // Every state transition copies the state, so it carries only what the later states need: the rules
  // (routing) go to `Open incident` alone.
  const { rules, ...carried } = config;
  const loadConfig = new Pass(scope, ESCALATION_STATES.loadConfig, {
    stateName: ESCALATION_STATES.loadConfig,
    result: Result.fromObject(carried satisfies CarriedRuntimeConfig as unknown as Record<string, unknown>),
    resultPath: '$.config',
  });
  const open = withRetry(
    invoke(
      ESCALATION_STATES.open,
      props.checkFunction,
      {
        phase: 'open',
        'alarm.$': '$.alarm',
        'incidentId.$': '$.incidentId',
        'config.$': '$.config',
        rules,
      },
      '$.state',
    ),
  );
  return DefinitionBody.fromChainable(loadConfig.next(open).next(route));
};

/** Step Functions keeps a Standard execution at most a year; the engine ends well before. */
export const MAX_EXECUTION = Duration.days(7);
