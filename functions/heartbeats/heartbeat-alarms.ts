import { alarmName } from '../commons/alarm-naming';
import type { ResolvedHeartbeat } from '../commons/config/heartbeat-schema';

/** The alarms a heartbeat has: late (or silent evaluator), failed, and degraded (with `degradedAfter`). */
export type HeartbeatAlarmKind = 'late' | 'failed' | 'degraded';

/**
 * The `<name>` part of a heartbeat alarm's name (`<app>-heartbeat-<name>`): the heartbeat when late,
 * `<heartbeat>-failed`, `<heartbeat>-degraded`.
 */
export const heartbeatAlarmSubject = (heartbeat: string, kind: HeartbeatAlarmKind): string =>
  kind === 'late' ? heartbeat : `${heartbeat}-${kind}`;

/**
 * A heartbeat alarm's name: `<app>-heartbeat-<name>` when late, `…-failed`, `…-degraded`. One home for the
 * deployed alarms and the local mode's.
 */
export const heartbeatAlarmName = (app: string, heartbeat: string, kind: HeartbeatAlarmKind): string =>
  alarmName(app, 'heartbeat', heartbeatAlarmSubject(heartbeat, kind));

/** A heartbeat alarm's description: what happened, the heartbeat's own description and its runbook. */
export const heartbeatAlarmDescription = (
  heartbeat: Pick<ResolvedHeartbeat, 'name' | 'description' | 'runbookUrl' | 'degradedAfterMs'>,
  kind: HeartbeatAlarmKind,
): string => {
  const what = {
    late: `Heartbeat '${heartbeat.name}' is late: no successful run in time`,
    failed: `Heartbeat '${heartbeat.name}' reported a failed run`,
    degraded: `Heartbeat '${heartbeat.name}': a run took longer than ${heartbeat.degradedAfterMs} ms`,
  }[kind];
  const about = heartbeat.description ? `: ${heartbeat.description}` : '';
  const runbook = heartbeat.runbookUrl ? ` Runbook: ${heartbeat.runbookUrl}` : '';
  return `${what}${about}.${runbook}`;
};
