import { getEventListeners } from 'node:events';
import type http from 'node:http';
import { runChecks } from '../../../../functions/synthetics/engine/run-checks';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer, type TestServer } from '../../../helpers/http/test-server';

const CHECKS = 15;

describe('runChecks with an abort signal', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it(`adds one abort listener per run, not per check: ${CHECKS} checks in flight print no MaxListeners warning`, async () => {
    // Prepare: every request is held until all are in flight (or 30 s pass), then answered
    const controller = new AbortController();
    const held: http.ServerResponse[] = [];
    let listenersWhileAllInFlight = -1;
    const release = () => {
      for (const response of held.splice(0)) response.writeHead(200).end();
    };
    const fallback = setTimeout(release, 30_000);
    server.route('/hold', (_request, response) => {
      held.push(response);
      if (held.length === CHECKS) {
        listenersWhileAllInFlight = getEventListeners(controller.signal, 'abort').length;
        release();
      }
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const checks = Array.from({ length: CHECKS }, (_, i) => check(`c${i}`, [step('s', '/hold')]));

    // Act
    let results: Awaited<ReturnType<typeof runChecks>>;
    try {
      results = await runChecks(checks, {
        baseUrl: server.url,
        concurrency: CHECKS,
        signal: controller.signal,
      });
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      clearTimeout(fallback);
      process.off('warning', onWarning);
    }

    // Assess
    expect(results.every((result) => result.status === 'passed')).toBe(true);
    expect(listenersWhileAllInFlight).toBe(1);
    expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('still aborts every in-flight check through the one listener', async () => {
    // Prepare
    const controller = new AbortController();
    let arrived = 0;
    server.route('/hang', () => {
      arrived += 1;
      if (arrived === CHECKS) controller.abort();
    });
    const checks = Array.from({ length: CHECKS }, (_, i) => check(`c${i}`, [step('s', '/hang')]));

    // Act
    const results = await runChecks(checks, {
      baseUrl: server.url,
      concurrency: CHECKS,
      signal: controller.signal,
    });

    // Assess
    expect(results.map((result) => result.status)).toEqual(Array(CHECKS).fill('failed'));
    expect(results.every((result) => /abort/i.test(result.error ?? ''))).toBe(true);
  });
});
