import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { DEMO_APP, demoEscalation } from '../../../examples/demo-escalation';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { EscalationEngine } from '../../../stacks/constructs/escalation-engine';
import { cfnLint, synthEscalationEngine, templatesIn } from '../../helpers/synth-vigil';

// One synthesis (with real esbuild bundling and cdk-nag) shared by every assertion in this file.
let template: Template;
let engine: EscalationEngine;
let stack: Stack;
let outdir: string;

beforeAll(() => {
  ({ template, engine, stack, outdir } = synthEscalationEngine(
    parseConfig({
      app: DEMO_APP,
      environments: { prod: { baseUrl: 'https://api.example.com' } },
      ...demoEscalation,
    }),
    'Escalation',
  ));
}, 240_000);

const policyOf = (fn: { role?: { node: { findChild(id: string): unknown } } }) =>
  template.findResources('AWS::IAM::Policy', {
    Properties: {
      Roles: [
        {
          Ref: stack.getLogicalId((fn.role as never as { node: { defaultChild: never } }).node.defaultChild),
        },
      ],
    },
  });

const statementsOf = (fn: Parameters<typeof policyOf>[0]) =>
  Object.values(policyOf(fn)).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } })
        .Properties.PolicyDocument.Statement,
  );

const actionsOf = (fn: Parameters<typeof policyOf>[0]) =>
  statementsOf(fn)
    .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
    .sort();

describe('EscalationEngine', () => {
  it('routes only its app’s alarms entering ALARM or OK from EventBridge to the start function', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: [{ prefix: 'flight-booking-' }], state: { value: ['ALARM', 'OK'] } },
      },
      Targets: [
        Match.objectLike({
          Arn: {
            'Fn::GetAtt': [stack.getLogicalId(engine.functions.start.node.defaultChild as never), 'Arn'],
          },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: stack.getLogicalId(engine.ingressTopic.node.defaultChild as never) },
    });
  });

  it('builds one Standard state machine loop, whatever the policies, with logging ALL and tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: Match.anyValue() },
    });
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as {
      Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } };
    };
    const text = machine.Properties.DefinitionString['Fn::Join'][1]
      .filter((part) => typeof part === 'string')
      .join('');
    for (const state of ['Open incident', 'Decide', 'Send one', 'Send all', 'Wait for signal', 'Check']) {
      expect(text).toContain(`"${state}"`);
    }
    expect(text).toContain('"TimeoutSecondsPath":"$.status.waitSeconds"');
    expect(text).toContain('"TimestampPath":"$.status.waitUntil"');
    expect(text).toContain(
      '{"ErrorEquals":["States.TaskFailed"],"IntervalSeconds":2,"MaxAttempts":4,"BackoffRate":2}',
    );
    expect(text).not.toContain('critical');
  });

  it('bundles the config with the check-status and notify Lambdas; deploy-time values go in one variable', () => {
    const resources = template.toJSON().Resources as Record<
      string,
      { Properties: { Code: { S3Key: string }; Environment: { Variables: Record<string, unknown> } } }
    >;
    for (const fn of [engine.functions.checkStatus, engine.functions.notify]) {
      const resource = resources[stack.getLogicalId(fn.node.defaultChild as never)];
      if (resource === undefined) throw new Error(`no resource for ${fn.node.path}`);
      const { Code, Environment } = resource.Properties;
      const bundled = JSON.parse(
        readFileSync(
          join(outdir, `asset.${Code.S3Key.replace('.zip', '')}`, 'escalation-config.json'),
          'utf8',
        ),
      ) as { rules: { name: string }[]; policies: object; ackUrl?: string };
      expect(bundled.rules.map((rule) => rule.name)).toContain('ServiceDown');
      expect(Object.keys(bundled.policies)).toEqual(expect.arrayContaining(['critical', 'warning', 'info']));
      expect(bundled.ackUrl).toBeUndefined();
      const context = JSON.stringify(Environment.Variables.VIGIL_ESCALATION_CONTEXT);
      expect(context).toContain(stack.getLogicalId(engine.ackUrl.node.defaultChild as never));
      expect(context).toContain('"FunctionUrl"');
      expect(context).toContain('oncall-sms');
    }
  });

  it('refuses a config holding a CDK token, which a bundled file cannot carry', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const tokenStack = new Stack(app, 'Tokens', { env: { account: '123456789012', region: 'eu-west-1' } });
    const secretName = Lazy.string({ produce: () => 'resolved-at-synth' });
    const config = parseConfig({
      app: DEMO_APP,
      environments: { prod: { baseUrl: 'https://api.example.com' } },
      ...demoEscalation,
      channels: {
        ...demoEscalation.channels,
        'oncall-slack': { type: 'slack', webhook: { secretsManager: secretName } },
      },
    });
    expect(() => new EscalationEngine(tokenStack, 'Engine', { config })).toThrow(
      'the escalation config holds a CDK token',
    );
  });

  it('refuses a public URL concurrency that is not a positive integer, naming the prop', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = parseConfig({
      app: DEMO_APP,
      environments: { prod: { baseUrl: 'https://api.example.com' } },
      ...demoEscalation,
    });
    for (const [index, publicUrlConcurrency] of [0, 2.5].entries()) {
      const capStack = new Stack(app, `Cap${index}`, {
        env: { account: '123456789012', region: 'eu-west-1' },
      });
      expect(() => new EscalationEngine(capStack, 'Engine', { config, publicUrlConcurrency })).toThrow(
        `EscalationEngine publicUrlConcurrency must be a positive integer, got ${publicUrlConcurrency}`,
      );
    }
  });

  it('keeps channel secrets out of the template and environment: only references', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).toContain('flight-booking/slack-oncall-webhook');
    expect(json).not.toMatch(/hooks\.slack\.com/);
    for (const fn of Object.values(engine.functions)) {
      const variables = Object.keys(
        (
          template.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as never)] as {
            Properties: { Environment: { Variables: object } };
          }
        ).Properties.Environment.Variables,
      );
      expect(
        variables.filter((name) => /URL|KEY|TOKEN|PASSWORD/.test(name) && name !== 'VIGIL_ACK_SECRET_ARN'),
      ).toEqual([]);
    }
  });

  it('grants each function only what it uses', () => {
    expect(actionsOf(engine.functions.start)).toEqual([
      'cloudwatch:DescribeAlarms',
      'dynamodb:GetItem',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
      'states:SendTaskSuccess',
      'states:StartExecution',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(actionsOf(engine.functions.ack)).not.toContain('states:StartExecution');
    expect(actionsOf(engine.functions.ack)).not.toContain('sns:Publish');
    expect(actionsOf(engine.functions.checkStatus)).toEqual(
      expect.arrayContaining([
        'cloudwatch:DescribeAlarms',
        'cloudwatch:ListTagsForResource',
        'xray:GetTraceSummaries',
      ]),
    );
    expect(actionsOf(engine.functions.checkStatus)).not.toContain('secretsmanager:GetSecretValue');
    const secretsStatement = statementsOf(engine.functions.notify).find(
      (statement) =>
        statement.Action === 'secretsmanager:GetSecretValue' &&
        JSON.stringify(statement).includes('slack-oncall-webhook'),
    ) as { Resource: unknown } | undefined;
    expect(JSON.stringify(secretsStatement?.Resource)).toContain(
      'flight-booking/pagerduty-routing-key-??????',
    );
    expect(actionsOf(engine.functions.notify)).toContain('sns:Publish');
    expect(actionsOf(engine.functions.notify)).not.toContain('cloudwatch:DescribeAlarms');
  });

  it('lets the public ack function only read an incident and write its ack, and caps its concurrency', () => {
    // Prepare
    const ack = engine.functions.ack;
    const resource = template.toJSON().Resources[stack.getLogicalId(ack.node.defaultChild as never)] as {
      Properties: { ReservedConcurrentExecutions?: number };
    };
    const byAction = (action: string) =>
      statementsOf(ack).filter((statement) => [statement.Action].flat().includes(action)) as unknown as {
        Resource: unknown;
      }[];
    // Act
    const actions = actionsOf(ack);
    // Assess
    expect(actions).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'secretsmanager:GetSecretValue',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(JSON.stringify(byAction('dynamodb:PutItem').map((statement) => statement.Resource))).toContain(
      stack.getLogicalId(engine.table.node.defaultChild as never),
    );
    expect(byAction('secretsmanager:GetSecretValue').map((statement) => statement.Resource)).toEqual([
      { Ref: stack.getLogicalId(engine.ackSecret.node.defaultChild as never) },
    ]);
    expect(resource.Properties.ReservedConcurrentExecutions).toBe(5);
  });

  it('lets CloudWatch use the topic key only for alarms of this account and region', () => {
    // Prepare
    const [key] = Object.values(template.findResources('AWS::KMS::Key')) as {
      Properties: { KeyPolicy: { Statement: { Principal?: { Service?: string }; Condition?: unknown }[] } };
    }[];
    // Act
    const cloudwatch = key?.Properties.KeyPolicy.Statement.filter(
      (statement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    // Assess
    expect(cloudwatch).toHaveLength(1);
    expect(cloudwatch?.[0]).toMatchObject({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:123456789012:alarm:*'],
            ],
          },
        },
      },
    });
  });

  it('stores incidents with PITR and encryption, graphs encrypted, SSL-only and expiring', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7, Status: 'Enabled' })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('alarms on notification failures and failed escalations, and exposes an ack Function URL', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-vigil-notification-failures',
      MetricName: 'NotificationFailures',
      Namespace: 'Vigil',
      Dimensions: [{ Name: 'App', Value: 'flight-booking' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-vigil-escalation-failed',
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
    });
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.resourceCountIs('AWS::SNS::Topic', 3);
  });

  it('keeps every alarm event the start function could not start an escalation for, and alarms on it', () => {
    const queue = stack.getLogicalId(engine.startFailures.node.defaultChild as never);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: stack.getLogicalId(engine.functions.start.node.defaultChild as never) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-vigil-escalation-start-failures',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      Tags: Match.arrayWith([
        { Key: 'vigil:kind', Value: 'vigil' },
        { Key: 'vigil:severity', Value: 'critical' },
      ]),
    });
  });

  it('passes cfn-lint', async () => {
    const result = await cfnLint(templatesIn(outdir));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});
