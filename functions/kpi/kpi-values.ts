import type { ResolvedKpi } from '../commons/config/kpi-schema';
import {
  dimensionNameProblem,
  metricNameProblem,
  metricValueProblem,
  NULL_DIMENSION_VALUE,
  normalizeDimensionValue,
} from '../commons/metrics/emf-rules';
import { KPI_DIMENSIONS } from '../commons/metrics/kpi-dimensions';
import { KpiCardinalityError, KpiResultError } from './errors';
import type { KpiRows } from './types/ports';
import type { KpiValue } from './types/results';

const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads one cell as a number. `null`/`undefined` (SQL NULL) is `undefined` — a missing datapoint.
 * Numeric text (`'18.25'`, PostgreSQL `numeric`/`bigint`) and bigints are converted. NaN, infinities,
 * booleans, other text and numbers beyond CloudWatch's range (±2^360) are errors: CloudWatch cannot
 * store them and they mean the query is wrong.
 *
 * @throws {KpiResultError} naming the column and row
 */
export const toNumber = (cell: unknown, column: string, row: number): number | undefined => {
  if (cell === null || cell === undefined) return undefined;
  let value: number;
  if (typeof cell === 'number') value = cell;
  else if (typeof cell === 'bigint') value = Number(cell);
  else if (typeof cell === 'string' && NUMERIC_TEXT.test(cell.trim())) value = Number(cell.trim());
  else if (typeof cell === 'string' && /^[+-]?(NaN|Infinity)$/i.test(cell.trim())) {
    value = /nan/i.test(cell) ? Number.NaN : cell.trim().startsWith('-') ? -Infinity : Infinity;
  } else {
    const shown = typeof cell === 'string' ? `'${cell.slice(0, 40)}'` : typeof cell;
    throw new KpiResultError(`column '${column}' in row ${row + 1} is not a number: ${shown}`);
  }
  const problem = metricValueProblem(value);
  if (problem) {
    const shown = Number.isFinite(value) ? value.toExponential(3) : String(value);
    throw new KpiResultError(`column '${column}' in row ${row + 1} is ${shown}: it ${problem}`);
  }
  return value;
};

const pad = (value: number) => String(value).padStart(2, '0');

/** A dimension cell as text, before normalisation; `null` for SQL NULL. Dates at UTC midnight are `YYYY-MM-DD`. */
const dimensionText = (cell: unknown): string | null => {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) {
    return cell.getUTCHours() === 0 &&
      cell.getUTCMinutes() === 0 &&
      cell.getUTCSeconds() === 0 &&
      cell.getUTCMilliseconds() === 0
      ? `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`
      : cell.toISOString();
  }
  return String(cell);
};

/**
 * Renders a dimension cell as the CloudWatch dimension value it is published as (and `vigil kpi` prints):
 * SQL NULL is `%null`; text goes through {@link normalizeDimensionValue} (`Zürich` → `Z%C3%BCrich`, a
 * literal `%` → `%25`, cut at 1,024 characters with a hash), so distinct cells stay distinct.
 */
export const toDimensionValue = (cell: unknown): string => {
  const text = dimensionText(cell);
  return text === null ? NULL_DIMENSION_VALUE : normalizeDimensionValue(text);
};

/** The KPI's metric and dimension names as EMF publishes them, or a KpiResultError (a hand-built config). */
const checkNames = (kpi: ResolvedKpi): void => {
  const dimensions = new Set<string>(Object.values(KPI_DIMENSIONS));
  for (const { name } of kpi.dimensions) {
    const problem = dimensionNameProblem(name);
    if (problem) throw new KpiResultError(`dimension name '${name}' ${problem}`);
    if (dimensions.has(name)) throw new KpiResultError(`dimension name '${name}' is used twice`);
    dimensions.add(name);
  }
  for (const { metric } of kpi.values) {
    const problem = metricNameProblem(metric);
    if (problem) throw new KpiResultError(`metric name '${metric}' ${problem}`);
    if (dimensions.has(metric)) throw new KpiResultError(`metric name '${metric}' is also a dimension name`);
  }
};

/**
 * Maps a query result to datapoints: one per value column per row, split by the dimension columns.
 * An empty result (or a NULL cell) is a missing datapoint unless the KPI says `emptyAs: 'zero'`.
 *
 * Dimension values are normalised ({@link toDimensionValue}); two different cells that would publish as
 * the same value fail the KPI rather than merge.
 *
 * @throws {KpiResultError} for a missing column, too many rows, a value CloudWatch cannot store, a metric
 *   or dimension name EMF cannot carry, or two cells that would publish as one dimension value
 * @throws {KpiCardinalityError} when the rows hold more distinct dimension combinations than `maxSeries`
 */
export const toKpiValues = (kpi: ResolvedKpi, result: KpiRows): KpiValue[] => {
  checkNames(kpi);
  if (result.rowCount > kpi.maxRows) {
    throw new KpiResultError(
      `the query returned more than maxRows ${kpi.maxRows} rows (reading stopped at ${result.rowCount}): aggregate in SQL or raise maxRows`,
    );
  }
  const columns = new Set(result.columns);
  const missing = [
    ...kpi.values.map((value) => value.column),
    ...kpi.dimensions.map((dimension) => dimension.column),
  ].filter((column) => !columns.has(column));
  if (missing.length > 0) {
    throw new KpiResultError(
      `column${missing.length > 1 ? 's' : ''} ${missing.map((column) => `'${column}'`).join(', ')} not in the result (columns: ${result.columns.join(', ') || 'none'})`,
    );
  }
  const zero = kpi.emptyAs === 'zero';
  if (result.rows.length === 0) {
    return zero
      ? kpi.values.map((value) => ({ metric: value.metric, value: 0, unit: value.unit, dimensions: {} }))
      : [];
  }
  const series = new Set<string>();
  const datapoints: KpiValue[] = [];
  // Per dimension: published value -> the cell text it came from (null for SQL NULL).
  const sources = new Map<string, Map<string, string | null>>(
    kpi.dimensions.map((dimension) => [dimension.name, new Map()]),
  );
  result.rows.forEach((row, index) => {
    const dimensions: Record<string, string> = {};
    for (const dimension of kpi.dimensions) {
      const text = dimensionText(row[dimension.column]);
      const value = text === null ? NULL_DIMENSION_VALUE : normalizeDimensionValue(text);
      const seen = sources.get(dimension.name)!;
      const earlier = seen.get(value);
      if (earlier === undefined) seen.set(value, text);
      else if (earlier !== text) {
        const show = (cell: string | null) => (cell === null ? 'NULL' : `'${cell.slice(0, 40)}'`);
        throw new KpiResultError(
          `column '${dimension.column}' in row ${index + 1}: ${show(earlier)} and ${show(text)} would both publish as dimension value '${value.slice(0, 60)}'`,
        );
      }
      // An own member even for a dimension named `__proto__`.
      Object.defineProperty(dimensions, dimension.name, { value, enumerable: true, writable: true });
    }
    series.add(JSON.stringify(dimensions));
    for (const value of kpi.values) {
      const number = toNumber(row[value.column], value.column, index) ?? (zero ? 0 : undefined);
      if (number !== undefined)
        datapoints.push({ metric: value.metric, value: number, unit: value.unit, dimensions });
    }
  });
  if (series.size > kpi.maxSeries) {
    const names = kpi.dimensions.map((dimension) => dimension.name).join(', ');
    throw new KpiCardinalityError(
      `the result has ${series.size} distinct (${names}) combinations, more than maxSeries ${kpi.maxSeries}: ` +
        'each is a separate paid CloudWatch metric; aggregate in SQL or raise maxSeries',
    );
  }
  return datapoints;
};
