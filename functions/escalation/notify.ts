import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { requireEnv } from '../commons/env';
import { metrics } from '../commons/metrics/lambda-metrics';
import { logger, tracer } from '../commons/powertools';
import { loadRuntimeConfig } from './adapters/bundled-runtime-config';
import { channelSecrets } from './adapters/channel-secrets';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import { fetchHttp } from './adapters/fetch-http';
import { SnsTopicPublisher } from './adapters/sns-topic-publisher';
import { type NotifyInput, type NotifyResult, notificationOf, notifyChannel } from './core/notify-channel';

const config = loadRuntimeConfig();
const backend = createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never);
const secrets = channelSecrets(config.channels, backend);
const ackSecretArn = requireEnv('VIGIL_ACK_SECRET_ARN');
const store = new DynamoDbIncidentStore(
  tracer.captureAWSv3Client(new DynamoDBClient({})),
  requireEnv('VIGIL_TABLE_NAME'),
);
const topics = new SnsTopicPublisher(tracer.captureAWSv3Client(new SNSClient({})));
let ackSecret: Promise<string> | undefined;

/** Delivers one notification to one channel (with retries and fallback) and records it in the audit trail. */
export const handler = async (input: NotifyInput): Promise<NotifyResult> => {
  ackSecret ??= backend.secretsManager(ackSecretArn).catch((error: unknown) => {
    ackSecret = undefined;
    throw error;
  });
  const result = await notifyChannel(input, {
    config,
    clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    http: fetchHttp,
    topics,
    secrets,
    ackSecret: () => ackSecret as Promise<string>,
    store,
    metrics: {
      notificationFailed: (channel) => {
        // `service` (the writer's default dimension) is what the NotificationFailures alarm watches.
        metrics.publish({
          dimensionSets: [{}],
          metrics: [{ name: 'NotificationFailures', unit: 'Count', value: 1 }],
        });
        logger.warn('notification failed', { channel });
      },
    },
  });
  logger.info('notification', { incident: input.state.incident.id, ...notificationOf(input), ...result });
  return result;
};
