import { sqlParameterNames, toPositional } from '../../../../functions/commons/sql/sql-parameters';

describe('sql parameters', () => {
  it('finds :name parameters but not casts, strings, identifiers, comments or dollar quotes', () => {
    // Prepare
    const sql = `SELECT created_at::date, ':fake' AS a, "col:x", E'it\\'s :also_fake', $$ :dollar $$ -- :comment
      /* :block */ FROM t WHERE t.at >= :window_start AND t.at < :window_end AND s = :status AND again = :status`;
    // Act
    const names = sqlParameterNames(sql);
    // Assess
    expect(names).toEqual(['window_start', 'window_end', 'status']);
  });

  it('rewrites parameters to $n in first-use order and reuses positions', () => {
    // Act
    const { text, values } = toPositional('SELECT :b, :a, :b::int', { a: 1, b: "x' OR '1'='1" });
    // Assess
    expect(text).toBe('SELECT $1, $2, $1::int');
    expect(values).toEqual(["x' OR '1'='1", 1]);
  });

  it('refuses a parameter without a value', () => {
    expect(() => toPositional('SELECT :missing', {})).toThrow("query parameter ':missing' has no value");
  });
});
