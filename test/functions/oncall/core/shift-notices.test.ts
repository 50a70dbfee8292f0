import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { DynamoDbNoticeLog } from '../../../../functions/oncall/adapters/dynamodb-notice-log';
import { MemoryNoticeLog } from '../../../../functions/oncall/adapters/memory-notice-log';
import { sendShiftNotices } from '../../../../functions/oncall/core/send-shift-notices';
import {
  dueShiftNotices,
  gapMinutes,
  type NoticeMethod,
  scheduleGaps,
} from '../../../../functions/oncall/core/shift-notices';
import type { ShiftNoticeRecord } from '../../../../functions/oncall/types/ports';
import { createPkSkTable } from '../../../helpers/moto-tables';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

const config = parseConfig({
  app: 'shift-notice-test',
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  people: {
    alice: {
      name: 'Alice Martin',
      timezone: 'Europe/London',
      contact: { email: 'alice@example.com', sms: '+447700900101', voice: '+447700900101', slack: 'U0ALICE' },
    },
    bob: { name: 'Bob Chen', timezone: 'America/New_York', contact: { email: 'bob@example.com' } },
  },
  schedules: {
    // Daily 09:00 London handoffs: alice on 2027-03-26 (Fri), bob on the 27th, alice on the 28th (clocks
    // go forward that night, so bob's shift lasts 23 hours).
    'payments-primary': {
      timezone: 'Europe/London',
      layers: [{ members: ['alice', 'bob'], start: '2027-03-26T09:00', rotation: 'daily' }],
    },
    // Starts in three days and has no fallback: nobody is on call until then.
    'payments-night': {
      timezone: 'Asia/Kolkata',
      layers: [{ members: ['bob'], start: '2027-03-30T09:00', rotation: 'weekly' }],
    },
  },
  paging: { sms: { originationIdentity: 'phone-1' }, email: { from: 'oncall@example.com' } },
});

describe('dueShiftNotices', () => {
  it('tells the person coming on call until when, on their own wall clock, across a DST change', () => {
    // Prepare: bob takes over at 09:00 London (08:00 UTC) on Saturday 27 March.
    const handoff = at('2027-03-27T09:00:00Z');
    // Act
    const before = dueShiftNotices(config, {}, handoff - 10 * MINUTE, handoff - MINUTE);
    const after = dueShiftNotices(config, {}, handoff - 10 * MINUTE, handoff + MINUTE);
    // Assess
    expect(before).toEqual([]);
    expect(after).toEqual([
      expect.objectContaining({
        key: 'payments-primary#bob#2027-03-27T09:00:00.000Z',
        person: 'bob',
        start: handoff,
        // 09:00 BST on Sunday is 08:00 UTC: a 23-hour shift.
        end: at('2027-03-28T08:00:00Z'),
        text: 'Vigil: you are on call for payments-primary until Sun 2027-03-28 04:00 America/New_York.',
      }),
    ]);
  });

  it('counts a handoff at exactly `since` as already seen and one at exactly `now` as due', () => {
    const handoff = at('2027-03-27T09:00:00Z');
    expect(dueShiftNotices(config, {}, handoff, handoff + MINUTE)).toEqual([]);
    expect(dueShiftNotices(config, {}, handoff - MINUTE, handoff).map((notice) => notice.person)).toEqual([
      'bob',
    ]);
  });

  it('sends nothing for a stint that ended before the run, and merges an override of the same person', () => {
    // Prepare: alice covers the first two hours of bob's day, then alice again from 11:00 to 12:00.
    const handoff = at('2027-03-27T09:00:00Z');
    const override = {
      id: 'ov-1',
      schedule: 'payments-primary',
      person: 'alice',
      start: at('2027-03-26T12:00:00Z'),
      end: at('2027-03-27T11:00:00Z'),
      createdAt: 1,
      createdBy: 'test',
    };
    // Act: a run well after 11:00 that looks back over the whole morning.
    const notices = dueShiftNotices(
      config,
      { 'payments-primary': [override] },
      handoff - 60 * MINUTE,
      at('2027-03-27T11:30:00Z'),
    );
    // Assess: alice's stint (her day and the override) did not hand off at 09:00; bob came on at 11:00.
    expect(notices.map((notice) => [notice.person, new Date(notice.start).toISOString()])).toEqual([
      ['bob', '2027-03-27T11:00:00.000Z'],
    ]);
  });
});

describe('scheduleGaps', () => {
  it('names the schedule and the empty slot in its own time zone, and sums the minutes per schedule', () => {
    // Act
    const gaps = scheduleGaps(config, {}, at('2027-03-27T00:00:00Z'));
    // Assess
    expect(gaps.map((gap) => gap.text)).toEqual([
      "schedule 'payments-night' has nobody on call from Sat 2027-03-27 05:30 to Tue 2027-03-30 09:00 Asia/Kolkata (no layer, override or fallback covers it)",
    ]);
    expect(gapMinutes(config, gaps)).toEqual({
      'payments-primary': 0,
      'payments-night': (at('2027-03-30T03:30:00Z') - at('2027-03-27T00:00:00Z')) / MINUTE,
    });
  });
});

describe('sendShiftNotices', () => {
  const handoff = at('2027-03-28T08:00:00Z'); // alice, 09:00 BST on Sunday 28 March

  const ports = (log = new MemoryNoticeLog(), fail?: NoticeMethod) => {
    const sent: string[] = [];
    return {
      sent,
      log,
      ports: {
        overrides: async () => [],
        log,
        methods: new Set<NoticeMethod>(['sms', 'email']),
        send: async (
          method: NoticeMethod,
          recipient: { name: string; to: string },
          notice: { text: string },
        ) => {
          if (method === fail) throw new Error('refused');
          sent.push(`${method} ${recipient.name} ${recipient.to}: ${notice.text}`);
          return `id-${sent.length}`;
        },
      },
    };
  };

  it('sends each notice once through every configured method but a call, and records the outcome', async () => {
    // Prepare
    const { sent, log, ports: run } = ports();
    // Act: two runs whose windows both see the handoff.
    const first = await sendShiftNotices(config, run, handoff - 5 * MINUTE, handoff + MINUTE);
    const second = await sendShiftNotices(config, run, handoff - 10 * MINUTE, handoff + 2 * MINUTE);
    // Assess
    const text = 'Vigil: you are on call for payments-primary until Mon 2027-03-29 09:00 Europe/London.';
    expect(sent.sort()).toEqual([
      `email Alice Martin alice@example.com: ${text}`,
      `sms Alice Martin +447700900101: ${text}`,
    ]);
    expect(first.sent).toHaveLength(1);
    expect(second).toMatchObject({
      sent: [],
      alreadySent: ['payments-primary#alice#2027-03-28T08:00:00.000Z'],
    });
    expect(log.records.get('payments-primary#alice#2027-03-28T08:00:00.000Z')?.deliveries).toEqual(
      expect.arrayContaining([
        { method: 'sms', outcome: 'sent', detail: expect.stringMatching(/^id-/) },
        { method: 'email', outcome: 'sent', detail: expect.stringMatching(/^id-/) },
      ]),
    );
  });

  it('records a failed method beside the ones that went out, and reports the gap minutes', async () => {
    // Prepare
    const { sent, ports: run } = ports(new MemoryNoticeLog(), 'sms');
    const minutes: Record<string, number>[] = [];
    // Act
    const result = await sendShiftNotices(
      config,
      { ...run, gapMinutes: (value) => minutes.push({ ...value }) },
      handoff - 5 * MINUTE,
      handoff,
    );
    // Assess
    expect(sent).toHaveLength(1);
    expect(result.sent[0]?.deliveries).toEqual(
      expect.arrayContaining([{ method: 'sms', outcome: 'failed', detail: 'Error: refused' }]),
    );
    expect(minutes).toEqual([{ 'payments-primary': 0, 'payments-night': expect.any(Number) }]);
    expect(minutes[0]?.['payments-night']).toBeGreaterThan(0);
  });
});

describe('DynamoDbNoticeLog (moto)', () => {
  it('lets one of two claims of a handoff win, and keeps the delivery outcomes written after it', async () => {
    // Prepare
    const client = new DynamoDBClient({});
    const tableName = `oncall-notices-${Date.now()}`;
    await createPkSkTable(tableName, client);
    const log = new DynamoDbNoticeLog(client, tableName);
    const record: ShiftNoticeRecord = {
      key: 'payments-primary#alice#2027-03-28T08:00:00.000Z',
      schedule: 'payments-primary',
      person: 'alice',
      start: at('2027-03-28T08:00:00Z'),
      end: at('2027-03-29T08:00:00Z'),
      at: at('2027-03-28T08:01:00Z'),
      deliveries: [],
    };
    // Act
    const claims = await Promise.all([log.claim(record), log.claim(record)]);
    await log.complete({ ...record, deliveries: [{ method: 'sms', outcome: 'sent', detail: 'm-1' }] });
    const item = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'notice' }, sk: { S: record.key } } }),
    );
    // Assess
    expect(claims.sort()).toEqual([false, true]);
    expect(JSON.parse(item.Item?.data?.S ?? '{}').deliveries).toEqual([
      { method: 'sms', outcome: 'sent', detail: 'm-1' },
    ]);
    expect(Number(item.Item?.expiresAt?.N)).toBe(at('2027-03-29T08:00:00Z') / 1000 + 30 * 86_400);
  });
});
