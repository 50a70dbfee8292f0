import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalMode } from '../../../bin/local/local-mode';
import { recordingIO } from '../../helpers/cli-io';

/** Local mode builds the demo API and the escalation state machine: a generous guard, not a goal. */
const SLOW_START = 300_000;

/** Waits (bounded, ~60 s) until the output contains `text`; rejects with the output otherwise. */
const waitFor = async (output: () => string, text: string | RegExp) => {
  for (let tries = 0; tries < 600; tries += 1) {
    if (typeof text === 'string' ? output().includes(text) : text.test(output())) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never printed ${text}; output:\n${output()}`);
};

describe('local mode evaluates failWhen like the deployed alarm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-local-failwhen-'));
  const configFile = join(dir, 'vigil.config.json');
  const policy = { levels: [{ after: '0s', channels: ['slack'] }] };
  const ready = '{{baseUrl}}/health/ready';
  writeFileSync(
    configFile,
    JSON.stringify({
      app: 'failwhen',
      environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
      checks: [
        // Both checks probe the same endpoint, so they see the same runs.
        { type: 'health', name: 'two_of_three', url: ready, failWhen: { failures: 2, outOf: 3 } },
        { type: 'health', name: 'in_a_row', url: ready },
      ],
      channels: { slack: { type: 'slack', webhook: { secretsManager: 'failwhen/slack' } } },
      escalation: { critical: policy, warning: policy, info: policy, pollInterval: '1s' },
    }),
  );

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'pages once for a 2-of-3 check failing fail, pass, fail, and not for the default (2 in a row) check',
    async () => {
      // Prepare
      const { io, stdout } = recordingIO({ cwd: dir });
      const local = await startLocalMode({ io, port: 0, ackPort: 0, configPath: configFile });
      if (!local) throw new Error('local mode did not start');
      try {
        // Act: fail, pass, fail (the demo API's readiness fails while redis is down)
        local.api.faults.set({ down: ['redis'] });
        const first = await local.runOnce();
        local.api.faults.set({});
        const second = await local.runOnce();
        local.api.faults.set({ down: ['redis'] });
        const third = await local.runOnce();
        await waitFor(stdout, 'ALARM failwhen-check-two_of_three: escalation started');
        await waitFor(stdout, /MSG {3}\[slack\] .*failwhen-check-two_of_three/);
        // Assess
        expect([first, second, third].map((run) => run.checks.map((result) => result.status))).toEqual([
          ['failed', 'failed'],
          [expect.not.stringMatching('failed'), expect.not.stringMatching('failed')],
          ['failed', 'failed'],
        ]);
        expect(stdout().match(/ALARM failwhen-check-two_of_three: escalation started/g)).toHaveLength(1);
        expect(stdout()).not.toContain('ALARM failwhen-check-in_a_row');
      } finally {
        await local.stop();
      }
    },
    SLOW_START,
  );

  it(
    'pages for a check whose runs outlast its interval: each skipped tick is a silent period, as the deployed alarm sees it',
    async () => {
      // Prepare: every answer takes 700 ms, the check runs every 200 ms, so the ticks in between are
      // skipped; no run fails
      const skipDir = mkdtempSync(join(tmpdir(), 'vigil-local-skip-'));
      const skipConfig = join(skipDir, 'vigil.config.json');
      writeFileSync(
        skipConfig,
        JSON.stringify({
          app: 'skips',
          environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
          checks: [{ type: 'health', name: 'slow', url: ready }],
          channels: { slack: { type: 'slack', webhook: { secretsManager: 'skips/slack' } } },
          escalation: { critical: policy, warning: policy, info: policy, pollInterval: '1s' },
        }),
      );
      const { io, stdout } = recordingIO({ cwd: skipDir });
      const results: string[] = [];
      const local = await startLocalMode({
        io,
        port: 0,
        ackPort: 0,
        configPath: skipConfig,
        intervalMs: 200,
        faults: { latencyMs: 700 },
        onCheckResult: (result) => results.push(result.status),
      });
      if (!local) throw new Error('local mode did not start');
      try {
        // Act
        local.startSchedules();
        await waitFor(stdout, 'SKIP  slow: the previous run is still going');
        await waitFor(stdout, 'ALARM skips-check-slow: escalation started');
        // Assess: the page came from silent periods, not from a failed run
        expect(results.filter((status) => status === 'failed')).toEqual([]);
      } finally {
        await local.stop();
        rmSync(skipDir, { recursive: true, force: true });
      }
    },
    SLOW_START,
  );
});
