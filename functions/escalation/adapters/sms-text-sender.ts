import { type PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SmsReply } from '../core/handle-inbound-sms';

/**
 * Sends an SMS through AWS End User Messaging SMS (`SendTextMessage`, transactional), from the origination
 * identity given (the number the person texted, for replies).
 */
export const smsTextSender =
  (client: PinpointSMSVoiceV2Client) =>
  async (sms: SmsReply): Promise<void> => {
    await client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: sms.to,
        OriginationIdentity: sms.from,
        MessageBody: sms.body,
        MessageType: 'TRANSACTIONAL',
      }),
    );
  };
