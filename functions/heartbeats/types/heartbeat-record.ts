/** What a ping says about the run: it began, it succeeded, or it failed (with the job's exit code). */
export type PingKind = 'start' | 'success' | 'fail';

/** What the store keeps of one heartbeat: the last ping of each kind. Times are epoch milliseconds. */
export interface HeartbeatRecord {
  readonly name: string;
  readonly lastPingAt: number;
  readonly lastKind: PingKind;
  readonly lastStartAt?: number;
  readonly lastSuccessAt?: number;
  readonly lastFailAt?: number;
  /** The exit code of the last `/<exit-code>` ping. */
  readonly lastExitCode?: number;
  /** The last run's output (a POST body), redacted and truncated. */
  readonly lastOutput?: string;
}

/** One accepted ping, as the store records it. */
export interface PingRecord {
  readonly name: string;
  readonly kind: PingKind;
  readonly at: number;
  readonly exitCode?: number;
  /** Redacted, truncated output; `undefined` when the ping carried no body. */
  readonly output?: string;
}
