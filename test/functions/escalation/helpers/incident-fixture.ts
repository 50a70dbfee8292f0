import type { Incident } from '../../../../functions/escalation/types/incident';

/** An open critical incident, as the engine stores it, for ack-path tests. */
export const openIncident = (
  id = 'shop-check-login-20260302T103000Z-1a2b3c4d5e',
  alarmName = 'shop-check-login',
): Incident => ({
  id,
  alarm: {
    alarmName,
    state: 'ALARM',
    reason: 'Threshold Crossed',
    stateChangedAt: '2026-03-02T10:30:00.000Z',
    region: 'us-east-1',
    source: 'eventbridge',
  },
  severity: 'critical',
  team: 'platform',
  policy: 'critical',
  summary: 'Service is down',
  tags: {},
  startedAt: Date.parse('2026-03-02T10:30:00Z'),
});
