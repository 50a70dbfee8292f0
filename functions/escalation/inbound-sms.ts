import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { realClock } from '../commons/clock';
import { requireEnv } from '../commons/env';
import { instrumentHandler } from '../commons/instrument-handler';
import { logger, tracer } from '../commons/powertools';
import { DynamoDbIncidentStore } from './adapters/dynamodb-incident-store';
import { DynamoDbPageLog } from './adapters/dynamodb-page-log';
import { smsTextSender } from './adapters/sms-text-sender';
import { snsRecordsSchema } from './core/alarm-event-schema';
import { EscalationInputError } from './core/errors';
import { handleInboundSms, type InboundSmsResult, type SmsResponder } from './core/handle-inbound-sms';
import { parseEscalationEvent } from './core/parse-escalation-event';

/** Environment variable holding `{ "<E.164 number>": { "personId": …, "name": … } }` (people's `contact.sms`). */
export const SMS_PEOPLE_ENV = 'VIGIL_SMS_PEOPLE';

const readPeople = (text: string): Record<string, SmsResponder> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EscalationInputError(`${SMS_PEOPLE_ENV} is not JSON`, { cause: error });
  }
  const valid =
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every(
      (person) =>
        typeof (person as SmsResponder)?.personId === 'string' &&
        typeof (person as SmsResponder)?.name === 'string',
    );
  if (!valid)
    throw new EscalationInputError(`${SMS_PEOPLE_ENV} must map phone numbers to { personId, name }`);
  return value as Record<string, SmsResponder>;
};

const people = readPeople(requireEnv(SMS_PEOPLE_ENV));
const table = requireEnv('VIGIL_TABLE_NAME');
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = new DynamoDbIncidentStore(dynamodb, table);
const pages = new DynamoDbPageLog(dynamodb, table);
const reply = smsTextSender(tracer.captureAWSv3Client(new PinpointSMSVoiceV2Client({})));

/** An SNS delivery, reduced to the message bodies. */
export interface InboundSmsSnsEvent {
  readonly Records: readonly { readonly Sns: { readonly Message: string; readonly MessageId?: string } }[];
}

const receiveSms = async (event: InboundSmsSnsEvent): Promise<InboundSmsResult[]> => {
  const results: InboundSmsResult[] = [];
  // A delivery that is not SNS records fails with the path of what is wrong (EscalationEventError).
  for (const record of parseEscalationEvent(snsRecordsSchema, event, 'event').Records) {
    const result = await handleInboundSms(record.Sns.Message, {
      clock: realClock,
      store,
      pages,
      people,
      reply,
    });
    if (result.outcome === 'refused') logger.warn('inbound sms refused', { ...result });
    else logger.info('inbound sms', { ...result });
    results.push(result);
  }
  return results;
};

/** Handles replies to SMS pages arriving from AWS End User Messaging SMS through SNS; logs each as audit. */
export const handler = instrumentHandler(receiveSms);
