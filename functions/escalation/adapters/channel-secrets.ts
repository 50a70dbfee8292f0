import type { SecretRef } from '../../commons/config/types';
import type { SecretBackend } from '../../commons/secret-resolver';
import { createSecretResolver } from '../../commons/secret-resolver';
import type { ChannelSecretResolver } from '../types/ports';
import type { RuntimeChannel } from '../types/runtime-config';

/**
 * Resolves a channel's webhook URL or routing key through its Secrets Manager / SSM reference, cached for
 * five minutes so rotation is picked up.
 */
export const channelSecrets = (
  channels: Readonly<Record<string, RuntimeChannel>>,
  backend: SecretBackend,
  options: { ttlMs?: number } = {},
): ChannelSecretResolver => {
  const refs: Record<string, SecretRef> = {};
  for (const channel of Object.values(channels))
    if (channel.secret !== undefined) refs[channel.name] = channel.secret;
  return createSecretResolver(refs, backend, options);
};
