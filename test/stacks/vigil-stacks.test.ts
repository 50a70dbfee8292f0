import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../functions/commons/config/load-config';
import { parseConfig } from '../../functions/commons/config/resolve-config';
import { createVigilStacks } from '../../stacks/vigil-stacks';
import { cfnLint, type SynthesizedVigil, synthVigil } from '../helpers/synth-vigil';
import { alarmFacts, iamGrants, resourceCounts, resourcesOfType } from '../helpers/template-facts';

const demo = loadConfig(join(__dirname, '../../vigil.config.ts')).config;

describe('the demo app', () => {
  let synth: SynthesizedVigil;
  beforeAll(() => {
    synth = synthVigil(demo);
  });

  it('synthesizes with zero unacknowledged cdk-nag errors, one runner and alarm stack per location', () => {
    // Assess (synthVigil throws on any cdk-nag error)
    expect(synth.stacks.synthetics.map((stack) => stack.stackName)).toEqual([
      'flight-booking-synthetics-eu-west-1',
      'flight-booking-synthetics-us-east-1',
    ]);
    expect(synth.stacks.checkAlarms.map((stack) => stack.stackName)).toEqual([
      'flight-booking-check-alarms-eu-west-1-1',
      'flight-booking-check-alarms-us-east-1-1',
    ]);
  });

  it('passes cfn-lint on every template', async () => {
    // Act
    const { code, output } = await cfnLint(synth.templates);
    // Assess
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('creates one schedule per shard of each distinct schedule, not per check', () => {
    // Prepare
    const usEast = Template.fromStack(synth.stacks.synthetics[1]!);
    // Assess: 6 checks in us-east-1 on two schedules; the 1m one fits one shard (its 30 s check included)
    usEast.resourceCountIs('AWS::Scheduler::Schedule', 2);
    usEast.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: { Input: '{"schedule":"every-1m","shard":0}', RetryPolicy: { MaximumRetryAttempts: 0 } },
    });
    usEast.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('runs the runner on arm64 Node 24 with active tracing, JSON logs and a retained log group', () => {
    // Prepare
    const template = Template.fromStack(synth.stacks.synthetics[1]!);
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON' },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'flight-booking',
          POWERTOOLS_METRICS_NAMESPACE: 'Vigil',
          VIGIL_APP: 'flight-booking',
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives the runner no secrets access when no check references a secret', () => {
    // Prepare
    const template = Template.fromStack(synth.stacks.synthetics[1]!);
    // Assess
    expect(JSON.stringify(template.toJSON())).not.toContain('secretsmanager:GetSecretValue');
  });

  it('alarms per check on its CheckDuration Minimum <= 0 (a failed run), treating missing data as breaching (dead man switch), tagged for routing', () => {
    // Prepare
    const template = Template.fromStack(synth.stacks.checkAlarms[1]!);
    // Assess
    // 6 failure alarms, and 2 certificate alarms for the one host every check calls (the demo's base URL
    // is HTTPS), here in its owner's (health_live's) home region
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6 + 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-check-health_ready',
      MetricName: 'CheckDuration',
      Statistic: 'Minimum',
      Namespace: 'Vigil',
      Dimensions: [
        { Name: 'App', Value: 'flight-booking' },
        { Name: 'Check', Value: 'health_ready' },
      ],
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0,
      Period: 60,
      TreatMissingData: 'breaching',
      Tags: [
        { Key: 'vigil:app', Value: 'flight-booking' },
        { Key: 'vigil:kind', Value: 'check' },
        { Key: 'vigil:severity', Value: 'critical' },
        { Key: 'vigil:team', Value: 'platform' },
      ],
    });
  });

  it('puts the KPI monitors in the primary region: a runner per schedule, an alarm per threshold and per query failure', () => {
    // Prepare
    expect(synth.stacks.kpis.map((stack) => [stack.stackName, stack.region])).toEqual([
      ['flight-booking-kpis-1', 'us-east-1'],
    ]);
    const template = Template.fromStack(synth.stacks.kpis[0]!);
    // Assess: conversion_rate on 5m, daily_revenue + customer_satisfaction on 1h
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-kpi-daily_revenue-critical',
      MetricName: 'revenue',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 30000,
      Tags: Match.arrayWith([
        { Key: 'vigil:severity', Value: 'critical' },
        { Key: 'vigil:team', Value: 'payments' },
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('^flight-booking-kpi-conversion_rate-query-failed'),
      MetricName: 'QueryFailed',
      TreatMissingData: 'breaching',
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('secretsmanager:GetSecretValue');
    expect(policies).toContain(':secret:flight-booking/kpi-reader-??????');
    expect(policies).not.toMatch(/"secretsmanager:\*"|"Resource":"\*"[^}]*GetSecretValue/);
  });

  it('escalates from the primary region, forwarding alarm events from the other check locations', () => {
    // Prepare
    const escalation = synth.stacks.escalation;
    if (!escalation) throw new Error('the demo config has escalation policies');
    const euWest = Template.fromStack(synth.stacks.checkAlarms[0]!);
    const usEast = Template.fromStack(synth.stacks.checkAlarms[1]!);
    // Assess
    expect([escalation.stackName, escalation.region]).toEqual(['flight-booking-escalation', 'us-east-1']);
    euWest.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: [{ prefix: 'flight-booking-' }] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::Join': ['', Match.arrayWith([':events:us-east-1:'])] } })],
    });
    usEast.resourceCountIs('AWS::Events::Rule', 0);
    Template.fromStack(escalation).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        detail: { state: { value: ['ALARM', 'OK'], actionsSuppressedBy: [{ exists: false }] } },
      },
    });
    // The status check reads forwarded alarms where they live: both check locations, no other region.
    const policies = JSON.stringify(Template.fromStack(escalation).findResources('AWS::IAM::Policy'));
    expect(policies).toContain(':cloudwatch:eu-west-1:');
    expect(policies).toContain(':cloudwatch:us-east-1:');
    expect(policies).not.toMatch(/:cloudwatch:\*:/);
  });

  describe('resource by resource', () => {
    const templates = () => ({
      escalation: Template.fromStack(synth.stacks.escalation!),
      kpis: Template.fromStack(synth.stacks.kpis[0]!),
      syntheticsEu: Template.fromStack(synth.stacks.synthetics[0]!),
      syntheticsUs: Template.fromStack(synth.stacks.synthetics[1]!),
      checkAlarmsEu: Template.fromStack(synth.stacks.checkAlarms[0]!),
      checkAlarmsUs: Template.fromStack(synth.stacks.checkAlarms[1]!),
    });
    const runnerStack = {
      'AWS::CloudWatch::Alarm': 2,
      'AWS::DynamoDB::Table': 1,
      'AWS::IAM::Policy': 2,
      'AWS::IAM::Role': 2,
      'AWS::Lambda::Function': 1,
      'AWS::Logs::LogGroup': 1,
      'AWS::Scheduler::ScheduleGroup': 1,
    };

    it('builds each stack from exactly these resources', () => {
      // Act
      const counts = Object.fromEntries(
        Object.entries(templates()).map(([name, template]) => [name, resourceCounts(template)]),
      );
      // Assess
      expect(counts).toEqual({
        escalation: {
          // + the shift notifier: its function, role, log group, schedule (and its role), one gap alarm
          'AWS::CloudWatch::Alarm': 4,
          'AWS::DynamoDB::Table': 2,
          'AWS::Events::Rule': 1,
          'AWS::IAM::Policy': 7,
          'AWS::IAM::Role': 7,
          'AWS::KMS::Key': 1,
          'AWS::Lambda::EventInvokeConfig': 1,
          'AWS::Lambda::Function': 5,
          'AWS::Lambda::Permission': 4,
          'AWS::Lambda::Url': 1,
          'AWS::Logs::LogGroup': 6,
          'AWS::S3::Bucket': 1,
          'AWS::S3::BucketPolicy': 1,
          'AWS::SecretsManager::Secret': 1,
          'AWS::SNS::Subscription': 3,
          'AWS::SNS::Topic': 3,
          'AWS::SNS::TopicPolicy': 3,
          'AWS::SQS::Queue': 1,
          'AWS::SQS::QueuePolicy': 1,
          'AWS::Scheduler::Schedule': 1,
          'AWS::StepFunctions::StateMachine': 1,
        },
        kpis: {
          'AWS::CloudWatch::Alarm': 8,
          'AWS::IAM::Policy': 4,
          'AWS::IAM::Role': 4,
          'AWS::Lambda::Function': 2,
          'AWS::Logs::LogGroup': 2,
          'AWS::Scheduler::Schedule': 2,
          'AWS::Scheduler::ScheduleGroup': 1,
        },
        // One schedule per shard (the demo's one-minute checks fit one), a run-lease table and the
        // skipped-runs alarm beside the runner-errors alarm.
        syntheticsEu: { ...runnerStack, 'AWS::Scheduler::Schedule': 1 },
        syntheticsUs: { ...runnerStack, 'AWS::Scheduler::Schedule': 2 },
        checkAlarmsEu: {
          'AWS::CloudWatch::Alarm': 3,
          'AWS::Events::Rule': 1,
          'AWS::IAM::Policy': 1,
          'AWS::IAM::Role': 1,
        },
        checkAlarmsUs: { 'AWS::CloudWatch::Alarm': 8 },
      });
    });

    it('runs every function on arm64 Node 24, traced, logging JSON to its own 30-day log group, with no secret in its environment', () => {
      // Prepare
      const functions = Object.entries(templates()).flatMap(([stack, template]) => {
        const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
        return Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).map(([name, fn]) => ({
          stack,
          name,
          fn,
          logGroup: logGroups[String((fn.LoggingConfig as { LogGroup: string }).LogGroup).slice(1, -1)],
        }));
      });
      // Assess
      expect(functions).toHaveLength(9);
      for (const { fn, logGroup } of functions) {
        expect(fn).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          MemorySize: 512,
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON' },
        });
        expect(logGroup).toEqual({ RetentionInDays: 30, DeletionPolicy: 'Delete' });
      }
      // Each function gets names and ARNs to find its secrets, never a secret value.
      expect(
        Object.fromEntries(
          functions.map(({ stack, name, fn }) => [
            `${stack}/${name}`,
            `${fn.Timeout} s: ${Object.keys((fn.Environment as { Variables: object }).Variables)
              .sort()
              .join(' ')}`,
          ]),
        ),
      ).toEqual({
        'escalation/EscalationAck':
          '60 s: NODE_OPTIONS POWERTOOLS_METRICS_NAMESPACE POWERTOOLS_SERVICE_NAME VIGIL_ACK_SECRET_ARN VIGIL_APP VIGIL_TABLE_NAME',
        'escalation/EscalationCheckStatus':
          '60 s: NODE_OPTIONS POWERTOOLS_METRICS_NAMESPACE POWERTOOLS_SERVICE_NAME VIGIL_APP VIGIL_ESCALATION_CONTEXT VIGIL_GRAPH_BUCKET VIGIL_ONCALL_TABLE VIGIL_TABLE_NAME',
        'escalation/EscalationNotify':
          '60 s: NODE_OPTIONS POWERTOOLS_METRICS_NAMESPACE POWERTOOLS_SERVICE_NAME VIGIL_ACK_SECRET_ARN VIGIL_APP VIGIL_ESCALATION_CONTEXT VIGIL_TABLE_NAME',
        'escalation/EscalationStart':
          '60 s: NODE_OPTIONS POWERTOOLS_METRICS_NAMESPACE POWERTOOLS_SERVICE_NAME VIGIL_APP VIGIL_STATE_MACHINE_ARN VIGIL_TABLE_NAME',
        'escalation/ShiftNoticesNotifier':
          '60 s: NODE_OPTIONS POWERTOOLS_METRICS_NAMESPACE POWERTOOLS_SERVICE_NAME VIGIL_APP VIGIL_ONCALL_TABLE_NAME',
        'kpis/KpisRunnerevery5m':
          '62 s: NODE_EXTRA_CA_CERTS NODE_OPTIONS POWERTOOLS_METRICS_NAMESPACE POWERTOOLS_SERVICE_NAME VIGIL_APP',
        'kpis/KpisRunnerevery1h':
          '62 s: NODE_EXTRA_CA_CERTS NODE_OPTIONS POWERTOOLS_METRICS_NAMESPACE POWERTOOLS_SERVICE_NAME VIGIL_APP',
        'syntheticsEu/RunnerFunction':
          '60 s: NODE_OPTIONS POWERTOOLS_METRICS_NAMESPACE POWERTOOLS_SERVICE_NAME POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS RUN_LEASE_TABLE VIGIL_APP',
        'syntheticsUs/RunnerFunction':
          '60 s: NODE_OPTIONS POWERTOOLS_METRICS_NAMESPACE POWERTOOLS_SERVICE_NAME POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS RUN_LEASE_TABLE VIGIL_APP',
      });
    });

    it('grants each role only the actions and resources it needs', () => {
      // Act
      const grants = Object.fromEntries(
        Object.entries(templates()).map(([name, template]) => [name, iamGrants(template)]),
      );
      // Assess
      const xray = 'Allow xray:PutTelemetryRecords xray:PutTraceSegments on *';
      const incidents = [
        'Allow dynamodb:BatchGetItem dynamodb:BatchWriteItem dynamodb:ConditionCheckItem dynamodb:DeleteItem dynamodb:DescribeTable dynamodb:GetItem dynamodb:PutItem dynamodb:Query dynamodb:Scan dynamodb:UpdateItem on {EscalationIncidents.Arn}',
        'Allow dynamodb:GetRecords dynamodb:GetShardIterator on {EscalationIncidents.Arn}',
      ];
      const ackKey =
        'Allow secretsmanager:DescribeSecret secretsmanager:GetSecretValue on {EscalationAckSecret}';
      const kpiReader =
        'Allow secretsmanager:GetSecretValue on arn:{AWS::Partition}:secretsmanager:us-east-1:{AWS::AccountId}:secret:flight-booking/kpi-reader-??????';
      const runner = {
        RunnerFunctionServiceRole: [
          xray,
          'Allow dynamodb:DeleteItem dynamodb:PutItem on {RunnerRunLeases.Arn}',
        ],
        SchedulerRoleForTarget649911: [
          'Allow lambda:InvokeFunction on {RunnerFunction.Arn} {RunnerFunction.Arn}:*',
        ],
      };
      expect(grants).toEqual({
        escalation: {
          // The public ack URL reads and records an ack, and reads its HMAC key: nothing else.
          EscalationAckServiceRole: [
            xray,
            'Allow dynamodb:GetItem dynamodb:PutItem on {EscalationIncidents.Arn}',
            'Allow secretsmanager:GetSecretValue on {EscalationAckSecret}',
          ],
          EscalationCheckStatusServiceRole: [
            xray,
            ...incidents,
            'Allow cloudwatch:DescribeAlarms cloudwatch:ListTagsForResource on arn:{AWS::Partition}:cloudwatch:us-east-1:{AWS::AccountId}:alarm:* arn:{AWS::Partition}:cloudwatch:eu-west-1:{AWS::AccountId}:alarm:*',
            'Allow cloudwatch:GetMetricWidgetImage xray:GetTraceSummaries on *',
            'Allow s3:GetObject s3:PutObject on {EscalationGraphs.Arn}/graphs/*',
            'Allow dynamodb:Query on {OnCallOverrides.Arn}',
          ],
          EscalationNotifyServiceRole: [
            xray,
            ...incidents,
            ackKey,
            'Allow sns:Publish on {EscalationChanneloncallsms}',
            'Allow kms:Decrypt kms:GenerateDataKey* on {EscalationTopicKey.Arn}',
            'Allow sns:Publish on {EscalationChanneloncallemail}',
            'Allow sms-voice:SendTextMessage on arn:{AWS::Partition}:sms-voice:us-east-1:{AWS::AccountId}:phone-number/phone-00000000000000000000000000de0001',
            'Allow sms-voice:SendVoiceMessage on arn:{AWS::Partition}:sms-voice:us-east-1:{AWS::AccountId}:phone-number/phone-00000000000000000000000000de0001',
            'Allow ses:SendEmail on arn:{AWS::Partition}:ses:us-east-1:{AWS::AccountId}:identity/oncall@example.com arn:{AWS::Partition}:ses:us-east-1:{AWS::AccountId}:identity/example.com',
            'Allow secretsmanager:GetSecretValue on arn:{AWS::Partition}:secretsmanager:us-east-1:{AWS::AccountId}:secret:flight-booking/pagerduty-routing-key-?????? arn:{AWS::Partition}:secretsmanager:us-east-1:{AWS::AccountId}:secret:flight-booking/slack-bot-token-?????? arn:{AWS::Partition}:secretsmanager:us-east-1:{AWS::AccountId}:secret:flight-booking/slack-oncall-webhook-??????',
          ],
          EscalationStateMachineRole: [
            'Allow lambda:InvokeFunction on {EscalationCheckStatus.Arn} {EscalationCheckStatus.Arn}:*',
            'Allow lambda:InvokeFunction on {EscalationNotify.Arn} {EscalationNotify.Arn}:*',
            'Allow logs:CreateLogDelivery logs:DeleteLogDelivery logs:DescribeLogGroups logs:DescribeResourcePolicies logs:GetLogDelivery logs:ListLogDeliveries logs:PutResourcePolicy logs:UpdateLogDelivery on *',
            'Allow xray:GetSamplingRules xray:GetSamplingTargets xray:PutTelemetryRecords xray:PutTraceSegments on *',
          ],
          EscalationStartServiceRole: [
            xray,
            'Allow sqs:GetQueueAttributes sqs:GetQueueUrl sqs:SendMessage on {EscalationStartFailures.Arn}',
            'Allow states:StartExecution on {EscalationStateMachine}',
            // wakes the open incident's waiting execution by its task token, which IAM only grants on *
            'Allow states:SendTaskSuccess on *',
            'Allow dynamodb:GetItem on {EscalationIncidents.Arn}',
            // reads the alarm's current state where it lives: both check locations, no other region
            'Allow cloudwatch:DescribeAlarms on arn:{AWS::Partition}:cloudwatch:us-east-1:{AWS::AccountId}:alarm:* arn:{AWS::Partition}:cloudwatch:eu-west-1:{AWS::AccountId}:alarm:*',
          ],
          // EventBridge Scheduler invokes the shift notifier, nothing else.
          SchedulerRoleForTarget5cf0db: [
            'Allow lambda:InvokeFunction on {ShiftNoticesNotifier.Arn} {ShiftNoticesNotifier.Arn}:*',
          ],
          // Reads overrides, claims notices; texts and emails from the paging identities (never calls); the bot token.
          ShiftNoticesNotifierServiceRole: [
            xray,
            'Allow dynamodb:PutItem dynamodb:Query on {OnCallOverrides.Arn}',
            'Allow sms-voice:SendTextMessage on arn:{AWS::Partition}:sms-voice:us-east-1:{AWS::AccountId}:phone-number/phone-00000000000000000000000000de0001',
            'Allow ses:SendEmail on arn:{AWS::Partition}:ses:us-east-1:{AWS::AccountId}:identity/oncall@example.com arn:{AWS::Partition}:ses:us-east-1:{AWS::AccountId}:identity/example.com',
            'Allow secretsmanager:GetSecretValue on arn:{AWS::Partition}:secretsmanager:us-east-1:{AWS::AccountId}:secret:flight-booking/slack-bot-token-??????',
          ],
        },
        kpis: {
          KpisRunnerevery5mServiceRole: [xray, kpiReader],
          KpisRunnerevery1hServiceRole: [xray, kpiReader],
          SchedulerRoleForTarget691e5f: [
            'Allow lambda:InvokeFunction on {KpisRunnerevery5m.Arn} {KpisRunnerevery5m.Arn}:*',
          ],
          SchedulerRoleForTarget9c5a3d: [
            'Allow lambda:InvokeFunction on {KpisRunnerevery1h.Arn} {KpisRunnerevery1h.Arn}:*',
          ],
        },
        syntheticsEu: runner,
        syntheticsUs: runner,
        checkAlarmsEu: {
          ForwardAlarmEventsRuleEventsRole: [
            'Allow events:PutEvents on arn:{AWS::Partition}:events:us-east-1:{AWS::AccountId}:event-bus/default',
          ],
        },
        checkAlarmsUs: {},
      });
    });

    it('names every alarm under the prefix the escalation rule matches, without direct actions, and tags them for routing', () => {
      // Prepare
      const { escalation, kpis, syntheticsEu, syntheticsUs, checkAlarmsEu, checkAlarmsUs } = templates();
      const tags = (kind: string, severity: string, team: string) => ({
        'vigil:app': 'flight-booking',
        'vigil:kind': kind,
        'vigil:severity': severity,
        'vigil:team': team,
      });
      const check = (team: string) => ({
        on: 'Vigil/CheckDuration',
        when: 'LessThanOrEqualToThreshold 0 for 2/2',
        missing: 'breaching',
        actions: 0,
        tags: tags('check', 'critical', team),
      });
      const kpi = (metric: string, when: string, severity: string, team: string) => ({
        on: `Vigil/${metric}`,
        when,
        missing: metric === 'QueryFailed' ? 'breaching' : 'missing',
        actions: 0,
        tags: tags('kpi', severity, team),
      });
      const runnerErrors = {
        on: 'AWS/Lambda/Errors',
        when: 'GreaterThanOrEqualToThreshold 1 for 1/1',
        missing: 'notBreaching',
        actions: 0,
        tags: tags('vigil', 'critical', 'vigil'),
      };
      // Act
      const all = [escalation, kpis, syntheticsEu, syntheticsUs, checkAlarmsEu, checkAlarmsUs].map(
        alarmFacts,
      );
      // Assess: routing is by EventBridge on the name prefix, never by alarm actions
      for (const facts of all) {
        for (const [name, alarm] of Object.entries(facts)) {
          expect(name).toMatch(/^flight-booking-/);
          expect(alarm.actions).toBe(0);
        }
      }
      const certificate = (team: string, severity: 'warning' | 'critical') => ({
        on: 'Vigil/CertificateDaysToExpiry',
        when: `LessThanThreshold ${severity === 'warning' ? 14 : 7} for 1/1`,
        missing: 'notBreaching',
        actions: 0,
        tags: tags('check', severity, team),
      });
      const failure = (name: string, team: string) => ({ [`flight-booking-check-${name}`]: check(team) });
      const backendChecks = {
        ...failure('flight_search', 'backend'),
        ...failure('user_registration', 'backend'),
        ...failure('booking_creation', 'backend'),
      };
      // One host (api.flights.example.com) behind every check: one pair of certificate alarms, owned by
      // the first check that calls it (health_live) in its home region
      const host = 'flight-booking-check-certificate-api.flights.example.com';
      expect(alarmFacts(checkAlarmsEu)).toEqual(backendChecks);
      expect(alarmFacts(checkAlarmsUs)).toEqual({
        ...failure('health_live', 'platform'),
        [`${host}-warning`]: certificate('platform', 'warning'),
        [`${host}-critical`]: certificate('platform', 'critical'),
        ...failure('health_ready', 'platform'),
        ...failure('health_startup', 'platform'),
        ...backendChecks,
      });
      expect(alarmFacts(kpis)).toEqual({
        'flight-booking-kpi-conversion_rate-critical': kpi(
          'conversion_rate',
          'LessThanThreshold 10 for 3/3',
          'critical',
          'product',
        ),
        'flight-booking-kpi-conversion_rate-warning': kpi(
          'conversion_rate',
          'LessThanThreshold 15 for 3/3',
          'warning',
          'product',
        ),
        'flight-booking-kpi-conversion_rate-query-failed-warning': kpi(
          'QueryFailed',
          'GreaterThanOrEqualToThreshold 1 for 1/1',
          'warning',
          'product',
        ),
        'flight-booking-kpi-daily_revenue-critical': kpi(
          'revenue',
          'LessThanThreshold 30000 for 1/1',
          'critical',
          'payments',
        ),
        'flight-booking-kpi-daily_revenue-warning': kpi(
          'revenue',
          'LessThanThreshold 50000 for 1/1',
          'warning',
          'payments',
        ),
        'flight-booking-kpi-daily_revenue-query-failed-warning': kpi(
          'QueryFailed',
          'GreaterThanOrEqualToThreshold 1 for 1/1',
          'warning',
          'payments',
        ),
        'flight-booking-kpi-customer_satisfaction-warning': kpi(
          'avg_rating',
          'LessThanThreshold 4 for 1/1',
          'warning',
          'product',
        ),
        'flight-booking-kpi-customer_satisfaction-query-failed-warning': kpi(
          'QueryFailed',
          'GreaterThanOrEqualToThreshold 1 for 1/1',
          'warning',
          'product',
        ),
      });
      const skippedRuns = {
        on: 'Vigil/SkippedRuns',
        when: 'GreaterThanOrEqualToThreshold 1 for 1/1',
        missing: 'notBreaching',
        actions: 0,
        tags: tags('vigil', 'warning', 'vigil'),
      };
      expect(alarmFacts(syntheticsEu)).toEqual({
        'flight-booking-vigil-synthetics-runner-errors-eu-west-1': runnerErrors,
        'flight-booking-vigil-synthetics-skipped-runs-eu-west-1': skippedRuns,
      });
      expect(alarmFacts(syntheticsUs)).toEqual({
        'flight-booking-vigil-synthetics-runner-errors-us-east-1': runnerErrors,
        'flight-booking-vigil-synthetics-skipped-runs-us-east-1': skippedRuns,
      });
      expect(alarmFacts(escalation)).toMatchObject({
        'flight-booking-vigil-notification-failures': {
          on: 'Vigil/NotificationFailures',
          when: 'GreaterThanOrEqualToThreshold 1 for 1/1',
          missing: 'notBreaching',
        },
        'flight-booking-vigil-escalation-failed': {
          on: 'AWS/States/ExecutionsFailed',
          when: 'GreaterThanOrEqualToThreshold 1 for 1/1',
          missing: 'notBreaching',
        },
        'flight-booking-vigil-escalation-start-failures': {
          on: 'AWS/SQS/ApproximateNumberOfMessagesVisible',
          when: 'GreaterThanThreshold 0 for 1/1',
          missing: 'notBreaching',
          tags: tags('vigil', 'critical', 'vigil'),
        },
      });
    });

    it('keeps incidents, graphs, failed starts and pages private, encrypted, and only as long as designed', () => {
      // Prepare
      const { escalation } = templates();
      const one = (type: string) => Object.values(resourcesOfType(escalation, type))[0];
      const denyInsecure = (action: string) =>
        expect.objectContaining({
          Effect: 'Deny',
          Action: action,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        });
      // Assess: incidents and on-call overrides survive a stack deletion and expire by TTL
      const tables = resourcesOfType(escalation, 'AWS::DynamoDB::Table');
      expect(Object.keys(tables).sort()).toEqual(['EscalationIncidents', 'OnCallOverrides']);
      for (const table of Object.values(tables)) {
        expect(table).toMatchObject({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          DeletionPolicy: 'Retain',
        });
      }
      // graphs: private, encrypted, TLS only, gone after a week
      expect(one('AWS::S3::Bucket')).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: 7, Status: 'Enabled' }] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      expect(one('AWS::S3::BucketPolicy')).toMatchObject({
        PolicyDocument: { Statement: [denyInsecure('s3:*')] },
      });
      // failed starts: kept 14 days, encrypted, TLS only; the start function sends them there after 2 retries
      expect(one('AWS::SQS::Queue')).toMatchObject({
        MessageRetentionPeriod: 1_209_600,
        SqsManagedSseEnabled: true,
      });
      expect(one('AWS::SQS::QueuePolicy')).toMatchObject({
        PolicyDocument: { Statement: [denyInsecure('sqs:*')] },
      });
      expect(one('AWS::Lambda::EventInvokeConfig')).toMatchObject({
        FunctionName: '{EscalationStart}',
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: '{EscalationStartFailures.Arn}' } },
      });
      // pages: every topic encrypted with the one rotated key CloudWatch may use; publish over TLS only
      const topics = resourcesOfType(escalation, 'AWS::SNS::Topic');
      expect(Object.values(topics).map((topic) => topic.KmsMasterKeyId)).toEqual([
        '{EscalationTopicKey.Arn}',
        '{EscalationTopicKey.Arn}',
        '{EscalationTopicKey.Arn}',
      ]);
      for (const policy of Object.values(resourcesOfType(escalation, 'AWS::SNS::TopicPolicy')))
        expect(policy).toMatchObject({ PolicyDocument: { Statement: [denyInsecure('sns:Publish')] } });
      expect(one('AWS::KMS::Key')).toMatchObject({
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: expect.arrayContaining([
            {
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Resource: '*',
              // only for this account's alarms
              Condition: {
                ArnLike: {
                  'aws:SourceArn': 'arn:{AWS::Partition}:cloudwatch:us-east-1:{AWS::AccountId}:alarm:*',
                },
                StringEquals: { 'aws:SourceAccount': '{AWS::AccountId}' },
              },
            },
          ]),
        },
      });
      expect(
        Object.values(resourcesOfType(escalation, 'AWS::SNS::Subscription')).map(
          (subscription) => `${subscription.Protocol} ${subscription.Endpoint} <- ${subscription.TopicArn}`,
        ),
      ).toEqual([
        'sms +447700900123 <- {EscalationChanneloncallsms}',
        'email oncall@example.com <- {EscalationChanneloncallemail}',
        'lambda {EscalationStart.Arn} <- {EscalationIngress}',
      ]);
      // ack links: a generated HMAC key; the link endpoint is public (links are signed), nothing else is
      expect(one('AWS::SecretsManager::Secret')).toMatchObject({
        GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 48 },
      });
      expect(one('AWS::Lambda::Url')).toEqual({ AuthType: 'NONE', TargetFunctionArn: '{EscalationAck.Arn}' });
      expect(resourcesOfType(escalation, 'AWS::Lambda::Function').EscalationAck).toMatchObject({
        ReservedConcurrentExecutions: 5,
      });
      expect(
        Object.values(resourcesOfType(escalation, 'AWS::Lambda::Permission')).map(
          (permission) => `${permission.Principal} ${permission.Action} ${permission.FunctionName}`,
        ),
      ).toEqual([
        '* lambda:InvokeFunctionUrl {EscalationAck.Arn}',
        '* lambda:InvokeFunction {EscalationAck.Arn}',
        'sns.amazonaws.com lambda:InvokeFunction {EscalationStart.Arn}',
        'events.amazonaws.com lambda:InvokeFunction {EscalationStart.Arn}',
      ]);
    });

    it('runs the escalation as a traced, fully logged standard state machine, started from ALARM events with retries', () => {
      // Prepare
      const { escalation } = templates();
      // Assess
      expect(Object.values(resourcesOfType(escalation, 'AWS::StepFunctions::StateMachine'))[0]).toMatchObject(
        {
          StateMachineType: 'STANDARD',
          TracingConfiguration: { Enabled: true },
          LoggingConfiguration: {
            Level: 'ALL',
            IncludeExecutionData: true,
            Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: '{EscalationStateMachineLogs.Arn}' } }],
          },
        },
      );
      expect(Object.values(resourcesOfType(escalation, 'AWS::Events::Rule'))[0]).toMatchObject({
        State: 'ENABLED',
        Targets: [
          {
            Arn: '{EscalationStart.Arn}',
            RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 8 },
          },
        ],
      });
    });

    it('schedules each runner group in UTC, without retries, in one schedule group per kind', () => {
      // Prepare
      const { kpis, syntheticsEu, syntheticsUs } = templates();
      const schedules = (template: Template) =>
        Object.values(resourcesOfType(template, 'AWS::Scheduler::Schedule')).map((schedule) => ({
          group: schedule.GroupName,
          expression: `${schedule.ScheduleExpression} ${schedule.ScheduleExpressionTimezone} ${schedule.State}`,
          input: (schedule.Target as { Input: string }).Input,
          retry: (schedule.Target as { RetryPolicy: unknown }).RetryPolicy,
        }));
      // Assess
      const checks = {
        group: 'flight-booking-synthetics',
        retry: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 },
      };
      const oneMinute = (shard: number) => ({
        ...checks,
        expression: 'rate(1 minute) Etc/UTC ENABLED',
        input: `{"schedule":"every-1m","shard":${shard}}`,
      });
      expect(schedules(syntheticsEu)).toEqual([oneMinute(0)]);
      expect(schedules(syntheticsUs)).toEqual([
        oneMinute(0),
        {
          ...checks,
          expression: 'rate(5 minutes) Etc/UTC ENABLED',
          input: '{"schedule":"every-5m","shard":0}',
        },
      ]);
      const kpiGroup = {
        group: 'flight-booking-kpis',
        retry: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 0 },
      };
      expect(schedules(kpis)).toEqual([
        { ...kpiGroup, expression: 'rate(5 minutes) Etc/UTC ENABLED', input: '{"group":"every-5m"}' },
        { ...kpiGroup, expression: 'rate(1 hour) Etc/UTC ENABLED', input: '{"group":"every-1h"}' },
      ]);
      // Each stack's schedule group goes with its stack.
      expect(
        [kpis, syntheticsEu, syntheticsUs].flatMap((template) =>
          Object.values(resourcesOfType(template, 'AWS::Scheduler::ScheduleGroup')),
        ),
      ).toEqual([
        { Name: 'flight-booking-kpis', DeletionPolicy: 'Delete' },
        { Name: 'flight-booking-synthetics', DeletionPolicy: 'Delete' },
        { Name: 'flight-booking-synthetics', DeletionPolicy: 'Delete' },
      ]);
    });
  });
});

describe('secrets, VPC placement', () => {
  it('grants GetSecretValue / GetParameter on exactly the referenced secrets, and places the runner in the VPC', () => {
    // Prepare
    const config = parseConfig({
      app: 'shop',
      environments: { prod: { baseUrl: 'https://shop.example.com' } },
      secrets: {
        token: { secretsManager: 'shop/api-token' },
        unused: { secretsManager: 'shop/unused' },
        key: { ssm: '/shop/api-key' },
      },
      runner: {
        vpc: {
          vpcId: 'vpc-0a1b2c3d4e5f60789',
          subnetIds: ['subnet-0a1b2c3d4e5f60781', 'subnet-0a1b2c3d4e5f60782'],
          securityGroupIds: ['sg-0a1b2c3d4e5f60789'],
        },
      },
      checks: [
        {
          name: 'private_api',
          steps: [
            {
              name: 'get',
              request: {
                url: '{{baseUrl}}/internal',
                headers: { authorization: 'Bearer {{secrets.token}}', 'x-api-key': '{{secrets.key}}' },
              },
            },
          ],
        },
      ],
    });
    // Act
    const synth = synthVigil(config);
    const template = Template.fromStack(synth.stacks.synthetics[0]!);
    const json = JSON.stringify(template.toJSON());
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SubnetIds: ['subnet-0a1b2c3d4e5f60781', 'subnet-0a1b2c3d4e5f60782'],
        SecurityGroupIds: ['sg-0a1b2c3d4e5f60789'],
      },
    });
    expect(json).toContain('secret:shop/api-token-??????');
    expect(json).toContain('parameter/shop/api-key');
    expect(json).not.toContain('shop/unused');
  });
});

describe('the environment checks run against', () => {
  it('refuses -c env=toString: an Object.prototype key is not an environment', () => {
    // Act
    const act = () => createVigilStacks(new App(), demo, { environment: 'toString' });
    // Assess
    expect(act).toThrow("unknown environment 'toString'");
  });
});
