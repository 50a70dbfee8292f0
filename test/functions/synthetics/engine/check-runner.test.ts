import { VirtualClock } from '../../../../functions/commons/clock';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';
import { skippingClock } from '../../../helpers/skipping-clock';

const options = (server: TestServer) => ({ baseUrl: server.url, concurrency: 1 });

describe('runCheck', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('feeds values extracted by json path, header and regex into later steps, setup first and teardown last', async () => {
    // Prepare
    server.route('POST /login', {
      status: 200,
      headers: { 'x-session': 'sess-1' },
      body: { token: 'tok-abc' },
    });
    server.route('/flights', {
      body: {
        flights: [
          { id: 'FL1', price: 120 },
          { id: 'FL2', price: 90 },
        ],
      },
    });
    server.route('POST /bookings', { status: 201, body: 'booking ref=BK-778 created' });
    server.route('DELETE /bookings/BK-778', { status: 204 });
    const journey = check(
      'booking_creation',
      [
        step('search', '{{baseUrl}}/flights?from={{origin}}', {
          extract: [{ name: 'flightId', from: 'json', path: '$.flights[1].id' }],
          assert: [{ type: 'jsonPath', path: '$.flights.length', op: '>', value: 0 }],
        }),
        step('book', '/bookings', {
          request: {
            method: 'POST',
            headers: { authorization: 'Bearer {{token}}', 'x-session': '{{session}}' },
            body: '{"flight":"{{flightId}}"}',
          },
          extract: [{ name: 'ref', from: 'regex', pattern: 'ref=(BK-\\d+)', group: 1 }],
          assert: [{ type: 'status', op: 'equals', value: 201 }],
        }),
      ],
      {
        variables: { origin: 'LHR' },
        setup: [
          step('login', '/login', {
            request: { method: 'POST' },
            extract: [
              { name: 'token', from: 'json', path: '$.token' },
              { name: 'session', from: 'header', header: 'X-Session' },
            ],
          }),
        ],
        teardown: [step('cancel', '/bookings/{{ref}}', { request: { method: 'DELETE' } })],
      },
    );

    // Act
    const result = await runCheck(journey, options(server));

    // Assess
    expect(result.status).toBe('passed');
    expect(result.steps.map((s) => [s.name, s.phase, s.status])).toEqual([
      ['login', 'setup', 'passed'],
      ['search', 'main', 'passed'],
      ['book', 'main', 'passed'],
      ['cancel', 'teardown', 'passed'],
    ]);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /login',
      'GET /flights?from=LHR',
      'POST /bookings',
      'DELETE /bookings/BK-778',
    ]);
    const book = server.requests[2];
    expect(book?.headers.authorization).toBe('Bearer tok-abc');
    expect(book?.headers['x-session']).toBe('sess-1');
    expect(book?.body).toBe('{"flight":"FL2"}');
  });

  it('runs teardown after a failed step, skips the remaining main steps and names the failing assertion', async () => {
    // Prepare
    server.route('/search', { body: { flights: [] } });
    server.route('/cleanup', { status: 200 });
    const journey = check(
      'flight_search',
      [
        step('search', '/search', {
          assert: [{ type: 'jsonPath', path: '$.flights.length', op: '>', value: 0 }],
        }),
        step('never', '/never'),
      ],
      { teardown: [step('cleanup', '/cleanup')] },
    );

    // Act
    const result = await runCheck(journey, options(server));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe('search: expected $.flights.length > 0, got 0');
    expect(result.steps.map((s) => s.name)).toEqual(['search', 'cleanup']);
    expect(server.requests.map((r) => r.url)).toEqual(['/search', '/cleanup']);
    expect(result.steps[0]?.assertions[0]).toMatchObject({ ok: false, expected: 0, actual: 0 });
  });

  it('marks the check degraded, not failed, when only teardown fails', async () => {
    // Prepare
    server.route('/ok', { status: 200 });
    server.route('/cleanup', { status: 500 });
    const journey = check('journey', [step('main', '/ok')], {
      teardown: [step('cleanup', '/cleanup', { assert: [{ type: 'status', op: 'equals', value: 200 }] })],
    });

    // Act
    const result = await runCheck(journey, options(server));

    // Assess
    expect(result.status).toBe('degraded');
    expect(result.steps[1]).toMatchObject({ name: 'cleanup', phase: 'teardown', status: 'failed' });
    expect(result.error).toBe('cleanup: expected status equals 200, got 500');
  });

  it('names the dependency that is down when /health/ready answers 503', async () => {
    // Prepare
    server.route('/health/ready', {
      status: 503,
      body: {
        status: 'not_ready',
        checks: { database: 'ok', redis: 'down' },
        timestamp: '2024-01-01T00:00:00Z',
      },
    });
    const probe = check('ready', [
      step('probe', '/health/ready', {
        assert: [
          { type: 'status', op: 'equals', value: 200 },
          { type: 'dependencies', path: '$.checks', healthy: ['ok', 'up', 'healthy', 'ready', 'pass'] },
        ],
      }),
    ]);

    // Act
    const result = await runCheck(probe, options(server));

    // Assess
    expect(result.status).toBe('failed');
    const dependencies = result.steps[0]?.assertions[1];
    expect(dependencies).toMatchObject({ ok: false, message: "dependency 'redis' is down" });
    expect(dependencies?.actual).toEqual({ database: 'ok', redis: 'down' });
  });

  it('passes a liveness probe that reports no dependency statuses', async () => {
    // Prepare
    server.route('/health/live', { body: { status: 'alive', uptime_seconds: 10 } });
    const probe = check('live', [
      step('probe', '/health/live', {
        assert: [
          { type: 'status', op: 'equals', value: 200 },
          { type: 'dependencies', path: '$.checks', healthy: ['ok'], required: false },
        ],
      }),
    ]);

    // Act
    const result = await runCheck(probe, options(server));

    // Assess
    expect(result.status).toBe('passed');
  });

  it('stops a hung server at the step timeout', async () => {
    // Prepare
    server.route('/hang', { hang: true });
    const hung = check('hung', [step('hang', '/hang', { timeoutMs: 300 })]);

    // Act: nothing else (check timeout 60 s, the test's own) would end this run in time
    const result = await runCheck(hung, options(server));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe('hang: timed out after 300 ms');
    expect(result.steps[0]?.timings.totalMs).toBeGreaterThanOrEqual(290);
  });

  it('stops a slow-drip body at the step timeout even though bytes keep arriving', async () => {
    // Prepare
    server.route('/drip', { drip: { chunk: 'x', intervalMs: 50, count: 1_000 } });
    const drip = check('drip', [step('drip', '/drip', { timeoutMs: 400 })]);

    // Act
    const result = await runCheck(drip, options(server));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.steps[0]?.error).toBe('timed out after 400 ms');
    expect(result.steps[0]?.timings.totalMs).toBeGreaterThanOrEqual(390);
  });

  it('bounds the whole check, steps included, by the check timeout', async () => {
    // Prepare: step a answers at once, b never; the steps' own timeouts (30 s) are far off.
    server.route('/quick', { status: 200 });
    server.route('/hang', { hang: true });
    const journey = check('slow', [step('a', '/quick'), step('b', '/hang'), step('c', '/quick')], {
      timeoutMs: 3_000,
    });

    // Act
    const result = await runCheck(journey, options(server));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'failed']);
    expect(result.error).toBe('b: check timed out after 3000 ms');
  });

  it('follows redirects, rewriting 303 to GET, and counts them', async () => {
    // Prepare
    server.route('POST /start', { redirect: { location: '/middle', status: 303 } });
    server.route('/middle', { redirect: { location: `${server.url}/end`, status: 307 } });
    server.route('GET /end', { body: { done: true } });
    const redirected = check('redirects', [
      step('go', '/start', {
        request: { method: 'POST', body: 'x' },
        assert: [{ type: 'jsonPath', path: '$.done', op: 'equals', value: true }],
      }),
    ]);

    // Act
    const result = await runCheck(redirected, options(server));

    // Assess
    expect(result.status).toBe('passed');
    expect(result.steps[0]?.redirects).toBe(2);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /start',
      'GET /middle',
      'GET /end',
    ]);
  });

  it('fails a step whose redirect chain is longer than maxRedirects', async () => {
    // Prepare
    server.route('/loop', { redirect: { location: '/loop' } });
    const looping = check('loop', [step('loop', '/loop')], { maxRedirects: 3 });

    // Act
    const result = await runCheck(looping, options(server));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.steps[0]?.error).toBe('redirect limit of 3 exceeded');
    expect(server.requests).toHaveLength(4);
  });

  it('returns the redirect itself when maxRedirects is 0', async () => {
    // Prepare
    server.route('/moved', { redirect: { location: '/elsewhere', status: 301 } });
    const moved = check(
      'moved',
      [step('moved', '/moved', { assert: [{ type: 'status', op: 'equals', value: 301 }] })],
      {
        maxRedirects: 0,
      },
    );

    // Act
    const result = await runCheck(moved, options(server));

    // Assess
    expect(result.status).toBe('passed');
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['declared with content-length', true],
    ['streamed in chunks', false],
  ])('fails a step whose body exceeds maxBodyBytes (%s)', async (_label, declareLength) => {
    // Prepare
    server.route('/huge', { bytes: 5 * 1024 * 1024, declareLength });
    const huge = check('huge', [step('huge', '/huge')], { maxBodyBytes: 100_000 });

    // Act
    const result = await runCheck(huge, options(server));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.steps[0]?.error).toMatch(/exceeds maxBodyBytes 100000/);
  });

  it('separates degraded from failed by the step latency thresholds', async () => {
    // Prepare
    server.route('/slowish', { delayMs: 150 });
    const degraded = check('d', [step('s', '/slowish', { degradedAfterMs: 50, failedAfterMs: 600_000 })]);
    const failed = check('f', [step('s', '/slowish', { degradedAfterMs: 50, failedAfterMs: 100 })]);

    // Act
    const degradedResult = await runCheck(degraded, options(server));
    const failedResult = await runCheck(failed, options(server));

    // Assess
    expect(degradedResult.status).toBe('degraded');
    expect(degradedResult.error).toBeUndefined();
    expect(failedResult.status).toBe('failed');
    expect(failedResult.error).toMatch(/^s: latency \d+(\.\d+)? ms above failedAfter 100 ms$/);
  });

  it('applies check-level thresholds to the whole journey', async () => {
    // Prepare
    server.route('/slowish', { delayMs: 80 });
    const degraded = check('d', [step('a', '/slowish'), step('b', '/slowish')], { degradedAfterMs: 100 });
    const failed = check('f', [step('a', '/slowish'), step('b', '/slowish')], { failedAfterMs: 100 });

    // Act
    const degradedResult = await runCheck(degraded, options(server));
    const failedResult = await runCheck(failed, options(server));

    // Assess
    expect(degradedResult.status).toBe('degraded');
    expect(failedResult.status).toBe('failed');
    expect(failedResult.error).toMatch(/^latency .* above failedAfter 100 ms$/);
  });

  it('retries a failed check and reports the first attempt separately', async () => {
    // Prepare
    let calls = 0;
    server.route('/flaky', (_req, res) => {
      calls += 1;
      res.writeHead(calls < 3 ? 500 : 200).end();
    });
    const flaky = check(
      'flaky',
      [step('s', '/flaky', { assert: [{ type: 'status', op: 'equals', value: 200 }] })],
      {
        retry: { strategy: 'fixed', maxAttempts: 4, delayMs: 10, maxDelayMs: 100 },
      },
    );

    // Act
    const result = await runCheck(flaky, options(server));

    // Assess
    expect(result.status).toBe('passed');
    expect(result.firstAttemptStatus).toBe('failed');
    expect(result.retries).toBe(2);
    expect(result.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'passed'],
    ]);
  });

  it.each([
    ['fixed', [100, 100, 100]],
    ['linear', [100, 200, 250]],
    ['exponential', [100, 200, 250]],
  ] as const)(
    'waits between attempts per the %s strategy, capped by maxDelay',
    async (strategy, expected) => {
      // Prepare
      server.route('/down', { status: 500 });
      const clock = skippingClock();
      const { sleeps } = clock;
      const down = check(
        'down',
        [step('s', '/down', { assert: [{ type: 'status', op: 'equals', value: 200 }] })],
        {
          retry: { strategy, maxAttempts: 4, delayMs: 100, maxDelayMs: 250 },
        },
      );

      // Act
      const result = await runCheck(down, { ...options(server), clock });

      // Assess
      expect(sleeps).toEqual(expected);
      expect(result.attempts).toHaveLength(4);
      expect(result.status).toBe('failed');
      expect(result.retries).toBe(3);
    },
  );

  it('does not start a retry whose delay would pass the check timeout', async () => {
    // Prepare
    server.route('/down', { status: 500 });
    const down = check(
      'down',
      [step('s', '/down', { assert: [{ type: 'status', op: 'equals', value: 200 }] })],
      {
        timeoutMs: 2_000,
        retry: { strategy: 'fixed', maxAttempts: 5, delayMs: 1_200, maxDelayMs: 1_200 },
      },
    );

    // A virtual clock: time passes only while the engine waits between attempts.
    const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
    const { sleeps } = clock;

    // Act
    const result = await runCheck(down, { ...options(server), clock });

    // Assess: attempt 1, 1.2 s delay, attempt 2; a third would start at 2.4 s, past the 2 s budget
    expect(result.attempts.length).toBe(2);
    expect(sleeps).toEqual([1_200]);
  });

  it('sends X-Amzn-Trace-Id and traceparent derived from the same trace, reported in the result', async () => {
    // Prepare
    server.route('/traced', { status: 200 });
    const traced = check('traced', [step('a', '/traced'), step('b', '/traced')]);

    // Act
    const result = await runCheck(traced, options(server));

    // Assess
    const [first, second] = server.requests;
    const amzn = /^Root=(1-([0-9a-f]{8})-([0-9a-f]{24}));Parent=([0-9a-f]{16});Sampled=[01]$/.exec(
      String(first?.headers['x-amzn-trace-id']),
    );
    expect(amzn).not.toBeNull();
    const [, root, epoch, random, parent] = amzn as RegExpExecArray;
    expect(first?.headers.traceparent).toMatch(new RegExp(`^00-${epoch}${random}-${parent}-0[01]$`));
    expect(result.traceId).toBe(root);
    expect(String(second?.headers['x-amzn-trace-id'])).toContain(`Root=${root};`);
    expect(String(second?.headers['x-amzn-trace-id'])).not.toContain(`Parent=${parent}`);
  });

  it('never puts secrets, authorization headers or token query parameters in the result', async () => {
    // Prepare
    const secret = 'sup3r-s3cret-value';
    server.route('/echo', (req, res) => {
      res.writeHead(401, { 'set-cookie': 'sid=cookie-value-123', 'content-type': 'application/json' });
      res.end(JSON.stringify({ seen: req.headers.authorization, token: 'resp-token-999' }));
    });
    const leaky = check(
      'leaky',
      [
        step('call', '/echo?api_key={{secrets.apiKey}}&access_token=qs-token-456&page=2', {
          request: { headers: { authorization: 'Bearer {{secrets.apiKey}}' } },
          extract: [{ name: 'token', from: 'json', path: '$.token' }],
          assert: [
            { type: 'status', op: 'equals', value: 200 },
            { type: 'body', op: 'contains', value: 'nothing' },
            { type: 'header', name: 'set-cookie', op: 'equals', value: 'x' },
            { type: 'jsonPath', path: '$.token', op: 'equals', value: 'x' },
          ],
        }),
      ],
      { secrets: ['apiKey'] },
    );
    let resolved = 0;

    // Act
    const result = await runCheck(leaky, {
      ...options(server),
      secrets: async () => {
        resolved += 1;
        return secret;
      },
    });

    // Assess
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${secret}`);
    const json = JSON.stringify(result);
    for (const leaked of [secret, 'cookie-value-123', 'qs-token-456', 'resp-token-999']) {
      expect(json).not.toContain(leaked);
    }
    expect(result.steps[0]?.request.url).toBe(
      `${server.url}/echo?api_key=[REDACTED]&access_token=[REDACTED]&page=2`,
    );
    expect(json).toContain('[REDACTED]');
    expect(resolved).toBe(1);
  });

  it('fails clearly when a template variable is unknown, without sending the request', async () => {
    // Prepare
    const broken = check('broken', [step('s', '/items/{{itemId}}')]);

    // Act
    const result = await runCheck(broken, options(server));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe("s: unknown template variable 'itemId' in url");
    expect(server.requests).toHaveLength(0);
  });

  it('fills built-in variables and renders check variables once per attempt', async () => {
    // Prepare
    server.route('/echo', { status: 200 });
    const builtins = check(
      'builtins',
      [
        step('a', '/echo?email={{email}}&n={{$randomInt}}&ts={{$timestamp}}&now={{$now}}'),
        step('b', '/echo?email={{email}}&env={{stage}}'),
      ],
      { variables: { email: 'user-{{$uuid}}@example.com' } },
    );

    // Act
    const result = await runCheck(builtins, { ...options(server), variables: { stage: 'prod' } });

    // Assess
    expect(result.status).toBe('passed');
    const first = new URL(server.requests[0]?.url ?? '', server.url).searchParams;
    const second = new URL(server.requests[1]?.url ?? '', server.url).searchParams;
    expect(first.get('email')).toMatch(/^user-[0-9a-f-]{36}@example\.com$/);
    expect(second.get('email')).toBe(first.get('email'));
    expect(second.get('env')).toBe('prod');
    expect(Number(first.get('n'))).toBeGreaterThanOrEqual(0);
    expect(Number(first.get('ts'))).toBeGreaterThan(1_600_000_000_000);
    expect(new Date(first.get('now') ?? '').toISOString()).toBe(first.get('now'));
  });

  it('reports a refused connection as a failed step with its error', async () => {
    // Prepare
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();

    // Act
    const result = await runCheck(check('refused', [step('s', `${url}/x`)]), options(server));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/ECONNREFUSED/);
  });

  it('measures connect, first byte, download and total timings', async () => {
    // Prepare
    server.route('/timed', { delayMs: 60, body: 'ok' });

    // Act
    const result = await runCheck(check('timed', [step('s', '/timed')]), options(server));

    // Assess
    const timings = result.steps[0]?.timings;
    expect(timings?.firstByteMs).toBeGreaterThanOrEqual(55);
    expect(timings?.tlsMs).toBe(0);
    expect(timings?.totalMs).toBeGreaterThanOrEqual((timings?.firstByteMs ?? 0) + (timings?.connectMs ?? 0));
  });
});
