import { runChecks } from '../../../../functions/synthetics/engine/run-checks';
import type { CheckResult } from '../../../../functions/synthetics/types/results';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';

const countTimers = (): number =>
  process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

/** Generous limits for checks that must pass however loaded the machine is: a test asserts behaviour, not speed. */
const PATIENT = { timeoutMs: 120_000 } as const;

/** Resolves once `condition` holds, polling every 10 ms for at most ~30 s; rejects naming what never happened. */
const eventually = async (what: string, condition: () => boolean): Promise<void> => {
  for (let turn = 0; turn < 3_000 && !condition(); turn += 1)
    await new Promise((next) => setTimeout(next, 10));
  if (!condition()) throw new Error(`never happened: ${what}`);
};

/** A promise and the function that resolves it. */
const latch = () => {
  let fire: () => void = () => undefined;
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fired, fire };
};

/** Resolves when `first` does, or after `ms` at the latest. */
const atMost = async (first: Promise<void>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([first, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
};

describe('runChecks', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ '/fast': { status: 200 } });
  });
  afterEach(async () => {
    await server.close();
  });

  it('keeps a fast check’s timings free of a concurrent slow check', async () => {
    // Prepare: the slow check's answer is held until the fast check has finished, then 1 s more.
    const fastDone = latch();
    server.route('/slow', (_request, response) => {
      void atMost(fastDone.fired, 30_000)
        .then(() => new Promise((next) => setTimeout(next, 1_000)))
        .then(() => response.writeHead(200).end());
    });
    const checks = [
      check('slow', [step('s', '/slow', PATIENT)], PATIENT),
      check('fast', [step('s', '/fast', PATIENT)], PATIENT),
    ];
    const finished: string[] = [];
    let fastReportedAfterMs = Number.NaN;

    // Act
    const started = performance.now();
    const [slow, fast] = await runChecks(checks, {
      baseUrl: server.url,
      concurrency: 2,
      onResult: (result) => {
        finished.push(result.name);
        if (result.name === 'fast') {
          fastReportedAfterMs = performance.now() - started;
          fastDone.fire();
        }
      },
    });

    // Assess: the fast check's times end when it was reported, a second before the slow answer came
    expect(finished).toEqual(['fast', 'slow']);
    expect([slow?.status, fast?.status]).toEqual(['passed', 'passed']);
    expect(slow?.steps[0]?.timings.totalMs).toBeGreaterThanOrEqual(1_000);
    expect(fast?.steps[0]?.timings.totalMs).toBeLessThanOrEqual(fastReportedAfterMs);
    expect(fast?.durationMs).toBeLessThanOrEqual(fastReportedAfterMs);
  });

  it('never runs more checks at once than the concurrency bound, and reaches it', async () => {
    // Prepare: answers are held until 3 requests are in flight at once (or 30 s pass), and 200 ms more
    // in which a 4th request, if the bound leaked, would arrive; then all flow.
    const three = latch();
    server.route('/work', (_request, response) => {
      if (server.stats.inFlight >= 3) setTimeout(three.fire, 200);
      void atMost(three.fired, 30_000).then(() => response.writeHead(200).end());
    });
    const checks = Array.from({ length: 12 }, (_, i) =>
      check(`c${i}`, [step('s', '/work', PATIENT)], PATIENT),
    );

    // Act
    const results = await runChecks(checks, { baseUrl: server.url, concurrency: 3 });

    // Assess
    expect(results.every((result) => result.status === 'passed')).toBe(true);
    expect(server.stats.maxInFlight).toBe(3);
  });

  it('returns results in input order and hands each to onResult as it finishes', async () => {
    // Prepare: the first check's answer waits until the second check has been reported (or 30 s).
    const secondReported = latch();
    server.route('/wait', (_request, response) => {
      void atMost(secondReported.fired, 30_000).then(() => response.writeHead(200).end());
    });
    const checks = [
      check('first-slow', [step('s', '/wait', PATIENT)], PATIENT),
      check('second-fast', [step('s', '/fast', PATIENT)], PATIENT),
    ];
    const seen: string[] = [];

    // Act
    const results = await runChecks(checks, {
      baseUrl: server.url,
      concurrency: 2,
      onResult: (result) => {
        seen.push(result.name);
        if (result.name === 'second-fast') secondReported.fire();
      },
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
      check('ok', [step('s', '/fast', PATIENT)], PATIENT),
    ];

    // Act
    const results = await runChecks(checks, { baseUrl: server.url, concurrency: 3 });

    // Assess
    expect(results.map((result) => result.status)).toEqual(['failed', 'failed', 'passed']);
  });

  it('runs 1,000 checks in one call with bounded connections and leaves no timer or socket behind', async () => {
    // Prepare
    const checks = Array.from({ length: 1_000 }, (_, i) =>
      check(
        `check-${i}`,
        [step('s', '/fast', { ...PATIENT, assert: [{ type: 'status', op: 'equals', value: 200 }] })],
        PATIENT,
      ),
    );
    const timersBefore = countTimers();

    // Act
    const results = await runChecks(checks, { baseUrl: server.url, concurrency: 50 });

    // Assess
    expect(results).toHaveLength(1_000);
    expect(results.filter((result) => result.status === 'passed')).toHaveLength(1_000);
    expect(results[999]?.name).toBe('check-999');
    expect(server.stats.maxConnections).toBeLessThanOrEqual(50);
    await eventually('every connection closed', () => server.stats.connections === 0);
    expect(countTimers()).toBeLessThanOrEqual(timersBefore);
  }, 300_000);

  it.each([
    ['batch', 2],
    ['check', 6],
  ] as const)(
    'opens connections per %s when reuseConnections says so',
    async (reuseConnections, expected) => {
      // Prepare
      server.route('/work', { delayMs: 30, status: 200 });
      const checks = Array.from({ length: 6 }, (_, i) =>
        check(`c${i}`, [step('s', '/work', PATIENT)], PATIENT),
      );

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
      check(
        `c${i}`,
        [step('s', '/fast', { ...PATIENT, request: { headers: { 'x-api-key': '{{secrets.key}}' } } })],
        { ...PATIENT, secrets: ['key'] },
      ),
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
    // Prepare: the run is aborted once the hung request has arrived; no timeout would end it in this test.
    const controller = new AbortController();
    server.route('/hang', () => controller.abort());
    const checks = [
      check('a', [step('s', '/hang', { timeoutMs: 600_000 })], { timeoutMs: 600_000 }),
      check('b', [step('s', '/fast')]),
    ];

    // Act
    const results = await runChecks(checks, {
      baseUrl: server.url,
      concurrency: 1,
      signal: controller.signal,
    });

    // Assess
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
