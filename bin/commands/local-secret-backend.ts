import type { SecretBackend } from '../../functions/commons/secret-resolver';

/** Environment variable that supplies a secret locally: `apiToken` -> `VIGIL_SECRET_API_TOKEN`. */
export const localSecretVariable = (reference: string): string =>
  `VIGIL_SECRET_${reference
    .replace(/^\//, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase()}`;

/**
 * Local mode resolves secrets from environment variables instead of AWS, so `vigil check` needs no account:
 * the Secrets Manager id or SSM name `shop/api-token` is read from `VIGIL_SECRET_SHOP_API_TOKEN`.
 */
export const createLocalSecretBackend = (
  env: Readonly<Record<string, string | undefined>>,
): SecretBackend => {
  const read = async (reference: string) => {
    const variable = localSecretVariable(reference);
    const value = env[variable];
    if (value === undefined) throw new Error(`set ${variable} to supply '${reference}' locally`);
    return value;
  };
  return { secretsManager: read, ssm: read };
};
