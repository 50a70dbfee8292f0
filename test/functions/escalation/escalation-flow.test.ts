import type { LocalEscalationDefinition } from '../../../bin/local/escalation/local-escalation-definition';
import { ALARM_TAGS } from '../../../functions/commons/alarm-naming';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { executionName } from '../../../functions/escalation/core/execution-name';
import { handleAckRequest } from '../../../functions/escalation/core/handle-ack-request';
import { HANG_GUARD_MS } from '../../helpers/patience';
import { flowEngine, platformTags, viaSns } from './helpers/flow-harness';
import type { HttpReceiver } from './helpers/http-receiver';
import { aws, fireAlarm, setAlarmState, startFlowFixture } from './helpers/moto-escalation';

const PREFIX = 'flow';
const TABLE = 'flow-incidents';
const ACK_SECRET = 'flow-ack-hmac-key';
const MONDAY_1030 = Date.parse('2026-03-02T10:30:00Z');
const SATURDAY_2200 = Date.parse('2026-02-28T22:00:00Z');
const MINUTE = 60_000;

let slack: HttpReceiver;
let pagerDuty: HttpReceiver;
let teams: HttpReceiver;
let hook: HttpReceiver;
let synthesized: LocalEscalationDefinition;

beforeAll(async () => {
  ({ slack, pagerDuty, teams, hook, synthesized } = await startFlowFixture(PREFIX, TABLE));
}, HANG_GUARD_MS);

afterAll(async () => {
  await Promise.all([slack, pagerDuty, teams, hook].map((receiver) => receiver?.close()));
});

beforeEach(() => {
  for (const receiver of [slack, pagerDuty, teams, hook]) receiver.reset();
});

const engineAt = (start: number) => flowEngine(synthesized, TABLE, start, { ackSecret: ACK_SECRET });

const critical = platformTags('critical');

describe('escalation flow: synthesized definition, real handlers, moto, local receivers', () => {
  it('notifies the levels of the critical policy at +0s, +5m and +15m while nobody reacts', async () => {
    // Prepare
    const { engine } = engineAt(MONDAY_1030);
    const alarm = await fireAlarm(`${PREFIX}-check-unattended`, critical, MONDAY_1030);
    // Act
    const started = await engine.ingest(alarm);
    const output = await engine.done(started.incidentId ?? '');
    const timeline = await engine.timeline(started.incidentId ?? '');
    // Assess
    expect(
      timeline.filter((event) => event.type === 'notify').map((event) => [event.at, event.channel]),
    ).toEqual([
      ['+0s', 'pager'],
      ['+0s', 'slack'],
      ['+5m', 'hook'],
      ['+5m', 'sms'],
      ['+15m', 'email'],
    ]);
    expect(output.status.outcome).toBe('expired');
    const trigger = pagerDuty.requests[0]?.json as {
      event_action: string;
      dedup_key: string;
      payload: { severity: string };
    };
    expect(trigger).toMatchObject({
      event_action: 'trigger',
      dedup_key: started.incidentId,
      payload: { severity: 'critical' },
    });
    const slackBody = slack.requests[0]?.json as { attachments: { color: string }[] };
    expect(slackBody.attachments[0]?.color).toBe('#E01E5A');
  });

  it('stops escalating after an acknowledgement and tells the notified channels who acked', async () => {
    // Prepare
    const { clock, engine } = engineAt(MONDAY_1030);
    const alarm = await fireAlarm(`${PREFIX}-check-acked`, critical, MONDAY_1030);
    const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
    clock.schedule(MONDAY_1030 + 3 * MINUTE, async () => {
      expect(await engine.acknowledge(incidentId, 'Ada', 'slack')).toBe(200);
    });
    // Act
    await engine.ingest(alarm);
    await engine.done(incidentId);
    const timeline = await engine.timeline(incidentId);
    // Assess
    expect(timeline.filter((event) => event.atMs > 3 * MINUTE)).toEqual([]);
    expect(timeline.filter((event) => event.type === 'notify').map((event) => event.channel)).toEqual([
      'pager',
      'slack',
    ]);
    expect(timeline.find((event) => event.channel === 'link')?.detail).toBe(
      'acknowledged by Ada (via slack)',
    );
    expect(pagerDuty.requests.map((request) => request.json.event_action)).toEqual([
      'trigger',
      'acknowledge',
    ]);
    expect(pagerDuty.requests[1]?.json.dedup_key).toBe(incidentId);
  });

  it('resolves every notified channel when the alarm returns to OK, PagerDuty with the same dedup_key', async () => {
    // Prepare
    const { clock, engine } = engineAt(MONDAY_1030);
    const alarm = await fireAlarm(`${PREFIX}-check-recovers`, critical, MONDAY_1030);
    const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
    clock.schedule(MONDAY_1030 + 7 * MINUTE, () => setAlarmState(alarm.alarmName, 'OK'));
    // Act
    await engine.ingest(alarm);
    await engine.done(incidentId);
    const timeline = await engine.timeline(incidentId);
    // Assess
    expect(
      timeline.filter((event) => event.type === 'resolve').map((event) => [event.at, event.channel]),
    ).toEqual([
      ['+7m', 'hook'],
      ['+7m', 'pager'],
      ['+7m', 'slack'],
      ['+7m', 'sms'],
    ]);
    expect(timeline.some((event) => event.channel === 'email')).toBe(false);
    expect(pagerDuty.requests.map((request) => [request.json.event_action, request.json.dedup_key])).toEqual([
      ['trigger', incidentId],
      ['resolve', incidentId],
    ]);
    expect(hook.requests[1]?.json.status).toBe('RESOLVED');
  });

  it('starts nothing for a duplicate of the same state change, whether from EventBridge or SNS', async () => {
    // Prepare
    const { clock, engine } = engineAt(MONDAY_1030);
    const alarm = await fireAlarm(`${PREFIX}-check-duplicated`, critical, MONDAY_1030);
    const snsReplay = viaSns(alarm, MONDAY_1030);
    clock.schedule(MONDAY_1030 + MINUTE, () => setAlarmState(alarm.alarmName, 'OK'));
    // Act
    const first = await engine.ingest(alarm);
    const replay = await engine.ingest(alarm);
    const fromSns = await engine.ingest(snsReplay);
    await engine.done(first.incidentId ?? '');
    // Assess
    expect([first.result, replay.result, fromSns.result]).toEqual(['started', 'duplicate', 'duplicate']);
    expect(fromSns.incidentId).toBe(first.incidentId);
    expect(
      slack.requests.filter((request) => (request.json.text as string).startsWith('[CRITICAL]')),
    ).toHaveLength(1);
  });

  it('records but pages nobody for an alarm inside a maintenance window', async () => {
    // Prepare
    const { engine } = engineAt(MONDAY_1030);
    const alarm = await fireAlarm(
      `${PREFIX}-check-db-upgrade`,
      { [ALARM_TAGS.severity]: 'critical', [ALARM_TAGS.team]: 'database' },
      MONDAY_1030,
    );
    // Act
    const started = await engine.ingest(alarm);
    const output = await engine.done(started.incidentId ?? '');
    const timeline = await engine.timeline(started.incidentId ?? '');
    // Assess
    expect(output.status.outcome).toBe('silenced');
    expect(timeline.map((event) => [event.type, event.channel])).toEqual([
      ['suppressed', 'pager'],
      ['suppressed', 'slack'],
    ]);
    expect(timeline[0]?.detail).toBe("silenced by 'db-maintenance': planned database upgrade");
    expect(slack.requests).toHaveLength(0);
    expect(pagerDuty.requests).toHaveLength(0);
  });

  it(
    'defers a warning raised on Saturday night until business hours on Monday',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(SATURDAY_2200);
      const alarm = await fireAlarm(
        `${PREFIX}-check-weekend-warning`,
        { [ALARM_TAGS.severity]: 'warning', [ALARM_TAGS.team]: 'product' },
        SATURDAY_2200,
      );
      const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(SATURDAY_2200 + 36 * 60 * MINUTE, () => setAlarmState(alarm.alarmName, 'OK'));
      // Act
      await engine.ingest(alarm);
      await engine.done(incidentId);
      const timeline = await engine.timeline(incidentId);
      // Assess
      expect(timeline.map((event) => [event.at, event.type, event.channel])).toEqual([
        ['+0s', 'suppressed', 'slack'],
        ['+35h', 'notify', 'slack'],
        ['+35h30m', 'notify', 'email'],
        ['+36h', 'resolve', 'email'],
        ['+36h', 'resolve', 'slack'],
      ]);
      expect(timeline[0]?.detail).toBe('deferred until business hours (2026-03-02T09:00:00.000Z)');
    },
    HANG_GUARD_MS,
  );

  it('retries Slack after a 500 and a 429, waiting the Retry-After, then delivers', async () => {
    // Prepare
    const { engine } = engineAt(MONDAY_1030);
    slack.script(
      { status: 500, body: 'boom' },
      { status: 429, headers: { 'retry-after': '2' }, body: 'slow down' },
    );
    const alarm = await fireAlarm(`${PREFIX}-check-slack-flaky`, critical, MONDAY_1030);
    const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
    // Act
    await engine.ingest(alarm);
    await setAlarmState(alarm.alarmName, 'OK');
    await engine.done(incidentId);
    const timeline = await engine.timeline(incidentId);
    // Assess
    const delivered = timeline.find((event) => event.type === 'notify' && event.channel === 'slack');
    expect(delivered?.detail).toBe('HTTP 500; HTTP 429; HTTP 200 after 3 attempts');
    expect(delivered?.at).toBe('+2s');
    expect(slack.requests.slice(0, 3).map((request) => request.json.text)).toEqual([
      expect.stringMatching(/^\[CRITICAL\]/),
      expect.stringMatching(/^\[CRITICAL\]/),
      expect.stringMatching(/^\[CRITICAL\]/),
    ]);
  });

  it('pages the critical fallback after the first failed round, alarms on it, and resolves only what was paged', async () => {
    // Prepare
    const { engine, failures } = engineAt(MONDAY_1030);
    pagerDuty.fallback = { status: 503, body: 'unavailable' };
    const alarm = await fireAlarm(`${PREFIX}-check-pd-down`, critical, MONDAY_1030);
    const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
    // Act
    await engine.ingest(alarm);
    await setAlarmState(alarm.alarmName, 'OK');
    await engine.done(incidentId);
    const audit = await new DynamoDbIncidentStore(aws.dynamodb, TABLE).listAudit(incidentId);
    // Assess
    expect(pagerDuty.requests.map((request) => request.json.event_action)).toEqual(['trigger', 'trigger']);
    expect(failures).toEqual(['pager']);
    expect(
      audit
        .filter((record) => record.kind === 'trigger')
        .map((record) => [record.channel, record.outcome, record.fallbackFor]),
    ).toEqual(
      expect.arrayContaining([
        ['pager', 'retrying', undefined],
        ['teams', 'delivered', 'pager'],
      ]),
    );
    expect(audit.find((record) => record.channel === 'pager')?.detail).toMatch(
      /^EscalationDeliveryError: HTTP 503; HTTP 503; round 1, next at /,
    );
    const card = teams.requests[0]?.json as {
      attachments: {
        content: { actions: { title: string; url: string }[]; body: { inlines: { text: string }[] }[] };
      }[];
    };
    expect(card.attachments[0]?.content.actions[0]?.title).toBe('Acknowledge');
    expect(card.attachments[0]?.content.body.at(-1)?.inlines[0]?.text).toMatch(/ · fallback for pager$/);
    expect(
      audit.filter((record) => record.kind === 'resolve').map((record) => [record.channel, record.outcome]),
    ).toEqual(
      expect.arrayContaining([
        ['slack', 'delivered'],
        ['teams', 'delivered'],
      ]),
    );
    expect(audit.some((record) => record.kind === 'resolve' && record.channel === 'pager')).toBe(false);
  });

  it('rejects forged and expired acknowledge links and records a valid one once', async () => {
    // Prepare
    const { clock, engine } = engineAt(MONDAY_1030);
    const alarm = await fireAlarm(`${PREFIX}-check-ack-links`, critical, MONDAY_1030);
    const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
    clock.schedule(MONDAY_1030 + 10 * MINUTE, () => setAlarmState(alarm.alarmName, 'OK'));
    await engine.ingest(alarm);
    await engine.done(incidentId);
    const slackBody = (slack.requests[0]?.json ?? { attachments: [] }) as {
      attachments: { blocks: { type: string; elements?: { url: string }[] }[] }[];
    };
    const button = slackBody.attachments[0]?.blocks.find((block) => block.type === 'actions')?.elements?.[0]
      ?.url;
    const link = new URL(button ?? 'http://invalid/');
    const store = new DynamoDbIncidentStore(aws.dynamodb, TABLE);
    const request = (query: string, method = 'POST', now = MONDAY_1030 + MINUTE) =>
      handleAckRequest(
        { method, query, body: 'by=Grace' },
        { clock: { now: () => now }, store, secret: async () => ACK_SECRET },
      );
    const forged = new URLSearchParams(link.search);
    forged.set('incident', `${PREFIX}-check-someone-else-20260302T103000Z-0000000000`);
    const tampered = new URLSearchParams(link.search);
    tampered.set('expires', String(Number(tampered.get('expires')) + 86_400_000));
    // Act
    const forgedResponse = await request(forged.toString());
    const tamperedResponse = await request(tampered.toString());
    const expiredResponse = await request(link.search.slice(1), 'POST', MONDAY_1030 + 25 * 60 * MINUTE);
    const preview = await request(link.search.slice(1), 'GET');
    const ackAfterPreview = await store.getAck(incidentId);
    const first = await request(link.search.slice(1));
    const second = await request(link.search.slice(1), 'POST', MONDAY_1030 + 2 * MINUTE);
    // Assess
    expect([forgedResponse.statusCode, tamperedResponse.statusCode, expiredResponse.statusCode]).toEqual([
      403, 403, 410,
    ]);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<form method="post"');
    expect(ackAfterPreview).toBeUndefined();
    expect(first.body).toContain('Acknowledged by Grace (via slack)');
    expect(second.body).toContain('Already acknowledged');
    expect((await store.getAck(incidentId))?.at).toBe(MONDAY_1030 + MINUTE);
  });
});
