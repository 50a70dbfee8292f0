import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { metrics } from '../commons/metrics/lambda-metrics';
import { METRIC_DIMENSIONS, ONCALL_METRICS } from '../commons/metrics/metric-catalog';
import { logger, tracer } from '../commons/powertools';
import { createSecretResolver } from '../commons/secret-resolver';
import { awsDirectPager } from '../escalation/adapters/aws-direct-pager';
import { fetchHttp } from '../escalation/adapters/fetch-http';
import { loadBundledShiftNoticeConfig } from './adapters/bundled-oncall-config';
import { directNoticeSender } from './adapters/direct-notice-sender';
import { DynamoDbNoticeLog } from './adapters/dynamodb-notice-log';
import { DynamoDbOverrideStore } from './adapters/dynamodb-override-store';
import { type ShiftNoticeRun, sendShiftNotices } from './core/send-shift-notices';
import { NOTICE_METHODS, SHIFT_NOTIFIER_TIMING } from './core/shift-notices';

// Read once per execution environment.
const config = loadBundledShiftNoticeConfig();
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));
const tableName = requireEnv('VIGIL_ONCALL_TABLE_NAME');
const overrides = new DynamoDbOverrideStore(dynamodb, tableName);
const log = new DynamoDbNoticeLog(dynamodb, tableName);
const smsVoice = tracer.captureAWSv3Client(new PinpointSMSVoiceV2Client({}));
const email = tracer.captureAWSv3Client(new SESv2Client({}));
const pager = awsDirectPager(config.paging, { smsVoice: () => smsVoice, email: () => email });
const slack = config.paging.slack;
const botToken =
  slack !== undefined
    ? createSecretResolver(
        { botToken: slack.botToken },
        createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never),
      )
    : undefined;
const send = directNoticeSender(
  pager,
  slack !== undefined && botToken !== undefined
    ? { http: fetchHttp, apiUrl: slack.apiUrl, botToken: () => botToken('botToken') }
    : undefined,
);
const methods = new Set(NOTICE_METHODS.filter((method) => config.paging[method] !== undefined));

const sendNotices = async (): Promise<ShiftNoticeRun> => {
  const now = Date.now();
  const run = await sendShiftNotices(
    config,
    {
      overrides: (schedule) => overrides.listOverrides(schedule),
      log,
      send,
      methods,
      gapMinutes: (minutes) => {
        for (const [schedule, value] of Object.entries(minutes))
          metrics.publish({
            // `App` is added by the writer to every set.
            dimensionSets: [{ [METRIC_DIMENSIONS.schedule]: schedule }],
            metrics: [{ name: ONCALL_METRICS.gapMinutes, unit: 'None', value }],
            timestamp: now,
          });
      },
    },
    now - SHIFT_NOTIFIER_TIMING.lookBackMs,
    now,
  );
  // Who and how, never the numbers or addresses.
  for (const record of run.sent)
    logger.info('shift notice', {
      key: record.key,
      deliveries: record.deliveries.map(({ method, outcome }) => ({ method, outcome })),
    });
  for (const gap of run.gaps) logger.warn('on-call gap', { schedule: gap.schedule, gap: gap.text });
  return run;
};

/**
 * Runs every 5 minutes (EventBridge Scheduler): sends each person who came on call in the last hour their
 * notice, once (a conditional write of the handoff's key in the on-call table), and publishes
 * `OnCallGapMinutes` per schedule (minutes nobody is on call in the next 7 days), which an alarm watches.
 */
export const handler = instrumentHandler(sendNotices);
