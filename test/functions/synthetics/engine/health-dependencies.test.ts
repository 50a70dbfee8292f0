import { parseConfig, resolveChecks } from '../../../../functions/commons/config/resolve-config';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import type { CheckResult } from '../../../../functions/synthetics/types/results';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';

describe('health checks read dependency statuses truthfully', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  /** Runs a `type: 'health'` check of `/health` (plus `extra` settings) as the config resolves it. */
  const probe = async (extra: Record<string, unknown> = {}): Promise<CheckResult> => {
    const config = parseConfig({
      app: 'shop',
      environments: { local: { baseUrl: server.url } },
      checks: [{ type: 'health', name: 'ready', url: '{{baseUrl}}/health', ...extra }],
    });
    const [check] = resolveChecks(config);
    if (check === undefined) throw new Error('no check resolved');
    return runCheck(check, { baseUrl: server.url, concurrency: 1 });
  };
  const dependencies = (result: CheckResult) => result.steps[0]?.assertions[1];

  it.each([
    ['told where', { dependenciesPath: '$.services' }],
    ['found under a well-known key', {}],
  ])('passes when every dependency is "connected" (%s)', async (_how, extra) => {
    // Prepare
    server.route('/health', { body: { services: { database: 'connected', queue: 'connected' } } });
    // Act
    const result = await probe(extra);
    // Assess
    expect(result.status).toBe('passed');
    expect(dependencies(result)?.actual).toEqual({ database: 'connected', queue: 'connected' });
  });

  it('names only the dependency that is down on a 503', async () => {
    // Prepare
    server.route('/health', { status: 503, body: { services: { database: 'down', queue: 'connected' } } });
    // Act
    const result = await probe({ dependenciesPath: '$.services' });
    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe("probe: expected status equals 200, got 503; dependency 'database' is down");
  });

  it.each([
    [{ db: 'UP', cache: 'PASS', queue: 'ok', search: true, mail: 'Healthy' }, undefined],
    [{ db: { status: 'UP', latencyMs: 3 }, cache: { status: 'DOWN' } }, "dependency 'cache' is DOWN"],
    [{ db: true, cache: false }, "dependency 'cache' is false"],
    [{ db: [{ status: 'pass' }, { status: 'fail' }] }, "dependency 'db' is fail"],
    [{ db: 'error', cache: 'unavailable' }, "dependencies 'db' is error, 'cache' is unavailable"],
  ])('recognises the usual status words: %j', async (statuses, message) => {
    // Prepare
    server.route('/health', { body: { checks: statuses } });
    // Act
    const result = await probe();
    // Assess
    expect(result.status).toBe(message === undefined ? 'passed' : 'failed');
    expect(dependencies(result)?.message).toBe(message);
  });

  it('reads a Spring Boot body (components, UPPER-case statuses)', async () => {
    // Prepare
    server.route('/health', {
      body: { status: 'DOWN', components: { db: { status: 'UP' }, redis: { status: 'DOWN' } } },
    });
    // Act
    const result = await probe();
    // Assess
    expect(dependencies(result)).toMatchObject({ ok: false, message: "dependency 'redis' is DOWN" });
  });

  it('uses the healthy and unhealthy values a check declares, and names a status in neither', async () => {
    // Prepare
    server.route('/health', { body: { checks: { a: 'green', b: 'RED', c: 'amber' } } });
    // Act
    const result = await probe({ healthyValues: ['green'], unhealthyValues: ['red'] });
    // Assess
    expect(dependencies(result)?.message).toBe(
      "dependencies 'b' is RED, 'c' reports unrecognised status 'amber' (declare the words this service uses as healthy or unhealthy values)",
    );
  });

  it('fails a check told to read dependencies when the body is not JSON, even with a 200', async () => {
    // Prepare
    server.route('/health', { headers: { 'content-type': 'text/html' }, body: '<html>It works!</html>' });
    // Act
    const result = await probe({ dependenciesPath: '$.checks' });
    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe(
      'probe: expected dependencies at $.checks are healthy, but the body is not JSON (text/html, 22 bytes)',
    );
  });

  it('fails a check told where the statuses are when the body has none there', async () => {
    // Prepare
    server.route('/health', { body: { status: 'ok' } });
    // Act
    const result = await probe({ dependenciesPath: '$.checks' });
    // Assess
    expect(result.error).toBe(
      'probe: expected dependencies at $.checks are healthy, but the body reports no dependency statuses there',
    );
  });

  it('passes a plain-text liveness probe that was not told to read dependencies', async () => {
    // Prepare
    server.route('/health', { headers: { 'content-type': 'text/plain' }, body: 'OK' });
    // Act
    const result = await probe();
    // Assess
    expect(result.status).toBe('passed');
  });
});
