import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createDataApiDatasource } from '../../../../functions/kpi/datasources/data-api-datasource';
import { staticCredentials } from '../../../../functions/kpi/datasources/pg-credentials';
import { createPgDatasource } from '../../../../functions/kpi/datasources/pg-datasource';
import { createPgliteDatasource } from '../../../../functions/kpi/datasources/pglite-datasource';
import { DEMO_SCHEMA, demoDataSql } from '../../../../functions/kpi/demo/demo-data';
import { runKpi } from '../../../../functions/kpi/run-kpis';
import type { KpiDatasource } from '../../../../functions/kpi/types/ports';
import { type DataApiServer, startDataApiServer } from '../helpers/data-api-server';
import { kpiFixture } from '../helpers/kpi-fixture';
import { type PostgresServer, startPostgres } from '../helpers/postgres-server';

/**
 * KPI SQL written by someone who wants to write, to outlive its timeout or to load every row, sent down
 * every datasource path: `pg` against a real PostgreSQL, the Data API adapter through the stand-in backed
 * by that PostgreSQL, and PGlite. The KPI's role may write (it holds INSERT/UPDATE/DELETE), so only
 * Vigil's own guards stand between the SQL and the data.
 */

const READER_PASSWORD = 'reader-Pa55word-hostile';
const READER_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:vigil/kpi-hostile-Ab12Cd';

/** Objects a hostile query could touch, besides the demo tables. */
const EXTRA_SCHEMA = `
CREATE TABLE audit (note text);
CREATE SEQUENCE kpi_counter;
CREATE FUNCTION purge_bookings() RETURNS bigint LANGUAGE sql AS
  $$ WITH gone AS (DELETE FROM bookings RETURNING 1) SELECT count(*) FROM gone $$;
`;

/** One datasource path and a superuser view of the database behind it. */
interface DatasourcePath {
  readonly datasource: KpiDatasource;
  /** Runs SQL as the database owner and returns the rows. */
  readonly admin: (sql: string) => Promise<Record<string, unknown>[]>;
}

const countOf = async (path: DatasourcePath, sql: string) => Number((await path.admin(sql))[0]!.n);

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
  { case: 'a bare DELETE', sql: 'DELETE FROM bookings RETURNING 1 AS value' },
];

/** Registers the hostile-SQL cases in the current `describe`, against the path `current` gives. */
const hostileSqlCases = (current: () => DatasourcePath) => {
  describe('hostile KPI SQL', () => {
    let path: DatasourcePath;

    beforeAll(() => {
      path = current();
    });

    it.each(WRITE_ATTEMPTS)('refuses $case and leaves the data untouched', async ({ sql }) => {
      // Prepare
      const bookings = await countOf(path, 'SELECT count(*) AS n FROM bookings');
      const counter = await path.admin('SELECT last_value, is_called FROM kpi_counter');

      // Act
      const result = await runKpi(kpiFixture({ name: 'hostile', sql }), { datasource: path.datasource });

      // Assess
      expect(result.status).toBe('failed');
      expect(await countOf(path, 'SELECT count(*) AS n FROM bookings')).toBe(bookings);
      expect(bookings).toBeGreaterThan(0);
      expect(await countOf(path, 'SELECT count(*) AS n FROM audit')).toBe(0);
      expect(await countOf(path, "SELECT count(*) AS n FROM pg_class WHERE relname = 'evil'")).toBe(0);
      expect(await path.admin('SELECT last_value, is_called FROM kpi_counter')).toEqual(counter);
    });

    it('names the second statement as the reason a multi-statement query is refused', async () => {
      // Act
      const result = await runKpi(kpiFixture({ name: 'hostile', sql: 'COMMIT; DELETE FROM bookings' }), {
        datasource: path.datasource,
      });

      // Assess
      expect(result.errorName).toBe('KpiSqlError');
      expect(result.error).toContain('2 statements');
    });

    it('stops a single-statement write with the READ ONLY transaction (SQLSTATE 25006)', async () => {
      // Act
      const result = await runKpi(kpiFixture({ name: 'hostile', sql: 'SELECT purge_bookings() AS value' }), {
        datasource: path.datasource,
      });

      // Assess
      expect(result.errorName).toBe('KpiQueryError');
      expect(result.error).toMatch(/cannot execute \w+ in a read-only transaction/);
      expect(result.error).toContain('SQLSTATE 25006');
    });

    it('runs a single statement with a trailing semicolon and comments holding semicolons', async () => {
      // Prepare
      const sql = "SELECT count(*) AS value /* ; */ FROM bookings WHERE status <> ';' -- the end;\n;";

      // Act
      const result = await runKpi(kpiFixture({ name: 'commented', sql }), { datasource: path.datasource });

      // Assess
      expect(result.error).toBeNull();
      expect(result.values[0]!.value).toBe(await countOf(path, 'SELECT count(*) AS n FROM bookings'));
    });

    it('stops reading at maxRows + 1: rows past the cap are never computed', async () => {
      // Prepare: row 12 onwards divides by zero; only reading them all could raise it.
      const sql =
        'SELECT CASE WHEN g <= 11 THEN g ELSE 1 / (g - g) END AS value FROM generate_series(1, 100000) AS g';

      // Act
      const result = await runKpi(kpiFixture({ name: 'endless', sql, maxRows: 10 }), {
        datasource: path.datasource,
      });

      // Assess
      expect(result.status).toBe('failed');
      expect(result.errorName).toBe('KpiResultError');
      expect(result.error).toContain('more than maxRows 10');
    });
  });
};

describe('KPI SQL cannot write, outlive its timeout or load unbounded rows', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
    await server.admin(`SET TIME ZONE 'UTC'; ${DEMO_SCHEMA}`);
    await server.admin(demoDataSql(Date.now()));
    await server.admin(EXTRA_SCHEMA);
    await server.admin(`CREATE ROLE kpi_reader LOGIN PASSWORD '${READER_PASSWORD}'`);
    // A role allowed to write: only Vigil's guards stop the SQL.
    await server.admin('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO kpi_reader');
    await server.admin('GRANT USAGE, UPDATE ON SEQUENCE kpi_counter TO kpi_reader');
    await server.admin('GRANT CREATE ON SCHEMA public TO kpi_reader');
  });

  afterAll(async () => {
    await server?.stop();
  });

  const postgresAdmin = async (sql: string) => (await server.admin(sql)).rows as Record<string, unknown>[];

  /** Backends of the KPI role still running a statement (not idle). */
  const runningStatements = async (marker: string) =>
    Number(
      (
        await server.admin(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'kpi_reader' AND state = 'active' AND query LIKE $1",
          [`%${marker}%`],
        )
      ).rows[0].n,
    );

  /** Polls until no statement with the marker runs, for at most ~10 s; returns how many still run. */
  const settledRunning = async (marker: string) => {
    let running = await runningStatements(marker);
    for (let attempt = 0; attempt < 100 && running > 0; attempt++) {
      await new Promise((next) => setTimeout(next, 100));
      running = await runningStatements(marker);
    }
    return running;
  };

  describe('pg', () => {
    const pgDatasource = () =>
      createPgDatasource({
        name: 'bookings',
        credentials: staticCredentials({ user: 'kpi_reader', password: READER_PASSWORD }),
        host: server.host,
        port: server.port,
        database: server.database,
        ssl: 'disable',
        maxConnections: 2,
      });
    let datasource: KpiDatasource;

    beforeAll(() => {
      datasource = pgDatasource();
    });

    afterAll(async () => {
      await datasource?.close();
    });

    hostileSqlCases(() => ({ datasource, admin: postgresAdmin }));

    it('does not let the SQL turn off its statement timeout: the server runs nothing after the give-up', async () => {
      // Prepare
      const kpi = kpiFixture({
        name: 'sleeper',
        sql: 'SET statement_timeout = 0; SELECT pg_sleep(30) AS value /* sleeper-1 */',
        timeoutMs: 300,
      });

      // Act
      const result = await runKpi(kpi, { datasource, graceMs: 200 });

      // Assess
      expect(result.status).toBe('failed');
      expect(await settledRunning('sleeper-1')).toBe(0);
    });

    it('cancels the statement on the server and drops its connection when the engine gives up', async () => {
      // Prepare: a statement timeout far beyond the engine's abort, so only the give-up can end it.
      const abort = new AbortController();
      const pending = datasource.query(
        {
          kpi: 'sleeper',
          sql: 'SELECT pg_sleep(60) AS value /* sleeper-2 */',
          parameters: {},
          timeoutMs: 60_000,
          lockTimeoutMs: 1_000,
          maxRows: 10,
        },
        abort.signal,
      );
      const outcome = pending.then(
        () => 'resolved',
        (error: Error) => error.name,
      );
      let started = await runningStatements('sleeper-2');
      for (let attempt = 0; attempt < 100 && started === 0; attempt++) {
        await new Promise((next) => setTimeout(next, 50));
        started = await runningStatements('sleeper-2');
      }
      const backends = await server.admin(
        "SELECT pid FROM pg_stat_activity WHERE usename = 'kpi_reader' AND query LIKE '%sleeper-2%'",
      );

      // Act
      abort.abort();
      const settled = await outcome;

      // Assess
      expect(started).toBe(1);
      expect(settled).not.toBe('resolved');
      expect(await settledRunning('sleeper-2')).toBe(0);
      const pid = backends.rows[0].pid as number;
      let alive = 1;
      for (let attempt = 0; attempt < 100 && alive > 0; attempt++) {
        alive = Number(
          (await server.admin('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid]))
            .rows[0].n,
        );
        if (alive > 0) await new Promise((next) => setTimeout(next, 100));
      }
      expect(alive).toBe(0);
      // The pool still serves the next KPI.
      const next = await runKpi(kpiFixture({ name: 'after', sql: 'SELECT 1 AS value' }), { datasource });
      expect(next.status).toBe('ok');
    });
    it('returns a timed-out result only after the statement was cancelled and its connection dropped', async () => {
      // Prepare: statement_timeout far above the engine's deadline, so only the give-up can stop it.
      let settled = false;
      const ignoresTimeout: KpiDatasource = {
        name: 'bookings',
        query: (query, signal) =>
          datasource.query({ ...query, timeoutMs: 60_000 }, signal).finally(() => {
            settled = true;
          }),
        close: async () => undefined,
      };
      const kpi = kpiFixture({
        name: 'sleeper',
        sql: 'SELECT pg_sleep(60) AS value /* sleeper-4 */',
        timeoutMs: 300,
      });

      // Act
      const result = await runKpi(kpi, { datasource: ignoresTimeout });

      // Assess
      expect(result.errorName).toBe('KpiTimeoutError');
      expect(settled).toBe(true);
      expect(await settledRunning('sleeper-4')).toBe(0);
    });
  });

  it('has the read-only role docs/kpis.md shows run KPIs and fail to write even outside Vigil', async () => {
    // Prepare: the GRANT lines exactly as documented, with a password and this server's database name.
    const docs = readFileSync(join(__dirname, '../../../../docs/kpis.md'), 'utf8');
    const section = docs.slice(docs.indexOf('## What KPI SQL can and cannot do'));
    const grants = /```sql\n([\s\S]*?)```/
      .exec(section)![1]!
      .replace("PASSWORD '…'", "PASSWORD 'documented-Pa55word'")
      .replace('ON DATABASE app', `ON DATABASE ${server.database}`);
    await server.admin(grants);
    const documented = createPgDatasource({
      name: 'bookings',
      credentials: staticCredentials({ user: 'vigil_kpi', password: 'documented-Pa55word' }),
      host: server.host,
      port: server.port,
      database: server.database,
      ssl: 'disable',
    });
    const direct = new pg.Client({
      host: server.host,
      port: server.port,
      database: server.database,
      user: 'vigil_kpi',
      password: 'documented-Pa55word',
    });
    await direct.connect();

    // Act
    const result = await runKpi(
      kpiFixture({ name: 'count', sql: 'SELECT count(*) AS value FROM bookings' }),
      {
        datasource: documented,
      },
    );
    const write = await direct.query('DELETE FROM bookings').catch((error: { code?: string }) => error.code);
    const writeReadWrite = await direct
      .query("BEGIN READ WRITE; INSERT INTO audit VALUES ('x'); COMMIT")
      .catch((error: { code?: string }) => error.code);
    await direct.end();
    await documented.close();

    // Assess
    expect(result.status).toBe('ok');
    expect(result.values[0]!.value).toBeGreaterThan(0);
    expect(write).toBe('25006');
    expect(writeReadWrite).toBe('42501');
  });

  describe('Data API', () => {
    let dataApi: DataApiServer;
    let client: RDSDataClient;
    let datasource: KpiDatasource;

    beforeAll(async () => {
      dataApi = await startDataApiServer({
        postgres: server,
        secrets: { [READER_SECRET_ARN]: { user: 'kpi_reader', password: READER_PASSWORD } },
      });
      client = new RDSDataClient({ endpoint: dataApi.url });
      datasource = createDataApiDatasource({
        name: 'bookings',
        clusterArn: dataApi.clusterArn,
        secretArn: READER_SECRET_ARN,
        database: server.database,
        client,
      });
    });

    afterAll(async () => {
      client?.destroy();
      await dataApi?.stop();
    });

    hostileSqlCases(() => ({ datasource, admin: postgresAdmin }));

    it('cancels the statement on the server when the engine gives up', async () => {
      // Prepare: a statement timeout far beyond the engine's abort, so only the give-up can end it.
      const abort = new AbortController();
      const pending = datasource.query(
        {
          kpi: 'sleeper',
          sql: 'SELECT pg_sleep(60) AS value /* sleeper-3 */',
          parameters: {},
          timeoutMs: 60_000,
          lockTimeoutMs: 1_000,
          maxRows: 10,
        },
        abort.signal,
      );
      const outcome = pending.then(
        () => 'resolved',
        (error: Error) => error.name,
      );
      let started = await runningStatements('sleeper-3');
      for (let attempt = 0; attempt < 100 && started === 0; attempt++) {
        await new Promise((next) => setTimeout(next, 50));
        started = await runningStatements('sleeper-3');
      }

      // Act
      abort.abort();
      const settled = await outcome;

      // Assess
      expect(started).toBe(1);
      expect(settled).not.toBe('resolved');
      expect(await settledRunning('sleeper-3')).toBe(0);
      expect(dataApi.openTransactions()).toBe(0);
    });
  });

  describe('PGlite', () => {
    let db: PGlite;
    let datasource: KpiDatasource;

    beforeAll(async () => {
      db = await PGlite.create();
      await db.exec(`SET TIME ZONE 'UTC'; ${DEMO_SCHEMA}`);
      await db.exec(demoDataSql(Date.now()));
      await db.exec(EXTRA_SCHEMA);
      datasource = createPgliteDatasource(db, 'embedded');
    });

    afterAll(async () => {
      await datasource?.close();
    });

    hostileSqlCases(() => ({
      datasource,
      admin: async (sql) => (await db.query<Record<string, unknown>>(sql)).rows,
    }));
  });
});
