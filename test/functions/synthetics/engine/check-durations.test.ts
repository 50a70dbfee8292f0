import { formatCheckLine } from '../../../../bin/commands/check-report';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';
import { skippingClock } from '../../../helpers/skipping-clock';

describe('check durations with retries', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("reports the whole check's time, retry wait included, and each attempt's own time", async () => {
    // Prepare: a clock whose sleep advances time by the retry delay, 10 virtual minutes: far more than any
    // attempt can take on a loaded machine, so an attempt that counted the wait would show it.
    let calls = 0;
    server.route('/flaky', (_request, response) => {
      calls += 1;
      response.writeHead(calls < 2 ? 500 : 200).end();
    });
    const clock = skippingClock();
    const flaky = check(
      'flaky',
      [step('s', '/flaky', { assert: [{ type: 'status', op: 'equals', value: 200 }] })],
      {
        timeoutMs: 3_600_000,
        retry: { strategy: 'fixed', maxAttempts: 3, delayMs: 600_000, maxDelayMs: 600_000 },
      },
    );

    // Act
    const result = await runCheck(flaky, { baseUrl: server.url, concurrency: 1, clock });

    // Assess
    expect(result.attempts.map((attempt) => attempt.status)).toEqual(['failed', 'passed']);
    const [first, second] = result.attempts.map((attempt) => attempt.durationMs) as [number, number];
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(first).toBeLessThan(600_000);
    expect(second).toBeLessThan(600_000);
    expect(result.durationMs).toBeGreaterThanOrEqual(first + 600_000 + second);
    expect(formatCheckLine(result)).toMatch(
      new RegExp(
        `^PASS {2}flaky +\\d+ ms +\\(after 1 retry; attempts ${Math.round(first)}, ${Math.round(second)} ms\\)$`,
      ),
    );
  });
});
