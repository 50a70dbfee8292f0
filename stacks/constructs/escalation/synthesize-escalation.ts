import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import type { VigilConfig } from '../../../functions/commons/config/schema';
import type { EscalationRuntimeConfig } from '../../../functions/escalation/types/runtime-config';
import { EscalationEngine } from '../escalation-engine';

/** Which handler a Task state runs (`signal`: the check-status Lambda behind a task-token wait). */
export type EscalationTaskKind = 'check' | 'notify' | 'signal';

/** The Lambda integration of a Task state that waits for a task token. */
const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The rendered state machine of an {@link EscalationEngine}, ready to execute locally. */
export interface SynthesizedEscalation {
  /** The ASL definition, taken from the synthesized template with tokens rendered. */
  readonly definition: Record<string, unknown>;
  /** Task state name -> the handler behind its Lambda. */
  readonly tasks: Readonly<Record<string, EscalationTaskKind>>;
  /** Names of every Wait state. */
  readonly waits: readonly string[];
  /**
   * The runtime config the deployed Lambdas would load (their bundled config joined with the deploy-time
   * values), with the local stand-ins for those values (ack URL, topic ARNs).
   */
  readonly runtimeConfig: EscalationRuntimeConfig;
  /** The whole CloudFormation template (for inspection). */
  readonly template: Record<string, unknown>;
}

/** Placeholder region/account of local synthesis. */
const LOCAL_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/** The base URL rendered for the acknowledge Function URL in local runs. */
export const LOCAL_ACK_URL = 'http://127.0.0.1/vigil/ack';

type Json = unknown;

const render = (value: Json, lambdaArn: (id: string) => string): Json => {
  if (Array.isArray(value)) return value.map((item) => render(item, lambdaArn));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, Json>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, Json[]];
    return parts.map((part) => String(render(part, lambdaArn))).join(separator);
  }
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    if (attribute === 'Arn') return lambdaArn(id);
    if (attribute === 'FunctionUrl') return LOCAL_ACK_URL;
    return `local-${id}-${attribute}`;
  }
  if ('Ref' in object) {
    const ref = object.Ref as string;
    if (ref === 'AWS::Region') return LOCAL_ENV.region;
    if (ref === 'AWS::AccountId') return LOCAL_ENV.account;
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
    return `arn:aws:sns:${LOCAL_ENV.region}:${LOCAL_ENV.account}:local-${ref}`;
  }
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, render(item, lambdaArn)]));
};

const walkStates = (
  states: Record<string, Record<string, unknown>>,
  visit: (name: string, state: Record<string, unknown>) => void,
): void => {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    for (const branch of (state.Branches as
      | { States: Record<string, Record<string, unknown>> }[]
      | undefined) ?? []) {
      walkStates(branch.States, visit);
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as
      | { States: Record<string, Record<string, unknown>> }
      | undefined;
    if (processor !== undefined) walkStates(processor.States, visit);
  }
};

/**
 * Synthesizes an {@link EscalationEngine} for `config` in-process (asset bundling skipped: the Lambdas' code is
 * run in-process instead), takes the state machine's definition out of the template and renders its tokens.
 * This is exactly the ASL that `cdk deploy` ships, so local runs exercise the real definition.
 */
export const synthesizeEscalation = (config: VigilConfig): SynthesizedEscalation => {
  const outdir = mkdtempSync(join(tmpdir(), 'vigil-escalation-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'VigilEscalationLocal', { env: LOCAL_ENV });
    const engine = new EscalationEngine(stack, 'Escalation', { config });
    const logicalId = (fn: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(fn.node.defaultChild as CfnResource);
    const kinds = new Map<string, EscalationTaskKind>([
      [logicalId(engine.functions.checkStatus), 'check'],
      [logicalId(engine.functions.notify), 'notify'],
    ]);
    const template = app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
    const resources = template.Resources as Record<
      string,
      { Type: string; Properties: Record<string, Json> }
    >;
    const machine = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
    );
    if (machine === undefined) throw new Error('the synthesized template has no state machine');
    const lambdaArn = (id: string) =>
      `arn:aws:lambda:${LOCAL_ENV.region}:${LOCAL_ENV.account}:function:${id}`;
    const definition = JSON.parse(String(render(machine.Properties.DefinitionString, lambdaArn))) as Record<
      string,
      unknown
    >;
    const tasks: Record<string, EscalationTaskKind> = {};
    const waits: string[] = [];
    walkStates(definition.States as Record<string, Record<string, unknown>>, (name, state) => {
      if (state.Type === 'Wait') waits.push(name);
      if (state.Type !== 'Task') return;
      const callback = state.Resource === WAIT_FOR_TOKEN;
      const resource = String(
        callback ? (state.Parameters as { FunctionName?: unknown }).FunctionName : state.Resource,
      );
      const kind = [...kinds.entries()].find(([id]) => resource === lambdaArn(id))?.[1];
      if (kind === undefined) throw new Error(`task '${name}' calls an unexpected resource ${resource}`);
      tasks[name] = callback ? 'signal' : kind;
    });
    const runtimeConfig = render(stack.resolve(engine.runtimeConfig), lambdaArn) as EscalationRuntimeConfig;
    return { definition, tasks, waits, runtimeConfig, template };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};
