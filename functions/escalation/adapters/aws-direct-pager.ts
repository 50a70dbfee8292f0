import {
  type PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  SendVoiceMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { EscalationDeliveryError } from '../core/errors';
import type { DirectPager, PageRecipient } from '../types/ports';
import type { RuntimePaging } from '../types/runtime-config';

/** What the pager needs of the SDK clients (built lazily by the handler: most notifications page nobody). */
export interface DirectPagerClients {
  readonly smsVoice: () => Pick<PinpointSMSVoiceV2Client, 'send'>;
  readonly email: () => Pick<SESv2Client, 'send'>;
}

/** SDK error names that a later attempt may get past. */
const RETRYABLE = new Set(['ThrottlingException', 'InternalServerException', 'TooManyRequestsException']);

const asDeliveryError = (what: string, error: unknown): EscalationDeliveryError => {
  const name = error instanceof Error ? error.name : 'Error';
  const fault = (error as { $fault?: string; $retryable?: unknown }) ?? {};
  // A client fault (bad number, unverified identity, access denied) is final; throttling, server faults and
  // network errors are worth another attempt.
  const retryable = RETRYABLE.has(name) || fault.$retryable !== undefined || fault.$fault !== 'client';
  const message = error instanceof Error ? error.message.slice(0, 200) : String(error);
  return new EscalationDeliveryError(`${what}: ${name}: ${message}`, 1, retryable, { cause: error });
};

const missing = (method: string): EscalationDeliveryError =>
  new EscalationDeliveryError(`paging.${method} is not configured`, 0, false);

/**
 * {@link DirectPager} on AWS: SMS and voice through End User Messaging SMS and Voice v2 (`SendTextMessage`,
 * `SendVoiceMessage` with SSML, from the configured origination identity, transactional), email through SES
 * v2 (`SendEmail` from the configured identity). Throttling and server errors are retryable; a refused
 * number, identity or address is not.
 */
export const awsDirectPager = (paging: RuntimePaging, clients: DirectPagerClients): DirectPager => ({
  async sendText(recipient: PageRecipient, text: string) {
    const sms = paging.sms;
    if (sms === undefined) throw missing('sms');
    try {
      const sent = await clients.smsVoice().send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: recipient.to,
          OriginationIdentity: sms.originationIdentity,
          MessageBody: text,
          MessageType: 'TRANSACTIONAL',
        }),
      );
      return sent.MessageId ?? 'no message id';
    } catch (error) {
      throw asDeliveryError('SendTextMessage', error);
    }
  },
  async callVoice(recipient: PageRecipient, ssml: string) {
    const voice = paging.voice;
    if (voice === undefined) throw missing('voice');
    try {
      const sent = await clients.smsVoice().send(
        new SendVoiceMessageCommand({
          DestinationPhoneNumber: recipient.to,
          OriginationIdentity: voice.originationIdentity,
          MessageBody: ssml,
          MessageBodyTextType: 'SSML',
          VoiceId: voice.voiceId as never,
        }),
      );
      return sent.MessageId ?? 'no message id';
    } catch (error) {
      throw asDeliveryError('SendVoiceMessage', error);
    }
  },
  async sendEmail(recipient: PageRecipient, subject: string, text: string) {
    const email = paging.email;
    if (email === undefined) throw missing('email');
    try {
      const sent = await clients.email().send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [recipient.to] },
          Content: {
            Simple: {
              Subject: { Data: subject, Charset: 'UTF-8' },
              Body: { Text: { Data: text, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return sent.MessageId ?? 'no message id';
    } catch (error) {
      throw asDeliveryError('SendEmail', error);
    }
  },
});
