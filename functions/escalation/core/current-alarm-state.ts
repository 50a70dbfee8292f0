import type { AlarmSnapshot, AlarmStateValue, Incident } from '../types/incident';
import type { AlarmStatePort, EscalationClock, IncidentStore } from '../types/ports';
import type { EscalationRuntimeConfig } from '../types/runtime-config';
import { EscalationAlarmStateUnreadableError } from './errors';
import { describeQuorum, type QuorumReading, quorumMet, quorumOf, readQuorum } from './quorum';
import type { StartOutcome } from './start-escalation';

/** The alarm's state could not be read: not OK, not deleted, unknown. */
export const UNKNOWN_STATE = 'UNKNOWN';

/**
 * Before an ALARM event opens an incident: the alarm's current state. An event that is no longer true (a
 * week-old or replayed ALARM for an alarm that is OK now, or an alarm since deleted) opens nothing and says
 * why; an alarm whose state cannot be read is paged (better a page too many than a missed one).
 *
 * @returns an `ignored` outcome naming why, or undefined when the event may open an incident
 */
export const staleAlarmEvent = async (
  alarm: AlarmSnapshot,
  alarms: Pick<AlarmStatePort, 'getState'>,
): Promise<StartOutcome | undefined> => {
  if (alarm.state !== 'ALARM') return undefined;
  let current: AlarmStateValue | undefined;
  try {
    current = await alarms.getState(alarm);
  } catch (error) {
    if (error instanceof EscalationAlarmStateUnreadableError) return undefined;
    throw error;
  }
  if (current === 'ALARM') return undefined;
  return {
    alarmName: alarm.alarmName,
    result: 'ignored',
    detail: `stale event: the alarm went into ALARM at ${alarm.stateChangedAt} but ${current === undefined ? 'no longer exists' : `is ${current} now`}; no incident opened`,
  };
};

/**
 * A check's state under its quorum: ALARM while at least the quorum of locations fail, OK once fewer do (the
 * incident resolves), deleted when the alarm exists nowhere; unknown while the unreadable locations could
 * still make up the quorum.
 *
 * @throws {EscalationAlarmStateUnreadableError} when the state is unknown
 */
const quorumState = (reading: QuorumReading): AlarmStateValue | undefined => {
  if (reading.failing.length >= reading.minFailing) return 'ALARM';
  if (quorumMet(reading))
    throw new EscalationAlarmStateUnreadableError(`quorum unknown: ${describeQuorum(reading)}`);
  return reading.missing.length === reading.locations.length ? undefined : 'OK';
};

/** What {@link currentAlarmState} needs to audit an unreadable state. */
export interface CurrentAlarmStatePorts {
  readonly alarms: Pick<AlarmStatePort, 'getState'>;
  /** Quorums of checks: an incident opened under one is read in every location. @default none */
  readonly config?: Pick<EscalationRuntimeConfig, 'quorums'>;
  readonly store: Pick<IncidentStore, 'appendAudit'>;
  readonly clock: Pick<EscalationClock, 'now'>;
}

/**
 * The current state of an open incident's alarm: its value, `undefined` only when CloudWatch positively
 * answered that the alarm does not exist (deleted), and {@link UNKNOWN_STATE} when it could not be read
 * (access denied, another account, throttling). An unknown state is audited (`alarm-state` / `unreadable`,
 * once per level and round) and read again at the next check: the incident stays open.
 */
export const currentAlarmState = async (
  incident: Incident,
  at: { readonly level: number; readonly round: number },
  ports: CurrentAlarmStatePorts,
): Promise<AlarmStateValue | undefined | typeof UNKNOWN_STATE> => {
  try {
    const quorum =
      incident.quorum !== undefined && ports.config !== undefined
        ? quorumOf(ports.config, incident.alarm.alarmName)
        : undefined;
    return quorum === undefined
      ? await ports.alarms.getState(incident.alarm)
      : quorumState(await readQuorum(incident.alarm, quorum, ports.alarms));
  } catch (error) {
    if (!(error instanceof EscalationAlarmStateUnreadableError)) throw error;
    await ports.store.appendAudit({
      incidentId: incident.id,
      at: ports.clock.now(),
      channel: incident.alarm.alarmName,
      kind: 'alarm-state',
      level: at.level,
      round: at.round,
      outcome: 'unreadable',
      attempts: 1,
      detail: `alarm state unknown, incident kept open and read again at the next check: ${error.message}`,
    });
    return UNKNOWN_STATE;
  }
};
