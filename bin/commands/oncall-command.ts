import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parseDuration } from '../../functions/commons/config/duration';
import { ConfigLoadError, ConfigValidationError } from '../../functions/commons/config/errors';
import type { VigilConfig } from '../../functions/commons/config/schema';
import { formatWallClock, instantOf, isTimeZone, parseWallClock } from '../../functions/commons/zoned-time';
import { DynamoDbOverrideStore } from '../../functions/oncall/adapters/dynamodb-override-store';
import { FileOverrideStore, LOCAL_OVERRIDES_FILE } from '../../functions/oncall/adapters/file-override-store';
import { OnCallOverrideRejectedError } from '../../functions/oncall/core/errors';
import { feedShifts, icalFeed } from '../../functions/oncall/core/ical-feed';
import { createOverride, deleteOverride } from '../../functions/oncall/core/manage-overrides';
import { type OnCall, resolveOnCall } from '../../functions/oncall/core/resolve-on-call';
import { calendarFeedPath, calendarTokenSecretName } from '../../functions/oncall/core/serve-calendar-feed';
import { scheduleGaps } from '../../functions/oncall/core/shift-notices';
import { type Shift, shifts } from '../../functions/oncall/core/shifts';
import type { OverrideStore } from '../../functions/oncall/types/ports';
import { type CliCommand, type CliIO, EXIT } from './cli-command';
import { loadCliConfigFile } from './load-cli-config';

const USAGE = `Usage:
  vigil oncall [--schedule S] [--at TIME] [--next 7d] [--tz ZONE] [--json]
  vigil oncall override --schedule S --person P --from TIME --to TIME [--reason TEXT]
  vigil oncall override --delete ID
  vigil oncall export --schedule S --ical [--person P] [--from TIME] [--to TIME] [--out FILE]
  vigil oncall calendar-url NAME --aws --url URL

Who is on call now and the next shifts; run-time overrides; an iCalendar (RFC 5545) feed.
  --schedule S    a schedule id under 'schedules' (default: every schedule; required for override/export)
  --at TIME       the instant to ask about (default: now)
  --next DUR      how far ahead to list shifts (default: 7d; at most 366d)
  --tz ZONE       show times in this IANA zone (default: each schedule's own)
  --json          print JSON instead of a table
  --person P      override: who covers; export: only this person's shifts
  --from/--to     TIME is ISO 8601 with an offset ('2027-03-28T09:00Z'), or local 'YYYY-MM-DDTHH:MM' read in
                  --tz or the schedule's zone; export defaults to --at and 28 days later
  --reason TEXT   why (kept with the override and in the audit trail)
  --delete ID     remove a run-time override (ids: on creation, and under 'overrides' in 'vigil oncall --json')
  --out FILE      write the feed to FILE instead of stdout
  calendar-url    the subscription address of calendar subscriber NAME (under 'calendars'): the deployed
                  feed URL (--url, stack output OnCallCalendarsUrl) with the token read from Secrets Manager
  --aws --table NAME  use the deployed overrides table (stack output OnCallTableName) instead of
                  ${LOCAL_OVERRIDES_FILE}; the audit trail records your AWS identity
  --config F      config file (default: vigil.config.ts, .js or .json in the current directory)
Exit code: 0 done, 1 an AWS or file error, 2 invalid config, usage or a refused override.`;

const DAY_MS = 86_400_000;
const WARN_AHEAD_MS = 7 * DAY_MS;

/** A command-line mistake: printed with the usage, exit 2. */
class OnCallUsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OnCallUsageError';
  }
}

const OPTIONS = {
  schedule: { type: 'string' },
  at: { type: 'string' },
  next: { type: 'string' },
  tz: { type: 'string' },
  json: { type: 'boolean', default: false },
  person: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  reason: { type: 'string' },
  delete: { type: 'string' },
  ical: { type: 'boolean', default: false },
  out: { type: 'string' },
  aws: { type: 'boolean', default: false },
  table: { type: 'string' },
  url: { type: 'string' },
  config: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Reads a TIME option: ISO 8601 with an offset, `now`, or a local date-time in `zone`. */
const parseTime = (flag: string, text: string, zone: string | undefined, now: number): number => {
  if (text === 'now') return now;
  const local = parseWallClock(text);
  if (local !== undefined) {
    if (zone === undefined)
      throw new OnCallUsageError(`${flag}: '${text}' has no offset: add one (Z, +01:00) or --tz ZONE`);
    return instantOf(local, zone);
  }
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text) || Number.isNaN(Date.parse(text))) {
    throw new OnCallUsageError(
      `${flag}: invalid time '${text}': use ISO 8601 with an offset ('2027-03-28T09:00Z') or 'YYYY-MM-DDTHH:MM' with --tz`,
    );
  }
  return Date.parse(text);
};

const scheduleIds = (config: VigilConfig, wanted: string | undefined): string[] => {
  const all = Object.keys(config.schedules);
  if (wanted === undefined) {
    if (all.length === 0)
      throw new OnCallUsageError("no schedules in the config: add some under 'schedules'");
    return all;
  }
  if (!Object.hasOwn(config.schedules, wanted)) {
    throw new OnCallUsageError(`unknown schedule '${wanted}' (known: ${all.join(', ') || 'none'})`);
  }
  return [wanted];
};

const nameOf = (config: VigilConfig, onCall: OnCall): string => {
  if (onCall.kind === 'nobody') return '(nobody)';
  if (onCall.person === undefined) return `team ${onCall.team}`;
  return config.people[onCall.person]?.name ?? onCall.person;
};

const sourceOf = (onCall: OnCall): string => {
  switch (onCall.kind) {
    case 'override':
      return `override ${onCall.overrideId}`;
    case 'layer':
      return `layer ${onCall.layer}`;
    case 'fallback':
      return 'fallback';
    case 'nobody':
      return 'no layer, no fallback';
  }
};

/** The `--json` shape of one answer. */
const onCallJson = (config: VigilConfig, onCall: OnCall) => ({
  kind: onCall.kind,
  person: onCall.kind === 'nobody' ? null : (onCall.person ?? null),
  team: onCall.kind === 'fallback' ? (onCall.team ?? null) : null,
  name: onCall.kind === 'nobody' ? null : nameOf(config, onCall),
  source: sourceOf(onCall),
  overrideId: onCall.kind === 'override' ? onCall.overrideId : null,
  layer: onCall.kind === 'layer' ? onCall.layer : null,
});

const openStore = (values: Values, io: CliIO): OverrideStore => {
  if (values.aws) {
    if (values.table === undefined)
      throw new OnCallUsageError('--aws needs --table NAME (stack output OnCallTableName)');
    return new DynamoDbOverrideStore(new DynamoDBClient({}), values.table);
  }
  if (values.table !== undefined) throw new OnCallUsageError('--table needs --aws');
  return new FileOverrideStore(join(io.cwd, LOCAL_OVERRIDES_FILE));
};

/** The login name when $USER is not set (containers, cron); 'unknown' when the OS has none either. */
const localUser = (): string => {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
};

const actorOf = async (values: Values, io: CliIO): Promise<string> => {
  if (!values.aws) return io.env.USER ?? io.env.USERNAME ?? localUser();
  const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
  return identity.Arn ?? identity.UserId ?? 'unknown';
};

const show = async (config: VigilConfig, values: Values, io: CliIO, now: number): Promise<number> => {
  const ids = scheduleIds(config, values.schedule);
  const zoneOf = (id: string) => values.tz ?? config.schedules[id]?.timezone ?? 'UTC';
  const at = values.at !== undefined ? parseTime('--at', values.at, values.tz, now) : now;
  const aheadText = values.next ?? '7d';
  const ahead = parseDuration(aheadText);
  if (ahead === undefined || ahead <= 0 || ahead > 366 * DAY_MS) {
    throw new OnCallUsageError(`--next: invalid duration '${aheadText}' (e.g. 7d, 36h; at most 366d)`);
  }
  const store = openStore(values, io);
  const overrides = await store.listOverrides();
  const reports = ids.map((id) => {
    const schedule = config.schedules[id]!;
    const own = overrides.filter((override) => override.schedule === id);
    const onCall = resolveOnCall(schedule, own, at);
    const next = shifts(schedule, own, at, at + ahead);
    // The current shift's real end, even beyond --next (undefined when it lasts more than a year).
    const until = [7, 35, 366]
      .map((days) => shifts(schedule, own, at, at + days * DAY_MS)[0]?.end ?? at)
      .find((end, index) => end < at + [7, 35, 366][index]! * DAY_MS);
    // Slots starting in the next 7 days, each to its real end when --next reaches further.
    const empty = scheduleGaps(
      { schedules: { [id]: schedule } },
      { [id]: own },
      at,
      Math.max(ahead, WARN_AHEAD_MS),
    ).filter((slot) => slot.start < at + WARN_AHEAD_MS);
    return { id, schedule, onCall, next, empty, until };
  });
  for (const report of reports) for (const gap of report.empty) io.stderr(`warning: ${gap.text}\n`);
  if (values.json) {
    const json = {
      at: new Date(at).toISOString(),
      schedules: reports.map((report) => ({
        id: report.id,
        timezone: report.schedule.timezone,
        onCall: {
          ...onCallJson(config, report.onCall),
          until: report.until !== undefined ? new Date(report.until).toISOString() : null,
        },
        shifts: report.next.map((shift: Shift) => ({
          start: new Date(shift.start).toISOString(),
          end: new Date(shift.end).toISOString(),
          ...onCallJson(config, shift.onCall),
        })),
        // Run-time overrides not yet over, with their ids (for --delete).
        overrides: overrides
          .filter((override) => override.schedule === report.id && override.end > at)
          .map((override) => ({
            id: override.id,
            person: override.person,
            start: new Date(override.start).toISOString(),
            end: new Date(override.end).toISOString(),
            reason: override.reason ?? null,
            createdBy: override.createdBy,
          })),
        emptySlots: report.empty.map((slot) => ({
          start: new Date(slot.start).toISOString(),
          end: new Date(slot.end).toISOString(),
        })),
      })),
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines: string[] = [];
  for (const report of reports) {
    const zone = zoneOf(report.id);
    lines.push(
      `${report.id}: ${nameOf(config, report.onCall)} (${sourceOf(report.onCall)})${report.until !== undefined ? ` until ${formatWallClock(report.until, zone)}` : ''} ${zone}`,
    );
    for (const shift of report.next) {
      lines.push(
        `  ${formatWallClock(shift.start, zone)} -> ${formatWallClock(shift.end, zone)}  ${nameOf(config, shift.onCall).padEnd(20)}  ${sourceOf(shift.onCall)}`,
      );
    }
    lines.push('');
  }
  io.stdout(`${lines.join('\n')}`);
  return EXIT.ok;
};

const override = async (config: VigilConfig, values: Values, io: CliIO, now: number): Promise<number> => {
  const store = openStore(values, io);
  if (values.delete !== undefined) {
    const deleted = await deleteOverride(
      { config, store, actor: await actorOf(values, io), now: Date.now },
      values.delete,
    );
    io.stdout(`deleted override ${deleted.id} (${deleted.person} on ${deleted.schedule})\n`);
    return EXIT.ok;
  }
  for (const flag of ['schedule', 'person', 'from', 'to'] as const) {
    if (values[flag] === undefined) throw new OnCallUsageError(`override needs --${flag} (or --delete ID)`);
  }
  const zone =
    values.tz ??
    (values.schedule !== undefined && Object.hasOwn(config.schedules, values.schedule)
      ? config.schedules[values.schedule]?.timezone
      : undefined);
  const made = await createOverride(
    { config, store, actor: await actorOf(values, io), now: Date.now },
    {
      schedule: values.schedule as string,
      person: values.person as string,
      from: parseTime('--from', values.from as string, zone, now),
      to: parseTime('--to', values.to as string, zone, now),
      ...(values.reason !== undefined ? { reason: values.reason } : {}),
    },
  );
  const shown = zone ?? 'UTC';
  io.stdout(
    `created override ${made.id}: ${config.people[made.person]?.name ?? made.person} covers ${made.schedule} from ${formatWallClock(made.start, shown)} to ${formatWallClock(made.end, shown)} ${shown}\n`,
  );
  return EXIT.ok;
};

const exportFeed = async (config: VigilConfig, values: Values, io: CliIO, now: number): Promise<number> => {
  if (!values.ical) throw new OnCallUsageError('export needs --ical (the only format)');
  if (values.schedule === undefined) throw new OnCallUsageError('export needs --schedule S');
  const [id] = scheduleIds(config, values.schedule) as [string];
  const schedule = config.schedules[id]!;
  if (values.person !== undefined && !Object.hasOwn(config.people, values.person)) {
    throw new OnCallUsageError(
      `unknown person '${values.person}' (known: ${Object.keys(config.people).join(', ')})`,
    );
  }
  const zone = values.tz ?? schedule.timezone;
  const from =
    values.from !== undefined
      ? parseTime('--from', values.from, zone, now)
      : values.at !== undefined
        ? parseTime('--at', values.at, zone, now)
        : now;
  const to = values.to !== undefined ? parseTime('--to', values.to, zone, now) : from + 28 * DAY_MS;
  if (to <= from || to - from > 366 * DAY_MS)
    throw new OnCallUsageError('--to must be after --from, at most 366 days');
  const overrides = await openStore(values, io).listOverrides(id);
  const feed = icalFeed({
    schedule: id,
    shifts: feedShifts(schedule, overrides, from, to),
    people: config.people,
    ...(values.person !== undefined ? { person: values.person } : {}),
    now,
  });
  if (values.out !== undefined) {
    await writeFile(resolve(io.cwd, values.out), feed, 'utf8');
    io.stderr(`wrote ${values.out}\n`);
  } else io.stdout(feed);
  return EXIT.ok;
};

const calendarUrl = async (config: VigilConfig, name: string, values: Values, io: CliIO): Promise<number> => {
  if (!Object.hasOwn(config.calendars, name)) {
    const known = Object.keys(config.calendars);
    throw new OnCallUsageError(
      `unknown calendar subscriber '${name}' (${known.length > 0 ? `known: ${known.join(', ')}` : "define it under 'calendars'"})`,
    );
  }
  if (!values.aws || values.url === undefined)
    throw new OnCallUsageError('calendar-url needs --aws --url URL (stack output OnCallCalendarsUrl)');
  let base: URL;
  try {
    base = new URL(values.url);
  } catch {
    throw new OnCallUsageError(`--url: not a URL '${values.url}'`);
  }
  if (base.protocol !== 'https:')
    throw new OnCallUsageError(`--url: expected an https:// URL, got '${values.url}'`);
  const secret = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: calendarTokenSecretName(config.app, name) }),
  );
  if (secret.SecretString === undefined || secret.SecretString === '')
    throw new Error(`the token secret of '${name}' has no value`);
  io.stdout(`${base.origin}${calendarFeedPath(name, secret.SecretString)}\n`);
  return EXIT.ok;
};

const run = async (argv: readonly string[], io: CliIO): Promise<number> => {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT.invalid;
  }
  const { values, positionals } = parsed;
  const action = positionals[0] ?? 'show';
  const arity = action === 'calendar-url' ? 2 : 1;
  if (
    positionals.length > arity ||
    (arity === 2 && positionals.length < 2) ||
    !['show', 'override', 'export', 'calendar-url'].includes(action)
  ) {
    io.stderr(`unknown oncall action '${positionals.join(' ')}'\n${USAGE}\n`);
    return EXIT.invalid;
  }
  let config: VigilConfig;
  try {
    config = loadCliConfigFile(values.config, io.cwd).config;
  } catch (error) {
    if (error instanceof ConfigValidationError || error instanceof ConfigLoadError) {
      io.stderr(`${error.message}\n`);
      return EXIT.invalid;
    }
    throw error;
  }
  const now = Date.now();
  try {
    if (values.tz !== undefined && !isTimeZone(values.tz))
      throw new OnCallUsageError(`--tz: unknown time zone '${values.tz}'`);
    if (action === 'override') return await override(config, values, io, now);
    if (action === 'export') return await exportFeed(config, values, io, now);
    if (action === 'calendar-url') return await calendarUrl(config, positionals[1] as string, values, io);
    return await show(config, values, io, now);
  } catch (error) {
    if (error instanceof OnCallUsageError || error instanceof OnCallOverrideRejectedError) {
      io.stderr(`${error.message}\n`);
      return EXIT.invalid;
    }
    io.stderr(`oncall ${action} failed: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
};

/** `vigil oncall`: who is on call, run-time overrides (local file or the deployed table), iCalendar export. */
export const oncallCommand: CliCommand = {
  usage: USAGE,
  run,
};
