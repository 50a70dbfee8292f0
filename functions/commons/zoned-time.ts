/** A moment seen on a wall clock in some time zone. */
export interface ZonedParts {
  /** 0 = Sunday ... 6 = Saturday. */
  readonly weekday: number;
  /** Milliseconds since local midnight. */
  readonly msOfDay: number;
  /** Local date `YYYY-MM-DD`. */
  readonly date: string;
}

/**
 * True for a time zone `Intl` knows (and so `cron-parser` can apply): an IANA name such as `Europe/Berlin`.
 *
 * @example
 * isTimeZone('Europe/London'); // true
 * isTimeZone('Mars/Olympus'); // false
 */
export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/**
 * Splits an instant into the weekday, time of day and date of a time zone (IANA name), DST included.
 *
 * @example
 * zonedParts(Date.parse('2026-01-05T09:30:00Z'), 'Europe/London'); // { weekday: 1, msOfDay: 34200000, date: '2026-01-05' }
 */
export const zonedParts = (epochMs: number, timezone: string): ZonedParts => {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  const seconds = Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  return {
    weekday: WEEKDAY_INDEX[parts.weekday ?? 'Sun'] ?? 0,
    msOfDay: seconds * 1000 + (((epochMs % 1000) + 1000) % 1000),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
};

const HOUR_MS = 3_600_000;
/** Offsets are cached per zone in spans of this length, each verified constant at both ends. */
const SPAN_MS = 6 * HOUR_MS;
const MAX_CACHED_SPANS = 200_000;
const offsetCache = new Map<string, Map<number, number>>();

const readOffset = (epochMs: number, timezone: string): number => {
  const { date, msOfDay } = zonedParts(epochMs, timezone);
  const wall =
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + msOfDay;
  return wall - epochMs;
};

/**
 * How far a zone's wall clock is ahead of UTC at an instant, in milliseconds (e.g. 3,600,000 in BST).
 * Read from `Intl` (the zone rules of the runtime's ICU data) and cached per six-hour span whose two ends
 * agree: real zones never change their offset twice within six hours.
 */
export const utcOffset = (epochMs: number, timezone: string): number => {
  let spans = offsetCache.get(timezone);
  if (spans === undefined) {
    spans = new Map();
    offsetCache.set(timezone, spans);
  }
  const span = Math.floor(epochMs / SPAN_MS);
  const cached = spans.get(span);
  if (cached !== undefined) return cached;
  const start = readOffset(span * SPAN_MS, timezone);
  const end = readOffset(span * SPAN_MS + SPAN_MS - 1, timezone);
  if (start !== end) return readOffset(epochMs, timezone);
  if (spans.size >= MAX_CACHED_SPANS) spans.clear();
  spans.set(span, start);
  return start;
};

/**
 * The wall-clock reading of an instant in a time zone, as milliseconds of a "naive" UTC timeline
 * (`Date.UTC` of the local fields). Differences of wall-clock readings are calendar arithmetic: adding
 * 86,400,000 is "the same time tomorrow", whatever daylight-saving does.
 *
 * @example
 * wallClock(Date.parse('2026-07-01T08:00:00Z'), 'Europe/London') === Date.UTC(2026, 6, 1, 9, 0); // true (BST)
 */
export const wallClock = (epochMs: number, timezone: string): number =>
  epochMs + utcOffset(epochMs, timezone);

/**
 * The instant at which a zone's wall clock reads `wall` (a naive timeline value, see {@link wallClock}).
 * Ambiguous readings (the repeated hour when clocks go back) give the earlier instant; readings that do not
 * exist (the skipped hour when clocks go forward) are moved forward by the length of the gap, so 02:30 on
 * the day New York skips 02:00-03:00 gives 03:30 EDT. This is ECMAScript Temporal's `'compatible'`
 * disambiguation, and what calendar applications do.
 *
 * @example
 * instantOf(Date.UTC(2027, 2, 14, 2, 30), 'America/New_York'); // 2027-03-14T07:30:00Z, i.e. 03:30 EDT
 */
export const instantOf = (wall: number, timezone: string): number => {
  // The offsets in force a day either side bound every real offset transition (none are closer than that).
  const before = utcOffset(wall - 24 * HOUR_MS, timezone);
  const after = utcOffset(wall + 24 * HOUR_MS, timezone);
  // No transition within a day either side: one offset, one answer.
  if (before === after) return wall - before;
  const candidates = [wall - before, wall - after].filter((instant) => wallClock(instant, timezone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: read the wall clock with the offset from before the transition, which lands after it.
  return wall - before;
};

/** Whether a zone's wall clock ever reads `wall` (false inside the hour skipped when clocks go forward). */
export const wallClockExists = (wall: number, timezone: string): boolean =>
  wallClock(instantOf(wall, timezone), timezone) === wall;

/**
 * Parses a local date-time `YYYY-MM-DDTHH:MM` (no offset) into a naive timeline value; `undefined` when it is
 * not one or names a day that does not exist (`2026-02-30`).
 */
export const parseWallClock = (text: string): number | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (hour > 23 || minute > 59) return undefined;
  const value = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(value);
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day
    ? value
    : undefined;
};

const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const two = (value: number): string => String(value).padStart(2, '0');

/**
 * An instant on a zone's wall clock, as people read it in pages and CLI tables: `Mon 2027-03-29 09:00`.
 *
 * @example
 * formatWallClock(Date.parse('2027-03-29T08:00:00Z'), 'Europe/London'); // 'Mon 2027-03-29 09:00'
 */
export const formatWallClock = (epochMs: number, timezone: string): string => {
  const { weekday, msOfDay, date } = zonedParts(epochMs, timezone);
  const minutes = Math.floor(msOfDay / 60_000);
  return `${WEEKDAY_NAMES[weekday]} ${date} ${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
};
