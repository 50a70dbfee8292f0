import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../functions/commons/config/load-config';
import { parseConfig } from '../../functions/commons/config/resolve-config';
import { createVigilStacks } from '../../stacks/vigil-stacks';
import { cfnLint, type SynthesizedVigil, synthVigil } from '../helpers/synth-vigil';

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
    // Assess: 6 checks in us-east-1 on two schedules; the 1m one in two shards (its 30 s check alone)
    usEast.resourceCountIs('AWS::Scheduler::Schedule', 3);
    usEast.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: { Input: '{"schedule":"every-1m","shard":1}', RetryPolicy: { MaximumRetryAttempts: 0 } },
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
        Variables: { POWERTOOLS_SERVICE_NAME: 'flight-booking', POWERTOOLS_METRICS_NAMESPACE: 'Vigil' },
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

  it('alarms per check on CheckSuccess, treating missing data as breaching (dead man switch), tagged for routing', () => {
    // Prepare
    const template = Template.fromStack(synth.stacks.checkAlarms[1]!);
    // Assess
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'flight-booking-check-health_ready',
      MetricName: 'CheckSuccess',
      Namespace: 'Vigil',
      Dimensions: [
        { Name: 'Check', Value: 'health_ready' },
        { Name: 'service', Value: 'flight-booking' },
      ],
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
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

  it('matches the snapshot of the escalation stack', () => {
    expect(Template.fromStack(synth.stacks.escalation!).toJSON()).toMatchSnapshot();
  });

  it('matches the snapshot of the KPI stack', () => {
    expect(Template.fromStack(synth.stacks.kpis[0]!).toJSON()).toMatchSnapshot();
  });

  it.each([0, 1])('matches the snapshot of synthetics stack %i (asset hashes stripped)', (index) => {
    expect(Template.fromStack(synth.stacks.synthetics[index]!).toJSON()).toMatchSnapshot();
  });

  it.each([0, 1])('matches the snapshot of check alarms stack %i', (index) => {
    expect(Template.fromStack(synth.stacks.checkAlarms[index]!).toJSON()).toMatchSnapshot();
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
