import { ownValue } from '../../commons/own-value';
import type { AlarmClaim, AlarmSnapshot, Incident, IncidentQuorum } from '../types/incident';
import type { AlarmStatePort, IncidentStore } from '../types/ports';
import type { EscalationRuntimeConfig, RuntimeQuorum } from '../types/runtime-config';
import { alarmKey } from './alarm-key';
import { EscalationAlarmStateUnreadableError } from './errors';

/** What the check's alarm says in each of its locations, read at once. */
export interface QuorumReading extends IncidentQuorum {
  /** Locations whose alarm state could not be read (access denied, throttling): unknown. */
  readonly unreadable: readonly string[];
  /** Locations where the alarm does not exist. */
  readonly missing: readonly string[];
}

/** The quorum of the check whose alarm this is, if it has one. */
export const quorumOf = (
  config: Pick<EscalationRuntimeConfig, 'quorums'>,
  alarmName: string,
): RuntimeQuorum | undefined => ownValue(config.quorums, alarmName);

/** The key of the one open incident of a check with a quorum: one for all its locations. */
export const quorumClaimKey = (alarmName: string): string => `quorum:${alarmName}`;

/**
 * The key of an alarm's one open incident: the check's (one for every location) when it has a quorum, so a
 * second location's ALARM joins the incident the first opened; else the alarm's own ({@link alarmKey}).
 */
export const claimKeyOf = (
  alarm: Pick<AlarmSnapshot, 'region' | 'alarmName'>,
  config: Pick<EscalationRuntimeConfig, 'quorums'>,
): string =>
  quorumOf(config, alarm.alarmName) !== undefined ? quorumClaimKey(alarm.alarmName) : alarmKey(alarm);

/**
 * The alarm's open incident's claim, for paths that do not load the config (the start function's wake-up,
 * an SMS ack): the alarm's own claim, else its check's quorum claim.
 */
export const openClaimOf = async (
  store: Pick<IncidentStore, 'getAlarmClaim'>,
  alarm: Pick<AlarmSnapshot, 'region' | 'alarmName'>,
): Promise<AlarmClaim | undefined> =>
  (await store.getAlarmClaim(alarmKey(alarm))) ??
  (await store.getAlarmClaim(quorumClaimKey(alarm.alarmName)));

/**
 * Reads the check's alarm (same name) in each of its locations, at once (`DescribeAlarms` in each region).
 */
export const readQuorum = async (
  alarm: Pick<AlarmSnapshot, 'alarmName' | 'accountId'>,
  quorum: RuntimeQuorum,
  alarms: Pick<AlarmStatePort, 'getState'>,
): Promise<QuorumReading> => {
  const states = await Promise.all(
    quorum.locations.map(async (region) => {
      try {
        return await alarms.getState({
          alarmName: alarm.alarmName,
          region,
          ...(alarm.accountId !== undefined ? { accountId: alarm.accountId } : {}),
        });
      } catch (error) {
        if (error instanceof EscalationAlarmStateUnreadableError) return 'unreadable' as const;
        throw error;
      }
    }),
  );
  const where = (wanted: (typeof states)[number]) =>
    quorum.locations.filter((_, index) => states[index] === wanted);
  return {
    locations: quorum.locations,
    minFailing: quorum.minFailing,
    failing: where('ALARM'),
    unreadable: where('unreadable'),
    missing: where(undefined),
  };
};

/**
 * Whether an incident may open: at least `minFailing` locations in ALARM, counting the unreadable ones as
 * failing (better a page too many than a missed one, as for a single alarm whose state cannot be read).
 */
export const quorumMet = (reading: QuorumReading): boolean =>
  reading.failing.length + reading.unreadable.length >= reading.minFailing;

/** `failing in us-east-1, eu-west-1 (2 of 3 locations, quorum 2)`, with the unreadable ones named. */
export const describeQuorum = (reading: QuorumReading): string =>
  `${reading.failing.length > 0 ? `failing in ${reading.failing.join(', ')}` : 'failing nowhere'} (${reading.failing.length} of ${reading.locations.length} locations, quorum ${reading.minFailing})${reading.unreadable.length > 0 ? `; unreadable in ${reading.unreadable.join(', ')}` : ''}`;

/** The incident with the locations that fail: kept on it and named in its summary, so every message names them. */
export const withQuorum = (incident: Incident, reading: QuorumReading): Incident => ({
  ...incident,
  quorum: { locations: reading.locations, minFailing: reading.minFailing, failing: reading.failing },
  summary: `${incident.summary} (${describeQuorum(reading)})`,
});

/** The key of an open incident's claim: its check's quorum claim when it opened under a quorum. */
export const incidentClaimKey = (incident: Pick<Incident, 'alarm' | 'quorum'>): string =>
  incident.quorum !== undefined ? quorumClaimKey(incident.alarm.alarmName) : alarmKey(incident.alarm);
