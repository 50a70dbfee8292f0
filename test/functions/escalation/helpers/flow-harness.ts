import type { LocalEscalationDefinition } from '../../../../bin/local/escalation/local-escalation-definition';
import {
  LocalEscalationEngine,
  type LocalEscalationPorts,
} from '../../../../bin/local/escalation/local-escalation-engine';
import { ALARM_TAGS } from '../../../../functions/commons/alarm-naming';
import { VirtualClock } from '../../../../functions/commons/clock';
import { fromSnsAlarmMessage } from '../../../../functions/escalation/core/normalize-alarm-event';
import type { AlarmSnapshot } from '../../../../functions/escalation/types/incident';
import { motoPorts, setAlarmState } from './moto-escalation';

/**
 * The one harness of the executed escalation flow tests (escalation-flow, fault-matrix, ack-paths-flow,
 * paging-timeline, alarm-ingress, pagerduty-webhook-flow): the synthesized state machine run by
 * aws-local-stepfunctions with the Lambdas' own adapters over moto, on a virtual clock.
 */

/** Vigil tags of an alarm of `severity` owned by team `platform`. */
export const platformTags = (severity = 'critical'): Record<string, string> => ({
  [ALARM_TAGS.severity]: severity,
  [ALARM_TAGS.team]: 'platform',
});

/** Options for {@link flowEngine}. */
export interface FlowEngineOptions {
  /** The ack links' HMAC key. @default 'ack-key' */
  readonly ackSecret?: string;
  /** Ports that replace or add to the moto-backed ones (a pager, a page log, overrides, alarm state). */
  readonly ports?: Partial<LocalEscalationPorts>;
}

/**
 * An engine executing `synthesized` on a {@link VirtualClock} that starts at `start`, with the moto-backed
 * ports of `table`, retry jitter fixed half way and a 250 ms base delay; `failures` lists the channels whose
 * notification failed (the engine's `notificationFailed` metric).
 */
export const flowEngine = (
  synthesized: LocalEscalationDefinition,
  table: string,
  start: number,
  options: FlowEngineOptions = {},
): { clock: VirtualClock; engine: LocalEscalationEngine; failures: string[] } => {
  const clock = new VirtualClock(start);
  const failures: string[] = [];
  const ports: LocalEscalationPorts = {
    ...motoPorts(synthesized, table, options.ackSecret ?? 'ack-key', failures),
    random: () => 0.5,
    ...options.ports,
  };
  const engine = new LocalEscalationEngine(synthesized, ports, { clock, baseDelayMs: 250 });
  return { clock, engine, failures };
};

/** The alarm's OK transition at `at`, as the start function receives it; `reason` defaults to the alarm's. */
export const recoveredEvent = (alarm: AlarmSnapshot, at: number, reason?: string): AlarmSnapshot => ({
  ...alarm,
  state: 'OK',
  previousState: 'ALARM',
  ...(reason !== undefined ? { reason } : {}),
  stateChangedAt: new Date(at).toISOString(),
});

/** The alarm goes OK in CloudWatch (moto) and its OK event at `at` reaches the engine. */
export const recoverAlarm = async (
  engine: LocalEscalationEngine,
  alarm: AlarmSnapshot,
  at: number,
  reason?: string,
): ReturnType<LocalEscalationEngine['ingest']> => {
  await setAlarmState(alarm.alarmName, 'OK');
  return engine.ingest(recoveredEvent(alarm, at, reason));
};

/** The same ALARM state change as `alarm`, at `at`, as the SNS alarm action delivers it. */
export const viaSns = (alarm: AlarmSnapshot, at: number): AlarmSnapshot =>
  fromSnsAlarmMessage(
    JSON.stringify({
      AlarmName: alarm.alarmName,
      AlarmArn: alarm.alarmArn,
      NewStateValue: 'ALARM',
      OldStateValue: 'OK',
      NewStateReason: alarm.reason,
      StateChangeTime: new Date(at).toISOString().replace('Z', '+0000'),
    }),
  );
