/**
 * The one PostgreSQL-aware reading of KPI SQL text: which parts are code and which are string literals,
 * quoted identifiers, dollar-quoted bodies or comments. Parameter lookup (`sql-parameters.ts`) and the
 * single-statement rule (`sql-statements.ts`) both read only the code parts, so a `;`, `(` or `:name`
 * inside `'a;b'`, `"x:y"`, `$$...$$`, `-- ...` or `/* ... *\/` is never taken for SQL.
 */

/** What a run of SQL text is. */
export type SqlSegmentKind = 'code' | 'string' | 'identifier' | 'dollar' | 'comment';

/** One run of SQL text: `sql.slice(start, end)`. */
export interface SqlSegment {
  readonly kind: SqlSegmentKind;
  readonly start: number;
  readonly end: number;
  /** False when the text ends inside it (an unterminated string, identifier, body or block comment). */
  readonly closed: boolean;
}

const NAME_PART = /[A-Za-z0-9_$]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/** End of a quoted run opened at `start`, where a doubled quote escapes; -1 when unterminated. */
const quotedEnd = (sql: string, start: number, quote: string): number => {
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
  return -1;
};

/** End of an `E'...'` string opened at `start`, where a backslash or a doubled quote escapes; -1 when unterminated. */
const escapeStringEnd = (sql: string, start: number): number => {
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index];
    if (char === '\\') index += 2;
    else if (char === "'" && sql[index + 1] === "'") index += 2;
    else if (char === "'") return index + 1;
    else index += 1;
  }
  return -1;
};

/** End of a (nestable) block comment opened at `start`; -1 when unterminated. */
const blockCommentEnd = (sql: string, start: number): number => {
  let depth = 1;
  let index = start + 2;
  while (index < sql.length) {
    if (sql[index] === '/' && sql[index + 1] === '*') {
      depth += 1;
      index += 2;
    } else if (sql[index] === '*' && sql[index + 1] === '/') {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else index += 1;
  }
  return -1;
};

/** The non-code run starting at `index`, or undefined when `index` is code. */
const nonCodeAt = (sql: string, index: number): { kind: SqlSegmentKind; end: number } | undefined => {
  const char = sql[index]!;
  const next = sql[index + 1];
  if (char === "'") {
    // E'...' (escape string): the E stands alone, not as the end of a name like `some'`.
    const escaped = index > 0 && /[eE]/.test(sql[index - 1]!) && !NAME_PART.test(sql[index - 2] ?? ' ');
    return { kind: 'string', end: escaped ? escapeStringEnd(sql, index) : quotedEnd(sql, index, "'") };
  }
  if (char === '"') return { kind: 'identifier', end: quotedEnd(sql, index, '"') };
  if (char === '-' && next === '-') {
    const newline = sql.indexOf('\n', index);
    return { kind: 'comment', end: newline === -1 ? sql.length : newline + 1 };
  }
  if (char === '/' && next === '*') return { kind: 'comment', end: blockCommentEnd(sql, index) };
  if (char === '$' && !NAME_PART.test(sql[index - 1] ?? ' ')) {
    const tag = DOLLAR_TAG.exec(sql.slice(index, index + 64));
    if (tag) {
      const close = sql.indexOf(tag[0], index + tag[0].length);
      return { kind: 'dollar', end: close === -1 ? -1 : close + tag[0].length };
    }
  }
  return undefined;
};

/**
 * Splits SQL text into code and non-code segments, in order, covering the whole text.
 *
 * @example
 * scanSql("SELECT ';' -- x").map((segment) => segment.kind); // ['code', 'string', 'code', 'comment']
 */
export const scanSql = (sql: string): SqlSegment[] => {
  const segments: SqlSegment[] = [];
  let codeStart = 0;
  let index = 0;
  while (index < sql.length) {
    const run = nonCodeAt(sql, index);
    if (!run) {
      index += 1;
      continue;
    }
    if (index > codeStart) segments.push({ kind: 'code', start: codeStart, end: index, closed: true });
    const closed = run.end !== -1;
    const end = closed ? run.end : sql.length;
    segments.push({ kind: run.kind, start: index, end, closed });
    index = end;
    codeStart = end;
  }
  if (sql.length > codeStart)
    segments.push({ kind: 'code', start: codeStart, end: sql.length, closed: true });
  return segments;
};
