import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createAwsSecretBackend } from '../../../functions/commons/aws-secret-backend';
import { createSecretResolver, SecretResolutionError } from '../../../functions/commons/secret-resolver';
import { startCountingAwsProxy } from '../../helpers/aws/counting-aws-proxy';

const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

describe('secret resolver against Secrets Manager and SSM (moto)', () => {
  const secretId = `vigil/test/api-${suffix}`;
  const parameter = `/vigil/test/key-${suffix}`;
  beforeAll(async () => {
    await new SecretsManagerClient({}).send(
      new CreateSecretCommand({ Name: secretId, SecretString: JSON.stringify({ token: 'v1', other: 7 }) }),
    );
    await new SSMClient({}).send(
      new PutParameterCommand({ Name: parameter, Value: 'ssm-value', Type: 'SecureString' }),
    );
  });

  it('reads a JSON key from Secrets Manager and a SecureString from SSM', async () => {
    // Prepare
    const resolve = createSecretResolver(
      { token: { secretsManager: secretId, jsonKey: 'token' }, key: { ssm: parameter } },
      createAwsSecretBackend(),
    );
    // Act + Assess
    await expect(resolve('token')).resolves.toBe('v1');
    await expect(resolve('key')).resolves.toBe('ssm-value');
  });

  it('caches values for the TTL, then picks up a rotated value', async () => {
    // Prepare
    let now = 0;
    const resolve = createSecretResolver(
      { token: { secretsManager: secretId, jsonKey: 'token' } },
      createAwsSecretBackend(),
      {
        ttlMs: 1_000,
        now: () => now,
      },
    );
    expect(await resolve('token')).toBe('v1');
    await new SecretsManagerClient({}).send(
      new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify({ token: 'v2' }) }),
    );
    // Act
    const cached = await resolve('token');
    now = 1_001;
    const rotated = await resolve('token');
    // Assess
    expect(cached).toBe('v1');
    expect(rotated).toBe('v2');
  });

  it('calls GetSecretValue once within the TTL, concurrent lookups included, and once more after it', async () => {
    // Prepare: Secrets Manager calls go through a counting proxy in front of moto
    const proxy = await startCountingAwsProxy();
    const previous = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = proxy.url;
    let now = 0;
    const resolve = createSecretResolver(
      { token: { secretsManager: secretId, jsonKey: 'token' } },
      createAwsSecretBackend(),
      { ttlMs: 300_000, now: () => now },
    );
    try {
      // Act
      const first = await Promise.all([resolve('token'), resolve('token'), resolve('token')]);
      now = 299_999;
      const withinTtl = await resolve('token');
      const callsWithinTtl = proxy.count('secretsmanager.GetSecretValue');
      now = 300_000;
      const afterTtl = await resolve('token');

      // Assess
      expect(new Set([...first, withinTtl, afterTtl]).size).toBe(1);
      expect(callsWithinTtl).toBe(1);
      expect(proxy.count('secretsmanager.GetSecretValue')).toBe(2);
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
      else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = previous;
      await proxy.close();
    }
  });

  it('names the secret and the problem, never a value, when it cannot resolve', async () => {
    // Prepare
    const resolve = createSecretResolver(
      {
        missing: { secretsManager: `vigil/none-${suffix}` },
        wrongKey: { secretsManager: secretId, jsonKey: 'nope' },
        numeric: { secretsManager: secretId, jsonKey: 'other' },
      },
      createAwsSecretBackend(),
    );
    // Act + Assess
    await expect(resolve('missing')).rejects.toBeInstanceOf(SecretResolutionError);
    await expect(resolve('missing')).rejects.toThrow(
      `cannot resolve secret 'missing' from Secrets Manager secret vigil/none-${suffix}: ResourceNotFoundException`,
    );
    await expect(resolve('wrongKey')).rejects.toThrow("secret 'wrongKey' has no string key 'nope'");
    await expect(resolve('numeric')).rejects.toThrow("secret 'numeric' has no string key 'other'");
    await expect(resolve('undeclared')).rejects.toThrow("unknown secret 'undeclared'");
  });
});
