import type { KpiResult } from './types/results';

/** One EMF record: the dimension sets it belongs to and the metrics it carries. */
export interface KpiMetricRecord {
  /** Each set is published: `{App, Kpi}` always, plus `{App, Kpi, ...row dimensions}` for split KPIs. */
  readonly dimensionSets: readonly Readonly<Record<string, string>>[];
  readonly metrics: readonly { readonly name: string; readonly unit: string; readonly value: number }[];
}

/** Vigil's own per-KPI metrics. */
export const KPI_HEALTH_METRICS = {
  /** Query wall time, milliseconds. */
  duration: 'QueryDuration',
  /** 1 when the query or its result failed, else 0: its alarm pages when a KPI breaks or goes silent. */
  failed: 'QueryFailed',
} as const;

/**
 * The metrics of one KPI run as EMF records. Every datapoint is published on `{App, Kpi}` (what the
 * threshold alarms watch, with Minimum/Maximum over rows); rows with dimension columns are also published
 * on `{App, Kpi, <dimensions>}` so each series can be graphed. `QueryDuration` and `QueryFailed` are
 * published on `{App, Kpi}` for every run, failed or not.
 *
 * @example
 * for (const record of kpiMetricRecords('shop', result)) publish(record);
 */
export const kpiMetricRecords = (app: string, result: KpiResult): KpiMetricRecord[] => {
  const base = { App: app, Kpi: result.name };
  const records: KpiMetricRecord[] = [
    {
      dimensionSets: [base],
      metrics: [
        {
          name: KPI_HEALTH_METRICS.duration,
          unit: 'Milliseconds',
          value: Math.round(result.durationMs * 100) / 100,
        },
        { name: KPI_HEALTH_METRICS.failed, unit: 'Count', value: result.status === 'failed' ? 1 : 0 },
      ],
    },
  ];
  const byRow = new Map<
    string,
    { dimensions: Record<string, string>; metrics: KpiMetricRecord['metrics'][number][] }
  >();
  for (const value of result.values) {
    const key = JSON.stringify(value.dimensions);
    let entry = byRow.get(key);
    if (!entry) {
      entry = { dimensions: { ...value.dimensions }, metrics: [] };
      byRow.set(key, entry);
    }
    entry.metrics.push({ name: value.metric, unit: value.unit, value: value.value });
  }
  for (const { dimensions, metrics } of byRow.values()) {
    const split = Object.keys(dimensions).length > 0;
    records.push({ dimensionSets: split ? [base, { ...base, ...dimensions }] : [base], metrics });
  }
  return records;
};
