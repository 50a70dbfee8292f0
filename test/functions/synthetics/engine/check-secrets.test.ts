import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';

describe('secrets at run time', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ '/orders': { status: 200 } });
  });
  afterEach(async () => {
    await server.close();
  });

  it('resolves a secret used only in check variables and one reached through an environment variable, and sends both', async () => {
    // Prepare
    const values: Record<string, string> = { token: 'tok-from-store', tenantKey: 'tenant-key-42' };
    const asked: string[] = [];
    const orders = check(
      'orders',
      [step('list', '/orders?tenant={{tenant}}', { request: { headers: { authorization: '{{auth}}' } } })],
      { variables: { auth: 'Bearer {{secrets.token}}' } },
    );

    // Act
    const result = await runCheck(orders, {
      baseUrl: server.url,
      concurrency: 1,
      variables: { tenant: 'acme-{{secrets.tenantKey}}', unused: '{{secrets.neverAsked}}' },
      secrets: async (name) => {
        asked.push(name);
        const value = values[name];
        if (value === undefined) throw new Error(`unknown secret '${name}'`);
        return value;
      },
    });

    // Assess
    expect(result.status).toBe('passed');
    expect(asked.sort()).toEqual(['tenantKey', 'token']);
    expect(server.requests[0]?.url).toBe('/orders?tenant=acme-tenant-key-42');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tok-from-store');
    expect(result.steps[0]?.request.url).toBe(`${server.url}/orders?tenant=acme-[REDACTED]`);
  });
});
