import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { localEscalationDefinition } from '../../../../bin/local/escalation/local-escalation-definition';
import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import {
  LOCAL_AWS_ENV,
  PLACEHOLDER_FUNCTION_ARNS,
  renderEscalationDefinition,
} from '../../../../stacks/constructs/escalation/render-escalation-definition';
import { EscalationEngine } from '../../../../stacks/constructs/escalation-engine';

const config = parseConfig({
  app: DEMO_APP,
  environments: { prod: { baseUrl: 'https://api.example.com' } },
  ...demoEscalation,
});

/** Renders a synthesized `DefinitionString`: the two Lambdas' ARNs as the placeholders, pseudo parameters. */
const renderDeployed = (value: unknown, functionArn: (logicalId: string) => string): unknown => {
  if (Array.isArray(value)) return value.map((item) => renderDeployed(item, functionArn));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(renderDeployed(part, functionArn))).join(separator);
  }
  if ('Fn::GetAtt' in object) return functionArn((object['Fn::GetAtt'] as [string, string])[0]);
  if ('Ref' in object) return object.Ref === 'AWS::Partition' ? 'aws' : `unrendered ${String(object.Ref)}`;
  return Object.fromEntries(
    Object.entries(object).map(([key, item]) => [key, renderDeployed(item, functionArn)]),
  );
};

describe('renderEscalationDefinition', () => {
  it('builds exactly the definition the EscalationEngine deploys, without synthesizing its stack', () => {
    // Prepare: the whole engine synthesized (asset bundling skipped), its definition rendered
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Deployed', { env: LOCAL_AWS_ENV });
    const engine = new EscalationEngine(stack, 'Escalation', { config });
    const logicalId = (fn: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(fn.node.defaultChild as CfnResource);
    const arns: Record<string, string> = {
      [logicalId(engine.functions.checkStatus)]: PLACEHOLDER_FUNCTION_ARNS.check,
      [logicalId(engine.functions.notify)]: PLACEHOLDER_FUNCTION_ARNS.notify,
    };
    const resources = app.synth().getStackByName(stack.stackName).template.Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    const machine = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
    );
    const deployed = JSON.parse(
      String(renderDeployed(machine?.Properties.DefinitionString, (id) => arns[id] ?? `unknown ${id}`)),
    );

    // Act
    const rendered = renderEscalationDefinition();

    // Assess
    expect(rendered.definition).toEqual(deployed);
    expect(Object.values(rendered.tasks).sort()).toEqual(['check', 'check', 'notify', 'notify', 'signal']);
    expect(rendered.waits).toEqual(['Wait']);
  }, 120_000);

  it('gives a local run the runtime config the engine bundles, with local stand-ins for deploy-time values', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Deployed', { env: LOCAL_AWS_ENV });
    const engine = new EscalationEngine(stack, 'Escalation', { config });
    const withoutDeployValues = (runtime: typeof engine.runtimeConfig) => ({
      ...runtime,
      ackUrl: 'deploy-time',
      channels: Object.fromEntries(
        Object.entries(runtime.channels).map(([name, { topicArn: _topic, ...channel }]) => [name, channel]),
      ),
    });

    // Act
    const local = localEscalationDefinition(config, { ackUrl: 'http://127.0.0.1:4999/ack' });

    // Assess
    expect(withoutDeployValues(local.runtimeConfig)).toEqual(
      withoutDeployValues(stack.resolve(engine.runtimeConfig)),
    );
    expect(local.runtimeConfig.ackUrl).toBe('http://127.0.0.1:4999/ack');
    const topics = Object.entries(local.runtimeConfig.channels).filter(
      ([, channel]) => channel.topicArn !== undefined,
    );
    expect(topics.map(([name]) => name)).toEqual(
      Object.entries(config.channels)
        .filter(([, channel]) => channel.type === 'email' || channel.type === 'sms')
        .map(([name]) => name),
    );
  }, 120_000);
});
