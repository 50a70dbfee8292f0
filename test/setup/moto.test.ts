import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

describe('test environment', () => {
  it('points AWS SDK clients at the local moto server', async () => {
    // Prepare
    const client = new SecretsManagerClient({});
    // Act
    const result = await client.send(new ListSecretsCommand({}));
    // Assess
    expect(process.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.SecretList).toEqual(expect.any(Array));
  });
});
