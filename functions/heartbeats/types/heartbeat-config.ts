import type { ResolvedHeartbeat } from '../../commons/config/heartbeat-schema';

/** File name of the config shipped next to the heartbeat Lambdas' `index.js`. */
export const HEARTBEAT_CONFIG_FILE = 'heartbeat-config.json';

/**
 * What the ping handler and the evaluator receive at deploy time (as {@link HEARTBEAT_CONFIG_FILE}):
 * resolved plain data. Tokens are never in it: each lives in the secret {@link heartbeatSecretName} names.
 */
export interface HeartbeatRuntimeConfig {
  readonly app: string;
  readonly heartbeats: readonly ResolvedHeartbeat[];
}

/**
 * The Secrets Manager name of a heartbeat's ping token: known to the ping handler, the CLI
 * (`vigil heartbeat url`) and the construct that generates it.
 *
 * @example
 * heartbeatSecretName('shop', 'nightly_export'); // 'vigil/shop/heartbeats/nightly_export'
 */
export const heartbeatSecretName = (app: string, heartbeat: string): string =>
  `vigil/${app}/heartbeats/${heartbeat}`;

/** The SSM parameter holding the ping endpoint's base URL, for the CLI. */
export const heartbeatUrlParameter = (app: string): string => `/vigil/${app}/heartbeats/url`;
