import { SEVERITIES } from '../severity';
import {
  KPI_DEFAULTS,
  kpiPeriodMs,
  type ResolvedDatasource,
  type ResolvedKpi,
  type ResolvedThreshold,
} from './kpi-schema';
import { type ResolvedSchedule, resolveSchedule } from './schedule';
import type { VigilConfig } from './schema';

/**
 * The enabled KPIs exactly as the engine runs them: defaults applied (KPI > config `defaults.team` /
 * `defaults.runbookUrl` > built-ins), value and dimension shorthands expanded, durations in milliseconds.
 * Expects a config that passed {@link parseConfig}.
 *
 * @example
 * const kpis = resolveKpis(loadConfig().config);
 */
export const resolveKpis = (config: VigilConfig): ResolvedKpi[] =>
  config.kpis
    .filter((kpi) => kpi.enabled)
    .map((kpi): ResolvedKpi => {
      const schedule = resolveSchedule(kpi.schedule ?? KPI_DEFAULTS.schedule) as ResolvedSchedule;
      const period = kpiPeriodMs(schedule, kpi.period);
      const values = kpi.values.map((value) =>
        typeof value === 'string'
          ? { column: value, metric: value, unit: 'None' as const }
          : { column: value.column, metric: value.metric ?? value.column, unit: value.unit },
      );
      const alarmColumn = kpi.alarmOn ?? values[0]!.column;
      const thresholds = SEVERITIES.flatMap((severity): ResolvedThreshold[] => {
        const threshold = kpi.thresholds[severity];
        if (!threshold) return [];
        return 'below' in threshold
          ? [{ severity, direction: 'below', value: threshold.below }]
          : [{ severity, direction: 'above', value: threshold.above }];
      });
      const runbookUrl = kpi.runbookUrl ?? config.defaults.runbookUrl;
      return {
        name: kpi.name,
        ...(kpi.description !== undefined ? { description: kpi.description } : {}),
        datasource: kpi.datasource,
        sql: kpi.sql,
        schedule,
        ...(kpi.window !== undefined ? { windowMs: kpi.window } : {}),
        parameters: kpi.parameters,
        values,
        dimensions: kpi.dimensions.map((dimension) =>
          typeof dimension === 'string'
            ? { column: dimension, name: dimension }
            : { column: dimension.column, name: dimension.name ?? dimension.column },
        ),
        maxSeries: kpi.maxSeries ?? KPI_DEFAULTS.maxSeries,
        thresholds,
        ...(kpi.anomalyBand !== undefined ? { anomalyBand: kpi.anomalyBand } : {}),
        alarmOn: values.find((value) => value.column === alarmColumn)?.metric ?? values[0]!.metric,
        periodMs: 'periodMs' in period ? period.periodMs : 300_000,
        evaluationPeriods: kpi.evaluationPeriods ?? KPI_DEFAULTS.evaluationPeriods,
        datapointsToAlarm: kpi.datapointsToAlarm ?? KPI_DEFAULTS.datapointsToAlarm,
        missingData: kpi.missingData ?? KPI_DEFAULTS.missingData,
        emptyAs: kpi.emptyAs ?? KPI_DEFAULTS.emptyAs,
        failureSeverity: kpi.failureSeverity ?? KPI_DEFAULTS.failureSeverity,
        team: kpi.team ?? config.defaults.team ?? 'default',
        ...(runbookUrl !== undefined ? { runbookUrl } : {}),
        timeoutMs: kpi.timeout ?? KPI_DEFAULTS.timeoutMs,
        lockTimeoutMs: kpi.lockTimeout ?? KPI_DEFAULTS.lockTimeoutMs,
        maxRows: kpi.maxRows ?? KPI_DEFAULTS.maxRows,
      };
    });

/**
 * The datasources referenced by enabled KPIs, by name, with defaults applied. Secrets stay references
 * (a name or ARN); their values are fetched by the runner at run time.
 */
export const resolveDatasources = (config: VigilConfig): Record<string, ResolvedDatasource> => {
  const used = new Set(config.kpis.filter((kpi) => kpi.enabled).map((kpi) => kpi.datasource));
  const resolved: Record<string, ResolvedDatasource> = {};
  for (const [name, source] of Object.entries(config.datasources)) {
    if (!used.has(name)) continue;
    resolved[name] =
      source.type === 'postgres'
        ? {
            type: 'postgres',
            name,
            secretId: source.secret.secretsManager,
            ...(source.host !== undefined ? { host: source.host } : {}),
            ...(source.port !== undefined ? { port: source.port } : {}),
            ...(source.database !== undefined ? { database: source.database } : {}),
            ssl: source.ssl,
            maxConnections: source.maxConnections ?? KPI_DEFAULTS.maxConnections,
            ...(source.vpc !== undefined ? { vpc: source.vpc } : {}),
          }
        : {
            type: 'aurora-data-api',
            name,
            clusterArn: source.clusterArn,
            secretArn: source.secretArn,
            database: source.database,
          };
  }
  return resolved;
};
