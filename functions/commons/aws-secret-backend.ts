import type { SecretBackend } from './secret-resolver';

/**
 * Secrets Manager + SSM backend. The SDK clients are loaded on first use, so a function whose checks use
 * no secrets never pays for them at cold start. `wrap` lets the caller add X-Ray capture.
 */
export const createAwsSecretBackend = (wrap: <T>(client: T) => T = (client) => client): SecretBackend => {
  let secretsManager: Promise<{ send: (command: unknown) => Promise<{ SecretString?: string }> }> | undefined;
  let ssm: Promise<{ send: (command: unknown) => Promise<{ Parameter?: { Value?: string } }> }> | undefined;
  return {
    async secretsManager(secretId) {
      secretsManager ??= import('@aws-sdk/client-secrets-manager').then(
        ({ SecretsManagerClient }) => wrap(new SecretsManagerClient({})) as never,
      );
      const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      const result = await (await secretsManager).send(new GetSecretValueCommand({ SecretId: secretId }));
      if (result.SecretString === undefined) throw new Error(`secret ${secretId} has no SecretString`);
      return result.SecretString;
    },
    async ssm(name) {
      ssm ??= import('@aws-sdk/client-ssm').then(({ SSMClient }) => wrap(new SSMClient({})) as never);
      const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const result = await (await ssm).send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      if (result.Parameter?.Value === undefined) throw new Error(`SSM parameter ${name} has no value`);
      return result.Parameter.Value;
    },
  };
};
