/** A moment seen on a wall clock in some time zone. */
export interface ZonedParts {
  /** 0 = Sunday ... 6 = Saturday. */
  readonly weekday: number;
  /** Milliseconds since local midnight. */
  readonly msOfDay: number;
  /** Local date `YYYY-MM-DD`. */
  readonly date: string;
}

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
