/** The metrics heartbeats publish and their alarms watch; one home for the names. */
export const HEARTBEAT_METRICS = {
  /** 1 while the heartbeat is late, else 0: published every minute by the evaluator. */
  late: 'HeartbeatLate',
  /** 1 while the last run failed (`/fail` or a non-zero exit code), else 0. */
  failed: 'HeartbeatFailed',
  /** Milliseconds from a `/start` ping to the next success ping. */
  duration: 'HeartbeatDuration',
} as const;

/** The dimension naming the heartbeat (beside `service`, the app). */
export const HEARTBEAT_DIMENSION = 'Heartbeat';
