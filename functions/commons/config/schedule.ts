import { formatDuration, parseDuration } from './duration';

/** A schedule after validation: what EventBridge Scheduler needs and what the local scheduler needs. */
export interface ResolvedSchedule {
  /** Stable id used to group checks and name resources: `every-1m`, `cron-0_5-x-x-x-q-x`. */
  readonly key: string;
  /** EventBridge Scheduler expression: `rate(1 minute)` or `cron(0/5 * * * ? *)`. */
  readonly expression: string;
  /** Interval for rate schedules. */
  readonly everyMs?: number;
  /** The six-field EventBridge cron text for cron schedules. */
  readonly cron?: string;
}

const RATE_UNITS = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
] as const;

const CRON_FIELD = /^[0-9A-Za-z*?/,#L W-]+$/;

/**
 * Turns config schedule input into a {@link ResolvedSchedule}, or an error message.
 *
 * @example
 * resolveSchedule('1m'); // { key: 'every-1m', expression: 'rate(1 minute)', everyMs: 60000 }
 */
export const resolveSchedule = (
  input: string | { every: string } | { cron: string },
): ResolvedSchedule | { error: string } => {
  if (typeof input === 'string' || 'every' in input) {
    const text = typeof input === 'string' ? input : input.every;
    const ms = parseDuration(text);
    if (ms === undefined) return { error: `invalid schedule '${text}': use a rate such as '1m', '5m', '1h'` };
    if (ms < 60_000 || ms % 60_000 !== 0) {
      return {
        error: `invalid schedule '${text}': EventBridge Scheduler rates are whole minutes, at least '1m'`,
      };
    }
    const [unitMs, unit] = RATE_UNITS.find(([size]) => ms % size === 0) ?? RATE_UNITS[2];
    const count = ms / unitMs;
    return {
      key: `every-${formatDuration(ms)}`,
      expression: `rate(${count} ${unit}${count === 1 ? '' : 's'})`,
      everyMs: ms,
    };
  }
  const fields = input.cron.trim().split(/\s+/);
  if (fields.length !== 6 || !fields.every((field) => CRON_FIELD.test(field))) {
    return {
      error: `invalid cron '${input.cron}': EventBridge cron has six fields 'minutes hours day-of-month month day-of-week year', e.g. '0/5 * * * ? *'`,
    };
  }
  if (fields[2] !== '?' && fields[4] !== '?') {
    return { error: `invalid cron '${input.cron}': one of day-of-month or day-of-week must be '?'` };
  }
  const key = `cron-${fields
    .join('-')
    .replace(/\*/g, 'x')
    .replace(/\?/g, 'q')
    .replace(/[^A-Za-z0-9-]/g, '_')}`;
  return { key, expression: `cron(${fields.join(' ')})`, cron: fields.join(' ') };
};

/**
 * Converts an EventBridge cron (six fields, `?` allowed) to the five-field form that
 * `cron-parser` understands, for the local scheduler.
 */
export const toStandardCron = (cron: string): string =>
  cron
    .split(/\s+/)
    .slice(0, 5)
    .map((field) => (field === '?' ? '*' : field))
    .join(' ');
