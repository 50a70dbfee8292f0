import type { OnCallConfig } from '../../commons/config/oncall-schema';
import type { Interval } from '../../commons/weekly-windows';
import { formatWallClock } from '../../commons/zoned-time';
import type { ScheduleOverride } from '../types/override';
import { emptySlots, shifts } from './shifts';

const DAY_MS = 86_400_000;

/** How far ahead an empty slot is warned about: `vigil validate`, `vigil oncall` and the deployed notifier. */
export const GAP_WARNING_AHEAD_MS = 7 * DAY_MS;
/** How far ahead a notice looks for the end of the shift it announces; a longer shift says "at least". */
export const NOTICE_HORIZON_MS = 35 * DAY_MS;

/** The contact methods a shift notice goes through: every one the person has, but a call. */
export const NOTICE_METHODS = ['sms', 'email', 'slack'] as const;
/** One of {@link NOTICE_METHODS}. */
export type NoticeMethod = (typeof NOTICE_METHODS)[number];

/** The part of the config shift notices and gap warnings read. */
export type ShiftNoticeConfig = Pick<OnCallConfig, 'people' | 'schedules'>;

/** Run-time overrides by schedule id (a schedule without any may be missing). */
export type OverridesBySchedule = Readonly<Record<string, readonly ScheduleOverride[]>>;

/** A person coming on call: who, for which schedule, from when until when, and what they are told. */
export interface ShiftNotice {
  /** Stable id of this handoff (`<schedule>#<person>#<ISO start>`): one notice per key, ever. */
  readonly key: string;
  readonly schedule: string;
  readonly person: string;
  /** Epoch ms the person came on call. */
  readonly start: number;
  /** Epoch ms their stint ends (the next handoff to someone else), or the horizon when `open`. */
  readonly end: number;
  /** True when the stint lasts past {@link NOTICE_HORIZON_MS}: the text says "at least until". */
  readonly open: boolean;
  /** The message: `Vigil: you are on call for flight-primary until Mon 2026-12-07 09:00 Europe/London.` */
  readonly text: string;
  /** A subject line for email. */
  readonly subject: string;
}

/** A span in the next days where a schedule has nobody on call. */
export interface ScheduleGap extends Interval {
  readonly schedule: string;
  /** The schedule's zone, in which {@link ScheduleGap.text} shows the span. */
  readonly timezone: string;
  /** `schedule 'night' has nobody on call from Mon 2027-01-04 00:00 to Mon 2027-01-04 09:00 Europe/London` */
  readonly text: string;
}

/**
 * The spans in `[from, from + ahead)` where each schedule has nobody on call (no override, layer or fallback),
 * each described in the schedule's own zone.
 *
 * @example
 * scheduleGaps(config, {}, Date.now()).map((gap) => gap.text);
 */
export const scheduleGaps = (
  config: Pick<OnCallConfig, 'schedules'>,
  overrides: OverridesBySchedule,
  from: number,
  ahead: number = GAP_WARNING_AHEAD_MS,
): ScheduleGap[] =>
  Object.entries(config.schedules).flatMap(([id, schedule]) =>
    emptySlots(schedule, overrides[id] ?? [], from, from + ahead).map((slot) => ({
      ...slot,
      schedule: id,
      timezone: schedule.timezone,
      text: `schedule '${id}' has nobody on call from ${formatWallClock(slot.start, schedule.timezone)} to ${formatWallClock(slot.end, schedule.timezone)} ${schedule.timezone} (no layer, override or fallback covers it)`,
    })),
  );

/** Minutes of {@link ScheduleGap}s per schedule (0 for a schedule without any): the `OnCallGapMinutes` metric. */
export const gapMinutes = (
  config: Pick<OnCallConfig, 'schedules'>,
  gaps: readonly ScheduleGap[],
): Record<string, number> => {
  const minutes: Record<string, number> = Object.fromEntries(
    Object.keys(config.schedules).map((id) => [id, 0]),
  );
  for (const gap of gaps)
    minutes[gap.schedule] = (minutes[gap.schedule] ?? 0) + (gap.end - gap.start) / 60_000;
  return minutes;
};

/**
 * The notices due for handoffs in `(since, now]`: one per person who came on call for a schedule in that span
 * and is still on call at `now`, telling them until when, on their own wall clock. A stint is a run of shifts
 * with the same person (a layer's turn continued by an override of the same person is one stint). A team
 * fallback gets no notice (nobody in particular comes on call), nor does nobody.
 *
 * @param since exclusive: the caller's previous `now` (or `now` minus a look-back; notices are idempotent by key)
 * @example
 * dueShiftNotices(config, { 'flight-primary': overrides }, Date.now() - 3_600_000, Date.now());
 */
export const dueShiftNotices = (
  config: ShiftNoticeConfig,
  overrides: OverridesBySchedule,
  since: number,
  now: number,
): ShiftNotice[] => {
  if (!(now > since)) return [];
  const horizon = now + NOTICE_HORIZON_MS;
  const notices: ShiftNotice[] = [];
  for (const [id, schedule] of Object.entries(config.schedules)) {
    // Stints: consecutive shifts merged by person; the first one started at or before `since`.
    const stints: { person: string | undefined; start: number; end: number }[] = [];
    for (const shift of shifts(schedule, overrides[id] ?? [], since, horizon)) {
      const person = shift.onCall.kind === 'nobody' ? undefined : shift.onCall.person;
      const team = shift.onCall.kind === 'fallback' ? shift.onCall.team : undefined;
      const who = person ?? (team !== undefined ? `team:${team}` : undefined);
      const last = stints[stints.length - 1];
      if (last !== undefined && last.person === who) last.end = shift.end;
      else stints.push({ person: who, start: shift.start, end: shift.end });
    }
    for (const stint of stints.slice(1)) {
      if (stint.start > now) break;
      if (stint.person === undefined || stint.person.startsWith('team:') || stint.end <= now) continue;
      const person = config.people[stint.person];
      if (person === undefined) continue;
      const open = stint.end >= horizon;
      const until = `${formatWallClock(stint.end, person.timezone)} ${person.timezone}`;
      notices.push({
        key: `${id}#${stint.person}#${new Date(stint.start).toISOString()}`,
        schedule: id,
        person: stint.person,
        start: stint.start,
        end: stint.end,
        open,
        text: `Vigil: you are on call for ${id} ${open ? 'at least until' : 'until'} ${until}.`,
        subject: `You are on call for ${id}`,
      });
    }
  }
  return notices;
};

/** The contact methods a notice goes through for a person: each of {@link NOTICE_METHODS} they have a contact for. */
export const noticeMethods = (
  person: OnCallConfig['people'][string],
  configured: ReadonlySet<NoticeMethod>,
): { readonly method: NoticeMethod; readonly to: string }[] =>
  NOTICE_METHODS.flatMap((method) => {
    const to = person.contact[method];
    return to !== undefined && configured.has(method) ? [{ method, to }] : [];
  });

/** How often the deployed shift notifier runs, and how far back each run looks for handoffs. */
export const SHIFT_NOTIFIER_TIMING = {
  /** EventBridge Scheduler rate. */
  everyMinutes: 5,
  /** Look-back of a run: handoffs missed by failed runs within it are still announced (once: by key). */
  lookBackMs: 60 * 60_000,
} as const;
