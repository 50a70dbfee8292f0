import { MemoryIncidentStore } from '../../../../functions/escalation/adapters/memory-incident-store';
import { MemoryPageLog } from '../../../../functions/escalation/adapters/memory-page-log';
import { smsTextSender } from '../../../../functions/escalation/adapters/sms-text-sender';
import { alarmKey } from '../../../../functions/escalation/core/alarm-key';
import { handleInboundSms, SMS_HELP_TEXT } from '../../../../functions/escalation/core/handle-inbound-sms';
import { incidentShortId } from '../../../../functions/escalation/core/incident-short-id';
import type { Incident } from '../../../../functions/escalation/types/incident';
import { openIncident } from '../helpers/incident-fixture';
import { type SmsVoiceStandIn, startSmsVoiceStandIn } from '../helpers/sms-voice-stand-in';

const NOW = Date.parse('2026-03-02T10:40:00Z');
const ADA = '+447700900001';
const VIGIL_NUMBER = '+447700900999';
const older = openIncident('shop-check-login-20260302T103000Z-aaaa', 'shop-check-login');
const newer = openIncident('shop-check-cart-20260302T103500Z-bbbb', 'shop-check-cart');

let sms: SmsVoiceStandIn;
beforeAll(async () => {
  sms = await startSmsVoiceStandIn();
});
afterAll(() => sms.close());
beforeEach(() => {
  sms.calls.length = 0;
});

const open = async (store: MemoryIncidentStore, incident: Incident) => {
  await store.createIncident(incident);
  await store.claimAlarm(
    { alarmKey: alarmKey(incident.alarm), incidentId: incident.id, until: NOW + 3_600_000 },
    NOW,
  );
};

const setup = async () => {
  const store = new MemoryIncidentStore();
  const pages = new MemoryPageLog();
  await open(store, older);
  await open(store, newer);
  await pages.recordPage({ personId: 'ada', incidentId: older.id, at: NOW - 10 * 60_000, method: 'sms' });
  await pages.recordPage({ personId: 'ada', incidentId: newer.id, at: NOW - 5 * 60_000, method: 'sms' });
  const receive = (messageBody: string, from = ADA) =>
    handleInboundSms(
      JSON.stringify({
        originationNumber: from,
        destinationNumber: VIGIL_NUMBER,
        messageKeyword: 'KEYWORD_123456789012',
        messageBody,
        inboundMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
        previousPublishedMessageId: 'wJ0c0Bd8o5Y9bd57ybBG',
      }),
      {
        clock: { now: () => NOW },
        store,
        pages,
        people: { [ADA]: { personId: 'ada', name: 'Ada Lovelace' } },
        reply: smsTextSender(sms.client),
      },
    );
  return { store, pages, receive };
};

describe('handleInboundSms', () => {
  it.each(['ACK', 'ack', '  Ack  ', 'ack.'])(
    'acknowledges the most recent open page on %j and confirms by SMS from the number texted',
    async (text) => {
      // Prepare
      const { store, receive } = await setup();
      // Act
      const result = await receive(text);
      // Assess
      expect(result.outcome).toBe('acknowledged');
      expect(await store.getAck(newer.id)).toEqual({
        incidentId: newer.id,
        by: 'Ada Lovelace (via SMS)',
        at: NOW,
        via: 'sms',
      });
      expect(await store.getAck(older.id)).toBeUndefined();
      expect(sms.calls).toEqual([
        {
          operation: 'SendTextMessage',
          input: expect.objectContaining({
            DestinationPhoneNumber: ADA,
            OriginationIdentity: VIGIL_NUMBER,
            MessageBody: `Vigil: acknowledged ${incidentShortId(newer.id)}. Escalation stops.`,
          }),
        },
      ]);
    },
  );

  it('acknowledges the page the short id names, in any case', async () => {
    // Prepare
    const { store, receive } = await setup();
    // Act
    const result = await receive(`ack ${incidentShortId(older.id).toLowerCase()}`);
    // Assess
    expect(result.outcome).toBe('acknowledged');
    expect(result.incidentId).toBe(older.id);
    expect(await store.getAck(older.id)).toBeDefined();
    expect(await store.getAck(newer.id)).toBeUndefined();
  });

  it('skips pages whose incident is closed (its alarm released) for a bare ACK', async () => {
    // Prepare
    const { store, receive } = await setup();
    await store.releaseAlarm(alarmKey(newer.alarm), newer.id);
    // Act
    const result = await receive('ACK');
    // Assess
    expect(result.incidentId).toBe(older.id);
  });

  it('tells the person when no open page has the code, and records nothing', async () => {
    // Prepare
    const { store, receive } = await setup();
    // Act
    const result = await receive('ACK ZZZZZ');
    // Assess
    expect(result.outcome).toBe('no-open-page');
    expect(await store.getAck(older.id)).toBeUndefined();
    expect(await store.getAck(newer.id)).toBeUndefined();
    expect(String(sms.calls[0]?.input.MessageBody)).toContain('no open page of yours has code ZZZZZ');
  });

  it('says who was first when the page is already acknowledged', async () => {
    // Prepare
    const { store, receive } = await setup();
    await store.recordAck({ incidentId: newer.id, by: 'Grace (via Slack)', at: NOW - 1_000, via: 'slack' });
    // Act
    const result = await receive('ACK');
    // Assess
    expect(result.outcome).toBe('already-acknowledged');
    expect((await store.getAck(newer.id))?.by).toBe('Grace (via Slack)');
    expect(String(sms.calls[0]?.input.MessageBody)).toContain('already acknowledged by Grace (via Slack)');
  });

  it.each(['hello', 'ACKNOWLEDGE', 'ack ack ack', 'STOP'])(
    'answers %j from a person with the help text and records nothing',
    async (text) => {
      // Prepare
      const { store, receive } = await setup();
      // Act
      const result = await receive(text);
      // Assess
      expect(result.outcome).toBe('help');
      expect(sms.calls.map((call) => call.input.MessageBody)).toEqual([SMS_HELP_TEXT]);
      expect(await store.getAck(newer.id)).toBeUndefined();
    },
  );

  it('refuses an SMS from an unknown number: nothing recorded, no reply', async () => {
    // Prepare
    const { store, receive } = await setup();
    // Act
    const result = await receive('ACK', '+15555550100');
    // Assess
    expect(result.outcome).toBe('refused');
    expect(result.inboundMessageId).toBe('cae173d2-66b9-564c-8309-21f858e9fb84');
    expect(await store.getAck(newer.id)).toBeUndefined();
    expect(sms.calls).toHaveLength(0);
  });

  it('refuses a malformed SNS message without a reply', async () => {
    // Prepare
    const { store, pages } = await setup();
    // Act
    const result = await handleInboundSms('{"messageBody":"ACK"}', {
      clock: { now: () => NOW },
      store,
      pages,
      people: {},
      reply: smsTextSender(sms.client),
    });
    // Assess
    expect(result).toEqual({
      outcome: 'refused',
      detail: 'malformed inbound SMS: originationNumber is missing; destinationNumber is missing',
    });
    expect(sms.calls).toHaveLength(0);
  });

  it('keeps the ack when the confirmation SMS cannot be sent', async () => {
    // Prepare
    const { store, receive } = await setup();
    sms.failNext();
    // Act
    const result = await receive('ACK');
    // Assess
    expect(result.outcome).toBe('acknowledged');
    expect(result.detail).toContain('reply failed: destination opted out');
    expect(await store.getAck(newer.id)).toBeDefined();
  });
});

describe('incidentShortId', () => {
  it('is a stable five-character code of unambiguous letters and digits', () => {
    // Act
    const ids = ['a', 'b', older.id, newer.id].map(incidentShortId);
    // Assess
    expect(incidentShortId('shop-check-login-20260302T103000Z-aaaa')).toBe('GHQ8A');
    for (const id of ids) expect(id).toMatch(/^[A-HJKMNP-TV-Z2-9]{5}$/);
    expect(new Set(ids).size).toBe(4);
  });
});
