import type { ResolvedCheck, SecretRef } from '../../commons/config/types';

/**
 * What the synthetics runner Lambda receives in its bundle (`runner-config.json`), validated at synth
 * time: the checks of one location, the target environment and the secret references (never values).
 */
export interface RunnerConfig {
  readonly app: string;
  readonly environment: string;
  readonly baseUrl: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly concurrency: number;
  readonly metrics: 'essential' | 'detailed';
  /** Keep-alive connections shared by a run's checks, or fresh ones per check. */
  readonly connections: 'reuse' | 'fresh';
  /** The AWS region these checks run from. */
  readonly location: string;
  readonly secrets: Readonly<Record<string, SecretRef>>;
  readonly checks: readonly ResolvedCheck[];
  /**
   * The hosts whose `CertificateDaysToExpiry` each check publishes from this location (see
   * `certificateOwners`: one check, from its home location, per host). @default none
   */
  readonly certificateHosts?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The EventBridge Scheduler payload: which schedule fired and, for a sharded schedule, which of its
 * shards (see `runnerPlan`). Without `shard`, the run takes every check of the schedule at once.
 */
export interface RunnerEvent {
  readonly schedule: string;
  /** Index of the shard to run; its checks start at their offsets over the period. */
  readonly shard?: number;
  /** Optional subset of check names (manual runs). */
  readonly only?: readonly string[];
}
