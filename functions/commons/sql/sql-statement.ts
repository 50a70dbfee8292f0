/**
 * The single-statement rule for KPI SQL, and the row cap that rides on it. A KPI is exactly one query:
 * `SELECT`, `WITH … SELECT`, `VALUES` or `TABLE` (a trailing `;` is fine). Anything else — a second
 * statement after `;` (`COMMIT; DELETE …`, `SET statement_timeout = 0; SELECT …`), a statement that is
 * not a query, text ending inside a string or comment — is refused at config time (`kpi-schema.ts`) and
 * again by every datasource before it sends a byte (`functions/kpi/sql-statements.ts`). The check reads the SQL like PostgreSQL does
 * (`sql-lexer.ts`), so semicolons inside literals, quoted identifiers, dollar quotes and comments count for
 * nothing.
 */

import { type SqlSegment, scanSql } from './sql-lexer';

/** First words a KPI query may start with (case-insensitive), besides an opening parenthesis. */
const QUERY_KEYWORDS = ['select', 'with', 'values', 'table'] as const;

const UNCLOSED: Readonly<Record<SqlSegment['kind'], string>> = {
  code: 'code',
  string: 'string literal',
  identifier: 'quoted identifier',
  dollar: 'dollar-quoted string',
  comment: 'block comment',
};

/** `line L, column C` (1-based) of an index, as an editor shows it. */
const where = (sql: string, index: number): string => {
  const before = sql.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
};

/** The first characters of the text at an index, on one line, for a message. */
const excerpt = (sql: string, index: number): string => {
  const text = sql.slice(index).trim().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

/** Where the one statement of a KPI's SQL sits. */
export interface SqlStatement {
  readonly start: number;
  readonly end: number;
  /** Index of the first code character that is not whitespace. */
  readonly first: number;
}

/** Why the SQL cannot run as one KPI query, or its one statement's bounds (read as PostgreSQL reads it). */
export const readStatement = (sql: string): { problem: string } | { statement: SqlStatement } => {
  const segments = scanSql(sql);
  const unclosed = segments.find((segment) => !segment.closed);
  if (unclosed) {
    return {
      problem: `the SQL ends inside a ${UNCLOSED[unclosed.kind]} opened at ${where(sql, unclosed.start)}`,
    };
  }
  const statements: SqlStatement[] = [];
  let start = 0;
  let first = -1;
  let depth = 0;
  for (const segment of segments) {
    if (segment.kind !== 'code') continue;
    for (let index = segment.start; index < segment.end; index++) {
      const char = sql[index]!;
      if (char === ';') {
        if (first !== -1) statements.push({ start, end: index, first });
        start = index + 1;
        first = -1;
        continue;
      }
      if (first === -1 && !/\s/.test(char)) first = index;
      if (char === '(') depth += 1;
      if (char === ')') {
        depth -= 1;
        if (depth < 0) return { problem: `the ')' at ${where(sql, index)} closes no '('` };
      }
    }
  }
  if (first !== -1) statements.push({ start, end: sql.length, first });
  if (depth > 0) return { problem: `the SQL leaves ${depth} '(' unclosed` };
  if (statements.length === 0) return { problem: 'the SQL holds no statement' };
  if (statements.length > 1) {
    const second = statements[1]!;
    return {
      problem:
        `the SQL holds ${statements.length} statements; a KPI runs exactly one query ` +
        `(the second starts at ${where(sql, second.first)}: '${excerpt(sql, second.first)}'). ` +
        'Only a trailing semicolon may follow it',
    };
  }
  const statement = statements[0]!;
  const word = /^[A-Za-z_]+/.exec(sql.slice(statement.first))?.[0]?.toLowerCase();
  const isQuery = sql[statement.first] === '(' || (QUERY_KEYWORDS as readonly string[]).includes(word ?? '');
  if (!isQuery) {
    return {
      problem: `a KPI runs one query (SELECT, WITH … SELECT, VALUES or TABLE); this SQL starts with '${excerpt(sql, statement.first).split(' ')[0]}'`,
    };
  }
  return { statement };
};

/**
 * Why the SQL cannot be a KPI query, in words for a config error; undefined when it is one query.
 *
 * @example
 * kpiSqlProblem('COMMIT; DELETE FROM bookings'); // 'the SQL holds 2 statements; a KPI runs exactly one query (…)'
 * kpiSqlProblem('SELECT 1 AS value;'); // undefined
 */
export const kpiSqlProblem = (sql: string): string | undefined => {
  const read = readStatement(sql);
  return 'problem' in read ? read.problem : undefined;
};
