/**
 * The dimensions every KPI metric carries: `{App: <app>, Kpi: <name>}`. No KPI metric or row dimension may
 * use these names. Plain data (no zod), so the KPI runner's bundle stays small.
 */
export const KPI_DIMENSIONS = {
  /** The config's `app`. */
  app: 'App',
  /** The KPI's name. */
  kpi: 'Kpi',
} as const;
