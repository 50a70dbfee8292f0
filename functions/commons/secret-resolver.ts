import type { SecretRef } from './config/types';
import { ownValue } from './own-value';

/** Thrown when a secret cannot be resolved. Names the secret, never its value. */
export class SecretResolutionError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretResolutionError';
  }
}

/** Fetches raw secret text. Adapters: Secrets Manager / SSM in Lambda, a map in tests and the CLI. */
export interface SecretBackend {
  secretsManager(secretId: string): Promise<string>;
  ssm(parameterName: string): Promise<string>;
}

/** Options for {@link createSecretResolver}. */
export interface SecretResolverOptions {
  /** How long a fetched value is reused. @default 300000 (5 minutes), so rotation is picked up */
  readonly ttlMs?: number;
  /** Wall clock. @default Date.now */
  readonly now?: () => number;
}

/**
 * Resolves config secret names (`apiToken`) through their references, caching each value for `ttlMs`.
 * Concurrent lookups of one secret share a single fetch.
 */
export const createSecretResolver = (
  refs: Readonly<Record<string, SecretRef>>,
  backend: SecretBackend,
  options: SecretResolverOptions = {},
): ((name: string) => Promise<string>) => {
  const ttlMs = options.ttlMs ?? 300_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: Promise<string>; at: number }>();
  const fetchValue = async (name: string): Promise<string> => {
    const ref = ownValue(refs, name);
    if (ref === undefined)
      throw new SecretResolutionError(`unknown secret '${name}': declare it under 'secrets'`);
    try {
      if ('ssm' in ref) return await backend.ssm(ref.ssm);
      const raw = await backend.secretsManager(ref.secretsManager);
      if (ref.jsonKey === undefined) return raw;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new SecretResolutionError(
          `secret '${name}' is not JSON, but jsonKey '${ref.jsonKey}' was given`,
        );
      }
      const value = (parsed as Record<string, unknown>)[ref.jsonKey];
      if (typeof value !== 'string') {
        throw new SecretResolutionError(`secret '${name}' has no string key '${ref.jsonKey}'`);
      }
      return value;
    } catch (error) {
      if (error instanceof SecretResolutionError) throw error;
      const where =
        'ssm' in ref ? `SSM parameter ${ref.ssm}` : `Secrets Manager secret ${ref.secretsManager}`;
      throw new SecretResolutionError(
        `cannot resolve secret '${name}' from ${where}: ${(error as Error).name}`,
        {
          cause: error,
        },
      );
    }
  };
  return (name) => {
    const hit = cache.get(name);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    const value = fetchValue(name);
    cache.set(name, { value, at: now() });
    value.catch(() => cache.delete(name));
    return value;
  };
};
