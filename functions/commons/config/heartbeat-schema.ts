import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import type { Severity } from '../severity';
import { isTimeZone } from '../zoned-time';
import { nameSchema, severitySchema } from './check-schema';
import { durationSchema, positiveDurationSchema } from './duration';
import { maintenanceSchema } from './maintenance-schema';
import { resolveSchedule, toStandardCron } from './schedule';

/** Defaults of a heartbeat's optional settings. */
export const HEARTBEAT_DEFAULTS = {
  /** Time after the expected ping before the heartbeat is late. */
  graceMs: 300_000,
  severity: 'critical',
  timezone: 'UTC',
} as const satisfies { graceMs: number; severity: Severity; timezone: string };

/**
 * One heartbeat: a job (cron, batch, backup) that pings Vigil when it runs; Vigil pages when the ping does
 * not come. Give `every` (the job's period) or `cron` (the job's schedule, with `timezone`).
 */
export const heartbeatSchema = z.strictObject({
  /** Unique among heartbeats; the `<id>` of the ping URL, the `Heartbeat` metric dimension. */
  name: nameSchema,
  description: z.string().max(1024).optional(),
  /** The job's period: late when no success comes within `every` + `grace` of the last one. */
  every: positiveDurationSchema.optional(),
  /**
   * The job's schedule: a crontab line (`'0 2 * * *'`, five fields) or an EventBridge cron (six fields,
   * `'0 2 * * ? *'`). Late when no success comes within `grace` of a slot.
   */
  cron: z.string().optional(),
  /** IANA time zone of `cron` (DST applied). @default 'UTC' */
  timezone: z.string().optional(),
  /** Allowance after the expected ping before the heartbeat is late. @default '5m' */
  grace: durationSchema.optional(),
  /** A run (start ping to success ping) longer than this raises the degraded alarm. @default none */
  degradedAfter: positiveDurationSchema.optional(),
  /** Severity of the late/failed alarm. @default 'critical' */
  severity: severitySchema.optional(),
  /** Owning team: routes escalation. @default config `defaults.team`, else 'default' */
  team: nameSchema.optional(),
  runbookUrl: z.url().optional(),
  /** Windows in which the heartbeat's alarms page nobody (audited as silenced). @default none */
  maintenance: maintenanceSchema.optional(),
});

/** The `heartbeats` list of the config. */
export const heartbeatsSchema = z.array(heartbeatSchema);

/** When a heartbeat's success ping is expected. */
export type HeartbeatExpectation =
  | { readonly everyMs: number }
  /** `cron` is the five-field standard form (`cron-parser`'s), `timezone` an IANA zone. */
  | { readonly cron: string; readonly timezone: string };

/** A heartbeat as the ping handler, the evaluator and the alarms use it: defaults applied, ms durations. */
export interface ResolvedHeartbeat {
  readonly name: string;
  readonly description?: string;
  readonly expect: HeartbeatExpectation;
  readonly graceMs: number;
  readonly degradedAfterMs?: number;
  readonly severity: Severity;
  readonly team: string;
  readonly runbookUrl?: string;
}

/** A heartbeat cron in the five-field standard form, or why it is not valid. */
export const heartbeatCron = (text: string): { cron: string } | { error: string } => {
  const fields = text.trim().split(/\s+/);
  if (fields.length === 6) {
    const resolved = resolveSchedule({ cron: text });
    return 'error' in resolved ? resolved : { cron: toStandardCron(fields.join(' ')) };
  }
  if (fields.length !== 5) {
    return {
      error: `invalid cron '${text}': use a crontab line (five fields, e.g. '0 2 * * *') or an EventBridge cron (six fields)`,
    };
  }
  try {
    CronExpressionParser.parse(fields.join(' '), { strict: false });
    return { cron: fields.join(' ') };
  } catch (error) {
    return { error: `invalid cron '${text}': ${(error as Error).message}` };
  }
};

type Issue = (path: PropertyKey[], message: string) => void;
type ParsedHeartbeats = z.output<typeof heartbeatsSchema>;

/** Semantic checks of `heartbeats`: unique names, exactly one of `every`/`cron`, valid cron and zone. */
export const refineHeartbeats = (config: { heartbeats: ParsedHeartbeats }, issue: Issue): void => {
  const names = new Set<string>();
  config.heartbeats.forEach((heartbeat, index) => {
    const at = ['heartbeats', index];
    if (names.has(heartbeat.name)) issue([...at, 'name'], `duplicate heartbeat name '${heartbeat.name}'`);
    names.add(heartbeat.name);
    if ((heartbeat.every === undefined) === (heartbeat.cron === undefined)) {
      issue(at, "give either 'every' (e.g. '1h') or 'cron' (e.g. '0 2 * * *'), not both or neither");
    }
    if (heartbeat.cron !== undefined) {
      const cron = heartbeatCron(heartbeat.cron);
      if ('error' in cron) issue([...at, 'cron'], cron.error);
    }
    if (heartbeat.timezone !== undefined) {
      if (heartbeat.cron === undefined) issue([...at, 'timezone'], "'timezone' applies to 'cron' only");
      else if (!isTimeZone(heartbeat.timezone))
        issue(
          [...at, 'timezone'],
          `unknown time zone '${heartbeat.timezone}': use an IANA name, e.g. 'Europe/Berlin'`,
        );
    }
  });
};

/**
 * The heartbeats exactly as the ping handler and evaluator use them. Expects a config that passed
 * validation.
 *
 * @example
 * const heartbeats = resolveHeartbeats(loadConfig().config);
 */
export const resolveHeartbeats = (config: {
  heartbeats: ParsedHeartbeats;
  defaults: { team?: string | undefined; runbookUrl?: string | undefined };
}): ResolvedHeartbeat[] =>
  config.heartbeats.map((heartbeat): ResolvedHeartbeat => {
    const cron = heartbeat.cron !== undefined ? heartbeatCron(heartbeat.cron) : undefined;
    const runbookUrl = heartbeat.runbookUrl ?? config.defaults.runbookUrl;
    return {
      name: heartbeat.name,
      ...(heartbeat.description !== undefined ? { description: heartbeat.description } : {}),
      expect:
        cron !== undefined && 'cron' in cron
          ? { cron: cron.cron, timezone: heartbeat.timezone ?? HEARTBEAT_DEFAULTS.timezone }
          : { everyMs: heartbeat.every ?? 3_600_000 },
      graceMs: heartbeat.grace ?? HEARTBEAT_DEFAULTS.graceMs,
      ...(heartbeat.degradedAfter !== undefined ? { degradedAfterMs: heartbeat.degradedAfter } : {}),
      severity: heartbeat.severity ?? HEARTBEAT_DEFAULTS.severity,
      team: heartbeat.team ?? config.defaults.team ?? 'default',
      ...(runbookUrl !== undefined ? { runbookUrl } : {}),
    };
  });
