import { join } from 'node:path';
import { createLocalEscalation, simulatedAlarm } from '../../../bin/local/escalation/local-escalation';
import { ackLinkIn, type LocalAckServer, startLocalAckServer } from '../../../bin/local/local-ack-server';
import { VirtualClock } from '../../../functions/commons/clock';
import { loadConfig } from '../../../functions/commons/config/load-config';
import { MemoryIncidentStore } from '../../../functions/escalation/adapters/memory-incident-store';
import { executionName } from '../../../functions/escalation/core/execution-name';

const { config } = loadConfig(join(__dirname, '../../../vigil.config.ts'));
const MONDAY_1030 = Date.parse('2026-03-02T10:30:00.000Z');
const SECRET = 'local-ack-test-key';

let server: LocalAckServer;
let clock: VirtualClock;
let store: MemoryIncidentStore;

beforeEach(async () => {
  clock = new VirtualClock(MONDAY_1030);
  store = new MemoryIncidentStore();
  server = await startLocalAckServer({ clock, store, secret: async () => SECRET });
});

afterEach(() => server.close());

const escalation = () => {
  const pages: { channel: string; body: string }[] = [];
  const local = createLocalEscalation(config, {
    clock,
    store,
    ackSecret: SECRET,
    ackUrl: server.url,
    print: (channel, body) => pages.push({ channel, body }),
  });
  return { local, pages };
};

describe('local acknowledge endpoint (npm start)', () => {
  it('acknowledges through a paged link: the escalation stops before the SMS level', async () => {
    // Prepare
    const { local, pages } = escalation();
    const alarm = simulatedAlarm(config, 'ServiceDown', MONDAY_1030);
    const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
    local.alarms.set(alarm.alarmName, 'ALARM');
    const responses: number[] = [];
    clock.schedule(MONDAY_1030 + 3 * 60_000, async () => {
      const slack = pages.find((page) => page.channel === 'oncall-slack');
      const link = ackLinkIn(slack?.body ?? '', server.url);
      if (link === undefined) throw new Error('the Slack page carries no ack link');
      const form = await fetch(link);
      responses.push(form.status);
      expect(await form.text()).toContain('<form method="post"');
      const posted = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'by=Grace',
      });
      responses.push(posted.status);
    });

    // Act
    await local.engine.ingest(alarm);
    await local.engine.done(incidentId);
    const timeline = await local.engine.timeline(incidentId);

    // Assess
    expect(responses).toEqual([200, 200]);
    expect((await store.getAck(incidentId))?.by).toBe('Grace (via oncall-slack)');
    const notified = timeline.filter((event) => event.type === 'notify').map((event) => event.channel);
    // Channels: the first level only; the SMS (+5m) and email (+15m) levels never come.
    expect(notified.filter((channel) => !channel.startsWith('@'))).toEqual([
      'oncall-pagerduty',
      'oncall-slack',
    ]);
    // People: before the demo schedule starts its fallback (the platform team) is paged by each person's rules:
    // SMS at once, a call at +2m; the ack at +3m stops the emails due at +5m.
    expect(notified.filter((channel) => channel.startsWith('@')).sort()).toEqual([
      '@alice/sms',
      '@alice/voice',
      '@bob/sms',
      '@bob/voice',
      '@carol/sms',
    ]);
    expect(timeline.find((event) => event.type === 'ack' && event.channel === 'link')).toMatchObject({
      at: '+3m',
      detail: 'acknowledged by Grace (via oncall-slack)',
    });
    // Two pages, then the acknowledgement told to both; nothing reaches SMS or email.
    const channelPages = pages.filter((page) => page.channel.startsWith('oncall-'));
    const kinds = channelPages.map((page) => /"(?:text|event_action)":"([^"]+)"/.exec(page.body)?.[1] ?? '');
    // Each person paged hears of the ack once, by SMS (the calls are not repeated for it).
    const personPages = pages
      .filter((page) => !page.channel.startsWith('oncall-'))
      .map((page) => page.channel);
    expect(personPages.filter((channel) => channel.startsWith('SMS to '))).toHaveLength(6);
    expect(personPages.filter((channel) => channel.startsWith('Voice call to '))).toHaveLength(2);
    expect(kinds.slice(0, 2).sort()).toEqual(['[CRITICAL] ServiceDown: Service is down', 'trigger']);
    expect(kinds.slice(2).sort()).toEqual(['[ACKNOWLEDGED] ServiceDown: Service is down', 'acknowledge']);
  });

  it('rejects forged links, other paths and oversized forms', async () => {
    // Prepare
    const base = new URL(server.url);
    const forged = `${server.url}?incident=x&channel=oncall-slack&expires=${MONDAY_1030 + 60_000}&sig=${'0'.repeat(64)}`;

    // Act
    const forgedResponse = await fetch(forged);
    const elsewhere = await fetch(`${base.origin}/admin`);
    const oversized = await fetch(forged, { method: 'POST', body: `by=${'x'.repeat(20_000)}` }).catch(
      () => undefined,
    );

    // Assess
    expect(forgedResponse.status).toBe(403);
    expect(elsewhere.status).toBe(404);
    expect(oversized === undefined || oversized.status === 413).toBe(true);
  });

  it('finds the ack link under its base in a delivered message, and nothing else', () => {
    const base = 'http://127.0.0.1:4011/vigil/ack';
    const link = `${base}?incident=a-1&channel=oncall-slack&expires=1&sig=ab`;
    expect(
      ackLinkIn(JSON.stringify({ blocks: [{ url: link }, { url: 'https://runbooks.example.com' }] }), base),
    ).toBe(link);
    expect(ackLinkIn('CRITICAL ServiceDown ALARM platform', base)).toBeUndefined();
  });
});
