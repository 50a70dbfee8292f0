import { BeginTransactionCommand, ExecuteStatementCommand, RDSDataClient } from '@aws-sdk/client-rds-data';
import pg from 'pg';
import { createDataApiDatasource } from '../../../../functions/kpi/datasources/data-api-datasource';
import { runKpi } from '../../../../functions/kpi/run-kpis';
import type { KpiDatasource, KpiQuery } from '../../../../functions/kpi/types/ports';
import { kpiFixture } from '../../../helpers/kpi/kpi-fixture';
import type { PostgresServer } from '../../../helpers/kpi/postgres-server';
import { type DataApiServer, startDataApiServer } from '../helpers/data-api-server';
import {
  type DataApiSubject,
  datasourceContract,
  startContractPostgres,
  startDataApiSubject,
} from './datasource-contract';

const READER_PASSWORD = 'reader-Pa55word-data-api';
const READER_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:vigil/kpi-reader-Xy12Zz';

/** A query as the engine would send it, with test-friendly limits. */
const query = (overrides: Partial<KpiQuery> & Pick<KpiQuery, 'sql'>): KpiQuery => ({
  kpi: 'probe',
  parameters: {},
  timeoutMs: 30_000,
  lockTimeoutMs: 10_000,
  maxRows: 1_000,
  ...overrides,
});

describe('Data API datasource against a Data API stand-in backed by a real PostgreSQL', () => {
  let server: PostgresServer;
  let dataApi: DataApiServer;
  let client: RDSDataClient;
  let datasource: KpiDatasource;
  let subject: DataApiSubject;

  /** Transactions the stand-in still holds open, and backends PostgreSQL reports idle in a transaction. */
  const leakedTransactions = async () => {
    const idle = await server.admin(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'kpi_reader' AND state LIKE 'idle in transaction%'",
    );
    return { standIn: dataApi.openTransactions(), postgres: idle.rows[0].n as number };
  };

  beforeAll(async () => {
    // Even a role allowed to write is stopped by Vigil's guards.
    server = await startContractPostgres(READER_PASSWORD);
    subject = await startDataApiSubject(server, READER_SECRET_ARN, READER_PASSWORD);
    ({ dataApi, client, datasource } = subject);
  });

  afterAll(async () => {
    await subject?.stop();
    await server?.stop();
  });

  // Every test, run alone or in any order, leaves no transaction open in the stand-in or in PostgreSQL.
  afterEach(async () => {
    expect(await leakedTransactions()).toEqual({ standIn: 0, postgres: 0 });
  });

  datasourceContract(() => ({
    datasource,
    admin: async (sql) => (await server.admin(sql)).rows as Record<string, unknown>[],
  }));

  it('runs each query as BeginTransaction, READ ONLY, timeouts, the row-capped query, then RollbackTransaction', async () => {
    // Prepare
    const from = dataApi.calls.length;

    // Act
    const rows = await datasource.query(
      query({ sql: 'SELECT count(*) AS value FROM bookings', timeoutMs: 1_234.4, lockTimeoutMs: 567 }),
      new AbortController().signal,
    );

    // Assess
    const calls = dataApi.calls.slice(from);
    expect(calls.map((call) => call.operation)).toEqual([
      'BeginTransaction',
      'ExecuteStatement',
      'ExecuteStatement',
      'ExecuteStatement',
      'RollbackTransaction',
    ]);
    expect(calls.slice(1, 4).map((call) => call.body.sql)).toEqual([
      'SET TRANSACTION READ ONLY',
      "SELECT pg_backend_pid() AS backend, set_config('statement_timeout', '1234', true), " +
        "set_config('lock_timeout', '567', true)",
      'SELECT * FROM (\nSELECT count(*) AS value FROM bookings\n) AS vigil_kpi LIMIT 1001',
    ]);
    const transactionId = calls[1]!.body.transactionId;
    expect(transactionId).toEqual(expect.any(String));
    for (const call of calls.slice(1)) expect(call.body.transactionId).toBe(transactionId);
    expect(rows.columns).toEqual(['value']);
    expect(rows.rows[0]!.value).toBeGreaterThan(0);
    expect(await leakedTransactions()).toEqual({ standIn: 0, postgres: 0 });
  });

  it('binds :window_start and :window_end as TIMESTAMP parameters, never as SQL text', async () => {
    // Prepare
    const kpi = kpiFixture({
      name: 'windowed',
      sql: 'SELECT count(*) AS value FROM bookings WHERE created_at >= :window_start AND created_at <= :window_end',
      windowMs: 3 * 86_400_000,
    });
    const from = dataApi.calls.length;

    // Act
    const result = await runKpi(kpi, { datasource });

    // Assess
    const windowStart = new Date(result.startedAt - 3 * 86_400_000).toISOString();
    const expected = await server.admin(
      'SELECT count(*)::int AS n FROM bookings WHERE created_at >= $1 AND created_at <= $2',
      [windowStart, new Date(result.startedAt).toISOString()],
    );
    const execute = dataApi.calls.slice(from).find((call) => String(call.body.sql).includes(kpi.sql))!;
    expect(result.status).toBe('ok');
    expect(result.values[0]!.value).toBe(expected.rows[0].n);
    expect(expected.rows[0].n).toBeGreaterThan(0);
    expect(execute.body.parameters).toEqual([
      {
        name: 'window_start',
        value: { stringValue: windowStart.replace('T', ' ').replace('Z', '') },
        typeHint: 'TIMESTAMP',
      },
      { name: 'window_end', value: { stringValue: expect.any(String) }, typeHint: 'TIMESTAMP' },
    ]);
  });

  it('sends an injection-looking parameter as a typed SqlParameter, outside the SQL text', async () => {
    // Prepare
    const sql =
      "SELECT count(*) AS value FROM bookings WHERE status = :status -- ':status' in a comment is not a parameter";
    const injection = kpiFixture({ name: 'by_status', sql, parameters: { status: "confirmed' OR '1'='1" } });
    const from = dataApi.calls.length;

    // Act
    const injected = await runKpi(injection, { datasource });

    // Assess
    expect(injected.status).toBe('ok');
    const sent = dataApi.calls.slice(from).filter((call) => String(call.body.sql).includes(sql));
    expect(sent[0]!.body.parameters).toEqual([
      { name: 'status', value: { stringValue: "confirmed' OR '1'='1" } },
    ]);
  });

  it("reports the Data API's own StatementTimeoutException as a failure and rolls back", async () => {
    // Prepare: the service gives up after 300 ms, long before the query's statement_timeout.
    const impatient = await startDataApiServer({
      postgres: server,
      secrets: { [READER_SECRET_ARN]: { user: 'kpi_reader', password: READER_PASSWORD } },
      requestTimeoutMs: 300,
    });
    const impatientClient = new RDSDataClient({ endpoint: impatient.url });
    const slowDatasource = createDataApiDatasource({
      name: 'bookings',
      clusterArn: impatient.clusterArn,
      secretArn: READER_SECRET_ARN,
      database: server.database,
      client: impatientClient,
    });
    const kpi = kpiFixture({ name: 'slow', sql: 'SELECT pg_sleep(30) AS value', timeoutMs: 120_000 });

    // Act
    const result = await runKpi(kpi, { datasource: slowDatasource });
    const open = impatient.openTransactions();
    impatientClient.destroy();
    await impatient.stop();

    // Assess
    expect(result.status).toBe('failed');
    expect(result.errorName).toBe('KpiQueryError');
    expect(result.error).toContain('Request timed out');
    expect(open).toBe(0);
    expect(await leakedTransactions()).toEqual({ standIn: 0, postgres: 0 });
  });

  it('rolls the transaction back after the engine abandons a blocked query, once the database answers', async () => {
    // Prepare: a lock held elsewhere; lock_timeout and statement_timeout far beyond the abort.
    const holder = new pg.Client({ connectionString: server.url });
    await holder.connect();
    await holder.query('BEGIN; LOCK TABLE payments IN ACCESS EXCLUSIVE MODE');
    const abort = new AbortController();

    // Act
    const pending = datasource.query(
      query({ sql: 'SELECT count(*) AS value FROM payments', timeoutMs: 60_000, lockTimeoutMs: 60_000 }),
      abort.signal,
    );
    const outcome = pending.then(
      () => 'resolved',
      (error: Error) => error.name,
    );
    // Wait (at most ~30 s) until the query is really waiting on the lock.
    const waitingOnLock = async () =>
      Number(
        (
          await server.admin(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'kpi_reader' AND wait_event_type = 'Lock'",
          )
        ).rows[0].n,
      );
    for (let attempt = 0; attempt < 300 && (await waitingOnLock()) === 0; attempt++) {
      await new Promise((next) => setTimeout(next, 100));
    }
    const blocked = await waitingOnLock();
    const waiting = await leakedTransactions();
    abort.abort();
    await holder.query('ROLLBACK');
    await holder.end();
    const settled = await outcome;

    // Assess
    expect(blocked).toBe(1);
    expect(waiting.standIn).toBe(1);
    expect(settled).toBe('KpiQueryError');
    expect(await leakedTransactions()).toEqual({ standIn: 0, postgres: 0 });
  });

  it('returns typed values: bigint and int as numbers, numeric as text, dates as UTC text', async () => {
    // Act
    const rows = await datasource.query(
      query({
        sql:
          'SELECT 42::int8 AS big, 7::int4 AS small, 2.5::float8 AS ratio, 12.30::numeric(6,2) AS amount, ' +
          "true AS flag, DATE '2024-05-06' AS day, TIMESTAMPTZ '2024-05-06 07:08:09.123+02' AS at",
      }),
      new AbortController().signal,
    );

    // Assess
    expect(rows.rows).toEqual([
      {
        big: 42,
        small: 7,
        ratio: 2.5,
        amount: '12.30',
        flag: true,
        day: '2024-05-06',
        at: '2024-05-06 05:08:09.123',
      },
    ]);
  });

  it('reports a wrong cluster ARN as a failure naming the cluster', async () => {
    // Prepare
    const wrongCluster = createDataApiDatasource({
      name: 'bookings',
      clusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:not-this-one',
      secretArn: READER_SECRET_ARN,
      database: server.database,
      client,
    });

    // Act
    const result = await runKpi(kpiFixture({ name: 'count', sql: 'SELECT 1 AS value' }), {
      datasource: wrongCluster,
    });

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toContain(
      "DB cluster 'arn:aws:rds:us-east-1:123456789012:cluster:not-this-one' not found",
    );
  });

  it('rejects a query whose SQL uses a parameter it was not given, before calling the Data API', async () => {
    // Prepare
    const from = dataApi.calls.length;

    // Act
    const attempt = datasource.query(
      query({ sql: 'SELECT count(*) AS value FROM bookings WHERE status = :status' }),
      new AbortController().signal,
    );

    // Assess
    await expect(attempt).rejects.toThrow("query parameter ':status' has no value");
    expect(dataApi.calls.length).toBe(from);
  });

  it('has a stand-in that, like the Data API, refuses untyped timestamps and calls without a database', async () => {
    // Prepare
    const target = { resourceArn: dataApi.clusterArn, secretArn: READER_SECRET_ARN };
    const iso = new Date().toISOString();

    // Act
    const untyped = await client
      .send(
        new ExecuteStatementCommand({
          ...target,
          database: server.database,
          sql: 'SELECT count(*) FROM bookings WHERE created_at >= :since',
          parameters: [{ name: 'since', value: { stringValue: iso } }],
        }),
      )
      .catch((error: Error) => error);
    const isoWithHint = await client
      .send(
        new ExecuteStatementCommand({
          ...target,
          database: server.database,
          sql: 'SELECT :since AS since',
          parameters: [{ name: 'since', value: { stringValue: iso }, typeHint: 'TIMESTAMP' }],
        }),
      )
      .catch((error: Error) => error);
    const noDatabase = await client.send(new BeginTransactionCommand(target)).catch((error: Error) => error);

    // Assess
    expect(untyped).toMatchObject({
      name: 'BadRequestException',
      message: expect.stringContaining('timestamp with time zone >= character varying'),
    });
    expect(isoWithHint).toMatchObject({
      name: 'BadRequestException',
      message: expect.stringContaining('could not be parsed as TIMESTAMP'),
    });
    expect(noDatabase).toMatchObject({
      name: 'BadRequestException',
      message: 'database is required',
    });
  });

  it('has a stand-in that, like ExecuteStatement, runs one statement per call and never a script', async () => {
    // Prepare
    const target = {
      resourceArn: dataApi.clusterArn,
      secretArn: READER_SECRET_ARN,
      database: server.database,
    };
    const before = await server.admin('SELECT count(*)::int AS n FROM bookings');

    // Act
    const script = await client
      .send(new ExecuteStatementCommand({ ...target, sql: 'SELECT 1; DELETE FROM bookings' }))
      .catch((error: Error) => error);

    // Assess
    const after = await server.admin('SELECT count(*)::int AS n FROM bookings');
    expect(script).toMatchObject({
      name: 'BadRequestException',
      message: expect.stringContaining('cannot insert multiple commands into a prepared statement'),
    });
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('has a stand-in that, like the Data API, binds :name only outside literals, identifiers, comments and casts', async () => {
    // Act: a name inside a comment would be an unbound parameter; one inside a literal would change its text.
    const result = await client.send(
      new ExecuteStatementCommand({
        resourceArn: dataApi.clusterArn,
        secretArn: READER_SECRET_ARN,
        database: server.database,
        sql:
          "SELECT :x::int8 + 1 AS bound, ':x' AS literal, E'it\\'s :x' AS escaped, $$:x$$ AS dollar, " +
          '$tag$ :x $tag$ AS tagged /* :unbound /* nested :unbound */ :unbound */, 2 AS "col:x" -- :unbound',
        parameters: [{ name: 'x', value: { longValue: 41 } }],
        includeResultMetadata: true,
      }),
    );

    // Assess
    expect(result.columnMetadata?.map((column) => column.name)).toEqual([
      'bound',
      'literal',
      'escaped',
      'dollar',
      'tagged',
      'col:x',
    ]);
    expect(result.records).toEqual([
      [
        { longValue: 42 },
        { stringValue: ':x' },
        { stringValue: "it's :x" },
        { stringValue: ':x' },
        { stringValue: ' :x ' },
        { longValue: 2 },
      ],
    ]);
  });
});
