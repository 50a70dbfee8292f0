import type { ResolvedHeartbeat } from '../../functions/commons/config/heartbeat-schema';

/** The tests' plain heartbeat: expected every hour, 5 minutes' grace, critical, team `ops`. */
export const hourlyHeartbeat = (name: string): ResolvedHeartbeat => ({
  name,
  expect: { everyMs: 3_600_000 },
  graceMs: 300_000,
  severity: 'critical',
  team: 'ops',
});
