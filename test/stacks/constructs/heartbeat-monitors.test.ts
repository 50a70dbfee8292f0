import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { resolveHeartbeats } from '../../../functions/commons/config/heartbeat-schema';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { HeartbeatMonitors } from '../../../stacks/constructs/heartbeats/heartbeat-monitors';

const synth = () => {
  const config = parseConfig({
    app: 'shop',
    environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
    heartbeats: [
      { name: 'nightly_export', cron: '0 2 * * *', timezone: 'Europe/Berlin', grace: '30m', team: 'data' },
      {
        name: 'queue_drain',
        every: '5m',
        severity: 'warning',
        degradedAfter: '2m',
        runbookUrl: 'https://runbooks.example.com/drain',
      },
    ],
  });
  const stack = new Stack(new App(), 'Heartbeats', { env: { account: '123456789012', region: 'us-east-1' } });
  const monitors = new HeartbeatMonitors(stack, 'Heartbeats', {
    app: config.app,
    heartbeats: resolveHeartbeats(config),
  });
  return { template: Template.fromStack(stack), monitors, stack };
};

const { template, monitors, stack } = synth();
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

describe('HeartbeatMonitors', () => {
  it('serves pings from one public Function URL (auth NONE) on the ping handler only', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(monitors.pingFunction), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 10,
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'shop' }) },
    });
  });

  it('has Secrets Manager generate each token, so no token is ever in the template', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'vigil/shop/heartbeats/nightly_export',
      GenerateSecretString: { PasswordLength: 40, ExcludePunctuation: true, IncludeSpace: false },
    });
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    for (const secret of secrets) expect(secret.Properties).not.toHaveProperty('SecretString');
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"SecretString"/);
  });

  it('tags each alarm like a check alarm, so the escalation engine routes it by severity and team', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-heartbeat-nightly_export',
      MetricName: 'HeartbeatLate',
      Namespace: 'Vigil',
      Dimensions: Match.arrayWith([
        { Name: 'App', Value: 'shop' },
        { Name: 'Heartbeat', Value: 'nightly_export' },
      ]),
      TreatMissingData: 'breaching',
      Tags: [
        { Key: 'vigil:app', Value: 'shop' },
        { Key: 'vigil:kind', Value: 'heartbeat' },
        { Key: 'vigil:severity', Value: 'critical' },
        { Key: 'vigil:team', Value: 'data' },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-heartbeat-queue_drain-failed',
      MetricName: 'HeartbeatFailed',
      EvaluationPeriods: 1,
      Tags: Match.arrayWith([{ Key: 'vigil:severity', Value: 'warning' }]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-heartbeat-queue_drain-degraded',
      MetricName: 'HeartbeatDuration',
      Threshold: 120_000,
      AlarmDescription: Match.stringLikeRegexp('Runbook: https://runbooks.example.com/drain'),
    });
    // late + failed for both, degraded for the one with `degradedAfter`.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
  });

  it('grants least privilege: the ping handler updates items and reads only its tokens, the evaluator only scans', () => {
    const statementsOf = (fn: typeof monitors.pingFunction) => {
      const policies = template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: stack.getLogicalId(fn.role!.node.defaultChild as never) }] },
      });
      return Object.values(policies).flatMap(
        (policy) =>
          policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    };
    const actions = (fn: typeof monitors.pingFunction) =>
      statementsOf(fn)
        .flatMap((statement) => [statement.Action].flat())
        .filter((action) => !action.startsWith('xray:'))
        .sort();
    expect(actions(monitors.pingFunction)).toEqual(['dynamodb:UpdateItem', 'secretsmanager:GetSecretValue']);
    expect(actions(monitors.evaluator)).toEqual(['dynamodb:Scan']);
    const secretStatement = statementsOf(monitors.pingFunction).find(
      (statement) => statement.Action === 'secretsmanager:GetSecretValue',
    );
    expect(secretStatement?.Resource).toEqual(
      [...monitors.secrets.values()].map((secret) => ({
        Ref: stack.getLogicalId(secret.node.defaultChild as never),
      })),
    );
  });

  it('runs the evaluator every minute and publishes the ping URL for the CLI', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(monitors.evaluator), 'Arn'] } }),
    });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/vigil/shop/heartbeats/url',
      Value: { 'Fn::GetAtt': [Match.anyValue(), 'FunctionUrl'] },
    });
  });
});
