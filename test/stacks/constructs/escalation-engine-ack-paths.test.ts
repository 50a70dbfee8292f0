import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEMO_APP, demoEscalation } from '../../../examples/demo-escalation';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { EscalationEngine } from '../../../stacks/constructs/escalation-engine';
import { cfnLint, synthEscalationEngine, templatesIn } from '../../helpers/synth-vigil';

const base = {
  app: DEMO_APP,
  environments: { prod: { baseUrl: 'https://api.example.com' } },
  ...demoEscalation,
};
const people = {
  ada: { name: 'Ada Lovelace', timezone: 'Europe/London', contact: { sms: '+447700900001', slack: 'U0ADA' } },
  grace: { name: 'Grace Hopper', timezone: 'America/New_York', contact: { email: 'grace@example.com' } },
};
const withAckPaths = {
  ...base,
  people,
  escalation: {
    ...demoEscalation.escalation,
    slack: { signingSecret: { secretsManager: 'flight-booking/slack-signing' } },
    sms: {},
  },
};

// One synthesis with real esbuild bundling and cdk-nag (synth throws on an unacknowledged finding).
let template: Template;
let engine: EscalationEngine;
let stack: Stack;
let outdir: string;

beforeAll(() => {
  ({ template, engine, stack, outdir } = synthEscalationEngine(
    parseConfig(withAckPaths),
    'EscalationAckPaths',
  ));
}, 240_000);

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

const propertiesOf = (construct: unknown) =>
  (
    template.toJSON().Resources[logicalId(construct as never)] as {
      Properties: {
        ReservedConcurrentExecutions?: number;
        Environment: { Variables: Record<string, unknown> };
      };
    }
  ).Properties;

const statementsOf = (fn: unknown) =>
  Object.values(
    template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: logicalId((fn as { role: never }).role) }] },
    }),
  ).flatMap(
    (policy) =>
      (
        policy as {
          Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
        }
      ).Properties.PolicyDocument.Statement,
  );

const actionsOf = (fn: unknown) =>
  statementsOf(fn)
    .flatMap((statement) => [statement.Action].flat())
    .sort();

describe('EscalationEngine with Slack buttons and two-way SMS', () => {
  it('exposes an unauthenticated, concurrency-capped Function URL for Slack interactions and outputs it', () => {
    // Assess
    const fn = engine.functions.slackInteractions;
    expect(fn).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(fn as never), 'Arn'] },
    });
    expect(propertiesOf(fn).ReservedConcurrentExecutions).toBe(5);
    const outputs = template.findOutputs('*', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('SlackInteractionsFunctionUrl'), 'FunctionUrl'] },
    });
    expect(Object.keys(outputs)).toHaveLength(1);
  });

  it('passes the signing secret by reference and the people by Slack id and SMS number', () => {
    // Act
    const slack = propertiesOf(engine.functions.slackInteractions).Environment.Variables;
    const sms = propertiesOf(engine.functions.inboundSms).Environment.Variables;
    // Assess
    expect(JSON.parse(String(slack.VIGIL_SLACK_SIGNING_SECRET))).toEqual({
      secretsManager: 'flight-booking/slack-signing',
    });
    expect(JSON.parse(String(slack.VIGIL_SLACK_PEOPLE))).toEqual({ U0ADA: 'Ada Lovelace' });
    expect(JSON.parse(String(sms.VIGIL_SMS_PEOPLE))).toEqual({
      '+447700900001': { personId: 'ada', name: 'Ada Lovelace' },
    });
  });

  it('grants each function only what its ack path needs', () => {
    // Assess
    expect(actionsOf(engine.functions.slackInteractions)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'secretsmanager:GetSecretValue',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(JSON.stringify(statementsOf(engine.functions.slackInteractions))).toContain(
      ':secret:flight-booking/slack-signing-??????',
    );
    expect(actionsOf(engine.functions.inboundSms)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'sms-voice:SendTextMessage',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    for (const other of [engine.functions.notify, engine.functions.ack, engine.functions.checkStatus])
      expect(JSON.stringify(statementsOf(other))).not.toContain('slack-signing');
  });

  it('creates a KMS-encrypted inbound SMS topic only End User Messaging of this account may publish to, subscribed by the SMS function', () => {
    // Assess
    const topic = engine.inboundSmsTopic as never;
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Vigil inbound SMS',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: logicalId(topic) },
      Endpoint: { 'Fn::GetAtt': [logicalId(engine.functions.inboundSms as never), 'Arn'] },
    });
  });

  it('passes cfn-lint', async () => {
    // Act
    const result = await cfnLint(templatesIn(outdir));
    // Assess
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('EscalationEngine without Slack buttons or two-way SMS', () => {
  it('creates neither function, URL, topic nor output; an existing inbound topic is subscribed, not created', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const plain = new Stack(app, 'Plain', { env: { account: '123456789012', region: 'eu-west-1' } });
    const existing = new Stack(app, 'Existing', { env: { account: '123456789012', region: 'eu-west-1' } });
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:inbound-sms';
    // Act
    const plainEngine = new EscalationEngine(plain, 'Engine', { config: parseConfig(base) });
    const existingEngine = new EscalationEngine(existing, 'Engine', {
      config: parseConfig({
        ...base,
        people,
        escalation: { ...demoEscalation.escalation, sms: { inboundTopicArn: topicArn } },
      }),
    });
    // Assess
    expect(plainEngine.slackInteractionsUrl).toBeUndefined();
    expect(plainEngine.functions.slackInteractions).toBeUndefined();
    expect(plainEngine.functions.inboundSms).toBeUndefined();
    // Only the incidents table's name (for `vigil incidents --aws`): no Slack URL, no inbound SMS topic.
    expect(Object.keys(Template.fromStack(plain).findOutputs('*'))).toEqual([
      expect.stringMatching(/^EngineIncidentsTableName/),
    ]);
    const existingTemplate = Template.fromStack(existing);
    expect(existingEngine.inboundSmsTopic?.topicArn).toBe(topicArn);
    existingTemplate.resourcePropertiesCountIs('AWS::SNS::Topic', { DisplayName: 'Vigil inbound SMS' }, 0);
    existingTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: topicArn,
    });
  });
});
