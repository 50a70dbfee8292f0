import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { OnCallTable } from '../../../../stacks/constructs/oncall/oncall-table';
import { ShiftNotifier } from '../../../../stacks/constructs/oncall/shift-notifier';
import { EscalationStack } from '../../../../stacks/escalation-stack';

const base = {
  app: 'notices',
  environments: { prod: { baseUrl: 'https://shop.example.com' } },
  people: {
    alice: {
      name: 'Alice',
      timezone: 'Europe/London',
      contact: { email: 'alice@example.com', sms: '+447700900101', voice: '+447700900101', slack: 'U0ALICE' },
    },
  },
  schedules: {
    primary: {
      timezone: 'Europe/London',
      layers: [{ members: ['alice'], start: '2027-01-04T09:00', rotation: 'daily' }],
    },
    night: {
      timezone: 'Asia/Kolkata',
      layers: [{ members: ['alice'], start: '2027-01-04T21:00', rotation: 'weekly' }],
    },
  },
  paging: {
    sms: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef' },
    voice: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef' },
    email: { from: 'oncall@example.com' },
    slack: { botToken: { secretsManager: 'notices/slack-bot-token' } },
  },
};
const config = parseConfig(base);

// One synthesis with real esbuild bundling and cdk-nag (which fails the synthesis on an unacknowledged finding).
let template: Template;
let stack: Stack;
let notifier: ShiftNotifier;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'vigil-shift-notifier-test-'));
  const app = new App({ outdir });
  stack = new Stack(app, 'Notices', { env: { account: '123456789012', region: 'eu-west-1' } });
  const oncall = new OnCallTable(stack, 'OnCall');
  notifier = new ShiftNotifier(stack, 'ShiftNotices', { config, table: oncall.table });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  template = Template.fromStack(stack);
}, 240_000);

describe('ShiftNotifier', () => {
  it('runs the notifier every 5 minutes from EventBridge Scheduler', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('may query overrides, claim notices, text and email from the paging identities, and read the bot token; never call', () => {
    // Assess
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: {
        Roles: [{ Ref: stack.getLogicalId(notifier.function.role?.node.defaultChild as never) }],
      },
    });
    const statements = Object.values(policies).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();
    expect(actions).toEqual(
      [
        'dynamodb:PutItem',
        'dynamodb:Query',
        'secretsmanager:GetSecretValue',
        'ses:SendEmail',
        'sms-voice:SendTextMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    expect(JSON.stringify(statements)).not.toContain('SendVoiceMessage');
  });

  it('has a warning alarm per schedule on OnCallGapMinutes, tagged for the escalation engine', () => {
    // Assess
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'notices-vigil-oncall-gap-night',
      MetricName: 'OnCallGapMinutes',
      Namespace: 'Vigil',
      Dimensions: [
        { Name: 'App', Value: 'notices' },
        { Name: 'Schedule', Value: 'night' },
      ],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Tags: [
        { Key: 'vigil:app', Value: 'notices' },
        { Key: 'vigil:kind', Value: 'vigil' },
        { Key: 'vigil:severity', Value: 'warning' },
        { Key: 'vigil:team', Value: 'vigil' },
      ],
    });
  });

  it('bundles people, schedules and the paging identities without voice, and no secret value', () => {
    // Prepare
    const assets = readdirSync(outdir).filter((name) => existsSync(join(outdir, name, 'index.js')));
    expect(assets).toHaveLength(1);
    // Act
    const bundled = JSON.parse(readFileSync(join(outdir, assets[0]!, 'shift-notices-config.json'), 'utf8'));
    // Assess
    expect(Object.keys(bundled).sort()).toEqual(['paging', 'people', 'schedules']);
    expect(Object.keys(bundled.paging).sort()).toEqual(['email', 'slack', 'sms']);
    expect(bundled.paging.slack.botToken).toEqual({ secretsManager: 'notices/slack-bot-token' });
  });

  it('is created by the escalation stack only when the config has schedules', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const env = { account: '123456789012', region: 'eu-west-1' };
    const { schedules: _schedules, ...withoutSchedules } = base;
    // Act
    const without = new EscalationStack(app, 'Without', {
      env,
      config: parseConfig({ ...demoEscalation, ...withoutSchedules }),
    });
    const withSchedules = new EscalationStack(app, 'With', {
      env,
      config: parseConfig({ ...demoEscalation, ...base }),
    });
    // Assess
    const schedules = (inStack: Stack) =>
      Object.keys(Template.fromStack(inStack).findResources('AWS::Scheduler::Schedule'));
    expect(schedules(without)).toEqual([]);
    expect(schedules(withSchedules).filter((id) => id.startsWith('ShiftNotices'))).toHaveLength(1);
  });
});
