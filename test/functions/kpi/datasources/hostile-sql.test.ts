import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { staticCredentials } from '../../../../functions/kpi/datasources/pg-credentials';
import { createPgDatasource } from '../../../../functions/kpi/datasources/pg-datasource';
import { runKpi } from '../../../../functions/kpi/run-kpis';
import type { KpiDatasource } from '../../../../functions/kpi/types/ports';
import { kpiFixture } from '../../../helpers/kpi/kpi-fixture';
import type { PostgresServer } from '../../../helpers/kpi/postgres-server';
import type { DataApiServer } from '../helpers/data-api-server';
import { type DataApiSubject, startContractPostgres, startDataApiSubject } from './datasource-contract';

/**
 * KPI SQL that tries to outlive its timeout, down the paths that talk to a real PostgreSQL server (`pg` and
 * the Data API adapter through the stand-in), plus the documented read-only role. The write attempts and
 * the row cap every datasource must resist are in the shared contract (datasource-contract.ts), run by
 * each datasource's own test file.
 */

const READER_PASSWORD = 'reader-Pa55word-hostile';
const READER_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:vigil/kpi-hostile-Ab12Cd';

describe('KPI SQL cannot outlive its timeout, and the documented role cannot write', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    // A role allowed to write: only Vigil's guards stop the SQL.
    server = await startContractPostgres(READER_PASSWORD);
  });

  afterAll(async () => {
    await server?.stop();
  });

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

  /**
   * Reads `read()` every 100 ms until `done` holds of what it read, for at most ~60 s: a loaded machine is
   * slow, not wrong. Returns the last value read, for the test to assert.
   */
  const pollUntil = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    let value = await read();
    for (let attempt = 0; attempt < 600 && !done(value); attempt++) {
      await new Promise((next) => setTimeout(next, 100));
      value = await read();
    }
    return value;
  };

  /** Polls until no statement with the marker runs; returns how many still run. */
  const settledRunning = (marker: string) =>
    pollUntil(
      () => runningStatements(marker),
      (n) => n === 0,
    );

  /**
   * Sends a 60 s sleep marked `marker` through `source` with a statement timeout far beyond the engine's
   * abort, so only the give-up can end it, and waits until PostgreSQL runs it (`started`: how many run).
   */
  const startSleeper = async (source: KpiDatasource, marker: string) => {
    const abort = new AbortController();
    const outcome = source
      .query(
        {
          kpi: 'sleeper',
          sql: `SELECT pg_sleep(60) AS value /* ${marker} */`,
          parameters: {},
          timeoutMs: 60_000,
          lockTimeoutMs: 1_000,
          maxRows: 10,
        },
        abort.signal,
      )
      .then(
        () => 'resolved',
        (error: Error) => error.name,
      );
    const started = await pollUntil(
      () => runningStatements(marker),
      (n) => n > 0,
    );
    return { abort, outcome, started };
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
      const { abort, outcome, started } = await startSleeper(datasource, 'sleeper-2');
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
      const alive = await pollUntil(
        async () =>
          Number(
            (await server.admin('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid]))
              .rows[0].n,
          ),
        (n) => n === 0,
      );
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
    let datasource: KpiDatasource;
    let subject: DataApiSubject;

    beforeAll(async () => {
      subject = await startDataApiSubject(server, READER_SECRET_ARN, READER_PASSWORD);
      ({ dataApi, datasource } = subject);
    });

    afterAll(async () => {
      await subject?.stop();
    });

    it('cancels the statement on the server when the engine gives up', async () => {
      // Prepare: a statement timeout far beyond the engine's abort, so only the give-up can end it.
      const { abort, outcome, started } = await startSleeper(datasource, 'sleeper-3');

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
});
