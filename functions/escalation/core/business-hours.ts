import type { RuntimeBusinessHours } from '../types/runtime-config';
import { zonedParts } from './zoned-time';

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

/** Whether `epochMs` falls inside business hours (and not on a holiday). */
export const isBusinessHours = (epochMs: number, hours: RuntimeBusinessHours): boolean => {
  const local = zonedParts(epochMs, hours.timezone);
  if (hours.holidays.includes(local.date)) return false;
  return (hours.weekly[String(local.weekday)] ?? []).some(
    ([start, end]) => local.msOfDay >= start * MINUTE && local.msOfDay < end * MINUTE,
  );
};

/**
 * The first instant at or after `epochMs` inside business hours, or `undefined` when the schedule has none
 * within 31 days (an empty schedule, or only holidays).
 *
 * @example
 * // Saturday 22:00 in London with Mon-Fri 09:00-17:00 -> Monday 09:00 London time
 * nextBusinessHoursStart(Date.parse('2026-01-03T22:00:00Z'), hours);
 */
export const nextBusinessHoursStart = (epochMs: number, hours: RuntimeBusinessHours): number | undefined => {
  let at = epochMs;
  for (let step = 0; step < 100 && at - epochMs <= 31 * DAY; step += 1) {
    const local = zonedParts(at, hours.timezone);
    const ranges = hours.holidays.includes(local.date) ? [] : (hours.weekly[String(local.weekday)] ?? []);
    if (ranges.some(([start, end]) => local.msOfDay >= start * MINUTE && local.msOfDay < end * MINUTE))
      return at;
    const later = ranges.map(([start]) => start * MINUTE).filter((start) => start > local.msOfDay);
    // Jump to the next range start today, else to local midnight; re-check after jumping (DST shifts).
    at += later.length > 0 ? Math.min(...later) - local.msOfDay : DAY - local.msOfDay;
  }
  return undefined;
};
