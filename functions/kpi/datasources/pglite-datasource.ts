import type { PGlite } from '@electric-sql/pglite';
import { toPositional } from '../../commons/sql/sql-parameters';
import { rowCappedSql } from '../sql-statements';
import type { KpiDatasource, KpiQuery, KpiRows } from '../types/ports';
import { toKpiQueryError } from './query-error';

/** PostgreSQL type ids whose text form is kept as is (dates stay `YYYY-MM-DD`, not a JS Date). */
const TEXT_TYPES = { date: 1082, timestamp: 1114, timestamptz: 1184 } as const;
const identity = (value: string) => value;

/**
 * A {@link KpiDatasource} over an in-process PGlite database. Each query runs inside
 * `BEGIN; SET TRANSACTION READ ONLY; SET LOCAL statement_timeout/lock_timeout` and is rolled back. The
 * query is checked to be one SELECT and capped at `maxRows + 1` rows ({@link rowCappedSql}) so PGlite
 * never materialises more; `query` uses the extended protocol, one statement only.
 * PGlite runs on the calling thread, so neither `statement_timeout` nor the engine's deadline can
 * interrupt a long query (`pg_sleep`): the embedded datasource is for demo data, real timeouts need
 * PostgreSQL through `pg` or the Data API.
 */
export const createPgliteDatasource = (db: PGlite, name = 'embedded'): KpiDatasource => ({
  name,
  async query(query: KpiQuery): Promise<KpiRows> {
    const { text, values } = toPositional(rowCappedSql(query.sql, query.maxRows), query.parameters);
    try {
      return await db.transaction(async (tx) => {
        await tx.exec(
          `SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = ${Math.round(query.timeoutMs)}; ` +
            `SET LOCAL lock_timeout = ${Math.round(query.lockTimeoutMs)};`,
        );
        const result = await tx.query<Record<string, unknown>>(text, values, {
          parsers: {
            [TEXT_TYPES.date]: identity,
            [TEXT_TYPES.timestamp]: identity,
            [TEXT_TYPES.timestamptz]: identity,
          },
        });
        await tx.rollback();
        return {
          columns: result.fields.map((field) => field.name),
          rows: result.rows.slice(0, query.maxRows),
          rowCount: result.rows.length,
        };
      });
    } catch (error) {
      throw toKpiQueryError(error);
    }
  },
  async close() {
    await db.close();
  },
});
