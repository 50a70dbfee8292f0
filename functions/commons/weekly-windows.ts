import { instantOf, wallClock } from './zoned-time';

/** A weekday as written in config (`'mon'` ... `'sun'`). */
export type WeekdayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A window that recurs every week in a time zone: the days it starts on and a `'HH:MM-HH:MM'` range. */
export interface WeeklyWindow {
  /** Days the window starts on; every day when absent. */
  readonly days?: readonly WeekdayName[] | undefined;
  /** `'09:00-17:00'`; an end before the start (`'22:00-06:00'`) ends the next day; `24:00` is midnight. */
  readonly time: string;
}

/** A half-open span of instants `[start, end)` in epoch milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

const DAY_MS = 86_400_000;
/** More than any wall-clock jump at a time-zone transition. */
const MARGIN_MS = 3 * 3_600_000;
/** `Date.getUTCDay()` index -> weekday name. */
const WEEKDAYS: readonly WeekdayName[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** `'HH:MM-HH:MM'` -> wall-clock offsets from the day's midnight, parsed once per distinct text. */
const parsedRanges = new Map<string, Interval>();
const rangeOf = (time: string): Interval => {
  let range = parsedRanges.get(time);
  if (range === undefined) {
    const [from = '00:00', to = '24:00'] = time.split('-');
    const startMin = minutes(from);
    const endMin = minutes(to) > startMin ? minutes(to) : minutes(to) + 24 * 60;
    range = { start: startMin * 60_000, end: endMin * 60_000 };
    if (parsedRanges.size < 10_000) parsedRanges.set(time, range);
  }
  return range;
};

/** The weekday of a wall-clock day start (1970-01-01 was a Thursday). */
const weekdayOf = (day: number): WeekdayName =>
  WEEKDAYS[(((Math.floor(day / DAY_MS) + 4) % 7) + 7) % 7] as WeekdayName;

/** The wall-clock span of a window opened on the local day starting at wall-clock `day`, or none that day. */
const wallSpanOn = (window: WeeklyWindow, day: number): Interval | undefined => {
  if (window.days !== undefined && !window.days.includes(weekdayOf(day))) return undefined;
  const range = rangeOf(window.time);
  return { start: day + range.start, end: day + range.end };
};

/** The instants a window opened on the local day starting at wall-clock `day` covers, or none. */
const windowOn = (window: WeeklyWindow, day: number, timezone: string): Interval | undefined => {
  const span = wallSpanOn(window, day);
  if (span === undefined) return undefined;
  const start = instantOf(span.start, timezone);
  const end = instantOf(span.end, timezone);
  return end > start ? { start, end } : undefined;
};

/** Sorts and joins overlapping or touching intervals. */
export const mergeIntervals = (intervals: readonly Interval[]): Interval[] => {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) {
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, interval.end) };
    } else merged.push({ ...interval });
  }
  return merged;
};

/**
 * The instants in `[from, to)` that fall in any of the windows, read on the wall clock of `timezone`
 * (daylight-saving included: a window `'00:00-24:00'` on a 23-hour day lasts 23 hours), merged and clipped.
 *
 * @example
 * weeklyIntervals([{ days: ['mon'], time: '09:00-17:00' }], 'Europe/London', from, to);
 */
export const weeklyIntervals = (
  windows: readonly WeeklyWindow[],
  timezone: string,
  from: number,
  to: number,
): Interval[] => {
  if (to <= from) return [];
  // Windows last at most a day and a bit, so a window that reaches `from` opened at most two local days earlier.
  const firstDay = Math.floor(wallClock(from, timezone) / DAY_MS) * DAY_MS - 2 * DAY_MS;
  const lastDay = Math.floor(wallClock(to, timezone) / DAY_MS) * DAY_MS;
  const found: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    for (const window of windows) {
      const interval = windowOn(window, day, timezone);
      if (interval === undefined || interval.end <= from || interval.start >= to) continue;
      found.push({ start: Math.max(from, interval.start), end: Math.min(to, interval.end) });
    }
  }
  return mergeIntervals(found);
};

/** Whether an instant falls in any of the windows (the same instants {@link weeklyIntervals} gives). */
export const inWeeklyWindows = (windows: readonly WeeklyWindow[], timezone: string, at: number): boolean => {
  const wall = wallClock(at, timezone);
  const today = Math.floor(wall / DAY_MS) * DAY_MS;
  for (let day = today - 2 * DAY_MS; day <= today + DAY_MS; day += DAY_MS) {
    for (const window of windows) {
      // Wall clock and instants differ by at most a transition (under 3 h): only near an edge is the exact test needed.
      const span = wallSpanOn(window, day);
      if (span === undefined || wall < span.start - MARGIN_MS || wall >= span.end + MARGIN_MS) continue;
      if (wall >= span.start + MARGIN_MS && wall < span.end - MARGIN_MS) return true;
      const interval = windowOn(window, day, timezone);
      if (interval !== undefined && interval.start <= at && at < interval.end) return true;
    }
  }
  return false;
};
