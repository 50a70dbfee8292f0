import { awsDirectPager } from '../../../../functions/escalation/adapters/aws-direct-pager';
import { EscalationDeliveryError } from '../../../../functions/escalation/core/errors';
import {
  operationOf,
  type PagingStandIns,
  smsVoiceError,
  startPagingStandIns,
} from '../helpers/paging-stand-ins';

const PAGING = {
  sms: { originationIdentity: 'arn:aws:sms-voice:eu-west-2:123456789012:phone-number/phone-sms' },
  voice: { originationIdentity: 'phone-voice', voiceId: 'AMY' },
  email: { from: 'oncall@example.com' },
};
const ALICE = { person: 'alice', name: 'Alice Martin', to: '+447700900001' };

let standIns: PagingStandIns;

beforeAll(async () => {
  standIns = await startPagingStandIns();
});
afterAll(async () => {
  await standIns?.close();
});
beforeEach(() => standIns.reset());

describe('awsDirectPager through the real SDK clients against protocol stand-ins', () => {
  it('sends SendTextMessage as awsJson1_0 with the number, origination identity and a transactional type', async () => {
    // Prepare
    const pager = awsDirectPager(PAGING, standIns.clients);
    // Act
    const id = await pager.sendText(ALICE, 'CRITICAL ServiceDown');
    // Assess
    expect(id).toBe('sms-voice-1');
    const [request] = standIns.smsVoice.requests;
    expect(standIns.smsVoice.requests).toHaveLength(1);
    expect(request?.path).toBe('/');
    expect(operationOf(request!)).toBe('SendTextMessage');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/eu-west-2\/sms-voice\//,
    );
    expect(request?.json).toEqual({
      DestinationPhoneNumber: '+447700900001',
      OriginationIdentity: PAGING.sms.originationIdentity,
      MessageBody: 'CRITICAL ServiceDown',
      MessageType: 'TRANSACTIONAL',
    });
  });

  it('sends SendVoiceMessage with an SSML body, its text type and the configured voice', async () => {
    // Prepare
    const pager = awsDirectPager(PAGING, standIns.clients);
    // Act
    await pager.callVoice(ALICE, '<speak>This is Vigil.</speak>');
    // Assess
    const [request] = standIns.smsVoice.requests;
    expect(operationOf(request!)).toBe('SendVoiceMessage');
    expect(request?.json).toEqual({
      DestinationPhoneNumber: '+447700900001',
      OriginationIdentity: 'phone-voice',
      MessageBody: '<speak>This is Vigil.</speak>',
      MessageBodyTextType: 'SSML',
      VoiceId: 'AMY',
    });
  });

  it('sends SES v2 SendEmail to /v2/email/outbound-emails from the configured identity', async () => {
    // Prepare
    const pager = awsDirectPager(PAGING, standIns.clients);
    // Act
    const id = await pager.sendEmail(
      { ...ALICE, to: 'alice@example.com' },
      '[CRITICAL] x',
      'Acknowledge: https://ack',
    );
    // Assess
    expect(id).toBe('ses-1');
    const [request] = standIns.ses.requests;
    expect(request?.path).toBe('/v2/email/outbound-emails');
    expect(request?.json).toEqual({
      FromEmailAddress: 'oncall@example.com',
      Destination: { ToAddresses: ['alice@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: '[CRITICAL] x', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Acknowledge: https://ack', Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('reports a refused number as final and throttling as worth another attempt', async () => {
    // Prepare
    const pager = awsDirectPager(PAGING, standIns.clients);
    standIns.smsVoice.script(
      smsVoiceError(400, 'ValidationException', 'DestinationPhoneNumber is not valid'),
      smsVoiceError(400, 'ThrottlingException', 'Rate exceeded'),
    );
    // Act
    const refused = await pager.sendText(ALICE, 'x').catch((error: unknown) => error);
    const throttled = await pager.sendText(ALICE, 'x').catch((error: unknown) => error);
    // Assess
    expect(refused).toBeInstanceOf(EscalationDeliveryError);
    expect(refused).toMatchObject({ retryable: false });
    expect((refused as Error).message).toBe(
      'SendTextMessage: ValidationException: DestinationPhoneNumber is not valid',
    );
    expect(throttled).toMatchObject({ retryable: true, name: 'EscalationDeliveryError' });
    expect((throttled as Error).message).toContain('ThrottlingException');
  });

  it('refuses a method whose paging settings are missing, without a request', async () => {
    // Prepare
    const pager = awsDirectPager({}, standIns.clients);
    // Act
    const error = await pager.callVoice(ALICE, '<speak/>').catch((caught: unknown) => caught);
    // Assess
    expect(error).toMatchObject({ retryable: false, message: 'paging.voice is not configured' });
    expect(standIns.smsVoice.requests).toHaveLength(0);
  });
});
