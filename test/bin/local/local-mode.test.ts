import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalMode, summarizeDelivery } from '../../../bin/local/local-mode';
import type { CheckResult } from '../../../functions/synthetics/types/results';
import { type HttpReceiver, startReceiver } from '../../functions/escalation/helpers/http-receiver';
import { recordingIO } from '../../helpers/cli-io';

const DEMO_CONFIG = join(__dirname, '../../../vigil.config.ts');
/** Local mode builds the demo API, PGlite and the escalation state machine: a generous guard, not a goal. */
const SLOW_START = 300_000;

/** Resolves once `condition` holds, polling every 20 ms for at most ~60 s; rejects naming what never happened. */
const eventually = async (what: string, condition: () => boolean): Promise<void> => {
  for (let turn = 0; turn < 3_000 && !condition(); turn += 1)
    await new Promise((next) => setTimeout(next, 20));
  if (!condition()) throw new Error(`never happened: ${what}`);
};

describe('local mode (npm start)', () => {
  it(
    'starts the demo API and shows the demo checks passing, then failing when a fault is injected',
    async () => {
      // Prepare
      const { io, stdout } = recordingIO();
      const local = await startLocalMode({ io, port: 0, ackPort: 0, configPath: DEMO_CONFIG });
      if (!local) throw new Error('local mode did not start');
      try {
        // Act
        const healthy = await local.runOnce();
        local.api.faults.set({ down: ['redis'] });
        const faulted = await local.runOnce();
        // Assess
        // Healthy means no check fails; on a loaded machine a slow answer may be 'degraded' (the demo's
        // degradedAfter is 1 s): latency is not what this test is about.
        expect(healthy.checks.length).toBeGreaterThan(0);
        expect(
          healthy.checks.filter((result) => result.status === 'failed').map((r) => `${r.name}: ${r.error}`),
        ).toEqual([]);
        expect(healthy.kpis.map((result) => [result.name, result.status])).toEqual([
          ['conversion_rate', 'ok'],
          ['daily_revenue', 'breached'],
          ['customer_satisfaction', 'ok'],
        ]);
        expect(stdout()).toMatch(/KPI BREACHED +daily_revenue/);
        const ready = faulted.checks.find((result) => result.name === 'health_ready');
        expect(ready?.status).toBe('failed');
        expect(ready?.error).toBe("probe: expected status equals 200, got 503; dependency 'redis' is down");
        expect(stdout()).toContain(`Demo flight API on ${local.baseUrl}`);
        expect(stdout()).toMatch(/FAIL {2}health_ready/);
      } finally {
        await local.stop();
      }
    },
    SLOW_START,
  );

  it(
    'runs checks on their schedule until stopped',
    async () => {
      // Prepare
      const results: CheckResult[] = [];
      const { io } = recordingIO();
      const local = await startLocalMode({
        io,
        port: 0,
        ackPort: 0,
        configPath: DEMO_CONFIG,
        intervalMs: 150,
        onCheckResult: (r) => results.push(r),
      });
      if (!local) throw new Error('local mode did not start');
      // Act: wait for three rounds (6 checks each), however long the machine takes, then stop
      local.startSchedules();
      await eventually('three rounds of checks', () => results.length >= 18);
      await local.stop();
      const countAtStop = results.length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Assess: rounds repeat on the schedule, and nothing runs after stop (three intervals later)
      expect(countAtStop).toBeGreaterThanOrEqual(18);
      expect(results.length).toBe(countAtStop);
    },
    SLOW_START,
  );
});

describe('local mode escalation', () => {
  it(
    'pages through the escalation state machine after two failed runs in a row, and only once',
    async () => {
      // Prepare
      const { io, stdout } = recordingIO();
      const local = await startLocalMode({ io, port: 0, ackPort: 0, configPath: DEMO_CONFIG });
      if (!local) throw new Error('local mode did not start');
      try {
        local.api.faults.set({ down: ['redis'] });
        // Act
        await local.runOnce();
        const afterOne = stdout();
        await local.runOnce();
        await local.runOnce();
        await eventually(
          'the page and the escalation outcome',
          () =>
            /PAGE {2}\[oncall-(slack|pagerduty)\][\s\S]*ack: \S+/.test(stdout()) &&
            /ALARM flight-booking-check-health_ready: escalation/.test(stdout()),
        );
        // Assess: no page after one failure; one incident after two (a third failure starts nothing new)
        expect(afterOne).not.toContain('ALARM flight-booking-check-health_ready');
        const alarms = stdout().match(/ALARM flight-booking-check-health_ready: escalation started/g) ?? [];
        expect(alarms).toHaveLength(1);
        expect(stdout()).toMatch(/PAGE {2}\[oncall-(slack|pagerduty)\]/);
        // Every page shows its ack link, served locally: the confirmation form, then the recorded ack.
        expect(stdout()).toContain(`Ack links in pages are served on ${local.ackUrl}`);
        const link = /ack: (\S+)/.exec(stdout())?.[1] ?? '';
        expect(link.startsWith(`${local.ackUrl}?incident=flight-booking-check-health_ready-`)).toBe(true);
        expect((await fetch(link)).status).toBe(200);
        const acked = await fetch(link, { method: 'POST', body: new URLSearchParams({ by: 'Ada' }) });
        expect(await acked.text()).toContain('Acknowledged by Ada');
      } finally {
        await local.stop();
      }
    },
    SLOW_START,
  );
});

describe('summarizeDelivery', () => {
  it('shows the human part of a delivery: Slack text, PagerDuty action and summary, plain text as is', () => {
    expect(summarizeDelivery(JSON.stringify({ text: '[CRITICAL] ServiceDown', blocks: [] }))).toBe(
      '[CRITICAL] ServiceDown',
    );
    expect(
      summarizeDelivery(JSON.stringify({ event_action: 'resolve', payload: { summary: 'ServiceDown' } })),
    ).toBe('resolve: ServiceDown');
    expect(summarizeDelivery('CRITICAL ServiceDown ALARM platform')).toBe(
      'CRITICAL ServiceDown ALARM platform',
    );
    expect(summarizeDelivery('x'.repeat(300))).toHaveLength(200);
  });
});

describe('local mode escalation with a real webhook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-local-webhook-'));
  const configFile = join(dir, 'vigil.config.json');
  const policy = { levels: [{ after: '0s', channels: ['slack'] }] };
  writeFileSync(
    configFile,
    JSON.stringify({
      app: 'visible',
      environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
      checks: [{ type: 'health', name: 'health_ready', url: '{{baseUrl}}/health/ready' }],
      checkAlarms: { failuresToAlarm: 1 },
      channels: { slack: { type: 'slack', webhook: { secretsManager: 'visible/slack' } } },
      escalation: { critical: policy, warning: policy, info: policy, pollInterval: '1s' },
    }),
  );
  let slack: HttpReceiver;

  beforeAll(async () => {
    slack = await startReceiver();
  });

  afterAll(async () => {
    await slack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits (bounded, ~60 s) until the output contains `text`. */
  const waitFor = async (output: () => string, text: string | RegExp) => {
    for (let tries = 0; tries < 600; tries += 1) {
      if (typeof text === 'string' ? output().includes(text) : text.test(output())) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`never printed ${text}; output:\n${output()}`);
  };

  it(
    'prints every delivery to the webhook (result, attempts, ack link) and the ack',
    async () => {
      // Prepare
      const { io, stdout } = recordingIO({ env: { VIGIL_SLACK_WEBHOOK_URL: slack.url }, cwd: dir });
      const local = await startLocalMode({ io, port: 0, ackPort: 0, configPath: configFile });
      if (!local) throw new Error('local mode did not start');
      try {
        local.api.faults.set({ down: ['redis'] });
        // Act
        await local.runOnce();
        await waitFor(stdout, /PAGE {2}\[slack\] L1 delivered/);
        const link = /ack: (\S+)/.exec(stdout())?.[1] ?? '';
        await fetch(link, { method: 'POST', body: new URLSearchParams({ by: 'Ada' }) });
        await waitFor(stdout, 'ACKED visible-check-health_ready-');
        local.api.faults.set({});
        // Assess
        expect(slack.requests.length).toBeGreaterThan(0);
        expect(stdout()).toMatch(
          /PAGE {2}\[slack\] L1 delivered \(1 attempt\): HTTP 200 after 1 attempt\n\s+ack: http:\/\/127\.0\.0\.1:\d+\/vigil\/ack\?incident=visible-check-health_ready-/,
        );
        expect(link.startsWith(`${local.ackUrl}?incident=visible-check-health_ready-`)).toBe(true);
        expect(stdout()).toMatch(/ACKED visible-check-health_ready-\S+ by Ada \(via slack\) \(via link\)/);
        expect(stdout()).not.toContain('MSG   [slack]');
      } finally {
        await local.stop();
      }
    },
    SLOW_START,
  );

  it(
    'prints the resolve sent to the webhook when the check passes again',
    async () => {
      // Prepare
      slack.reset();
      const { io, stdout } = recordingIO({ env: { VIGIL_SLACK_WEBHOOK_URL: slack.url }, cwd: dir });
      const local = await startLocalMode({ io, port: 0, ackPort: 0, configPath: configFile });
      if (!local) throw new Error('local mode did not start');
      try {
        local.api.faults.set({ down: ['redis'] });
        await local.runOnce();
        await waitFor(stdout, /PAGE {2}\[slack\] L1 delivered/);
        // Act
        local.api.faults.set({});
        await local.runOnce();
        await waitFor(stdout, /RESOLVE \[slack\] delivered/);
        // Assess
        expect(stdout()).toMatch(/RESOLVE \[slack\] delivered \(1 attempt\): HTTP 200 after 1 attempt/);
        expect(slack.requests.map((request) => String(request.json.text))).toEqual([
          expect.stringContaining('visible-check-health_ready'),
          expect.stringContaining('RESOLVED'),
        ]);
      } finally {
        await local.stop();
      }
    },
    SLOW_START,
  );
});
