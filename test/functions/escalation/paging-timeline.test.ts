import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LocalEscalationDefinition,
  localEscalationDefinition,
} from '../../../bin/local/escalation/local-escalation-definition';
import type { LocalEscalationEngine } from '../../../bin/local/escalation/local-escalation-engine';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { awsDirectPager } from '../../../functions/escalation/adapters/aws-direct-pager';
import { DynamoDbPageLog } from '../../../functions/escalation/adapters/dynamodb-page-log';
import { SLACK_PAGE_ACTIONS } from '../../../functions/escalation/channels/person-messages';
import { executionName } from '../../../functions/escalation/core/execution-name';
import type { AlarmSnapshot } from '../../../functions/escalation/types/incident';
import { FileOverrideStore } from '../../../functions/oncall/adapters/file-override-store';
import { HANG_GUARD_MS } from '../../helpers/patience';
import { flowEngine, platformTags, recoverAlarm } from './helpers/flow-harness';
import { type HttpReceiver, type ReceivedRequest, startReceiver } from './helpers/http-receiver';
import { aws, createIncidentTable, createSecret, fireAlarm } from './helpers/moto-escalation';
import { operationOf, type PagingStandIns, startPagingStandIns } from './helpers/paging-stand-ins';

/**
 * Escalation with people (issue 14): the synthesized state machine run by aws-local-stepfunctions with the
 * real handler cores over moto, paging people through their notification rules by the real SDK clients
 * against SMS/voice, SES and Slack Web API stand-ins on 127.0.0.1, on a virtual clock.
 */
const PREFIX = 'paging';
const TABLE = 'paging-incidents';
const MONDAY_1030 = Date.parse('2026-03-02T10:30:00Z');
const MINUTE = 60_000;
const ALICE = { sms: '+447700900101', voice: '+447700900102', email: 'alice@example.com', slack: 'U0ALICE' };
const BOB = { sms: '+12025550142', slack: 'U0BOB' };

let standIns: PagingStandIns;
let hook: HttpReceiver;
let synthesized: LocalEscalationDefinition;
let overridesDir: string;

const pagingConfig = (slackApiUrl: string) => ({
  app: PREFIX,
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  channels: { hook: { type: 'webhook', url: { secretsManager: `${PREFIX}/hook` } } },
  people: {
    alice: {
      name: 'Alice Martin',
      timezone: 'Europe/London',
      contact: ALICE,
      rules: {
        critical: [
          { method: 'sms', after: '0s' },
          { method: 'voice', after: '2m' },
          { method: 'email', after: '5m' },
        ],
        warning: [{ method: 'slack' }],
      },
    },
    bob: {
      name: 'Bob Chen',
      timezone: 'America/New_York',
      contact: BOB,
      rules: { critical: [{ method: 'sms' }], warning: [{ method: 'slack' }] },
    },
  },
  oncallTeams: { leads: { members: ['bob'] } },
  schedules: {
    primary: {
      timezone: 'Europe/London',
      // Alice from Monday 2 March 09:00, then Bob the week after.
      layers: [{ members: ['alice', 'bob'], start: '2026-03-02T09:00', rotation: 'weekly' }],
    },
  },
  paging: {
    sms: { originationIdentity: 'phone-sms' },
    voice: { originationIdentity: 'phone-voice' },
    email: { from: 'oncall@example.com' },
    slack: { botToken: { secretsManager: `${PREFIX}/slack-bot` }, apiUrl: slackApiUrl },
  },
  escalation: {
    critical: {
      levels: [
        { after: '0s', channels: ['hook'], schedules: ['primary'], repeatEvery: '10m' },
        { after: '15m', teams: ['leads'] },
      ],
    },
    warning: { levels: [{ after: '0s', schedules: ['primary'] }] },
    info: { levels: [{ after: '0s', channels: ['hook'] }] },
    watchFor: '2h',
  },
});

beforeAll(async () => {
  [standIns, hook] = await Promise.all([startPagingStandIns(), startReceiver()]);
  synthesized = localEscalationDefinition(parseConfig(pagingConfig(standIns.slack.url)));
  await createIncidentTable(TABLE);
  await createSecret(`${PREFIX}/hook`, hook.url);
  await createSecret(`${PREFIX}/slack-bot`, 'xoxb-paging-test');
  overridesDir = mkdtempSync(join(tmpdir(), 'vigil-paging-'));
}, HANG_GUARD_MS);

afterAll(async () => {
  await Promise.all([standIns?.close(), hook?.close()]);
  rmSync(overridesDir, { recursive: true, force: true });
});

beforeEach(() => {
  standIns.reset();
  hook.reset();
});

const tags = platformTags;

const engineAt = (start: number, overrides?: FileOverrideStore) =>
  flowEngine(synthesized, TABLE, start, {
    ackSecret: 'paging-ack-key',
    ports: {
      pager: awsDirectPager(synthesized.runtimeConfig.paging ?? {}, standIns.clients),
      pages: new DynamoDbPageLog(aws.dynamodb, TABLE),
      ...(overrides !== undefined
        ? { overrides: (schedule: string) => overrides.listOverrides(schedule) }
        : {}),
    },
  });

/** What a text or email says it is: the first word of an SMS, the tag of an email subject. */
const kindOfText = (text: string): string => {
  const word = /^\[?([A-Z]+)/.exec(text)?.[1] ?? '?';
  return word === 'ACKNOWLEDGED' ? 'acknowledge' : word === 'RESOLVED' ? 'resolve' : 'trigger';
};

/** `<to> <method> <kind>` of each page the SMS/voice and SES stand-ins received, in order. */
const pages = (): string[] => [
  ...standIns.smsVoice.requests.map((request: ReceivedRequest) => {
    const json = request.json as { DestinationPhoneNumber: string; MessageBody: string };
    const method = operationOf(request) === 'SendVoiceMessage' ? 'voice' : 'sms';
    const kind =
      method === 'voice'
        ? /This is Vigil\. (critical|warning|info) alert/.test(json.MessageBody)
          ? 'trigger'
          : 'follow-up'
        : kindOfText(json.MessageBody);
    return `${json.DestinationPhoneNumber} ${method} ${kind}`;
  }),
  ...standIns.ses.requests.map((request) => {
    const json = request.json as {
      Destination: { ToAddresses: string[] };
      Content: { Simple: { Subject: { Data: string } } };
    };
    return `${json.Destination.ToAddresses.join(',')} email ${kindOfText(json.Content.Simple.Subject.Data)}`;
  }),
];

/** Tally of {@link pages}. */
const tally = (): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const page of pages()) out[page] = (out[page] ?? 0) + 1;
  return out;
};

/** `action_id` and `value` of every interactive button in a Slack message. */
const actionButtons = (message: unknown): { action_id: string; value: string }[] => {
  const found: { action_id: string; value: string }[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 10 || value === null || typeof value !== 'object') return;
    const item = value as Record<string, unknown>;
    if (typeof item.action_id === 'string')
      found.push({ action_id: item.action_id, value: String(item.value) });
    for (const child of Object.values(item)) visit(child, depth + 1);
  };
  visit(message, 0);
  return found;
};

const recover = async (engine: LocalEscalationEngine, alarm: AlarmSnapshot, at: number) => {
  await recoverAlarm(engine, alarm, at, 'back to normal');
};

describe('escalation with people: level -> person -> notification rule, executed', () => {
  it(
    'pages the person on call by SMS at once and a call at +2m; an ack at +3m stops the email, the reminder and level 2; the resolve reaches her once',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-acked`, tags('critical'), MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 3 * MINUTE, async () => {
        await engine.acknowledge(id, 'Alice Martin', '@alice/sms');
      });
      clock.schedule(MONDAY_1030 + 40 * MINUTE, () => recover(engine, alarm, MONDAY_1030 + 40 * MINUTE));
      // Act
      await engine.ingest(alarm);
      const output = await engine.done(id);
      const timeline = await engine.timeline(id);
      // Assess
      expect(output.status.outcome).toBe('closed');
      expect(pages()).toEqual([
        `${ALICE.sms} sms trigger`,
        `${ALICE.voice} voice trigger`,
        `${ALICE.sms} sms acknowledge`,
        `${ALICE.sms} sms resolve`,
      ]);
      expect(standIns.ses.requests).toHaveLength(0);
      expect(hook.requests.map((request) => (request.json as { kind: string }).kind)).toEqual([
        'trigger',
        'acknowledge',
        'resolve',
      ]);
      expect(
        timeline
          .filter((event) => event.channel.startsWith('@'))
          .map((event) => [event.at, event.type, event.channel, event.level]),
      ).toEqual([
        ['+0s', 'notify', '@alice/sms', 1],
        ['+2m', 'notify', '@alice/voice', 1],
        ['+3m', 'ack', '@alice/sms', null],
        ['+40m', 'resolve', '@alice/sms', null],
      ]);
      // Each page is in Alice's page log (what her SMS reply `ACK` acknowledges), follow-ups are not.
      const logged = (await new DynamoDbPageLog(aws.dynamodb, TABLE).recentPages('alice', 20)).filter(
        (page) => page.incidentId === id,
      );
      expect(logged.map((page) => [page.method, page.at - MONDAY_1030])).toEqual([
        ['voice', 2 * MINUTE],
        ['sms', 0],
      ]);
    },
    HANG_GUARD_MS,
  );

  it(
    'unacknowledged: repeats her rule every 10m, escalates to the team at +15m, an ack at +17m stops everyone, and each person paged gets one resolve',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-unacked`, tags('critical'), MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 17 * MINUTE, async () => {
        await engine.acknowledge(id, 'Bob Chen', '@bob/sms');
      });
      clock.schedule(MONDAY_1030 + 50 * MINUTE, () => recover(engine, alarm, MONDAY_1030 + 50 * MINUTE));
      // Act
      await engine.ingest(alarm);
      await engine.done(id);
      const timeline = await engine.timeline(id);
      // Assess
      expect(tally()).toEqual({
        // +0s and the +10m reminder; one acknowledge notice, one resolve.
        [`${ALICE.sms} sms trigger`]: 2,
        [`${ALICE.voice} voice trigger`]: 2,
        [`${ALICE.email} email trigger`]: 2,
        [`${ALICE.sms} sms acknowledge`]: 1,
        [`${ALICE.sms} sms resolve`]: 1,
        [`${BOB.sms} sms trigger`]: 1,
        [`${BOB.sms} sms acknowledge`]: 1,
        [`${BOB.sms} sms resolve`]: 1,
      });
      expect(
        timeline
          .filter((event) => event.type === 'notify' && event.channel.startsWith('@'))
          .map((event) => `${event.at} ${event.channel} L${event.level}`)
          // Pages due at one instant go out in parallel: ordered by time, then name.
          .sort(
            (a, b) => Number.parseInt(a.slice(1), 10) - Number.parseInt(b.slice(1), 10) || a.localeCompare(b),
          ),
      ).toEqual([
        '+0s @alice/sms L1',
        '+2m @alice/voice L1',
        '+5m @alice/email L1',
        '+10m @alice/sms L1',
        '+12m @alice/voice L1',
        '+15m @alice/email L1',
        '+15m @bob/sms L2',
      ]);
    },
    HANG_GUARD_MS,
  );

  it(
    'a warning pages the on-call person by Slack DM through the Web API with the bot token, Acknowledge and Resolve buttons carrying the incident id',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(MONDAY_1030);
      const alarm = await fireAlarm(`${PREFIX}-check-warning`, tags('warning'), MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + 5 * MINUTE, () => recover(engine, alarm, MONDAY_1030 + 5 * MINUTE));
      // Act
      await engine.ingest(alarm);
      await engine.done(id);
      // Assess
      const posts = standIns.slack.requests;
      expect(posts.map((request) => request.path)).toEqual([
        '/hook/chat.postMessage',
        '/hook/chat.postMessage',
      ]);
      expect(posts.map((request) => request.headers.authorization)).toEqual([
        'Bearer xoxb-paging-test',
        'Bearer xoxb-paging-test',
      ]);
      const [page, resolve] = posts.map((request) => request.json as Record<string, unknown>);
      expect(page?.channel).toBe(ALICE.slack);
      const buttons = actionButtons(page);
      expect(buttons).toEqual([
        { action_id: SLACK_PAGE_ACTIONS.acknowledge, value: id },
        { action_id: SLACK_PAGE_ACTIONS.resolve, value: id },
      ]);
      expect(actionButtons(resolve)).toEqual([]);
      expect(String(resolve?.text)).toContain('[RESOLVED]');
      expect(standIns.smsVoice.requests).toHaveLength(0);
    },
    HANG_GUARD_MS,
  );

  it(
    'a run-time override made with `vigil oncall override` decides who is paged',
    async () => {
      // Prepare
      const store = new FileOverrideStore(join(overridesDir, 'overrides.json'));
      await store.putOverride({
        id: 'ov-1',
        schedule: 'primary',
        person: 'bob',
        start: MONDAY_1030 - 60 * MINUTE,
        end: MONDAY_1030 + 60 * MINUTE,
        createdAt: MONDAY_1030 - 120 * MINUTE,
        createdBy: 'test',
      });
      const { clock, engine } = engineAt(MONDAY_1030, store);
      const alarm = await fireAlarm(`${PREFIX}-check-override`, tags('critical'), MONDAY_1030);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      clock.schedule(MONDAY_1030 + MINUTE, () =>
        engine.acknowledge(id, 'Bob Chen', '@bob/sms').then(() => {}),
      );
      clock.schedule(MONDAY_1030 + 4 * MINUTE, () => recover(engine, alarm, MONDAY_1030 + 4 * MINUTE));
      // Act
      await engine.ingest(alarm);
      await engine.done(id);
      // Assess
      expect(pages()).toEqual([
        `${BOB.sms} sms trigger`,
        `${BOB.sms} sms acknowledge`,
        `${BOB.sms} sms resolve`,
      ]);
    },
    HANG_GUARD_MS,
  );
});
