import { METRIC_DIMENSIONS } from './metric-catalog';

/**
 * The dimensions every KPI metric carries: `{App: <app>, Kpi: <name>}` (the catalog's vocabulary, see
 * `metric-catalog.ts`). No KPI metric or row dimension may use these names. Plain data (no zod), so the
 * KPI runner's bundle stays small.
 */
export const KPI_DIMENSIONS = {
  /** The config's `app`. */
  app: METRIC_DIMENSIONS.app,
  /** The KPI's name. */
  kpi: METRIC_DIMENSIONS.kpi,
} as const;
