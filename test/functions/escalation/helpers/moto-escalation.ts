import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  type LocalEscalationDefinition,
  localEscalationDefinition,
} from '../../../../bin/local/escalation/local-escalation-definition';
import type { LocalEscalationPorts } from '../../../../bin/local/escalation/local-escalation-engine';
import { createAwsSecretBackend } from '../../../../functions/commons/aws-secret-backend';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import type { VigilConfig } from '../../../../functions/commons/config/schema';
import { channelSecrets } from '../../../../functions/escalation/adapters/channel-secrets';
import { CloudWatchAlarmState } from '../../../../functions/escalation/adapters/cloudwatch-alarm-state';
import { DynamoDbIncidentStore } from '../../../../functions/escalation/adapters/dynamodb-incident-store';
import { fetchHttp } from '../../../../functions/escalation/adapters/fetch-http';
import { SnsTopicPublisher } from '../../../../functions/escalation/adapters/sns-topic-publisher';
import { fromEventBridge } from '../../../../functions/escalation/core/normalize-alarm-event';
import type { AlarmSnapshot } from '../../../../functions/escalation/types/incident';
import { createPkSkTable } from '../../../helpers/moto-tables';
import { type HttpReceiver, startReceiver } from './http-receiver';

/** Clients pointed at moto by the global test setup. */
export const aws = {
  cloudwatch: new CloudWatchClient({}),
  dynamodb: new DynamoDBClient({}),
  secrets: new SecretsManagerClient({}),
  sns: new SNSClient({}),
};

/** Creates the incidents table (same keys as the construct's). */
export const createIncidentTable = (tableName: string): Promise<void> =>
  createPkSkTable(tableName, aws.dynamodb);

/** Stores a secret in moto's Secrets Manager; returns its ARN. */
export const createSecret = async (name: string, value: string): Promise<string> => {
  const result = await aws.secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  return result.ARN ?? name;
};

/** Creates, in moto, the SNS topics the synthesized definition's email/SMS channels point at. */
export const createChannelTopics = async (synthesized: LocalEscalationDefinition): Promise<void> => {
  for (const channel of Object.values(synthesized.runtimeConfig.channels)) {
    if (channel.topicArn === undefined) continue;
    await aws.sns.send(new CreateTopicCommand({ Name: channel.topicArn.split(':').pop() }));
  }
};

/** Creates a metric alarm with Vigil tags, puts it in ALARM and returns the EventBridge-normalised state change. */
export const fireAlarm = async (
  alarmName: string,
  tags: Record<string, string>,
  at: number,
): Promise<AlarmSnapshot> => {
  await aws.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: alarmName,
      AlarmDescription: `Test alarm ${alarmName}. Runbook: https://runbooks.example.com/${alarmName}`,
      Namespace: 'Vigil/Test',
      MetricName: 'CheckSuccess',
      Dimensions: [{ Name: 'Check', Value: alarmName }],
      Statistic: 'Minimum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  await setAlarmState(alarmName, 'ALARM');
  const described = await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
  const arn = described.MetricAlarms?.[0]?.AlarmArn;
  return fromEventBridge({
    source: 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    account: '123456789012',
    region: 'us-east-1',
    time: new Date(at).toISOString(),
    resources: [arn],
    detail: {
      alarmName,
      state: {
        value: 'ALARM',
        reason: 'Threshold Crossed: 1 datapoint [0.0] was less than the threshold (1.0).',
        timestamp: new Date(at).toISOString().replace('Z', '+0000'),
      },
      previousState: { value: 'OK' },
      configuration: { description: `Test alarm ${alarmName}` },
    },
  });
};

/** Sets an alarm's state in moto (what `aws cloudwatch set-alarm-state` does in a fire drill). */
export const setAlarmState = async (alarmName: string, state: 'OK' | 'ALARM'): Promise<void> => {
  await aws.cloudwatch.send(
    new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: state, StateReason: `test sets ${state}` }),
  );
};

/** The Lambdas' own AWS adapters, against moto, plus real HTTP delivery. */
export const motoPorts = (
  synthesized: LocalEscalationDefinition,
  tableName: string,
  ackSecret: string,
  failures: string[],
): LocalEscalationPorts => ({
  alarms: new CloudWatchAlarmState(() => aws.cloudwatch),
  store: new DynamoDbIncidentStore(aws.dynamodb, tableName),
  http: fetchHttp,
  topics: new SnsTopicPublisher(aws.sns),
  secrets: channelSecrets(synthesized.runtimeConfig.channels, createAwsSecretBackend()),
  ackSecret: async () => ackSecret,
  metrics: { notificationFailed: (channel) => failures.push(channel) },
});

/** A config with every channel type, the seeds' matrix shape, business hours and a silence. */
export const flowConfigInput = (prefix: string, pagerDutyUrl: string) => ({
  app: prefix,
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  channels: {
    slack: { type: 'slack', webhook: { secretsManager: `${prefix}/slack` } },
    pager: {
      type: 'pagerduty',
      routingKey: { secretsManager: `${prefix}/pagerduty` },
      eventsUrl: pagerDutyUrl,
      fallback: 'teams',
      attempts: 2,
    },
    teams: { type: 'teams', webhook: { secretsManager: `${prefix}/teams` } },
    hook: { type: 'webhook', url: { secretsManager: `${prefix}/hook` } },
    sms: { type: 'sms', phoneNumbers: ['+447700900123'] },
    email: { type: 'email', addresses: ['oncall@example.com'] },
  },
  escalation: {
    critical: {
      levels: [
        { after: '0s', channels: ['slack', 'pager'] },
        { after: '5m', channels: ['sms', 'hook'] },
        { after: '15m', channels: ['email'] },
      ],
    },
    warning: {
      businessHoursOnly: true,
      levels: [
        { after: '0s', channels: ['slack'] },
        { after: '30m', channels: ['email'] },
      ],
    },
    info: { levels: [{ after: '0s', channels: ['hook'] }] },
    watchFor: '30m',
  },
  businessHours: {
    timezone: 'Europe/London',
    schedule: {
      mon: '09:00-17:00',
      tue: '09:00-17:00',
      wed: '09:00-17:00',
      thu: '09:00-17:00',
      fri: '09:00-17:00',
    },
  },
  silences: [
    {
      name: 'db-maintenance',
      reason: 'planned database upgrade',
      match: { team: 'database' },
      start: '2026-03-02T10:00:00Z',
      end: '2026-03-02T12:00:00Z',
    },
  ],
  alertRules: [
    {
      name: 'ServiceDown',
      severity: 'critical',
      team: 'platform',
      summary: 'Service is down',
      alarms: [`${prefix}-check-*`],
    },
  ],
});

/** Narrow helper type for tests. */
export type FlowConfig = VigilConfig;

/** The receivers and synthesized escalation of {@link flowConfigInput}, with its table, topics and secrets in moto. */
export interface FlowFixture {
  readonly slack: HttpReceiver;
  readonly pagerDuty: HttpReceiver;
  readonly teams: HttpReceiver;
  readonly hook: HttpReceiver;
  readonly synthesized: LocalEscalationDefinition;
}

/** Options for {@link startFlowFixture}. */
export interface FlowFixtureOptions {
  /**
   * The PagerDuty V3 webhook signing secret: when given, the `pager` channel takes its acks through the webhook
   * (`webhookSecret` at `<prefix>/pagerduty-webhook`). @default no webhook
   */
  readonly pagerDutyWebhookSecret?: string;
}

/**
 * Starts a local receiver per channel of {@link flowConfigInput} (PagerDuty answering 202), synthesizes its
 * escalation and creates what it reads in moto: the incidents table, the email/SMS topics and the secrets.
 */
export const startFlowFixture = async (
  prefix: string,
  table: string,
  options: FlowFixtureOptions = {},
): Promise<FlowFixture> => {
  const [slack, pagerDuty, teams, hook] = await Promise.all([
    startReceiver(),
    startReceiver(202),
    startReceiver(),
    startReceiver(),
  ]);
  const input = flowConfigInput(prefix, pagerDuty.url);
  const webhookSecret = { secretsManager: `${prefix}/pagerduty-webhook` };
  const synthesized = localEscalationDefinition(
    parseConfig(
      options.pagerDutyWebhookSecret === undefined
        ? input
        : { ...input, channels: { ...input.channels, pager: { ...input.channels.pager, webhookSecret } } },
    ),
  );
  await createIncidentTable(table);
  await createChannelTopics(synthesized);
  await createSecret(`${prefix}/slack`, slack.url);
  await createSecret(`${prefix}/pagerduty`, 'R0UT1NGKEY');
  if (options.pagerDutyWebhookSecret !== undefined)
    await createSecret(webhookSecret.secretsManager, options.pagerDutyWebhookSecret);
  await createSecret(`${prefix}/teams`, teams.url);
  await createSecret(`${prefix}/hook`, hook.url);
  return { slack, pagerDuty, teams, hook, synthesized };
};
