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

/** The six fields of an EventBridge Scheduler cron expression: their ranges and the names they accept. */
const CRON_FIELDS = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'year', min: 1970, max: 2199 },
] as const;

type CronField = (typeof CRON_FIELDS)[number];

const cronValue = (text: string, field: CronField): number | undefined => {
  const named = 'names' in field ? (field.names as readonly string[]).indexOf(text.toUpperCase()) : -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : undefined;
  return value !== undefined && value >= field.min && value <= field.max ? value : undefined;
};

// `*`, `5`, `MON`, `1-5`, `MON-FRI`, each optionally `/step`; `*` alone may not take a range.
const cronItemProblem = (item: string, field: CronField): string | undefined => {
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step)))
    return `'${item}' has a bad increment`;
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2 || bounds.some((bound) => cronValue(bound, field) === undefined)) {
    const names = 'names' in field ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : '';
    return `'${item}' is not in ${field.min}-${field.max}${names}`;
  }
  return undefined;
};

// L, W and # forms, which stand alone in their field.
const CRON_SPECIAL = {
  'day-of-month': /^(L|LW|([1-9]|[12]\d|3[01])W)$/,
  'day-of-week': /^(L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/i,
} as const;

/** Why a six-field EventBridge Scheduler cron expression can never run, or `undefined` when it can. */
const cronProblem = (fields: readonly string[]): string | undefined => {
  for (const [index, field] of CRON_FIELDS.entries()) {
    const text = fields[index] ?? '';
    if (text === '?') {
      if (field.name !== 'day-of-month' && field.name !== 'day-of-week')
        return `'?' is only for day-of-month or day-of-week, not ${field.name}`;
      continue;
    }
    const special =
      field.name === 'day-of-month' || field.name === 'day-of-week' ? CRON_SPECIAL[field.name] : undefined;
    if (special?.test(text)) continue;
    for (const item of text.split(',')) {
      if (special?.test(item)) return `${field.name} '${text}': an L, W or # form stands alone in its field`;
      const problem = cronItemProblem(item, field);
      if (problem !== undefined) return `${field.name} ${problem}`;
    }
  }
  if ((fields[2] === '?') === (fields[4] === '?'))
    return "exactly one of day-of-month or day-of-week must be '?'";
  return undefined;
};

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
  if (fields.length !== 6) {
    return {
      error: `invalid cron '${input.cron}': EventBridge cron has six fields 'minutes hours day-of-month month day-of-week year', e.g. '0/5 * * * ? *'`,
    };
  }
  const problem = cronProblem(fields);
  if (problem !== undefined) return { error: `invalid cron '${input.cron}': ${problem}` };
  const key = `cron-${fields
    .join('-')
    .replace(/\*/g, 'x')
    .replace(/\?/g, 'q')
    .replace(/[^A-Za-z0-9-]/g, '_')}`;
  return { key, expression: `cron(${fields.join(' ')})`, cron: fields.join(' ') };
};

/**
 * Converts an EventBridge cron (six fields, `?` allowed, day-of-week 1-7 from Sunday) to the five-field form
 * that `cron-parser` understands (day-of-week 0-6 from Sunday), for the local scheduler. The year is dropped.
 */
export const toStandardCron = (cron: string): string =>
  cron
    .split(/\s+/)
    .slice(0, 5)
    .map((field, index) => {
      if (field === '?') return '*';
      // Day-of-week numbers (not a `#` occurrence or a `/` increment) count from 0 in standard cron.
      return index === 4
        ? field.replace(
            /(^|[,-])(\d+)/g,
            (_whole, before: string, day: string) => `${before}${Number(day) - 1}`,
          )
        : field;
    })
    .join(' ');
