import { kpiSqlProblem } from '../../../functions/commons/sql/sql-statement';
import { kpiStatement, rowCappedSql } from '../../../functions/kpi/sql-statements';

describe('the single-statement rule for KPI SQL', () => {
  it.each([
    ['a semicolon in a string literal', "SELECT ';' AS value"],
    ['a doubled quote and a semicolon in a string', "SELECT 'it''s; fine' AS value"],
    ['an escape string with a backslash-quote', "SELECT E'a\\'; b' AS value"],
    ['a semicolon in a quoted identifier', 'SELECT 1 AS "a;b"'],
    ['a semicolon in a dollar-quoted body', 'SELECT $$ ; $$ AS value'],
    ['a semicolon in a tagged dollar-quoted body', 'SELECT $body$ $$ ; $$ $body$ AS value'],
    ['a semicolon in a line comment', 'SELECT 1 AS value -- ; DELETE FROM t'],
    ['a semicolon in a nested block comment', 'SELECT 1 AS value /* outer /* ; */ still ; */'],
    ['a trailing semicolon with whitespace and a comment', 'SELECT 1 AS value ;  -- done\n'],
    ['several trailing semicolons', 'SELECT 1 AS value;;'],
    ['a leading comment', '-- the count\nSELECT 1 AS value'],
    ['a WITH query', 'WITH t AS (SELECT 1 AS value) SELECT value FROM t'],
    ['VALUES', 'VALUES (1)'],
    ['TABLE', 'TABLE bookings'],
    ['a parenthesised query', '(SELECT 1 AS value) UNION (SELECT 2)'],
    ['lower-case keywords', 'select 1 as value'],
  ])('accepts one query with %s', (_, sql) => {
    // Act
    const problem = kpiSqlProblem(sql);

    // Assess
    expect(problem).toBeUndefined();
  });

  it.each([
    ['a second statement', 'SELECT 1 AS value; SELECT 2', 'holds 2 statements'],
    ['three statements', 'ROLLBACK; BEGIN; SELECT 1', 'holds 3 statements'],
    ['a statement after a closed string', "SELECT 'a;' AS value; DELETE FROM t", 'holds 2 statements'],
    ['a statement after a closed dollar quote', 'SELECT $$x$$; DELETE FROM t', 'holds 2 statements'],
    ['a statement after a block comment', 'SELECT 1 /* ; */; DELETE FROM t', 'holds 2 statements'],
    ['SET before a query', 'SET statement_timeout = 0', "starts with 'SET'"],
    ['COMMIT', 'COMMIT', "starts with 'COMMIT'"],
    ['SET TRANSACTION READ WRITE', 'SET TRANSACTION READ WRITE', "starts with 'SET'"],
    ['an INSERT', "INSERT INTO t VALUES ('x')", "starts with 'INSERT'"],
    ['nothing but a comment', '-- SELECT 1', 'holds no statement'],
    ['an unterminated string', "SELECT 'x", 'ends inside a string literal'],
    ['an unterminated identifier', 'SELECT 1 AS "x', 'ends inside a quoted identifier'],
    ['an unterminated dollar quote', 'SELECT $q$ x', 'ends inside a dollar-quoted string'],
    ['an unterminated block comment', 'SELECT 1 /* x', 'ends inside a block comment'],
    ['an unclosed parenthesis', 'SELECT (1 AS value', "leaves 1 '(' unclosed"],
    ['a parenthesis closing the row-cap wrapper', 'SELECT 1) AS q, (SELECT 2', 'closes no'],
  ])('refuses %s', (_, sql, words) => {
    // Act
    const problem = kpiSqlProblem(sql);

    // Assess
    expect(problem).toContain(words);
    expect(() => kpiStatement(sql)).toThrow(expect.objectContaining({ name: 'KpiSqlError' }));
  });

  it('gives the one statement without its trailing semicolon', () => {
    // Act
    const statement = kpiStatement('SELECT 1 AS value -- one\n ; ');

    // Assess
    expect(statement).toBe('SELECT 1 AS value -- one\n ');
  });

  it('wraps the query so the database stops at maxRows + 1 rows, with a newline ending a trailing comment', () => {
    // Act
    const capped = rowCappedSql('SELECT g AS value FROM t -- no limit here;', 10);

    // Assess
    expect(capped).toBe(
      'SELECT * FROM (\nSELECT g AS value FROM t -- no limit here;\n) AS vigil_kpi LIMIT 11',
    );
  });
});
