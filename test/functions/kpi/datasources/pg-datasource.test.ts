import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import pg from 'pg';
import {
  createSecretCredentials,
  staticCredentials,
} from '../../../../functions/kpi/datasources/pg-credentials';
import { createPgDatasource, type PgDatasource } from '../../../../functions/kpi/datasources/pg-datasource';
import { DEMO_SCHEMA, demoDataSql } from '../../../../functions/kpi/demo/demo-data';
import { runKpi, runKpis } from '../../../../functions/kpi/run-kpis';
import type { KpiResult } from '../../../../functions/kpi/types/results';
import { resolvedDemoKpis } from '../helpers/demo-kpis';
import { kpiFixture } from '../helpers/kpi-fixture';
import { type PostgresServer, startPostgres } from '../helpers/postgres-server';

const READER_PASSWORD = 'reader-Pa55word-first';
const ROTATED_PASSWORD = 'reader-Pa55word-rotated';

describe('pg datasource against a real PostgreSQL server', () => {
  let server: PostgresServer;
  let datasource: PgDatasource;

  beforeAll(async () => {
    server = await startPostgres();
    await server.admin(`SET TIME ZONE 'UTC'; ${DEMO_SCHEMA}`);
    await server.admin(demoDataSql(Date.now()));
    await server.admin(`CREATE ROLE kpi_reader LOGIN PASSWORD '${READER_PASSWORD}'`);
    await server.admin('GRANT SELECT ON ALL TABLES IN SCHEMA public TO kpi_reader');
    await server.admin("ALTER ROLE kpi_reader SET timezone = 'UTC'");
    // Even a role allowed to write is stopped by the READ ONLY transaction.
    await server.admin('GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO kpi_reader');
    datasource = createPgDatasource({
      name: 'bookings',
      credentials: staticCredentials({ user: 'kpi_reader', password: READER_PASSWORD }),
      host: server.host,
      port: server.port,
      database: server.database,
      ssl: 'disable',
      maxConnections: 4,
    });
  });

  afterAll(async () => {
    await datasource?.close();
    await server?.stop();
  });

  it("runs the seeds' three KPI queries verbatim, with daily revenue breaching on the outage day", async () => {
    // Prepare
    const kpis = resolvedDemoKpis();

    // Act
    const results = await runKpis(kpis, { datasource, concurrency: 3 });

    // Assess
    const byName = Object.fromEntries(results.map((result) => [result.name, result]));
    expect(results.map((result) => result.status)).toEqual(['ok', 'breached', 'ok']);
    expect(byName.conversion_rate!.values[0]!.value).toBeGreaterThan(15);
    expect(byName.daily_revenue!.breaches.map((breach) => breach.severity)).toEqual(['critical', 'warning']);
    expect(byName.daily_revenue!.breaches[0]!.value).toBeLessThan(30_000);
    expect(byName.daily_revenue!.breaches[0]!.dimensions.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(
      byName.customer_satisfaction!.values.find((value) => value.metric === 'avg_rating')!.value,
    ).toBeGreaterThan(4);
  });

  it('reports a write attempt as a failure and leaves the data untouched', async () => {
    // Prepare
    const before = await server.admin('SELECT count(*)::int AS n FROM bookings');
    // One SELECT that locks rows: it reaches the database, where only READ ONLY stops it.
    const kpi = kpiFixture({ name: 'sneaky_lock', sql: 'SELECT id AS value FROM bookings FOR UPDATE' });

    // Act
    const result = await runKpi(kpi, { datasource });

    // Assess
    const after = await server.admin('SELECT count(*)::int AS n FROM bookings');
    expect(result.status).toBe('failed');
    expect(result.errorName).toBe('KpiQueryError');
    expect(result.error).toContain('cannot execute SELECT FOR UPDATE in a read-only transaction');
    expect(result.error).toContain('READ ONLY');
    expect(result.error).toContain('25006');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(before.rows[0].n).toBeGreaterThan(0);
  });

  it('cancels a query that outlives its statement timeout and reports it', async () => {
    // Prepare
    const kpi = kpiFixture({ name: 'slow', sql: 'SELECT pg_sleep(5) AS value', timeoutMs: 200 });

    // Act
    const result = await runKpi(kpi, { datasource });

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toContain('statement timeout');
    expect(result.error).toContain('57014');
  });

  it('lets the other KPIs finish while a hung one waits for its own timeout', async () => {
    // Prepare
    const kpis = [
      kpiFixture({ name: 'hung', sql: 'SELECT pg_sleep(10) AS value', timeoutMs: 1_500 }),
      kpiFixture({ name: 'fast_one', sql: 'SELECT count(*) AS value FROM searches' }),
      kpiFixture({ name: 'fast_two', sql: 'SELECT count(*) AS value FROM bookings' }),
    ];
    const finished: string[] = [];

    // Act
    const results = await runKpis(kpis, {
      datasource,
      concurrency: 2,
      onResult: (result) => finished.push(result.name),
    });

    // Assess
    expect(finished).toEqual(['fast_one', 'fast_two', 'hung']);
    expect(results.map((result) => result.status)).toEqual(['failed', 'ok', 'ok']);
    expect(results[0]!.error).toContain('statement timeout');
  });

  it('gives up on a KPI whose connection never answers, at the engine deadline', async () => {
    // Prepare: lock_timeout 0 waits forever on the lock; statement_timeout is large; only the deadline ends it.
    const holder = new pg.Client({ connectionString: server.url });
    await holder.connect();
    await holder.query('BEGIN; LOCK TABLE payments IN ACCESS EXCLUSIVE MODE');
    const kpi = kpiFixture({
      name: 'blocked',
      sql: 'SELECT count(*) AS value FROM payments',
      timeoutMs: 300,
      lockTimeoutMs: 60_000,
    });
    // The engine deadline is timeout + grace; make statement_timeout irrelevant by a huge SET LOCAL above it.
    const stuck: PgDatasource = {
      ...datasource,
      name: 'bookings',
      poolGeneration: datasource.poolGeneration,
      query: (query, signal) => datasource.query({ ...query, timeoutMs: 60_000 }, signal),
      close: async () => undefined,
    };

    // Act
    const result = await runKpi(kpi, { datasource: stuck, graceMs: 200 });
    await holder.query('ROLLBACK');
    await holder.end();
    const afterwards = await runKpi(
      kpiFixture({ name: 'after', sql: 'SELECT count(*) AS value FROM payments' }),
      {
        datasource,
      },
    );

    // Assess
    expect(result.status).toBe('failed');
    expect(result.errorName).toBe('KpiTimeoutError');
    expect(afterwards.status).toBe('ok');
  });

  it('binds an injection-looking parameter as a plain value', async () => {
    // Prepare
    const kpi = kpiFixture({
      name: 'by_status',
      sql: "SELECT count(*) AS value FROM bookings WHERE status = :status -- ':status' in a comment is not a parameter",
      parameters: { status: "confirmed' OR '1'='1" },
    });

    // Act
    const result = await runKpi(kpi, { datasource });

    // Assess
    expect(result.status).toBe('ok');
    expect(result.values[0]!.value).toBe(0);
  });

  it('binds the time window as :window_start and :window_end', async () => {
    // Prepare
    const kpi = kpiFixture({
      name: 'windowed',
      sql: 'SELECT count(*) AS value FROM bookings WHERE created_at >= :window_start AND created_at <= :window_end',
      windowMs: 3 * 86_400_000,
    });
    const expected = await server.admin(
      "SELECT count(*)::int AS n FROM bookings WHERE created_at >= NOW() - INTERVAL '3 days'",
    );

    // Act
    const result = await runKpi(kpi, { datasource });

    // Assess
    expect(result.status).toBe('ok');
    expect(result.values[0]!.value).toBe(expected.rows[0].n);
  });

  it('fails a result with more rows than maxRows instead of keeping them', async () => {
    // Prepare
    const kpi = kpiFixture({ name: 'too_many', sql: 'SELECT generate_series(1, 50) AS value', maxRows: 10 });

    // Act
    const result = await runKpi(kpi, { datasource });

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toContain('more than maxRows 10 rows (reading stopped at 11)');
  });

  describe('credentials from Secrets Manager (moto)', () => {
    const secrets = new SecretsManagerClient({});
    const secretId = `vigil/kpi-reader-${Date.now()}`;
    let fetches = 0;
    const fetchSecret = async (id: string) => {
      fetches += 1;
      const result = await secrets.send(new GetSecretValueCommand({ SecretId: id }));
      return result.SecretString ?? '';
    };

    beforeAll(async () => {
      await secrets.send(
        new CreateSecretCommand({
          Name: secretId,
          SecretString: JSON.stringify({
            username: 'kpi_reader',
            password: READER_PASSWORD,
            host: server.host,
            port: server.port,
            dbname: 'postgres',
            engine: 'postgres',
          }),
        }),
      );
    });

    it('fetches the secret once and reuses it across queries', async () => {
      // Prepare
      fetches = 0;
      const rotating = createPgDatasource({
        name: 'bookings',
        credentials: createSecretCredentials({ secretId, fetchSecret }),
        ssl: 'disable',
      });
      const kpi = kpiFixture({ name: 'count', sql: 'SELECT count(*) AS value FROM reviews' });

      // Act
      const first = await runKpi(kpi, { datasource: rotating });
      const second = await runKpi(kpi, { datasource: rotating });
      await rotating.close();

      // Assess
      expect([first.status, second.status]).toEqual(['ok', 'ok']);
      expect(fetches).toBe(1);
    });

    it('fetches the secret again and reconnects when the password was rotated', async () => {
      // Prepare
      fetches = 0;
      const rotating = createPgDatasource({
        name: 'bookings',
        credentials: createSecretCredentials({ secretId, fetchSecret }),
        ssl: 'disable',
        maxConnections: 2,
      });
      const kpi = kpiFixture({ name: 'count', sql: 'SELECT count(*) AS value FROM reviews' });
      const before = await runKpi(kpi, { datasource: rotating });
      await server.admin(`ALTER ROLE kpi_reader PASSWORD '${ROTATED_PASSWORD}'`);
      await secrets.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          SecretString: JSON.stringify({
            username: 'kpi_reader',
            password: ROTATED_PASSWORD,
            host: server.host,
            port: server.port,
          }),
        }),
      );
      await server.admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'kpi_reader'",
      );

      // Act
      let after: KpiResult = await runKpi(kpi, { datasource: rotating });
      // A pooled connection killed by the server fails once; the pool then connects fresh.
      if (after.status === 'failed' && !after.error?.includes('password'))
        after = await runKpi(kpi, { datasource: rotating });
      await rotating.close();
      await server.admin(`ALTER ROLE kpi_reader PASSWORD '${READER_PASSWORD}'`);

      // Assess
      expect(before.status).toBe('ok');
      expect(after.status).toBe('ok');
      expect(fetches).toBe(2);
      expect(rotating.poolGeneration).toBe(2);
    });

    it('never puts the password in the error when the login is rejected', async () => {
      // Prepare
      const wrong = 'Wr0ng-password-never-shown';
      const rejected = createPgDatasource({
        name: 'bookings',
        credentials: staticCredentials({ user: 'kpi_reader', password: wrong }),
        host: server.host,
        port: server.port,
        ssl: 'disable',
      });

      // Act
      const result = await runKpi(kpiFixture({ name: 'count', sql: 'SELECT 1 AS value' }), {
        datasource: rejected,
      });
      await rejected.close();

      // Assess
      expect(result.status).toBe('failed');
      expect(result.errorName).toBe('KpiDatasourceError');
      expect(result.error).toContain('28P01');
      expect(JSON.stringify(result)).not.toContain(wrong);
    });
  });
});
