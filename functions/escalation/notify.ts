import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { realClock } from '../commons/clock';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { metrics } from '../commons/metrics/lambda-metrics';
import { ENGINE_METRICS } from '../commons/metrics/metric-catalog';
import { logger, tracer } from '../commons/powertools';
import { createSecretResolver } from '../commons/secret-resolver';
import { loadRuntimeConfig } from './adapters/bundled-runtime-config';
import { channelSecrets } from './adapters/channel-secrets';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import { DynamoDbPageLog } from './adapters/dynamodb-page-log';
import { fetchHttp } from './adapters/fetch-http';
import { SnsTopicPublisher } from './adapters/sns-topic-publisher';
import { type NotifyInput, type NotifyResult, notificationOf, notifyChannel } from './core/notify-channel';
import type { DirectPager } from './types/ports';

const config = loadRuntimeConfig();
const backend = createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never);
const secrets = channelSecrets(config.channels, backend);
// The ack links' signing key, through the one secret cache, like the channels' secrets.
const ackKey = createSecretResolver(
  { ackKey: { secretsManager: requireEnv('VIGIL_ACK_SECRET_ARN') } },
  backend,
);
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = new DynamoDbIncidentStore(dynamodb, requireEnv('VIGIL_TABLE_NAME'));
// People's pages, on the incidents table: what an SMS reply `ACK` acknowledges.
const pages = new DynamoDbPageLog(dynamodb, requireEnv('VIGIL_TABLE_NAME'));
const topics = new SnsTopicPublisher(tracer.captureAWSv3Client(new SNSClient({})));

// Most notifications page nobody: the SMS/voice and SES clients are loaded on the first direct page only,
// so they add nothing to the function's cold start.
let directPager: Promise<DirectPager> | undefined;
const loadPager = (): Promise<DirectPager> => {
  directPager ??= Promise.all([
    import('./adapters/aws-direct-pager'),
    import('@aws-sdk/client-pinpoint-sms-voice-v2'),
    import('@aws-sdk/client-sesv2'),
  ]).then(([{ awsDirectPager }, { PinpointSMSVoiceV2Client }, { SESv2Client }]) => {
    const smsVoice = tracer.captureAWSv3Client(new PinpointSMSVoiceV2Client({}));
    const email = tracer.captureAWSv3Client(new SESv2Client({}));
    return awsDirectPager(config.paging ?? {}, { smsVoice: () => smsVoice, email: () => email });
  });
  directPager.catch(() => {
    directPager = undefined;
  });
  return directPager;
};
const pager: DirectPager = {
  sendText: async (recipient, text) => (await loadPager()).sendText(recipient, text),
  callVoice: async (recipient, ssml) => (await loadPager()).callVoice(recipient, ssml),
  sendEmail: async (recipient, subject, text) => (await loadPager()).sendEmail(recipient, subject, text),
};

const notify = async (input: NotifyInput): Promise<NotifyResult> => {
  const result = await notifyChannel(input, {
    config,
    clock: realClock,
    http: fetchHttp,
    topics,
    pager,
    pages,
    secrets,
    ackSecret: () => ackKey('ackKey'),
    store,
    metrics: {
      notificationFailed: (channel) => {
        // `App` (the writer's default dimension) is what the NotificationFailures alarm watches.
        metrics.publish({
          dimensionSets: [{}],
          metrics: [{ name: ENGINE_METRICS.notificationFailures, unit: 'Count', value: 1 }],
        });
        logger.warn('notification failed', { channel });
      },
    },
  });
  logger.info('notification', { incident: input.state.incident.id, ...notificationOf(input), ...result });
  return result;
};

/** Delivers one notification to one channel (with retries and fallback) and records it in the audit trail. */
export const handler = instrumentHandler(notify);
