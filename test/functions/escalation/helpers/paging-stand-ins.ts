import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DirectPagerClients } from '../../../../functions/escalation/adapters/aws-direct-pager';
import { type HttpReceiver, type ReceivedRequest, startReceiver } from './http-receiver';

/** Stand-ins on 127.0.0.1 for the SMS and Voice v2 API (awsJson1_0), SES v2 (restJson) and Slack's Web API. */
export interface PagingStandIns {
  readonly smsVoice: HttpReceiver;
  readonly ses: HttpReceiver;
  readonly slack: HttpReceiver;
  /** Real SDK clients with `endpoint` pointed at the stand-ins. */
  readonly clients: DirectPagerClients;
  reset(): void;
  close(): Promise<void>;
}

const AMZ_JSON = { 'content-type': 'application/x-amz-json-1.0' };

/** An awsJson1_0 error body as the service sends it (`__type` names the error shape). */
export const smsVoiceError = (status: number, type: string, message: string) => ({
  status,
  headers: AMZ_JSON,
  body: JSON.stringify({ __type: `com.amazonaws.pinpointsmsvoicev2#${type}`, message }),
});

const okResponses = (standIns: Pick<PagingStandIns, 'smsVoice' | 'ses' | 'slack'>) => {
  standIns.smsVoice.fallback = { status: 200, headers: AMZ_JSON, body: '{"MessageId":"sms-voice-1"}' };
  standIns.ses.fallback = {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"MessageId":"ses-1"}',
  };
  standIns.slack.fallback = {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"ok":true,"channel":"D1","ts":"1700000000.000100"}',
  };
};

/** Starts the three stand-ins and SDK clients pointed at them. */
export const startPagingStandIns = async (): Promise<PagingStandIns> => {
  const [smsVoice, ses, slack] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
  okResponses({ smsVoice, ses, slack });
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const smsVoiceClient = new PinpointSMSVoiceV2Client({
    endpoint: new URL(smsVoice.url).origin,
    region: 'eu-west-2',
    credentials,
    maxAttempts: 1,
  });
  const sesClient = new SESv2Client({
    endpoint: new URL(ses.url).origin,
    region: 'eu-west-2',
    credentials,
    maxAttempts: 1,
  });
  return {
    smsVoice,
    ses,
    slack,
    clients: { smsVoice: () => smsVoiceClient, email: () => sesClient },
    reset() {
      for (const receiver of [smsVoice, ses, slack]) receiver.reset();
      okResponses({ smsVoice, ses, slack });
    },
    async close() {
      smsVoiceClient.destroy();
      sesClient.destroy();
      await Promise.all([smsVoice.close(), ses.close(), slack.close()]);
    },
  };
};

/** The SMS and Voice v2 operation a request called (`SendTextMessage`), from its `X-Amz-Target`. */
export const operationOf = (request: ReceivedRequest): string =>
  String(request.headers['x-amz-target'] ?? '').replace('PinpointSMSVoiceV2.', '');
