import { z } from 'zod';
import { type Interval, mergeIntervals, weeklyIntervals } from '../weekly-windows';
import { formatWallClock, instantOf, parseWallClock, wallClockExists } from '../zoned-time';
import { nameSchema, severitySchema } from './check-schema';
import { durationSchema } from './duration';
import { e164PhoneSchema, timeRangeSchema, timezoneSchema, weekdaySchema } from './escalation-schema';

/** How a person can be reached; each needs its contact in `people.<id>.contact`. */
export const contactMethodSchema = z.enum(['email', 'sms', 'voice', 'slack']);

/** Where a person is reached, by method. */
export const contactSchema = z.strictObject({
  email: z.email().optional(),
  /** Number that receives text messages, E.164 (`'+447700900123'`). */
  sms: e164PhoneSchema.optional(),
  /** Number that receives voice calls, E.164. */
  voice: e164PhoneSchema.optional(),
  /** Slack member id (`'U012AB3CDE'`), from the member's profile, "Copy member ID". */
  slack: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,20}$/, "a Slack member id such as 'U012AB3CDE'")
    .optional(),
});

/** One step of a notification rule: reach the person by `method`, `after` the page if still unacknowledged. */
export const notificationRuleSchema = z.strictObject({
  method: contactMethodSchema,
  /** Delay from the page. @default '0s' */
  after: durationSchema.default(0),
});

/**
 * A person who can be on call.
 *
 * @example
 * { name: 'Alice Martin', timezone: 'Europe/London',
 *   contact: { email: 'alice@example.com', sms: '+447700900001', voice: '+447700900001' },
 *   rules: { critical: [{ method: 'sms' }, { method: 'voice', after: '2m' }, { method: 'email', after: '5m' }] } }
 */
export const personSchema = z.strictObject({
  /** Full name, shown in pages, calendars and `vigil oncall`. */
  name: z.string().min(1).max(128),
  /** The person's own time zone (IANA), used to show their shifts. */
  timezone: timezoneSchema,
  contact: contactSchema,
  /** Notification rules per urgency (alert severity), PagerDuty-style. @default {} */
  rules: z.partialRecord(severitySchema, z.array(notificationRuleSchema).min(1)).default({}),
});

/** A group of people, for a schedule's fallback. */
export const oncallTeamSchema = z.strictObject({
  members: z.array(nameSchema).min(1),
});

/** A weekly window in the layer's time zone during which the layer is on call (`'22:00-06:00'` crosses midnight). */
export const restrictionSchema = z.strictObject({
  /** Days the window starts on. @default every day */
  days: z.array(weekdaySchema).min(1).optional(),
  time: timeRangeSchema,
});

/** How often a layer hands off: `'daily'`, `'weekly'` or `{ every: '12h' }` / `{ every: '3d' }`. */
export const rotationSchema = z.union([
  z.enum(['daily', 'weekly']),
  z.strictObject({ every: durationSchema }),
]);

/** A local date-time `YYYY-MM-DDTHH:MM`, read in a time zone given beside it. */
export const wallClockSchema = z.string().refine((text) => parseWallClock(text) !== undefined, {
  message: "a local date and time 'YYYY-MM-DDTHH:MM', e.g. '2026-01-05T09:00'",
});

/** One rotation of a schedule. */
export const layerSchema = z.strictObject({
  /** Shown in `vigil oncall` and calendars. @default 'layer-<n>' */
  name: nameSchema.optional(),
  /** People (ids under `people`) in rotation order. */
  members: z.array(nameSchema),
  /** When the first member's first shift starts, local to `timezone`; its time is the handoff time. */
  start: wallClockSchema,
  /** Time zone of `start`, handoffs and restrictions. @default the schedule's `timezone` */
  timezone: timezoneSchema.optional(),
  rotation: rotationSchema,
  /** Windows in which this layer is on call; outside them lower layers or the fallback are. @default always */
  restrictions: z.array(restrictionSchema).min(1).optional(),
});

/** Who covers when every layer is empty: a person or a team (id under `oncallTeams`). */
export const fallbackSchema = z
  .strictObject({ person: nameSchema.optional(), team: nameSchema.optional() })
  .refine((fallback) => (fallback.person === undefined) !== (fallback.team === undefined), {
    message: "give either 'person' or 'team'",
  });

/** A person covering part of a schedule, from config (run-time overrides: `vigil oncall override`). */
export const configOverrideSchema = z.strictObject({
  person: nameSchema,
  /** ISO 8601 with offset. */
  from: z.iso.datetime({ offset: true }),
  /** ISO 8601 with offset, after `from`. */
  to: z.iso.datetime({ offset: true }),
  reason: z.string().max(256).optional(),
});

/**
 * An on-call schedule: layers stacked with precedence (a later layer wins where it has someone, as in
 * PagerDuty and Opsgenie), overrides above all layers, and a fallback for empty slots.
 */
export const oncallScheduleSchema = z.strictObject({
  description: z.string().optional(),
  /** Default time zone of the layers. */
  timezone: timezoneSchema,
  layers: z.array(layerSchema).min(1),
  /** @default [] */
  overrides: z.array(configOverrideSchema).default([]),
  /** Who is on call when no override or layer is. @default nobody (then layers must cover all time) */
  fallback: fallbackSchema.optional(),
});

/**
 * A calendar subscription served at the on-call iCalendar Function URL under its own secret token: the
 * shifts of one schedule, or of one person across every schedule.
 *
 * @example
 * calendars: { 'alice-phone': { person: 'alice' }, 'team-wall': { schedule: 'flight-primary' } }
 */
export const calendarSubscriberSchema = z
  .strictObject({
    /** Schedule id: every shift of this schedule. */
    schedule: nameSchema.optional(),
    /** Person id: this person's shifts in every schedule. */
    person: nameSchema.optional(),
  })
  .refine((calendar) => (calendar.schedule === undefined) !== (calendar.person === undefined), {
    message: "give either 'schedule' or 'person'",
  });

/** The keys on-call adds to the top-level config. */
export const oncallConfigShape = {
  /** People who can be on call, by id. */
  people: z.record(nameSchema, personSchema).default({}),
  /** Groups of people, by id (a schedule's fallback may be a team). */
  oncallTeams: z.record(nameSchema, oncallTeamSchema).default({}),
  /** On-call schedules, by id. */
  schedules: z.record(nameSchema, oncallScheduleSchema).default({}),
  /** Calendar subscribers by name, each with its own secret feed URL (`vigil oncall calendar-url NAME`). */
  calendars: z.record(nameSchema, calendarSubscriberSchema).default({}),
};

type OnCallPart = z.output<z.ZodObject<typeof oncallConfigShape>>;
/** A value of which any part may be missing (a partly parsed config). */
type Loose<T> = T extends readonly (infer U)[]
  ? Loose<U>[]
  : T extends object
    ? { [K in keyof T]?: Loose<T[K]> }
    : T;
type Issue = (path: PropertyKey[], message: string) => void;

const HOUR_MS = 3_600_000;
/** How far ahead coverage is checked: a year and a week, so every DST change of every zone is seen. */
const COVERAGE_WINDOW_MS = 373 * 86_400_000;

const formatGap = (gap: Interval, timezone: string): string =>
  `${formatWallClock(gap.start, timezone)} to ${formatWallClock(gap.end, timezone)} ${timezone}`;

/**
 * The first span no layer covers, from the first layer's start for a year and a week; undefined when the
 * layers cover it all. Only restrictions and starts matter: a started layer without restrictions covers
 * everything after its start.
 */
const firstGap = (schedule: z.output<typeof oncallScheduleSchema>): Interval | undefined => {
  const layers = schedule.layers.flatMap((layer) => {
    const wall = parseWallClock(layer.start);
    if (wall === undefined || layer.members.length === 0) return [];
    const timezone = layer.timezone ?? schedule.timezone;
    return [{ timezone, startAt: instantOf(wall, timezone), restrictions: layer.restrictions }];
  });
  if (layers.length === 0) return undefined;
  const from = Math.min(...layers.map((layer) => layer.startAt));
  const to = Math.max(...layers.map((layer) => layer.startAt)) + COVERAGE_WINDOW_MS;
  const covered = mergeIntervals(
    layers.flatMap((layer) =>
      layer.restrictions === undefined
        ? [{ start: layer.startAt, end: to }]
        : weeklyIntervals(layer.restrictions, layer.timezone, layer.startAt, to),
    ),
  );
  let at = from;
  for (const interval of covered) {
    if (interval.start > at) return { start: at, end: interval.start };
    at = Math.max(at, interval.end);
  }
  return at < to ? { start: at, end: to } : undefined;
};

/**
 * Semantic checks zod cannot express: every person, team and schedule reference exists, rotations have
 * members, handoff times exist in their zone on their start date, notification rules use a contact the
 * person has, overrides end after they start, and a schedule without a fallback has no uncovered time.
 * Reports through `issue` with paths such as `schedules.payments.layers[0].members[1]`.
 */
export const checkOnCallConfig = (parsed: OnCallPart, issue: Issue): void => {
  // Values that failed to parse are left out (undefined) by the caller, so every part is read loosely.
  const config = parsed as Loose<OnCallPart>;
  const people = config.people ?? {};
  const teams = config.oncallTeams ?? {};
  const isPerson = (id: string | undefined) => id === undefined || Object.hasOwn(people, id);
  for (const [id, person] of Object.entries(people)) {
    if (person?.contact === undefined) continue;
    const contact = person.contact;
    // A contact given but not parsed (left out as undefined) still counts as given: its own problem is reported.
    const has = (method: ContactMethod) => Object.hasOwn(contact, method);
    if (!contactMethodSchema.options.some(has)) {
      issue(['people', id, 'contact'], 'give at least one contact: email, sms, voice or slack');
    }
    for (const [severity, rules] of Object.entries(person.rules ?? {})) {
      (rules ?? []).forEach((rule, index) => {
        if (rule?.method !== undefined && !has(rule.method)) {
          issue(
            ['people', id, 'rules', severity, index, 'method'],
            `'${rule.method}' needs contact.${rule.method} for this person`,
          );
        }
      });
    }
  }
  for (const [id, team] of Object.entries(teams)) {
    (team?.members ?? []).forEach((member, index) => {
      if (!isPerson(member)) issue(['oncallTeams', id, 'members', index], `unknown person '${member}'`);
    });
  }
  for (const [id, calendar] of Object.entries(config.calendars ?? {})) {
    if (calendar?.person !== undefined && !isPerson(calendar.person)) {
      issue(['calendars', id, 'person'], `unknown person '${calendar.person}'`);
    }
    if (calendar?.schedule !== undefined && !Object.hasOwn(config.schedules ?? {}, calendar.schedule)) {
      issue(['calendars', id, 'schedule'], `unknown schedule '${calendar.schedule}'`);
    }
  }
  for (const [id, schedule] of Object.entries(config.schedules ?? {})) {
    if (schedule === undefined) continue;
    const at = ['schedules', id];
    const layerNames = new Set<string>();
    let complete = schedule.timezone !== undefined;
    (schedule.layers ?? []).forEach((layer, index) => {
      const path = [...at, 'layers', index];
      const name = layer.name ?? `layer-${index + 1}`;
      if (layerNames.has(name)) issue([...path, 'name'], `duplicate layer name '${name}'`);
      layerNames.add(name);
      if (layer.members?.length === 0) {
        issue([...path, 'members'], 'a rotation needs at least one member (ids under `people`)');
      }
      (layer.members ?? []).forEach((member, memberIndex) => {
        if (!isPerson(member)) issue([...path, 'members', memberIndex], `unknown person '${member}'`);
      });
      const timezone = layer.timezone ?? schedule.timezone;
      const wall = layer.start !== undefined ? parseWallClock(layer.start) : undefined;
      if (wall !== undefined && timezone !== undefined && !wallClockExists(wall, timezone)) {
        issue(
          [...path, 'start'],
          `${layer.start} does not exist in ${timezone} (the clocks skip it for daylight saving): pick a handoff time outside the skipped hour`,
        );
      }
      const every = typeof layer.rotation === 'object' ? layer.rotation.every : undefined;
      if (every !== undefined && (every < HOUR_MS || every % 60_000 !== 0)) {
        issue([...path, 'rotation', 'every'], 'must be whole minutes and at least 1h');
      }
      (layer.restrictions ?? []).forEach((restriction, restrictionIndex) => {
        const [from, to] = (restriction.time ?? '').split('-');
        if (from !== undefined && from === to) {
          issue(
            [...path, 'restrictions', restrictionIndex, 'time'],
            `range '${restriction.time}' is empty: use '00:00-24:00' for a whole day`,
          );
        }
      });
      complete &&= wall !== undefined && layer.rotation !== undefined && layer.members !== undefined;
      complete &&= (layer.restrictions ?? []).every((restriction) => restriction.time !== undefined);
    });
    (schedule.overrides ?? []).forEach((override, index) => {
      if (!isPerson(override.person)) {
        issue([...at, 'overrides', index, 'person'], `unknown person '${override.person}'`);
      }
      if (
        override.from !== undefined &&
        override.to !== undefined &&
        Date.parse(override.to) <= Date.parse(override.from)
      ) {
        issue([...at, 'overrides', index, 'to'], "must be after 'from'");
      }
    });
    const fallback = schedule.fallback;
    if (fallback?.person !== undefined && !isPerson(fallback.person)) {
      issue([...at, 'fallback', 'person'], `unknown person '${fallback.person}'`);
    }
    if (fallback?.team !== undefined && !Object.hasOwn(teams, fallback.team)) {
      issue([...at, 'fallback', 'team'], `unknown team '${fallback.team}' (define it under 'oncallTeams')`);
    }
    // Reported at `fallback`, so a fallback that failed to parse (left out) does not also read as a gap.
    if (fallback === undefined && complete) {
      const whole = schedule as z.output<typeof oncallScheduleSchema>;
      const gap = firstGap(whole);
      if (gap !== undefined) {
        issue(
          [...at, 'fallback'],
          `the layers' restrictions leave time with nobody on call (first: ${formatGap(gap, whole.timezone)}) and there is no fallback: add a 'fallback' or a layer that covers it`,
        );
      }
    }
  }
};

/** A person after defaults. */
export type PersonConfig = z.output<typeof personSchema>;
/** A contact method (`email` | `sms` | `voice` | `slack`). */
export type ContactMethod = z.output<typeof contactMethodSchema>;
/** One layer after defaults. */
export type LayerConfig = z.output<typeof layerSchema>;
/** A rotation length. */
export type RotationConfig = z.output<typeof rotationSchema>;
/** A restriction window. */
export type RestrictionConfig = z.output<typeof restrictionSchema>;
/** A schedule after defaults. */
export type OnCallScheduleConfig = z.output<typeof oncallScheduleSchema>;
/** A calendar subscriber after parsing. */
export type CalendarSubscriberConfig = z.output<typeof calendarSubscriberSchema>;
/** The on-call part of a parsed config. */
export type OnCallConfig = z.output<z.ZodObject<typeof oncallConfigShape>>;
