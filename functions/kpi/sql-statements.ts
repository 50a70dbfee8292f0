/**
 * The KPI's one query as a datasource sends it: the single-statement rule (`functions/commons/sql/sql-statement.ts`)
 * enforced with a {@link KpiSqlError}, and the row cap that rides on it.
 */

import { readStatement } from '../commons/sql/sql-statement';
import { KpiSqlError } from './errors';

/**
 * The KPI's one query, without the trailing semicolon (the Data API refuses one) or anything after it.
 *
 * @throws {KpiSqlError} when the SQL is not exactly one query (see {@link kpiSqlProblem})
 */
export const kpiStatement = (sql: string): string => {
  const read = readStatement(sql);
  if ('problem' in read) throw new KpiSqlError(read.problem);
  return sql.slice(read.statement.start, read.statement.end);
};

/**
 * The KPI's one query wrapped so the database itself stops after `maxRows + 1` rows: enough to tell that
 * the result is too large, never the whole of it (`SELECT generate_series(1, 10000000)` computes 1,001
 * rows, not ten million). The query keeps its own column names and order. The newline before `)` ends a
 * trailing `--` comment; the single-statement check guarantees the parentheses match, so the query
 * cannot close the wrapper early.
 *
 * @throws {KpiSqlError} when the SQL is not exactly one query
 * @example
 * rowCappedSql('SELECT 1 AS value;', 1000); // 'SELECT * FROM (\nSELECT 1 AS value\n) AS vigil_kpi LIMIT 1001'
 */
export const rowCappedSql = (sql: string, maxRows: number): string =>
  `SELECT * FROM (\n${kpiStatement(sql)}\n) AS vigil_kpi LIMIT ${Math.floor(maxRows) + 1}`;
