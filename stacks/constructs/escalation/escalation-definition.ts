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
  EscalationRuntimeConfig,
  RuntimePolicy,
} from '../../../functions/escalation/types/runtime-config';

/** Inputs of {@link escalationDefinition}. */
export interface EscalationDefinitionProps {
  /** The runtime config rendered into the `Load config` Pass state. */
  readonly config: EscalationRuntimeConfig;
  /** The check-status Lambda (open, check). */
  readonly checkFunction: IFunction;
  /** The notify Lambda (trigger, acknowledge, resolve). */
  readonly notifyFunction: IFunction;
}

/** Names of the fixed states, shared with tests and the local runner. */
export const ESCALATION_STATES = {
  /** Pass state carrying the runtime config. */
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

  const decide = (id: string) =>
    new Choice(scope, id, { stateName: id })
      .when(outcome('resolved'), resolve)
      .when(outcome('acked'), acknowledge)
      .when(outcome('silenced'), silenced)
      .when(outcome('expired'), expired);
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
      const levelDecide = decide(levelStateName(policy.key, level, 'decide'));
      const levelWait = wait(levelStateName(policy.key, level, 'wait'));
      const notify = new Parallel(scope, levelStateName(policy.key, level, 'notify'), {
        stateName: levelStateName(policy.key, level, 'notify'),
        resultPath: JsonPath.DISCARD,
      });
      for (const channel of spec.channels) {
        const name = levelStateName(policy.key, level, `notify ${channel}`);
        const task = invoke(
          name,
          props.notifyFunction,
          { kind: 'trigger', channel, level, ...common },
          JsonPath.DISCARD,
        );
        task.addCatch(new Pass(scope, `${name} failed`, { stateName: `${name} failed` }), {
          resultPath: JsonPath.DISCARD,
        });
        notify.branch(task);
      }
      notify.next(nextCheck);
      levelDecide.when(outcome('due'), notify).otherwise(levelWait);
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

  const route = new Choice(scope, ESCALATION_STATES.route, { stateName: ESCALATION_STATES.route }).when(
    outcome('silenced'),
    silenced,
  );
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

  const loadConfig = new Pass(scope, ESCALATION_STATES.loadConfig, {
    stateName: ESCALATION_STATES.loadConfig,
    result: Result.fromObject(config as unknown as Record<string, unknown>),
    resultPath: '$.config',
  });
  const open = withRetry(
    invoke(
      ESCALATION_STATES.open,
      props.checkFunction,
      { phase: 'open', 'alarm.$': '$.alarm', 'incidentId.$': '$.incidentId', 'config.$': '$.config' },
      '$.state',
    ),
  );
  return DefinitionBody.fromChainable(loadConfig.next(open).next(route));
};

/** Step Functions keeps a Standard execution at most a year; the engine ends well before. */
export const MAX_EXECUTION = Duration.days(7);
