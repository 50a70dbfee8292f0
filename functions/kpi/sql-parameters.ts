/**
 * Named query parameters (`:window_start`) in KPI SQL. The scanner skips string literals, quoted
 * identifiers, dollar-quoted bodies, comments and `::type` casts, so `'a:b'`, `"x:y"`, `-- :note` and
 * `created_at::date` are never mistaken for parameters.
 */

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

/** Index just after the end of a quoted run starting at `start` (the opening quote), doubling escapes it. */
const skipQuoted = (sql: string, start: number, quote: string): number => {
  let index = start + 1;
  while (index < sql.length) {
    if (sql[index] === quote) {
      if (sql[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index += 1;
  }
  return sql.length;
};

/** Lists every `:name` parameter reference outside literals, identifiers, comments and casts, in order. */
export const sqlParameterReferences = (sql: string): SqlParameterReference[] => {
  const references: SqlParameterReference[] = [];
  let index = 0;
  while (index < sql.length) {
    const char = sql[index]!;
    const next = sql[index + 1];
    if (char === "'" || char === '"') {
      // E'...' strings use backslash escapes; treat \' as part of the literal.
      if (
        char === "'" &&
        index > 0 &&
        /[eE]/.test(sql[index - 1]!) &&
        !NAME_PART.test(sql[index - 2] ?? ' ')
      ) {
        let cursor = index + 1;
        while (cursor < sql.length && sql[cursor] !== "'") cursor += sql[cursor] === '\\' ? 2 : 1;
        index = cursor + 1;
        continue;
      }
      index = skipQuoted(sql, index, char);
      continue;
    }
    if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', index);
      index = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (char === '/' && next === '*') {
      let depth = 1;
      let cursor = index + 2;
      while (cursor < sql.length && depth > 0) {
        if (sql[cursor] === '/' && sql[cursor + 1] === '*') {
          depth += 1;
          cursor += 2;
        } else if (sql[cursor] === '*' && sql[cursor + 1] === '/') {
          depth -= 1;
          cursor += 2;
        } else cursor += 1;
      }
      index = cursor;
      continue;
    }
    if (char === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(index));
      if (tag && !NAME_PART.test(sql[index - 1] ?? ' ')) {
        const end = sql.indexOf(tag[0], index + tag[0].length);
        index = end === -1 ? sql.length : end + tag[0].length;
        continue;
      }
    }
    if (char === ':') {
      if (next === ':') {
        index += 2;
        continue;
      }
      if (next !== undefined && NAME_START.test(next) && sql[index - 1] !== ':') {
        let end = index + 2;
        while (end < sql.length && NAME_PART.test(sql[end]!)) end += 1;
        references.push({ name: sql.slice(index + 1, end), start: index, end });
        index = end;
        continue;
      }
    }
    index += 1;
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
