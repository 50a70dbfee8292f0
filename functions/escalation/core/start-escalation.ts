import type { AlarmSnapshot } from '../types/incident';
import type { ExecutionSignaller, IncidentStore } from '../types/ports';
import { executionName } from './execution-name';
import { openClaimOf } from './quorum';

/** Starts an execution by name; reports `duplicate` when one with that name already exists. */
export type ExecutionStarter = (name: string, input: string) => Promise<'started' | 'duplicate'>;

/** The input of a new execution. */
export interface EscalationExecutionInput {
  readonly alarm: AlarmSnapshot;
  readonly incidentId: string;
  /** When this copy of the event arrived (ISO). Makes each delivery's input unique, so a replay of a running
   * execution gets `ExecutionAlreadyExists` instead of Step Functions' idempotent success. */
  readonly receivedAt: string;
}

/** What happened to one alarm event. */
export interface StartOutcome {
  readonly alarmName: string;
  /** `signalled`: an OK event woke the waiting execution of the alarm's open incident. */
  readonly result: 'started' | 'duplicate' | 'ignored' | 'signalled';
  readonly incidentId?: string;
  readonly detail: string;
}

/** What waking an open incident's execution needs: the alarm claims, and `SendTaskSuccess`. */
export interface WakePorts {
  readonly store: Pick<IncidentStore, 'getAlarmClaim'>;
  readonly signal: ExecutionSignaller;
}

/**
 * Wakes the execution of the alarm's open incident if it waits (its `Wait for signal` task token is stored
 * with the claim), so it checks now instead of at its next poll. Returns the incident woken.
 */
export const wakeOpenIncident = async (
  alarm: Pick<AlarmSnapshot, 'region' | 'alarmName'>,
  ports: WakePorts,
): Promise<string | undefined> => {
  const claim = await openClaimOf(ports.store, alarm);
  if (claim?.token === undefined) return undefined;
  return (await ports.signal(claim.token)) ? claim.incidentId : undefined;
};

/**
 * Starts one escalation per incident. Only transitions into ALARM start one; the execution name comes from
 * the alarm and its state-change time, so a duplicate or replayed event is reported as `duplicate` and
 * pages nobody twice (and a re-alarm while the alarm's incident is open joins it, see `openIncident`). An
 * OK transition wakes the open incident's waiting execution when `wake` is given (the running execution's
 * checks see it at their next poll otherwise); INSUFFICIENT_DATA is left to the checks.
 */
export const startEscalation = async (
  alarm: AlarmSnapshot,
  start: ExecutionStarter,
  receivedAt: number,
  wake?: WakePorts,
): Promise<StartOutcome> => {
  if (alarm.state === 'OK' && wake !== undefined) {
    const woken = await wakeOpenIncident(alarm, wake);
    return woken !== undefined
      ? {
          alarmName: alarm.alarmName,
          result: 'signalled',
          incidentId: woken,
          detail: 'woke the open incident to resolve',
        }
      : { alarmName: alarm.alarmName, result: 'ignored', detail: 'no open incident waiting to be woken' };
  }
  if (alarm.state !== 'ALARM') {
    return {
      alarmName: alarm.alarmName,
      result: 'ignored',
      detail: `state ${alarm.state} does not start an escalation`,
    };
  }
  const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
  const input: EscalationExecutionInput = {
    alarm,
    incidentId,
    receivedAt: new Date(receivedAt).toISOString(),
  };
  const result = await start(incidentId, JSON.stringify(input));
  return {
    alarmName: alarm.alarmName,
    result,
    incidentId,
    detail:
      result === 'started' ? 'escalation started' : 'an escalation for this state change already exists',
  };
};
