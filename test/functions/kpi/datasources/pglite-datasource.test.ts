import { PGlite } from '@electric-sql/pglite';
import { createPgliteDatasource } from '../../../../functions/kpi/datasources/pglite-datasource';
import type { KpiDatasource } from '../../../../functions/kpi/types/ports';
import { type ContractSubject, contractDatabaseSql, datasourceContract } from './datasource-contract';

describe('PGlite datasource (embedded, the local mode and demo database)', () => {
  let db: PGlite;
  let datasource: KpiDatasource;

  beforeAll(async () => {
    db = await PGlite.create();
    for (const sql of contractDatabaseSql(Date.now())) await db.exec(sql);
    datasource = createPgliteDatasource(db, 'embedded');
  });

  afterAll(async () => {
    await datasource?.close();
  });

  // PGlite runs queries on the calling thread: nothing can cancel a long statement.
  datasourceContract(
    (): ContractSubject => ({
      datasource,
      admin: async (sql) => (await db.query<Record<string, unknown>>(sql)).rows,
    }),
    { cancelsLongStatements: false },
  );
});
