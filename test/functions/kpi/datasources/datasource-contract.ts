import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { createDataApiDatasource } from '../../../../functions/kpi/datasources/data-api-datasource';
import { DEMO_SCHEMA, demoDataSql } from '../../../../functions/kpi/demo/demo-data';
import { runKpi, runKpis } from '../../../../functions/kpi/run-kpis';
import type { KpiDatasource, KpiQuery } from '../../../../functions/kpi/types/ports';
import { kpiFixture } from '../../../helpers/kpi/kpi-fixture';
import { type PostgresServer, startPostgres } from '../../../helpers/kpi/postgres-server';
import { type DataApiServer, startDataApiServer } from '../helpers/data-api-server';
import { resolvedDemoKpis } from '../helpers/demo-kpis';

/**
 * The behaviour every KPI datasource shares (PGlite, `pg` against PostgreSQL, the Data API adapter through
 * its stand-in), defined once and run by each datasource's test file against its own database. What only
 * one adapter does (its wire calls, its pool, its credentials, its cancellation on the server) stays in
 * that adapter's file.
 */

/** Objects a hostile query could touch, besides the demo tables. */
const HOSTILE_TARGETS = `
CREATE TABLE audit (note text);
CREATE SEQUENCE kpi_counter;
CREATE FUNCTION purge_bookings() RETURNS bigint LANGUAGE sql AS
  $$ WITH gone AS (DELETE FROM bookings RETURNING 1) SELECT count(*) FROM gone $$;
`;

/**
 * SQL that prepares a database for the contract, as its owner: the demo tables and rows (UTC) and the
 * objects hostile queries aim at.
 */
export const contractDatabaseSql = (now: number): string[] => [
  `SET TIME ZONE 'UTC'; ${DEMO_SCHEMA}`,
  demoDataSql(now),
  HOSTILE_TARGETS,
];

/**
 * Grants a role everything a careless setup might give a KPI reader (it may write), so only Vigil's own
 * guards stand between a KPI's SQL and the data.
 */
export const writableReaderGrants = (role: string): string =>
  [
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `GRANT USAGE, UPDATE ON SEQUENCE kpi_counter TO ${role}`,
    `GRANT CREATE ON SCHEMA public TO ${role}`,
    `ALTER ROLE ${role} SET timezone = 'UTC'`,
  ].join('; ');

/**
 * Starts PostgreSQL with the contract database ({@link contractDatabaseSql}) and a login role `kpi_reader`
 * holding {@link writableReaderGrants}: only Vigil's own guards stop a KPI's SQL.
 */
export const startContractPostgres = async (readerPassword: string): Promise<PostgresServer> => {
  const server = await startPostgres();
  for (const sql of contractDatabaseSql(Date.now())) await server.admin(sql);
  await server.admin(`CREATE ROLE kpi_reader LOGIN PASSWORD '${readerPassword}'`);
  await server.admin(writableReaderGrants('kpi_reader'));
  return server;
};

/** The Data API stand-in in front of a contract database, and the `bookings` datasource that reads through it. */
export interface DataApiSubject {
  readonly dataApi: DataApiServer;
  readonly client: RDSDataClient;
  readonly datasource: KpiDatasource;
  /** Destroys the client and stops the stand-in (not PostgreSQL). */
  stop(): Promise<void>;
}

/**
 * Starts the Data API stand-in in front of `server` with one secret (`secretArn`) for `kpi_reader`, and the
 * Data API datasource `bookings` reading through it, as {@link startContractPostgres} prepared the role.
 */
export const startDataApiSubject = async (
  server: PostgresServer,
  secretArn: string,
  readerPassword: string,
): Promise<DataApiSubject> => {
  const dataApi = await startDataApiServer({
    postgres: server,
    secrets: { [secretArn]: { user: 'kpi_reader', password: readerPassword } },
  });
  const client = new RDSDataClient({ endpoint: dataApi.url });
  const datasource = createDataApiDatasource({
    name: 'bookings',
    clusterArn: dataApi.clusterArn,
    secretArn,
    database: server.database,
    client,
  });
  return {
    dataApi,
    client,
    datasource,
    stop: async () => {
      client.destroy();
      await dataApi.stop();
    },
  };
};

/** A datasource under test and its database seen by the owner (setup and assertions). */
export interface ContractSubject {
  readonly datasource: KpiDatasource;
  /** Runs SQL as the database owner and returns the rows. */
  readonly admin: (sql: string) => Promise<Record<string, unknown>[]>;
}

/** What an adapter can do that another cannot. */
export interface ContractCapabilities {
  /**
   * The database cancels a statement past `timeoutMs` (PGlite runs on the calling thread and cannot).
   * @default true
   */
  readonly cancelsLongStatements?: boolean;
}

/** A query as the engine would send it, with test-friendly limits. */
const query = (overrides: Partial<KpiQuery> & Pick<KpiQuery, 'sql'>): KpiQuery => ({
  kpi: 'probe',
  parameters: {},
  timeoutMs: 30_000,
  lockTimeoutMs: 10_000,
  maxRows: 1_000,
  ...overrides,
});

/** The write attempts: each must fail and leave the data as it was. */
const WRITE_ATTEMPTS: readonly { readonly case: string; readonly sql: string }[] = [
  { case: 'a COMMIT followed by a DELETE', sql: 'COMMIT; DELETE FROM bookings' },
  {
    case: 'a ROLLBACK, a new transaction that creates a table, and a SELECT',
    sql: 'ROLLBACK; BEGIN; CREATE TABLE evil(x int); COMMIT; SELECT 1 AS value',
  },
  {
    case: 'SET TRANSACTION READ WRITE followed by an INSERT',
    sql: "SET TRANSACTION READ WRITE; INSERT INTO audit VALUES ('written') RETURNING 1 AS value",
  },
  {
    case: 'a second statement hidden after a comment line',
    sql: "SELECT 1 AS value -- harmless\n; INSERT INTO audit VALUES ('written')",
  },
  {
    case: 'a data-modifying CTE (one statement)',
    sql: 'WITH gone AS (DELETE FROM bookings RETURNING 1) SELECT count(*) AS value FROM gone',
  },
  { case: 'a function that deletes (one statement)', sql: 'SELECT purge_bookings() AS value' },
  { case: 'nextval on a sequence (one statement)', sql: "SELECT nextval('kpi_counter') AS value" },
  { case: 'a row lock (one statement)', sql: 'SELECT id AS value FROM bookings FOR UPDATE' },
  { case: 'a bare DELETE', sql: 'DELETE FROM bookings RETURNING 1 AS value' },
];

/**
 * Registers the datasource contract in the current `describe`, against the subject `current` gives once
 * the caller's `beforeAll` has prepared it (database from {@link contractDatabaseSql}, a reader that may
 * write per {@link writableReaderGrants}).
 *
 * @example
 * describe('pg datasource', () => {
 *   let subject: ContractSubject;
 *   beforeAll(async () => { subject = await startPgSubject(); });
 *   datasourceContract(() => subject);
 * });
 */
export const datasourceContract = (
  current: () => ContractSubject,
  capabilities: ContractCapabilities = {},
): void => {
  describe('the KPI datasource contract', () => {
    let datasource: KpiDatasource;
    let admin: ContractSubject['admin'];
    const countOf = async (sql: string) => Number((await admin(sql))[0]!.n);

    beforeAll(() => {
      ({ datasource, admin } = current());
    });

    it("runs the seeds' three KPI queries and gets the values the database computes", async () => {
      // Prepare
      const kpis = resolvedDemoKpis();
      const conversion = await admin(kpis[0]!.sql);
      const revenueByDate = Object.fromEntries(
        (
          await admin(`SELECT date::text AS date, revenue::text AS revenue FROM (${kpis[1]!.sql}) AS daily`)
        ).map((row) => [String(row.date), Number(row.revenue)]),
      );
      const satisfaction = await admin(kpis[2]!.sql);

      // Act
      const results = await runKpis(kpis, { datasource, concurrency: 3 });

      // Assess
      const byName = Object.fromEntries(results.map((result) => [result.name, result]));
      expect(results.map((result) => result.status)).toEqual(['ok', 'breached', 'ok']);
      expect(byName.conversion_rate!.values[0]!.value).toBeCloseTo(
        Number(conversion[0]!.conversion_rate),
        10,
      );
      expect(byName.conversion_rate!.values[0]!.value).toBeGreaterThan(15);
      const revenue = byName.daily_revenue!.values.filter((value) => value.metric === 'revenue');
      expect(revenue).toHaveLength(Object.keys(revenueByDate).length);
      for (const value of revenue) expect(value.value).toBe(revenueByDate[value.dimensions.date!]);
      expect(byName.daily_revenue!.breaches.map((breach) => breach.severity)).toEqual([
        'critical',
        'warning',
      ]);
      expect(byName.daily_revenue!.breaches[0]!.value).toBeLessThan(30_000);
      expect(byName.daily_revenue!.breaches[0]!.dimensions.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const values = byName.customer_satisfaction!.values;
      expect(values.find((value) => value.metric === 'avg_rating')!.value).toBeCloseTo(
        Number(satisfaction[0]!.avg_rating),
        10,
      );
      expect(values.find((value) => value.metric === 'review_count')!.value).toBe(
        Number(satisfaction[0]!.review_count),
      );
    });

    it('binds :window_start and :window_end to the KPI window, as values', async () => {
      // Prepare
      const kpi = kpiFixture({
        name: 'windowed',
        sql: 'SELECT count(*) AS value FROM bookings WHERE created_at >= :window_start AND created_at <= :window_end',
        windowMs: 3 * 86_400_000,
      });

      // Act
      const result = await runKpi(kpi, { datasource });

      // Assess
      const start = new Date(result.startedAt - 3 * 86_400_000).toISOString();
      const end = new Date(result.startedAt).toISOString();
      const expected = await countOf(
        `SELECT count(*) AS n FROM bookings WHERE created_at >= '${start}' AND created_at <= '${end}'`,
      );
      expect(result.status).toBe('ok');
      expect(result.values[0]!.value).toBe(expected);
      expect(expected).toBeGreaterThan(0);
      expect(expected).toBeLessThan(await countOf('SELECT count(*) AS n FROM bookings'));
    });

    it('binds an injection-looking parameter as a plain value', async () => {
      // Prepare
      const sql =
        "SELECT count(*) AS value FROM bookings WHERE status = :status -- ':status' in a comment is not a parameter";
      const injection = kpiFixture({
        name: 'by_status',
        sql,
        parameters: { status: "confirmed' OR '1'='1" },
      });
      const genuine = kpiFixture({ name: 'by_status', sql, parameters: { status: 'confirmed' } });

      // Act
      const injected = await runKpi(injection, { datasource });
      const honest = await runKpi(genuine, { datasource });

      // Assess
      expect(injected.status).toBe('ok');
      expect(injected.values[0]!.value).toBe(0);
      expect(honest.values[0]!.value).toBe(
        await countOf("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"),
      );
      expect(honest.values[0]!.value).toBeGreaterThan(0);
    });

    it('rejects a query whose SQL uses a parameter it was not given', async () => {
      // Act
      const attempt = datasource.query(
        query({ sql: 'SELECT count(*) AS value FROM bookings WHERE status = :status' }),
        new AbortController().signal,
      );

      // Assess
      await expect(attempt).rejects.toThrow("query parameter ':status' has no value");
    });

    it('keeps column names for an empty result and NULL cells as null', async () => {
      // Prepare
      const signal = new AbortController().signal;

      // Act
      const empty = await datasource.query(
        query({ sql: 'SELECT status, count(*) AS value FROM bookings WHERE false GROUP BY status' }),
        signal,
      );
      const nulls = await datasource.query(
        query({ sql: "SELECT NULL::numeric AS value, NULL::text AS label, 'x' AS present" }),
        signal,
      );

      // Assess
      expect(empty).toEqual({ columns: ['status', 'value'], rows: [], rowCount: 0 });
      expect(nulls).toEqual({
        columns: ['value', 'label', 'present'],
        rows: [{ value: null, label: null, present: 'x' }],
        rowCount: 1,
      });
    });

    it('turns an empty result into a missing datapoint, or zero when the KPI asks for it', async () => {
      // Prepare
      const sql = "SELECT sum(total_amount) AS value FROM bookings WHERE status = 'no-such-status'";

      // Act
      const missing = await runKpi(kpiFixture({ name: 'nothing', sql }), { datasource });
      const zero = await runKpi(kpiFixture({ name: 'nothing', sql, emptyAs: 'zero' }), { datasource });

      // Assess
      expect(missing.status).toBe('ok');
      expect(missing.values).toEqual([]);
      expect(zero.values.map((value) => value.value)).toEqual([0]);
    });

    it('fails a result with more rows than maxRows instead of keeping them', async () => {
      // Prepare
      const kpi = kpiFixture({
        name: 'too_many',
        sql: 'SELECT generate_series(1, 50) AS value',
        maxRows: 10,
      });

      // Act
      const result = await runKpi(kpi, { datasource });

      // Assess
      expect(result.status).toBe('failed');
      expect(result.errorName).toBe('KpiResultError');
      expect(result.error).toContain('more than maxRows 10 rows (reading stopped at 11)');
    });

    it('stops reading at maxRows + 1: rows past the cap are never computed', async () => {
      // Prepare: row 12 onwards divides by zero; only reading them all could raise it.
      const sql =
        'SELECT CASE WHEN g <= 11 THEN g ELSE 1 / (g - g) END AS value FROM generate_series(1, 100000) AS g';

      // Act
      const result = await runKpi(kpiFixture({ name: 'endless', sql, maxRows: 10 }), { datasource });

      // Assess
      expect(result.status).toBe('failed');
      expect(result.errorName).toBe('KpiResultError');
      expect(result.error).toContain('more than maxRows 10');
    });

    if (capabilities.cancelsLongStatements ?? true) {
      it('reports a query cancelled by its statement timeout as a failure (SQLSTATE 57014)', async () => {
        // Prepare: the engine's own deadline (timeout + grace) is far off; only statement_timeout ends it.
        const kpi = kpiFixture({ name: 'slow', sql: 'SELECT pg_sleep(30) AS value', timeoutMs: 200 });

        // Act
        const result = await runKpi(kpi, { datasource, graceMs: 60_000 });

        // Assess
        expect(result.status).toBe('failed');
        expect(result.errorName).toBe('KpiQueryError');
        expect(result.error).toContain('canceling statement due to statement timeout');
        expect(result.error).toContain('SQLSTATE 57014');
      });
    }

    describe('hostile KPI SQL', () => {
      it.each(WRITE_ATTEMPTS)('refuses $case and leaves the data untouched', async ({ sql }) => {
        // Prepare
        const bookings = await countOf('SELECT count(*) AS n FROM bookings');
        const counter = await admin('SELECT last_value, is_called FROM kpi_counter');

        // Act
        const result = await runKpi(kpiFixture({ name: 'hostile', sql }), { datasource });

        // Assess
        expect(result.status).toBe('failed');
        expect(await countOf('SELECT count(*) AS n FROM bookings')).toBe(bookings);
        expect(bookings).toBeGreaterThan(0);
        expect(await countOf('SELECT count(*) AS n FROM audit')).toBe(0);
        expect(await countOf("SELECT count(*) AS n FROM pg_class WHERE relname = 'evil'")).toBe(0);
        expect(await admin('SELECT last_value, is_called FROM kpi_counter')).toEqual(counter);
      });

      it('names the second statement as the reason a multi-statement query is refused', async () => {
        // Act
        const result = await runKpi(kpiFixture({ name: 'hostile', sql: 'COMMIT; DELETE FROM bookings' }), {
          datasource,
        });

        // Assess
        expect(result.errorName).toBe('KpiSqlError');
        expect(result.error).toContain('2 statements');
      });

      it.each([
        [
          'a function that deletes',
          'SELECT purge_bookings() AS value',
          /cannot execute \w+ in a read-only transaction/,
        ],
        [
          'a row lock',
          'SELECT id AS value FROM bookings FOR UPDATE',
          /cannot execute SELECT FOR UPDATE in a read-only/,
        ],
      ])('stops %s with the READ ONLY transaction (SQLSTATE 25006)', async (_case, sql, reason) => {
        // Act
        const result = await runKpi(kpiFixture({ name: 'hostile', sql }), { datasource });

        // Assess
        expect(result.errorName).toBe('KpiQueryError');
        expect(result.error).toMatch(reason);
        expect(result.error).toContain('READ ONLY');
        expect(result.error).toContain('SQLSTATE 25006');
      });

      it('runs a single statement with a trailing semicolon and comments holding semicolons', async () => {
        // Prepare
        const sql = "SELECT count(*) AS value /* ; */ FROM bookings WHERE status <> ';' -- the end;\n;";

        // Act
        const result = await runKpi(kpiFixture({ name: 'commented', sql }), { datasource });

        // Assess
        expect(result.error).toBeNull();
        expect(result.values[0]!.value).toBe(await countOf('SELECT count(*) AS n FROM bookings'));
      });
    });
  });
};
