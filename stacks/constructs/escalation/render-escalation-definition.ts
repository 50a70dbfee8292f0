import { Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { StateGraph } from 'aws-cdk-lib/aws-stepfunctions';
import { escalationChain, MAX_EXECUTION } from './escalation-definition';

/** Which handler a Task state runs (`signal`: the check-status Lambda behind a task-token wait). */
export type EscalationTaskKind = 'check' | 'notify' | 'signal';

/** The escalation state machine's definition alone, as Amazon States Language, ready to execute locally. */
export interface RenderedEscalationDefinition {
  /** The ASL definition, the one the deployed state machine runs, with its tokens rendered. */
  readonly definition: Record<string, unknown>;
  /** Task state name -> the handler behind its Lambda. */
  readonly tasks: Readonly<Record<string, EscalationTaskKind>>;
  /** Names of every Wait state. */
  readonly waits: readonly string[];
}

/** Placeholder region and account of a rendered definition and of the local stand-ins for deployed ARNs. */
export const LOCAL_AWS_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/** Placeholder ARNs of the two Lambdas the definition invokes. */
export const PLACEHOLDER_FUNCTION_ARNS = {
  check: `arn:aws:lambda:${LOCAL_AWS_ENV.region}:${LOCAL_AWS_ENV.account}:function:vigil-check-status`,
  notify: `arn:aws:lambda:${LOCAL_AWS_ENV.region}:${LOCAL_AWS_ENV.account}:function:vigil-notify`,
} as const;

const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Region': LOCAL_AWS_ENV.region,
  'AWS::AccountId': LOCAL_AWS_ENV.account,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** Renders the intrinsics a resolved definition can hold (`Fn::Join` over pseudo parameters). */
const render = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(render);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(render(part))).join(separator);
  }
  if ('Ref' in object) {
    const rendered = PSEUDO_PARAMETERS[String(object.Ref)];
    if (rendered === undefined) throw new Error(`the escalation definition refers to ${String(object.Ref)}`);
    return rendered;
  }
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, render(item)]));
};

type States = Record<string, Record<string, unknown>>;

const walkStates = (states: States, visit: (name: string, state: Record<string, unknown>) => void): void => {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    for (const branch of (state.Branches as { States: States }[] | undefined) ?? [])
      walkStates(branch.States, visit);
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: States } | undefined;
    if (processor !== undefined) walkStates(processor.States, visit);
  }
};

/**
 * Builds only the escalation state machine's definition: the same {@link escalationChain} the
 * {@link EscalationEngine} deploys (with its execution timeout), over two placeholder Lambdas, in a bare stack
 * that is never synthesized (no App, no assets, no bundling, no temporary directory). The definition does not
 * depend on the config (policies are data the Lambdas read), so this is all a local run needs from the CDK.
 */
export const renderEscalationDefinition = (): RenderedEscalationDefinition => {
  const stack = new Stack(undefined, 'VigilEscalationDefinition', { env: LOCAL_AWS_ENV });
  const chain = escalationChain(stack, {
    checkFunction: LambdaFunction.fromFunctionArn(stack, 'CheckStatus', PLACEHOLDER_FUNCTION_ARNS.check),
    notifyFunction: LambdaFunction.fromFunctionArn(stack, 'Notify', PLACEHOLDER_FUNCTION_ARNS.notify),
  });
  const graph = new StateGraph(chain.startState, 'escalation definition');
  graph.timeout = MAX_EXECUTION;
  const definition = render(stack.resolve(graph.toGraphJson())) as Record<string, unknown>;
  const kinds = new Map<string, EscalationTaskKind>([
    [PLACEHOLDER_FUNCTION_ARNS.check, 'check'],
    [PLACEHOLDER_FUNCTION_ARNS.notify, 'notify'],
  ]);
  const tasks: Record<string, EscalationTaskKind> = {};
  const waits: string[] = [];
  walkStates(definition.States as States, (name, state) => {
    if (state.Type === 'Wait') waits.push(name);
    if (state.Type !== 'Task') return;
    const callback = state.Resource === WAIT_FOR_TOKEN;
    const resource = String(
      callback ? (state.Parameters as { FunctionName?: unknown }).FunctionName : state.Resource,
    );
    const kind = kinds.get(resource);
    if (kind === undefined) throw new Error(`task '${name}' calls an unexpected resource ${resource}`);
    tasks[name] = callback ? 'signal' : kind;
  });
  return { definition, tasks, waits };
};
