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
}

/** The EventBridge Scheduler payload: which schedule group fired. */
export interface RunnerEvent {
  readonly schedule: string;
  /** Optional subset of check names (manual runs). */
  readonly only?: readonly string[];
}
