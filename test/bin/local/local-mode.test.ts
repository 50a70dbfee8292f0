import { join } from 'node:path';
import { startLocalMode, summarizeDelivery } from '../../../bin/local/local-mode';
import type { CheckResult } from '../../../functions/synthetics/types/results';
import { recordingIO } from '../../helpers/cli-io';

const DEMO_CONFIG = join(__dirname, '../../../vigil.config.ts');

describe('local mode (npm start)', () => {
  it('starts the demo API and shows the demo checks passing, then failing when a fault is injected', async () => {
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
      expect(healthy.checks.every((result) => result.status === 'passed')).toBe(true);
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
  });

  it('runs checks on their schedule until stopped', async () => {
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
    // Act
    local.startSchedules();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await local.stop();
    const countAtStop = results.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Assess: several rounds ran (6 checks each), and nothing ran after stop
    expect(countAtStop).toBeGreaterThanOrEqual(12);
    expect(results.length).toBe(countAtStop);
  });
});

describe('local mode escalation', () => {
  it('pages through the escalation state machine after two failed runs in a row, and only once', async () => {
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
      await new Promise((resolve) => setTimeout(resolve, 500));
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
  });
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
