import { createEmfWriter, type EmfRecord } from '../commons/metrics/emf-writer';
import { KPI_DIMENSIONS } from '../commons/metrics/kpi-dimensions';
import {
  DEFAULT_METRICS_NAMESPACE,
  KPI_HEALTH_METRICS,
  kpiDimensions,
} from '../commons/metrics/metric-catalog';
import type { KpiResult } from './types/results';

export { KPI_DIMENSIONS };

/** One EMF record: the dimension sets it belongs to and the metrics it carries. */
export type KpiMetricRecord = EmfRecord;

export { KPI_HEALTH_METRICS };

/**
 * The metrics of one KPI run as EMF records. Every datapoint is published on `{App, Kpi}` (what the
 * threshold alarms watch, with Minimum/Maximum over rows); rows with dimension columns are also published
 * on `{App, Kpi, <dimensions>}` so each series can be graphed. `QueryDuration` and `QueryFailed` are
 * published on `{App, Kpi}` for every run, failed or not. Timestamped with the run's start.
 *
 * @example
 * for (const record of kpiMetricRecords('shop', result)) writer.publish(record);
 */
export const kpiMetricRecords = (app: string, result: KpiResult): KpiMetricRecord[] => {
  const base = kpiDimensions(app, result.name);
  const timestamp = result.startedAt;
  const records: KpiMetricRecord[] = [
    {
      dimensionSets: [base],
      timestamp,
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
    records.push({ dimensionSets: split ? [base, { ...base, ...dimensions }] : [base], timestamp, metrics });
  }
  return records;
};

/** A KPI result as published, and the EMF lines that publish it. */
export interface PublishedKpi {
  /** The result, or a `failed` one when its metrics could not be published. */
  readonly result: KpiResult;
  readonly lines: readonly string[];
}

/**
 * Serializes every record of a KPI run before any is written, so a KPI is published whole or reported
 * failed: when a record cannot be published (a name or value CloudWatch would drop), the KPI becomes a
 * `failed` result with the reason and only `QueryFailed = 1` is published, so its failure alarm fires.
 * Never reports `QueryFailed = 0` for a KPI whose values did not go out.
 *
 * @example
 * const { result: published, lines } = publishKpi('shop', result, writer.serialize);
 * writer.write(lines);
 */
export const publishKpi = (
  app: string,
  result: KpiResult,
  serialize: (record: KpiMetricRecord) => string[],
): PublishedKpi => {
  try {
    return { result, lines: kpiMetricRecords(app, result).flatMap(serialize) };
  } catch (error) {
    const failed: KpiResult = {
      ...result,
      status: 'failed',
      values: [],
      breaches: [],
      error: `its metrics cannot be published: ${error instanceof Error ? error.message : String(error)}`,
      errorName: error instanceof Error ? error.name : 'Error',
    };
    return { result: failed, lines: kpiMetricRecords(app, failed).flatMap(serialize) };
  }
};

/**
 * The results as the deployed runner reports them: each goes through {@link publishKpi} (documents built
 * and discarded), so a KPI whose metrics CloudWatch would refuse is `failed` in `vigil kpi` and local
 * mode exactly as in Lambda.
 *
 * @example
 * const results = asPublished(config.app, await runKpis(kpis, { datasource }));
 */
export const asPublished = (app: string, results: readonly KpiResult[]): KpiResult[] => {
  const writer = createEmfWriter({ namespace: DEFAULT_METRICS_NAMESPACE, sink: () => undefined });
  return results.map((result) => publishKpi(app, result, writer.serialize).result);
};
