import type { OnCallScheduleConfig, PersonConfig } from '../../commons/config/oncall-schema';
import type { ScheduleOverride } from '../types/override';
import type { PreparedSchedule } from './resolve-on-call';
import { type Shift, shifts } from './shifts';

/** What an iCalendar feed of one schedule (or of one person in it) is made from. */
export interface IcalFeedInput {
  /** Schedule id; part of every event's UID. */
  readonly schedule: string;
  /** The schedule's shifts, as {@link shifts} returns them. */
  readonly shifts: readonly Shift[];
  readonly people: Readonly<Record<string, PersonConfig>>;
  /** Only this person's shifts (a personal feed). @default every shift with someone on call */
  readonly person?: string;
  /** When the feed is made (DTSTAMP), epoch ms. */
  readonly now: number;
}

const MAX_OCTETS = 75;
/** How far before `from` a feed looks for the true start of the shift in force at `from`. */
const FEED_LOOKBACK_MS = 35 * 86_400_000;

/**
 * The shifts a feed of `[from, to)` shows: those that end after `from`, the first one with its real start
 * (not cut at `from`) so its UID stays the same from one export to the next.
 */
export const feedShifts = (
  schedule: OnCallScheduleConfig | PreparedSchedule,
  overrides: readonly ScheduleOverride[],
  from: number,
  to: number,
): Shift[] => shifts(schedule, overrides, from - FEED_LOOKBACK_MS, to).filter((shift) => shift.end > from);

/** Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks. */
export const escapeText = (text: string): string =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): continuation lines start with one space, and a
 * multi-byte UTF-8 character is never split.
 */
export const foldLine = (line: string): string => {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character, 'utf8');
    if (octets + size > MAX_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
};

/** `20270328T013000Z`: a UTC DATE-TIME. */
export const icalUtc = (epochMs: number): string =>
  new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

const who = (shift: Shift, people: IcalFeedInput['people']): { id: string; label: string } | undefined => {
  const onCall = shift.onCall;
  if (onCall.kind === 'nobody') return undefined;
  if (onCall.person === undefined) return { id: `team:${onCall.team}`, label: `team ${onCall.team}` };
  const person = onCall.person;
  return { id: person, label: Object.hasOwn(people, person) ? (people[person]?.name ?? person) : person };
};

const describe = (shift: Shift, schedule: string): string => {
  const onCall = shift.onCall;
  switch (onCall.kind) {
    case 'override':
      return `Schedule ${schedule}: override ${onCall.overrideId}`;
    case 'layer':
      return `Schedule ${schedule}: layer ${onCall.layer}`;
    case 'fallback':
      return `Schedule ${schedule}: fallback (no layer on call)`;
    case 'nobody':
      return `Schedule ${schedule}: nobody on call`;
  }
};

/**
 * An RFC 5545 calendar of on-call shifts: one VEVENT per shift with UTC DTSTART/DTEND (exact whatever the
 * subscriber's zone), a UID made of schedule, start and person so a re-exported feed updates events in place,
 * escaped text, lines folded at 75 octets and CRLF line ends.
 *
 * @example
 * icalFeed({ schedule: 'flight-primary', shifts: shifts(s, overrides, from, to), people: config.people, now: Date.now() });
 */
export const icalFeed = (input: IcalFeedInput): string => {
  const personName = input.person !== undefined ? personLabel(input.person, input.people) : undefined;
  const title =
    personName !== undefined ? `On call: ${personName} (${input.schedule})` : `On call: ${input.schedule}`;
  return calendar(title, events(input.schedule, input.shifts, input.people, input.person, input.now));
};

/** What a person's feed across schedules is made from. */
export interface IcalPersonFeedInput {
  /** Person id. */
  readonly person: string;
  /** Each schedule's shifts, as {@link shifts} returns them. */
  readonly schedules: readonly { readonly schedule: string; readonly shifts: readonly Shift[] }[];
  readonly people: Readonly<Record<string, PersonConfig>>;
  /** When the feed is made (DTSTAMP), epoch ms. */
  readonly now: number;
}

/**
 * One person's shifts in every schedule as one RFC 5545 calendar, events as {@link icalFeed} writes them (the
 * same UIDs, so a calendar subscribed to both shows each shift once per schedule).
 *
 * @example
 * icalPersonFeed({ person: 'alice', schedules: [{ schedule: 'flight-primary', shifts: feedShifts(s, [], from, to) }], people, now });
 */
export const icalPersonFeed = (input: IcalPersonFeedInput): string =>
  calendar(
    `On call: ${personLabel(input.person, input.people)}`,
    input.schedules.flatMap((group) =>
      events(group.schedule, group.shifts, input.people, input.person, input.now),
    ),
  );

const personLabel = (person: string, people: IcalFeedInput['people']): string =>
  Object.hasOwn(people, person) ? (people[person]?.name ?? person) : person;

const events = (
  schedule: string,
  list: readonly Shift[],
  people: IcalFeedInput['people'],
  person: string | undefined,
  now: number,
): string[] => {
  const lines: string[] = [];
  for (const shift of list) {
    const holder = who(shift, people);
    if (holder === undefined || (person !== undefined && holder.id !== person)) continue;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${icalUtc(shift.start)}-${holder.id}-${schedule}@oncall.vigil`,
      `DTSTAMP:${icalUtc(now)}`,
      `DTSTART:${icalUtc(shift.start)}`,
      `DTEND:${icalUtc(shift.end)}`,
      `SUMMARY:${escapeText(`On call: ${holder.label} (${schedule})`)}`,
      `DESCRIPTION:${escapeText(describe(shift, schedule))}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  return lines;
};

const calendar = (title: string, eventLines: readonly string[]): string => {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Vigil//On-call schedules//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(title)}`,
    ...eventLines,
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
};
