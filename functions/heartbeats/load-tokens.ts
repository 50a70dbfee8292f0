import type { SecretBackend } from '../commons/secret-resolver';
import { createSecretResolver } from '../commons/secret-resolver';
import { HeartbeatTokensError } from './errors';
import { type HeartbeatRuntimeConfig, heartbeatSecretName } from './types/heartbeat-config';
import type { HeartbeatTokens } from './types/ports';

/**
 * Every heartbeat's token from Secrets Manager (`vigil/<app>/heartbeats/<name>`), all loaded together and
 * cached for `ttlMs` by the shared secret resolver, so a rotated token is picked up and any id costs the same.
 */
export const secretsManagerTokens = (
  config: HeartbeatRuntimeConfig,
  backend: SecretBackend,
  options: { readonly ttlMs?: number; readonly now?: () => number } = {},
): HeartbeatTokens => {
  const refs = Object.fromEntries(
    config.heartbeats.map((heartbeat) => [
      heartbeat.name,
      { secretsManager: heartbeatSecretName(config.app, heartbeat.name) },
    ]),
  );
  const resolve = createSecretResolver(refs, backend, options);
  return async () => {
    try {
      const names = config.heartbeats.map((heartbeat) => heartbeat.name);
      const values = await Promise.all(names.map(resolve));
      return new Map(names.map((name, index) => [name, values[index]!]));
    } catch (error) {
      throw new HeartbeatTokensError('cannot load the heartbeat ping tokens', { cause: error });
    }
  };
};
