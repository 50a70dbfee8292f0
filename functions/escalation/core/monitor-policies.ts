import { alarmName } from '../../commons/alarm-naming';
import { CHECK_DEFAULTS } from '../../commons/config/defaults';
import type { MaintenanceWindow } from '../../commons/config/maintenance-schema';
import type { VigilConfig } from '../../commons/config/schema';
import { heartbeatAlarmName } from '../../heartbeats/heartbeat-alarms';
import type { RuntimeFlapping, RuntimeQuorum, RuntimeSilence } from '../types/runtime-config';

type Check = VigilConfig['checks'][number];
type Settings = Pick<Check, 'locations' | 'quorum' | 'maintenance' | 'flapping'>;

/** A check's setting in effect: the check's own, else its group's, else `defaults`' (as the runner resolves it). */
const inherited = <K extends keyof Settings>(config: VigilConfig, check: Check, key: K): Settings[K] => {
  const group = config.checkGroups.find((candidate) => candidate.name === check.group);
  return check[key] ?? group?.[key] ?? config.defaults[key];
};

/**
 * The quorum of every check that has one (own, group's or `defaults`'), by the check's alarm name: the
 * escalation engine reads that alarm in each of the check's locations before it opens an incident.
 */
export const checkQuorums = (config: VigilConfig): Record<string, RuntimeQuorum> => {
  const quorums: Record<string, RuntimeQuorum> = {};
  for (const check of config.checks) {
    const quorum = inherited(config, check, 'quorum');
    if (quorum === undefined) continue;
    const locations = inherited(config, check, 'locations') ?? CHECK_DEFAULTS.locations;
    quorums[alarmName(config.app, 'check', check.name)] = {
      locations: [...locations],
      minFailing: quorum.minFailingLocations,
    };
  }
  return quorums;
};

/** The flap damping of every check that has it (own, group's or `defaults`'), by the check's alarm name. */
export const checkFlapping = (config: VigilConfig): Record<string, RuntimeFlapping> => {
  const found: Record<string, RuntimeFlapping> = {};
  for (const check of config.checks) {
    const flapping = inherited(config, check, 'flapping');
    if (flapping === undefined) continue;
    found[alarmName(config.app, 'check', check.name)] = {
      transitions: flapping.transitions,
      windowMs: flapping.window,
      quietMs: flapping.quietPeriod,
    };
  }
  return found;
};

const silencesOf = (
  name: string,
  reason: string,
  alarms: readonly string[],
  windows: readonly MaintenanceWindow[],
): RuntimeSilence[] =>
  alarms.flatMap((alarm) =>
    windows.map(
      (window): RuntimeSilence => ({
        name,
        reason,
        match: { alarm },
        ...('from' in window
          ? { startMs: Date.parse(window.from), endMs: Date.parse(window.to) }
          : {
              weekly: {
                timezone: window.timezone,
                windows: [{ ...(window.days !== undefined ? { days: window.days } : {}), time: window.time }],
              },
            }),
      }),
    ),
  );

/**
 * The `maintenance` windows of checks (own, group's or `defaults`') and heartbeats as silences of exactly
 * their alarms (a heartbeat's late, failed and degraded alarms), named `maintenance-<check|heartbeat>-<name>`:
 * an alarm inside a window pages nobody and is audited as silenced.
 */
export const maintenanceSilences = (config: VigilConfig): RuntimeSilence[] => [
  ...config.checks.flatMap((check) => {
    const windows = inherited(config, check, 'maintenance');
    return windows === undefined
      ? []
      : silencesOf(
          `maintenance-check-${check.name}`,
          `maintenance window of check '${check.name}'`,
          [alarmName(config.app, 'check', check.name)],
          windows,
        );
  }),
  ...config.heartbeats.flatMap((heartbeat) =>
    heartbeat.maintenance === undefined
      ? []
      : silencesOf(
          `maintenance-heartbeat-${heartbeat.name}`,
          `maintenance window of heartbeat '${heartbeat.name}'`,
          (['late', 'failed', 'degraded'] as const).map((kind) =>
            heartbeatAlarmName(config.app, heartbeat.name, kind),
          ),
          heartbeat.maintenance,
        ),
  ),
];
