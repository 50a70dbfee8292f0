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
  const ttlMs = options.ttlMs ?? 300_000;
  const now = options.now ?? Date.now;
  const load = async (): Promise<ReadonlyMap<string, string>> => {
    try {
      const names = config.heartbeats.map((heartbeat) => heartbeat.name);
      const values = await Promise.all(names.map(resolve));
      return new Map(names.map((name, index) => [name, values[index]!]));
    } catch (error) {
      throw new HeartbeatTokensError('cannot load the heartbeat ping tokens', { cause: error });
    }
  };
  // One map per load, reused until the TTL passes (the ping core keys its token digests by it), handed out
  // as it is once loaded: a warm ping does not wait on a promise.
  let current:
    | { at: number; tokens: Promise<ReadonlyMap<string, string>>; loaded?: ReadonlyMap<string, string> }
    | undefined;
  return () => {
    if (current === undefined || now() - current.at >= ttlMs) {
      const loading: NonNullable<typeof current> = { at: now(), tokens: load() };
      loading.tokens.then(
        (tokens) => {
          loading.loaded = tokens;
        },
        () => {
          if (current === loading) current = undefined;
        },
      );
      current = loading;
    }
    return current.loaded ?? current.tokens;
  };
};
