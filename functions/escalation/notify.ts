import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { requireEnv } from '../commons/env';
import { logger, metrics, tracer } from '../commons/powertools';
import { channelSecrets } from './adapters/channel-secrets';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import { fetchHttp } from './adapters/fetch-http';
import { SnsTopicPublisher } from './adapters/sns-topic-publisher';
import { type NotifyInput, type NotifyResult, notifyChannel } from './core/notify-channel';
import type { ChannelSecretResolver } from './types/ports';

const backend = createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never);
const ackSecretArn = requireEnv('VIGIL_ACK_SECRET_ARN');
const store = new DynamoDbIncidentStore(
  tracer.captureAWSv3Client(new DynamoDBClient({})),
  requireEnv('VIGIL_TABLE_NAME'),
);
const topics = new SnsTopicPublisher(tracer.captureAWSv3Client(new SNSClient({})));
let ackSecret: Promise<string> | undefined;
let secrets: { key: string; resolve: ChannelSecretResolver } | undefined;

/** Delivers one notification to one channel (with retries and fallback) and records it in the audit trail. */
export const handler = async (input: NotifyInput): Promise<NotifyResult> => {
  const key = JSON.stringify(input.config.channels);
  if (secrets?.key !== key) secrets = { key, resolve: channelSecrets(input.config.channels, backend) };
  ackSecret ??= backend.secretsManager(ackSecretArn).catch((error: unknown) => {
    ackSecret = undefined;
    throw error;
  });
  const result = await notifyChannel(input, {
    clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    http: fetchHttp,
    topics,
    secrets: secrets.resolve,
    ackSecret: () => ackSecret as Promise<string>,
    store,
    metrics: {
      notificationFailed: (channel) => {
        metrics.addMetric('NotificationFailures', MetricUnit.Count, 1);
        logger.warn('notification failed', { channel });
      },
    },
  });
  logger.info('notification', { incident: input.state.incident.id, kind: input.kind, ...result });
  metrics.publishStoredMetrics();
  return result;
};
