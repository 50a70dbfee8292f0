import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { createAwsSecretBackend } from '../../../functions/commons/aws-secret-backend';
import { secretsManagerTokens } from '../../../functions/heartbeats/load-tokens';
import {
  type HeartbeatRuntimeConfig,
  heartbeatSecretName,
} from '../../../functions/heartbeats/types/heartbeat-config';
import { hourlyHeartbeat } from '../../helpers/heartbeat-fixture';

const secrets = new SecretsManagerClient({});
const APP = `tokens-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
const config: HeartbeatRuntimeConfig = {
  app: APP,
  heartbeats: [hourlyHeartbeat('nightly'), hourlyHeartbeat('hourly')],
};

beforeAll(async () => {
  for (const [name, token] of [
    ['nightly', 'bmlnaHRseS10b2tlbi0wMDAwMDAwMDAwMDAw'],
    ['hourly', 'aG91cmx5LXRva2VuLTAwMDAwMDAwMDAwMDAw'],
  ] as const) {
    await secrets.send(
      new CreateSecretCommand({ Name: heartbeatSecretName(APP, name), SecretString: token }),
    );
  }
});

describe('secretsManagerTokens (Secrets Manager on moto)', () => {
  it('hands out the loaded token map itself, a promise only while loading, and reloads a rotated token after the TTL', async () => {
    // Prepare
    let now = 0;
    const tokens = secretsManagerTokens(config, createAwsSecretBackend(), { ttlMs: 60_000, now: () => now });

    // Act
    const loading = tokens();
    const first = await loading;
    const warm = tokens();
    await secrets.send(
      new PutSecretValueCommand({
        SecretId: heartbeatSecretName(APP, 'nightly'),
        SecretString: 'cm90YXRlZC10b2tlbi0wMDAwMDAwMDAwMDAw',
      }),
    );
    now += 60_000;
    const reloading = tokens();
    const rotated = await reloading;

    // Assess
    expect(loading).toBeInstanceOf(Promise);
    expect([...first]).toEqual([
      ['nightly', 'bmlnaHRseS10b2tlbi0wMDAwMDAwMDAwMDAw'],
      ['hourly', 'aG91cmx5LXRva2VuLTAwMDAwMDAwMDAwMDAw'],
    ]);
    expect(warm).toBe(first);
    expect(reloading).toBeInstanceOf(Promise);
    expect(rotated.get('nightly')).toBe('cm90YXRlZC10b2tlbi0wMDAwMDAwMDAwMDAw');
    expect(tokens()).toBe(rotated);
  });
});
