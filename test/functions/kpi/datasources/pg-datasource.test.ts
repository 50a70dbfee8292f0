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
import { runKpi, runKpis } from '../../../../functions/kpi/run-kpis';
import type { KpiResult } from '../../../../functions/kpi/types/results';
import { kpiFixture } from '../../../helpers/kpi/kpi-fixture';
import type { PostgresServer } from '../../../helpers/kpi/postgres-server';
import { datasourceContract, startContractPostgres } from './datasource-contract';

const READER_PASSWORD = 'reader-Pa55word-first';
const ROTATED_PASSWORD = 'reader-Pa55word-rotated';

describe('pg datasource against a real PostgreSQL server', () => {
  let server: PostgresServer;
  let datasource: PgDatasource;

  beforeAll(async () => {
    // Even a role allowed to write is stopped by Vigil's guards.
    server = await startContractPostgres(READER_PASSWORD);
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

  datasourceContract(() => ({
    datasource,
    admin: async (sql) => (await server.admin(sql)).rows as Record<string, unknown>[],
  }));

  it('lets the other KPIs finish on the pool while one is stuck', async () => {
    // Prepare: the first KPI waits on a lock the test holds until both others are reported (at most 30 s).
    const holder = new pg.Client({ connectionString: server.url });
    await holder.connect();
    await holder.query('BEGIN; LOCK TABLE payments IN ACCESS EXCLUSIVE MODE');
    const kpis = [
      kpiFixture({
        name: 'stuck',
        sql: 'SELECT count(*) AS value FROM payments',
        timeoutMs: 60_000,
        lockTimeoutMs: 60_000,
      }),
      kpiFixture({ name: 'fast_one', sql: 'SELECT count(*) AS value FROM searches' }),
      kpiFixture({ name: 'fast_two', sql: 'SELECT count(*) AS value FROM bookings' }),
    ];
    const finished: string[] = [];
    const release = async () => {
      clearTimeout(fallback);
      await holder.query('ROLLBACK').catch(() => undefined);
    };
    const fallback = setTimeout(() => void release(), 30_000);

    // Act
    const results = await runKpis(kpis, {
      datasource,
      concurrency: 2,
      onResult: (result) => {
        finished.push(result.name);
        if (finished.includes('fast_one') && finished.includes('fast_two')) void release();
      },
    });
    await release();
    await holder.end();

    // Assess
    expect(finished).toEqual(['fast_one', 'fast_two', 'stuck']);
    expect(results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok']);
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
