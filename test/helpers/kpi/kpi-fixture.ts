import type { ResolvedKpi } from '../../../functions/commons/config/kpi-schema';

/** A resolved KPI with test-friendly defaults; override what the test is about. */
export const kpiFixture = (
  overrides: Partial<ResolvedKpi> & Pick<ResolvedKpi, 'name' | 'sql'>,
): ResolvedKpi => ({
  datasource: 'db',
  schedule: { key: 'every-5m', expression: 'rate(5 minutes)', everyMs: 300_000 },
  parameters: {},
  values: [{ column: 'value', metric: 'value', unit: 'None' }],
  dimensions: [],
  maxSeries: 10,
  thresholds: [],
  alarmOn: 'value',
  periodMs: 300_000,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  missingData: 'missing',
  emptyAs: 'missing',
  failureSeverity: 'warning',
  team: 'data',
  // Generous, so a test about something else passes however loaded the machine is; timeout tests set theirs.
  timeoutMs: 30_000,
  lockTimeoutMs: 10_000,
  maxRows: 1_000,
  ...overrides,
});
