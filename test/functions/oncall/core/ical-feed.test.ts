import ICAL from 'ical.js';
import {
  type OnCallScheduleConfig,
  oncallScheduleSchema,
} from '../../../../functions/commons/config/oncall-schema';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { escapeText, feedShifts, foldLine, icalFeed } from '../../../../functions/oncall/core/ical-feed';
import type { ScheduleOverride } from '../../../../functions/oncall/types/override';

const at = (iso: string) => Date.parse(iso);
const { people } = parseConfig({
  app: 'ical-test',
  environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
  people: {
    alice: {
      name: 'Alice "Ali" Martin, SRE; payments',
      timezone: 'Europe/London',
      contact: { email: 'a@example.com' },
    },
    bob: {
      name: 'Bøb Ünïcødé-Çhén 山田太郎 with a rather long name indeed',
      timezone: 'UTC',
      contact: { email: 'b@example.com' },
    },
  },
});
const schedule: OnCallScheduleConfig = oncallScheduleSchema.parse({
  timezone: 'America/New_York',
  layers: [{ name: 'nightly', members: ['alice', 'bob'], start: '2027-03-10T02:30', rotation: 'daily' }],
});
const override: ScheduleOverride = {
  id: 'ov-1',
  schedule: 'payments',
  person: 'bob',
  start: at('2027-03-16T12:00:00Z'),
  end: at('2027-03-16T18:00:00Z'),
  createdAt: 1,
  createdBy: 'test',
};

interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  start: number;
  end: number;
}

/** Parses a feed with ical.js (an independent RFC 5545 parser) into plain events. */
const parse = (feed: string): { name: string; events: ParsedEvent[] } => {
  const calendar = new ICAL.Component(ICAL.parse(feed));
  return {
    name: String(calendar.getFirstPropertyValue('x-wr-calname')),
    events: calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid,
        summary: event.summary,
        description: event.description,
        start: event.startDate.toJSDate().getTime(),
        end: event.endDate.toJSDate().getTime(),
      };
    }),
  };
};

describe('iCalendar feed', () => {
  const from = at('2027-03-12T00:00:00Z');
  const to = at('2027-03-18T00:00:00Z');

  it('parses back, with an independent parser, to the exact shifts across the New York DST change', () => {
    // Prepare: New York skips 02:00-03:00 on 2027-03-14, so that day's 02:30 handoff is at 03:30 EDT
    const shifts = feedShifts(schedule, [override], from, to);
    // Act
    const parsed = parse(icalFeed({ schedule: 'payments', shifts, people, now: at('2027-03-11T00:00:00Z') }));
    // Assess
    expect(parsed.name).toBe('On call: payments');
    expect(
      parsed.events.map((event) => [new Date(event.start).toISOString(), new Date(event.end).toISOString()]),
    ).toEqual(
      shifts.map((shift) => [new Date(shift.start).toISOString(), new Date(shift.end).toISOString()]),
    );
    expect(parsed.events.map((event) => new Date(event.start).toISOString())).toContain(
      '2027-03-14T07:30:00.000Z',
    );
    expect(parsed.events[0]!.start).toBe(at('2027-03-11T07:30:00Z')); // real start, not cut at `from`
    const overridden = parsed.events.find((event) => event.start === override.start);
    expect(overridden).toMatchObject({
      end: override.end,
      summary: 'On call: Bøb Ünïcødé-Çhén 山田太郎 with a rather long name indeed (payments)',
      description: 'Schedule payments: override ov-1',
    });
    expect(parsed.events[1]!.summary).toBe('On call: Alice "Ali" Martin, SRE; payments (payments)');
  });

  it('gives a person only their own shifts, and keeps UIDs from one export to the next', () => {
    // Act
    const first = parse(
      icalFeed({
        schedule: 'payments',
        shifts: feedShifts(schedule, [], from, to),
        people,
        person: 'alice',
        now: 1,
      }),
    );
    const later = parse(
      icalFeed({
        schedule: 'payments',
        shifts: feedShifts(schedule, [], from + 3_600_000, to),
        people,
        person: 'alice',
        now: 2,
      }),
    );
    // Assess
    // X-WR-CALNAME is an x-prop: TEXT by default (RFC 5545 §3.8.8.2), so escaped; ical.js leaves x-props raw
    expect(first.name).toBe('On call: Alice "Ali" Martin\\, SRE\\; payments (payments)');
    expect(first.events.length).toBeGreaterThan(2);
    expect(first.events.every((event) => event.summary.includes('Alice'))).toBe(true);
    expect(later.events.map((event) => event.uid)).toEqual(first.events.map((event) => event.uid));
  });

  it('ends lines with CRLF and folds them at 75 octets without splitting a character', () => {
    // Act
    const feed = icalFeed({
      schedule: 'payments',
      shifts: feedShifts(schedule, [override], from, to),
      people,
      now: 1,
    });
    // Assess
    expect(feed.endsWith('\r\n')).toBe(true);
    expect(feed.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = feed.split('\r\n').slice(0, -1);
    expect(Math.max(...lines.map((line) => Buffer.byteLength(line, 'utf8')))).toBeLessThanOrEqual(75);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    expect(feed).not.toContain('\uFFFD');
  });

  it('escapes text and folds exactly as RFC 5545 says', () => {
    // Act + Assess
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    const folded = foldLine(`SUMMARY:${'é'.repeat(40)}`).split('\r\n');
    expect(folded.map((line) => Buffer.byteLength(line, 'utf8'))).toEqual([74, 15]);
    expect(folded[1]!.startsWith(' ')).toBe(true);
  });
});
