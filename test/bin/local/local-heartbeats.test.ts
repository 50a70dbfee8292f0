import { createLocalEscalation, type LocalEscalation } from '../../../bin/local/escalation/local-escalation';
import { startLocalHeartbeats } from '../../../bin/local/local-heartbeats';
import { resolveHeartbeats } from '../../../functions/commons/config/heartbeat-schema';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { executionName } from '../../../functions/escalation/core/execution-name';
import { config as demoConfig } from '../../../vigil.config';
import { startDemoHeartbeats } from './helpers/demo-heartbeats';

const ALARM = 'flight-booking-heartbeat-loyalty_points_sync';

const config = parseConfig(demoConfig);
let escalation: LocalEscalation;

// Synthesizing the demo's escalation state machine takes seconds (more on a loaded machine): once, up front.
beforeAll(() => {
  escalation = createLocalEscalation(config, { print: () => undefined });
}, 180_000);

describe('local heartbeats (npm start)', () => {
  it('escalates a heartbeat that goes late, routed by its tags like a check alarm, and recovers it on the next ping', async () => {
    // Prepare
    const { local, lines, now, advance } = await startDemoHeartbeats(
      config,
      escalation,
      Date.parse('2026-06-01T10:00:00Z'),
    );
    try {
      const url = local.pingUrls.get('loyalty_points_sync')!;

      // Act
      const ping = await fetch(url);
      await local.evaluate();
      const inTime = [...lines];
      advance(90_001); // one minute + 30 s grace, and a millisecond
      const evaluations = await local.evaluate();
      const incidentId = executionName(ALARM, new Date(now()).toISOString());
      const incident = await escalation.store.getIncident(incidentId);

      // Assess
      expect(ping.status).toBe(200);
      expect(inTime).toEqual([]);
      expect(evaluations.find((e) => e.name === 'loyalty_points_sync')?.status).toBe('late');
      expect(lines).toContain('ALARM flight-booking-heartbeat-loyalty_points_sync: escalation started');
      // Routed like a check alarm, by the tags the deployed alarm carries, and summarized by its description.
      expect(incident).toMatchObject({
        severity: 'critical',
        team: 'backend',
        policy: 'critical',
        summary:
          "Heartbeat 'loyalty_points_sync' is late: no successful run in time: Syncs loyalty points to the partner program every minute.",
        tags: { 'vigil:kind': 'heartbeat', 'vigil:team': 'backend', 'vigil:severity': 'critical' },
      });

      // Act: the job pings again.
      await (await fetch(url)).text();
      await local.evaluate();

      // Assess
      expect(lines).toContain('HEARTBEAT UP loyalty_points_sync');
      expect(await escalation.alarms.getState({ alarmName: ALARM })).toBe('OK');
    } finally {
      escalation.engine.stopAll();
      await local.stop();
    }
  });

  it('answers a wrong token with 404 and accepts an oversized POST body (truncated, not refused)', async () => {
    // Prepare
    const local = await startLocalHeartbeats({
      app: config.app,
      heartbeats: resolveHeartbeats(config),
      print: () => undefined,
    });
    try {
      const url = local.pingUrls.get('fare_cache_refresh')!;

      // Act
      const wrong = await fetch(`${url.slice(0, url.lastIndexOf('/'))}/not-the-token`);
      const big = await fetch(`${url}/fail`, { method: 'POST', body: 'e'.repeat(1_000_000) });
      const evaluations = await local.evaluate();

      // Assess
      expect([wrong.status, await wrong.text()]).toEqual([404, 'not found\n']);
      expect(big.status).toBe(200);
      expect(evaluations.find((e) => e.name === 'fare_cache_refresh')?.status).toBe('failed');
    } finally {
      await local.stop();
    }
  });
});
