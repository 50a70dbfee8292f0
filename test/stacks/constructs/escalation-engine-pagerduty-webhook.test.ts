import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEMO_APP, demoEscalation } from '../../../examples/demo-escalation';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { EscalationEngine } from '../../../stacks/constructs/escalation-engine';
import { cfnLint, synthEscalationEngine, templatesIn } from '../../helpers/synth-vigil';

const base = { app: DEMO_APP, environments: { prod: { baseUrl: 'https://api.example.com' } } };

const withWebhookSecret = {
  ...base,
  ...demoEscalation,
  channels: {
    ...demoEscalation.channels,
    'oncall-pagerduty': {
      ...demoEscalation.channels['oncall-pagerduty'],
      webhookSecret: { secretsManager: 'flight-booking/pagerduty-webhook-signing' },
    },
  },
};

// One synthesis with real esbuild bundling and cdk-nag (synth throws on an unacknowledged finding).
let template: Template;
let engine: EscalationEngine;
let stack: Stack;
let outdir: string;

beforeAll(() => {
  ({ template, engine, stack, outdir } = synthEscalationEngine(
    parseConfig(withWebhookSecret),
    'EscalationPdWebhook',
  ));
}, 240_000);

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

const statementsOf = (fn: { role?: { node: { defaultChild?: unknown } } }) =>
  Object.values(
    template.findResources('AWS::IAM::Policy', {
      Properties: {
        Roles: [
          {
            Ref: stack.getLogicalId(
              (fn.role as never as { node: { defaultChild: never } }).node.defaultChild,
            ),
          },
        ],
      },
    }),
  ).flatMap(
    (policy) =>
      (
        policy as {
          Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
        }
      ).Properties.PolicyDocument.Statement,
  );

describe('EscalationEngine with a PagerDuty webhook secret', () => {
  it('exposes an unauthenticated, concurrency-capped Function URL for the webhook function (the signature authenticates) and outputs it', () => {
    const fn = engine.functions.pagerDutyWebhook;
    expect(fn).toBeDefined();
    expect(engine.pagerDutyWebhookUrl).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(fn as never), 'Arn'] },
    });
    template.resourceCountIs('AWS::Lambda::Url', 2);
    const resource = template.toJSON().Resources[logicalId(fn as never)] as {
      Properties: { ReservedConcurrentExecutions?: number };
    };
    expect(resource.Properties.ReservedConcurrentExecutions).toBe(5);
    const outputs = template.findOutputs('*', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('PagerDutyWebhookFunctionUrl'), 'FunctionUrl'] },
    });
    expect(Object.keys(outputs)).toHaveLength(1);
  });

  it('passes secret references, never values, and only the incidents table to the function', () => {
    const resource = template.toJSON().Resources[logicalId(engine.functions.pagerDutyWebhook as never)] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    const variables = resource.Properties.Environment.Variables;
    expect(JSON.parse(String(variables.VIGIL_PAGERDUTY_WEBHOOK_SECRETS))).toEqual({
      'oncall-pagerduty': { secretsManager: 'flight-booking/pagerduty-webhook-signing' },
    });
    expect(variables.VIGIL_TABLE_NAME).toEqual({ Ref: logicalId(engine.table) });
    expect(Object.keys(variables).filter((name) => /URL|KEY|TOKEN|PASSWORD/.test(name))).toEqual([]);
  });

  it('grants the webhook function only GetItem/PutItem on the table and GetSecretValue on its signing secret', () => {
    const statements = statementsOf(engine.functions.pagerDutyWebhook as never);
    const byAction = (action: string) =>
      statements.filter((statement) => [statement.Action].flat().includes(action));
    expect(statements.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'secretsmanager:GetSecretValue',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(byAction('dynamodb:PutItem')[0]?.Resource).toEqual(
      expect.arrayContaining([{ 'Fn::GetAtt': [logicalId(engine.table), 'Arn'] }]),
    );
    const secret = JSON.stringify(byAction('secretsmanager:GetSecretValue')[0]?.Resource);
    expect(secret).toContain(':secret:flight-booking/pagerduty-webhook-signing-??????');
    expect(secret).not.toContain('routing-key');
    // The signing secret is not handed to the functions that do not verify webhooks.
    for (const other of [engine.functions.notify, engine.functions.ack, engine.functions.checkStatus]) {
      expect(JSON.stringify(statementsOf(other))).not.toContain('pagerduty-webhook-signing');
    }
  });

  it('passes cfn-lint', async () => {
    const result = await cfnLint(templatesIn(outdir));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('EscalationEngine without a PagerDuty webhook secret', () => {
  it('creates no webhook function, URL or output', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const plain = new Stack(app, 'EscalationPlain', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    // Act
    const plainEngine = new EscalationEngine(plain, 'Engine', {
      config: parseConfig({ ...base, ...demoEscalation }),
    });
    const plainTemplate = Template.fromStack(plain);
    // Assess
    expect(plainEngine.pagerDutyWebhookUrl).toBeUndefined();
    expect(plainEngine.functions.pagerDutyWebhook).toBeUndefined();
    plainTemplate.resourceCountIs('AWS::Lambda::Url', 1);
    // The only output is the incidents table's name (for `vigil incidents --aws`): no webhook URL.
    expect(Object.keys(plainTemplate.findOutputs('*'))).toEqual([
      expect.stringMatching(/^EngineIncidentsTableName/),
    ]);
  });
});
