import { z } from 'zod';
import { positiveDurationSchema } from './duration';
import { timeRangeSchema, timezoneSchema, weekdaySchema } from './time-schema';

/**
 * A maintenance window of a check or heartbeat: one-off (`from`/`to`, ISO 8601 with offset) or weekly (`time`
 * on `days` in `timezone`; an end before the start, `'22:00-02:00'`, ends the next day). An alarm of the check
 * or heartbeat that fires inside it pages nobody: the escalation engine audits it as silenced.
 *
 * @example
 * { from: '2026-03-02T10:00:00Z', to: '2026-03-02T12:00:00Z' }
 * { days: ['sun'], time: '02:00-04:00', timezone: 'Europe/London' }
 */
export const maintenanceWindowSchema = z.union([
  z.strictObject({
    /** Start of a one-off window (ISO 8601 with offset). */
    from: z.iso.datetime({ offset: true }),
    /** End of a one-off window (ISO 8601 with offset), after `from`. */
    to: z.iso.datetime({ offset: true }),
  }),
  z.strictObject({
    /** Days the window starts on. @default every day */
    days: z.array(weekdaySchema).min(1).optional(),
    /** `'HH:MM-HH:MM'` on the wall clock of `timezone`. */
    time: timeRangeSchema,
    /** IANA time zone of `time`. @default 'UTC' */
    timezone: timezoneSchema.default('UTC'),
  }),
]);

/** The `maintenance` list of a check (or its group, or `defaults`) or of a heartbeat. */
export const maintenanceSchema = z.array(maintenanceWindowSchema).min(1);

/** One maintenance window after defaults. */
export type MaintenanceWindow = z.output<typeof maintenanceWindowSchema>;

/**
 * How many check locations must fail at once before the check's alarm pages (the escalation engine reads the
 * check's alarm in every location before it opens an incident).
 *
 * @example
 * quorum: { minFailingLocations: 2 } // of locations: ['us-east-1', 'eu-west-1', 'ap-southeast-2']
 */
export const quorumSchema = z.strictObject({
  /** Locations whose alarm must be in ALARM at once: from 1 to the number of the check's `locations`. */
  minFailingLocations: z.number().int().min(1, 'at least 1 location'),
});

/**
 * Flap damping of a check's alarm. On, every incident of the check resolves only after `quietPeriod` without a
 * state change of its alarm (a re-alarm meanwhile joins it), and one whose alarm changed state more than
 * `transitions` times within `window` is marked flapping (its messages say so): one incident, not one per
 * transition. Off when absent.
 *
 * @example
 * flapping: { transitions: 5, window: '30m', quietPeriod: '15m' }
 */
export const flappingSchema = z.strictObject({
  /** State changes (into ALARM and back to OK) within `window` above which the incident is flapping. */
  transitions: z.number().int().min(1, 'at least 1 state change'),
  /** How far back state changes are counted. @default '30m' */
  window: positiveDurationSchema.default(1_800_000),
  /** Time without a state change after which the incident resolves (the alarm OK). @default '15m' */
  quietPeriod: positiveDurationSchema.default(900_000),
});

/** Reports a one-off maintenance window whose end is not after its start, at `path`. */
export const checkMaintenance = (
  windows: readonly MaintenanceWindow[] | undefined,
  path: readonly PropertyKey[],
  issue: (path: PropertyKey[], message: string) => void,
): void => {
  windows?.forEach((window, index) => {
    if ('from' in window && Date.parse(window.to) <= Date.parse(window.from))
      issue([...path, index, 'to'], "must be after 'from'");
  });
};
