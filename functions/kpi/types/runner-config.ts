import type { ResolvedDatasource, ResolvedKpi } from '../../commons/config/kpi-schema';

/** File name of the runner config shipped next to the KPI runner's `index.js`. */
export const KPI_RUNNER_CONFIG_FILE = 'kpi-config.json';

/**
 * What one KPI runner Lambda receives at deploy time (as {@link KPI_RUNNER_CONFIG_FILE}): validated,
 * resolved plain data, so the Lambda never loads zod. Secrets are references, never values.
 */
export interface KpiRunnerConfig {
  readonly app: string;
  /** KPIs by schedule group key (`every-5m`); the scheduler's event names the group to run. */
  readonly groups: Readonly<Record<string, readonly ResolvedKpi[]>>;
  readonly datasources: Readonly<Record<string, ResolvedDatasource>>;
  /** KPIs queried at once. */
  readonly concurrency: number;
}

/** The event EventBridge Scheduler sends to a KPI runner. */
export interface KpiRunnerEvent {
  readonly group: string;
}
