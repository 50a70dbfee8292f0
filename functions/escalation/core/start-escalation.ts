import type { AlarmSnapshot } from '../types/incident';
import { executionName } from './execution-name';

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
  readonly result: 'started' | 'duplicate' | 'ignored';
  readonly incidentId?: string;
  readonly detail: string;
}

/**
 * Starts one escalation per incident. Only transitions into ALARM start one (OK and INSUFFICIENT_DATA are
 * seen by the running execution's status checks); the execution name comes from the alarm and its
 * state-change time, so a duplicate or replayed event is reported as `duplicate` and pages nobody twice.
 */
export const startEscalation = async (
  alarm: AlarmSnapshot,
  start: ExecutionStarter,
  receivedAt: number,
): Promise<StartOutcome> => {
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
