import { z } from 'zod';
import { isTimeZone } from '../zoned-time';

/** Days of the week as written in business-hours, recurring-silence and maintenance schedules. */
export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** A time range within one day, `'09:00-17:30'` (end exclusive, `24:00` allowed as end). */
export const timeRangeSchema = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/,
    "a time range 'HH:MM-HH:MM', e.g. '09:00-17:00'",
  );

/** An IANA time zone (`Europe/London`, `UTC`). */
export const timezoneSchema = z.string().refine((zone) => isTimeZone(zone), {
  message: "unknown IANA time zone: use a name such as 'Europe/London', 'America/New_York' or 'UTC'",
});
