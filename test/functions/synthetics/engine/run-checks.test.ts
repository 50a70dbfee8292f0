import { runChecks } from '../../../../functions/synthetics/engine/run-checks';
import type { CheckResult } from '../../../../functions/synthetics/types/results';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';

const countTimers = (): number =>
  process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

describe('runChecks', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ '/fast': { status: 200 }, '/slow': { delayMs: 1_500, status: 200 } });
  });
  afterEach(async () => {
    await server.close();
  });

  it('keeps a fast check’s timings free of a concurrent slow check', async () => {
    // Prepare
    const checks = [check('slow', [step('s', '/slow')]), check('fast', [step('s', '/fast')])];

    // Act
    const [slow, fast] = await runChecks(checks, { baseUrl: server.url, concurrency: 2 });

    // Assess
    expect(slow?.steps[0]?.timings.totalMs).toBeGreaterThanOrEqual(1_400);
    expect(fast?.steps[0]?.timings.totalMs).toBeLessThan(750);
    expect(fast?.durationMs).toBeLessThan(750);
  });

  it('never runs more checks at once than the concurrency bound, and reaches it', async () => {
    // Prepare
    server.route('/work', { delayMs: 40, status: 200 });
    const checks = Array.from({ length: 12 }, (_, i) => check(`c${i}`, [step('s', '/work')]));

    // Act
    const results = await runChecks(checks, { baseUrl: server.url, concurrency: 3 });

    // Assess
    expect(results.every((result) => result.status === 'passed')).toBe(true);
    expect(server.stats.maxInFlight).toBe(3);
  });

  it('returns results in input order and hands each to onResult as it finishes', async () => {
    // Prepare
    server.route('/wait', { delayMs: 200, status: 200 });
    const checks = [check('first-slow', [step('s', '/wait')]), check('second-fast', [step('s', '/fast')])];
    const seen: string[] = [];

    // Act
    const results = await runChecks(checks, {
      baseUrl: server.url,
      concurrency: 2,
      onResult: (result) => seen.push(result.name),
    });

    // Assess
    expect(results.map((result) => result.name)).toEqual(['first-slow', 'second-fast']);
    expect(seen).toEqual(['second-fast', 'first-slow']);
  });

  it('does not let one failing or hanging check reject the batch', async () => {
    // Prepare
    server.route('/hang', { hang: true });
    const checks = [
      check('hung', [step('s', '/hang', { timeoutMs: 200 })]),
      check('refused', [step('s', 'http://127.0.0.1:1/')]),
      check('ok', [step('s', '/fast')]),
    ];

    // Act
    const results = await runChecks(checks, { baseUrl: server.url, concurrency: 3 });

    // Assess
    expect(results.map((result) => result.status)).toEqual(['failed', 'failed', 'passed']);
  });

  it('runs 1,000 checks in one call with bounded connections and leaves no timer or socket behind', async () => {
    // Prepare
    const checks = Array.from({ length: 1_000 }, (_, i) =>
      check(`check-${i}`, [step('s', '/fast', { assert: [{ type: 'status', op: 'equals', value: 200 }] })]),
    );
    const timersBefore = countTimers();

    // Act
    const results = await runChecks(checks, { baseUrl: server.url, concurrency: 50 });

    // Assess
    expect(results).toHaveLength(1_000);
    expect(results.filter((result) => result.status === 'passed')).toHaveLength(1_000);
    expect(results[999]?.name).toBe('check-999');
    expect(server.stats.maxConnections).toBeLessThanOrEqual(50);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.stats.connections).toBe(0);
    expect(countTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it.each([
    ['batch', 2],
    ['check', 6],
  ] as const)(
    'opens connections per %s when reuseConnections says so',
    async (reuseConnections, expected) => {
      // Prepare
      server.route('/work', { delayMs: 30, status: 200 });
      const checks = Array.from({ length: 6 }, (_, i) => check(`c${i}`, [step('s', '/work')]));

      // Act
      const results = await runChecks(checks, { baseUrl: server.url, concurrency: 2, reuseConnections });

      // Assess
      expect(results.every((result) => result.status === 'passed')).toBe(true);
      expect(server.stats.accepted).toBe(expected);
      const fresh = results.filter((result) => (result.steps[0]?.timings.connectMs ?? 0) > 0).length;
      expect(fresh).toBeLessThanOrEqual(expected);
    },
  );

  it('resolves each secret once for the whole batch', async () => {
    // Prepare
    const checks = Array.from({ length: 10 }, (_, i) =>
      check(`c${i}`, [step('s', '/fast', { request: { headers: { 'x-api-key': '{{secrets.key}}' } } })], {
        secrets: ['key'],
      }),
    );
    const calls: string[] = [];

    // Act
    const results = await runChecks(checks, {
      baseUrl: server.url,
      concurrency: 5,
      secrets: async (name) => {
        calls.push(name);
        return 'k-123';
      },
    });

    // Assess
    expect(calls).toEqual(['key']);
    expect(results.every((result) => result.status === 'passed')).toBe(true);
    expect(server.requests.every((request) => request.headers['x-api-key'] === 'k-123')).toBe(true);
  });

  it('fails, without sending anything, a check whose secret cannot be resolved, naming the secret', async () => {
    // Prepare
    const checks = [check('c', [step('s', '/fast?k={{secrets.missing}}')], { secrets: ['missing'] })];

    // Act
    const [result] = await runChecks(checks, {
      baseUrl: server.url,
      concurrency: 1,
      secrets: async (name) => {
        throw new Error(`unknown secret '${name}'`);
      },
    });

    // Assess
    expect(result?.status).toBe('failed');
    expect(result?.error).toBe("unknown secret 'missing'");
    expect(server.requests).toHaveLength(0);
  });

  it('reports in-flight and not-started checks as failed when the run is aborted', async () => {
    // Prepare
    server.route('/hang', { hang: true });
    const controller = new AbortController();
    const checks = [
      check('a', [step('s', '/hang', { timeoutMs: 10_000 })]),
      check('b', [step('s', '/fast')]),
    ];
    setTimeout(() => controller.abort(), 100);

    // Act
    const started = performance.now();
    const results = await runChecks(checks, {
      baseUrl: server.url,
      concurrency: 1,
      signal: controller.signal,
    });

    // Assess
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(results.map((result: CheckResult) => result.status)).toEqual(['failed', 'failed']);
    expect(results[0]?.error).toBe('s: check run aborted');
    expect(results[1]?.error).toBe('check run aborted before the check started');
  });

  it('rejects a concurrency that is not a positive integer', async () => {
    // Act / Assess
    await expect(runChecks([], { baseUrl: server.url, concurrency: 0 })).rejects.toThrow(
      'EngineOptions.concurrency must be an integer >= 1, got 0',
    );
  });
});
