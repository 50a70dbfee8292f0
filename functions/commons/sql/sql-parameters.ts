/**
 * Named query parameters (`:window_start`) in KPI SQL. The scanner skips string literals, quoted
 * identifiers, dollar-quoted bodies, comments and `::type` casts, so `'a:b'`, `"x:y"`, `-- :note` and
 * `created_at::date` are never mistaken for parameters.
 */

import { scanSql } from './sql-lexer';

/** Where one `:name` reference sits in the SQL text. */
export interface SqlParameterReference {
  readonly name: string;
  /** Index of the `:`. */
  readonly start: number;
  /** Index just after the name. */
  readonly end: number;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/** Lists every `:name` parameter reference outside literals, identifiers, comments and casts, in order. */
export const sqlParameterReferences = (sql: string): SqlParameterReference[] => {
  const references: SqlParameterReference[] = [];
  for (const segment of scanSql(sql)) {
    if (segment.kind !== 'code') continue;
    let index = segment.start;
    while (index < segment.end) {
      if (sql[index] !== ':') {
        index += 1;
        continue;
      }
      const next = sql[index + 1];
      if (next === ':') {
        index += 2;
        continue;
      }
      if (next !== undefined && NAME_START.test(next) && sql[index - 1] !== ':') {
        let end = index + 2;
        while (end < segment.end && NAME_PART.test(sql[end]!)) end += 1;
        references.push({ name: sql.slice(index + 1, end), start: index, end });
        index = end;
        continue;
      }
      index += 1;
    }
  }
  return references;
};

/** The distinct parameter names a SQL text uses, in order of first use. */
export const sqlParameterNames = (sql: string): string[] => [
  ...new Set(sqlParameterReferences(sql).map((reference) => reference.name)),
];

/**
 * Rewrites `:name` references into positional `$1, $2, ...` placeholders (PostgreSQL wire protocol) and
 * gives the values in that order. The values travel as bind parameters; the SQL text never contains them.
 *
 * @throws {Error} when the SQL references a parameter that has no value
 * @example
 * toPositional('SELECT 1 WHERE t >= :window_start', { window_start: '2024-01-01' });
 * // { text: 'SELECT 1 WHERE t >= $1', values: ['2024-01-01'] }
 */
export const toPositional = <T>(
  sql: string,
  values: Readonly<Record<string, T>>,
): { text: string; values: T[] } => {
  const order: string[] = [];
  let text = '';
  let cursor = 0;
  for (const reference of sqlParameterReferences(sql)) {
    if (!Object.hasOwn(values, reference.name)) {
      throw new Error(`query parameter ':${reference.name}' has no value`);
    }
    let position = order.indexOf(reference.name);
    if (position === -1) position = order.push(reference.name) - 1;
    text += `${sql.slice(cursor, reference.start)}$${position + 1}`;
    cursor = reference.end;
  }
  text += sql.slice(cursor);
  return { text, values: order.map((name) => values[name] as T) };
};
