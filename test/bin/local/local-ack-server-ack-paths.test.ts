import {
  LOCAL_ACK_PATH,
  LOCAL_SLACK_PATH,
  LOCAL_SMS_PATH,
  type LocalAckServer,
  startLocalAckServer,
} from '../../../bin/local/local-ack-server';
import { VirtualClock } from '../../../functions/commons/clock';
import { MemoryIncidentStore } from '../../../functions/escalation/adapters/memory-incident-store';
import { MemoryPageLog } from '../../../functions/escalation/adapters/memory-page-log';
import { alarmKey } from '../../../functions/escalation/core/alarm-key';
import type { SmsReply } from '../../../functions/escalation/core/handle-inbound-sms';
import { slackSignature } from '../../../functions/escalation/core/slack-signature';
import { openIncident } from '../../functions/escalation/helpers/incident-fixture';

const NOW = Date.parse('2026-03-02T10:35:00Z');
const SIGNING = 'local-slack-signing';
const ADA = '+447700900001';
const incident = openIncident();

let server: LocalAckServer;
let store: MemoryIncidentStore;
let sent: SmsReply[];

beforeEach(async () => {
  store = new MemoryIncidentStore();
  sent = [];
  await store.createIncident(incident);
  await store.claimAlarm(
    { alarmKey: alarmKey(incident.alarm), incidentId: incident.id, until: NOW + 3_600_000 },
    NOW,
  );
  const pages = new MemoryPageLog();
  await pages.recordPage({ personId: 'ada', incidentId: incident.id, at: NOW - 60_000, method: 'sms' });
  server = await startLocalAckServer({
    clock: new VirtualClock(NOW),
    store,
    secret: async () => 'ack-key',
    slack: { signingSecret: async () => SIGNING },
    sms: {
      people: { [ADA]: { personId: 'ada', name: 'Ada Lovelace' } },
      pages,
      reply: async (reply) => {
        sent.push(reply);
      },
    },
  });
});

afterEach(() => server.close());

const origin = () => server.url.slice(0, -LOCAL_ACK_PATH.length);

describe('local ack server: Slack buttons and SMS replies (npm start)', () => {
  it('records a signed Slack Acknowledge click on POST /slack/interactions', async () => {
    // Prepare
    const body = new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: 'U0ADA', name: 'ada' },
        actions: [{ action_id: 'ack', value: incident.id }],
      }),
    }).toString();
    const timestamp = String(NOW / 1000);
    // Act
    const response = await fetch(`${origin()}${LOCAL_SLACK_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': slackSignature(SIGNING, timestamp, body),
      },
      body,
    });
    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: 'acknowledged', ackedBy: 'ada (via Slack)' });
    expect((await store.getAck(incident.id))?.via).toBe('slack');
  });

  it('refuses an unsigned click on POST /slack/interactions', async () => {
    // Act
    const response = await fetch(`${origin()}${LOCAL_SLACK_PATH}`, {
      method: 'POST',
      body: 'payload=%7B%7D',
    });
    // Assess
    expect(response.status).toBe(401);
    expect(await store.getAck(incident.id)).toBeUndefined();
  });

  it('acknowledges from a simulated SMS reply on POST /sms and shows the reply', async () => {
    // Act
    const response = await fetch(`${origin()}${LOCAL_SMS_PATH}`, {
      method: 'POST',
      body: JSON.stringify({ from: ADA, body: 'ack' }),
    });
    // Assess
    expect(response.status).toBe(200);
    const result = (await response.json()) as { outcome: string; replies: string[] };
    expect(result.outcome).toBe('acknowledged');
    expect(result.replies).toHaveLength(1);
    expect(sent.map((reply) => reply.to)).toEqual([ADA]);
    expect((await store.getAck(incident.id))?.by).toBe('Ada Lovelace (via SMS)');
  });

  it('says what a /sms request is missing', async () => {
    // Act
    const response = await fetch(`${origin()}${LOCAL_SMS_PATH}`, { method: 'POST', body: '{"from":"+1"}' });
    // Assess
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('"body" (the SMS text)');
  });

  it('has no Slack or SMS route when their ports are not given', async () => {
    // Prepare
    const plain = await startLocalAckServer({ clock: new VirtualClock(NOW), store, secret: async () => 'k' });
    const base = plain.url.slice(0, -LOCAL_ACK_PATH.length);
    // Act
    const statuses = await Promise.all(
      [LOCAL_SLACK_PATH, LOCAL_SMS_PATH].map(
        async (path) => (await fetch(`${base}${path}`, { method: 'POST' })).status,
      ),
    );
    await plain.close();
    // Assess
    expect(statuses).toEqual([404, 404]);
  });
});
