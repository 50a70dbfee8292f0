import type { ResolvedKpi } from '../commons/config/kpi-schema';
import { KpiCardinalityError, KpiResultError } from './errors';
import type { KpiRows } from './types/ports';
import type { KpiValue } from './types/results';

const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MAX_DIMENSION_VALUE = 250;

/**
 * Reads one cell as a number. `null`/`undefined` (SQL NULL) is `undefined` — a missing datapoint.
 * Numeric text (`'18.25'`, PostgreSQL `numeric`/`bigint`) and bigints are converted. NaN, infinities,
 * booleans and other text are errors: CloudWatch cannot store them and they mean the query is wrong.
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
  if (!Number.isFinite(value)) {
    throw new KpiResultError(
      `column '${column}' in row ${row + 1} is ${value}: CloudWatch only stores finite numbers`,
    );
  }
  return value;
};

const pad = (value: number) => String(value).padStart(2, '0');

/** Renders a dimension cell as CloudWatch dimension text. Dates at UTC midnight render as `YYYY-MM-DD`. */
export const toDimensionValue = (cell: unknown): string => {
  if (cell === null || cell === undefined) return 'null';
  let text: string;
  if (cell instanceof Date) {
    text =
      cell.getUTCHours() === 0 &&
      cell.getUTCMinutes() === 0 &&
      cell.getUTCSeconds() === 0 &&
      cell.getUTCMilliseconds() === 0
        ? `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`
        : cell.toISOString();
  } else text = String(cell);
  if (text.trim() === '') return '(empty)';
  return text.length > MAX_DIMENSION_VALUE ? text.slice(0, MAX_DIMENSION_VALUE) : text;
};

/**
 * Maps a query result to datapoints: one per value column per row, split by the dimension columns.
 * An empty result (or a NULL cell) is a missing datapoint unless the KPI says `emptyAs: 'zero'`.
 *
 * @throws {KpiResultError} for a missing column, too many rows or a value that is not a finite number
 * @throws {KpiCardinalityError} when the rows hold more distinct dimension combinations than `maxSeries`
 */
export const toKpiValues = (kpi: ResolvedKpi, result: KpiRows): KpiValue[] => {
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
  result.rows.forEach((row, index) => {
    const dimensions: Record<string, string> = {};
    for (const dimension of kpi.dimensions)
      dimensions[dimension.name] = toDimensionValue(row[dimension.column]);
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
