import pg from 'pg';
import { redactSecrets } from '../../commons/redactor';
import { toPositional } from '../../commons/sql/sql-parameters';
import { KpiDatasourceError } from '../errors';
import { rowCappedSql } from '../sql-statements';
import type { KpiDatasource, KpiQuery, KpiRows } from '../types/ports';
import { sendPgCancelRequest } from './pg-cancel-request';
import type { PgCredentials, PgLogin } from './pg-credentials';
import { toKpiQueryError } from './query-error';

/** SQLSTATEs of a rejected login: the password may have been rotated. */
const AUTH_FAILURES = new Set(['28P01', '28000']);
/** date, timestamp, timestamptz: kept as the database's text, not turned into local-time Dates. */
const TEXT_TYPE_IDS = new Set([1082, 1114, 1184]);
const textTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPE_IDS.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format),
};

/** How long a cancel request may take to reach the server before the connection is dropped anyway. */
const CANCEL_TIMEOUT_MS = 2_000;

/** What `pg` knows about a connected client but leaves out of its typings. */
interface PgClientInternals {
  readonly host: string;
  readonly port: number;
  readonly processID: number | null;
  readonly secretKey: number | null;
}

/** Options for {@link createPgDatasource}. */
export interface PgDatasourceOptions {
  /** Datasource name (config key). */
  readonly name: string;
  readonly credentials: PgCredentials;
  /** @default the login's host */
  readonly host?: string;
  /** @default the login's port, else 5432 */
  readonly port?: number;
  /** @default the login's database, else 'postgres' */
  readonly database?: string;
  /** @default 'verify-full' */
  readonly ssl?: 'verify-full' | 'require' | 'disable';
  /** Pool size. @default 8 */
  readonly maxConnections?: number;
  /** How long to wait for a connection. @default 10000 */
  readonly connectTimeoutMs?: number;
}

/** A PostgreSQL {@link KpiDatasource} with the pool generation, for tests of rotation. */
export interface PgDatasource extends KpiDatasource {
  /** How many pools were built (a new one after each login refresh). */
  readonly poolGeneration: number;
}

const sqlState = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * PostgreSQL through `pg`. One pool per datasource, kept for the life of the process (reused across
 * Lambda invocations). Every query runs as
 * `BEGIN READ ONLY; SET LOCAL statement_timeout; SET LOCAL lock_timeout` → query → `ROLLBACK`. The query
 * is checked to be one SELECT, capped at `maxRows + 1` rows ({@link rowCappedSql}) and always sent with the
 * extended protocol (Parse/Bind/Execute), which PostgreSQL runs as exactly one statement even without
 * parameters; `:name` parameters are bound as `$n`. When the database rejects the login, the credentials
 * are fetched again and the query retried once on a new pool. When the engine's deadline aborts a query,
 * a cancel request stops the statement on the server and the connection is destroyed; the returned promise
 * settles once both are done. Error messages never contain the password.
 *
 * @example
 * const datasource = createPgDatasource({ name: 'bookings', credentials: createSecretCredentials({...}) });
 */
export const createPgDatasource = (options: PgDatasourceOptions): PgDatasource => {
  let pool: { pool: pg.Pool; login: PgLogin } | undefined;
  let building: Promise<{ pool: pg.Pool; login: PgLogin }> | undefined;
  let generation = 0;
  let knownPassword: string | undefined;

  const build = (login: PgLogin) => {
    knownPassword = login.password;
    generation += 1;
    const ssl = options.ssl ?? 'verify-full';
    const created = new pg.Pool({
      host: options.host ?? login.host,
      port: options.port ?? login.port ?? 5432,
      database: options.database ?? login.database ?? 'postgres',
      user: login.user,
      password: login.password,
      ssl: ssl === 'disable' ? false : { rejectUnauthorized: ssl === 'verify-full' },
      max: options.maxConnections ?? 8,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMillis: 300_000,
      allowExitOnIdle: true,
      application_name: 'vigil-kpi',
    });
    // An idle client losing its connection must not crash the process.
    created.on('error', () => undefined);
    pool = { pool: created, login };
    return pool;
  };

  const currentPool = async () => {
    if (pool) return pool;
    building ??= options.credentials
      .get()
      .then(build)
      .finally(() => {
        building = undefined;
      });
    return building;
  };

  const rotate = async (stale: pg.Pool) => {
    if (pool && pool.pool !== stale) return pool;
    building ??= options.credentials
      .refresh()
      .then((login) => {
        void stale.end().catch(() => undefined);
        return build(login);
      })
      .finally(() => {
        building = undefined;
      });
    return building;
  };

  const connect = async (): Promise<pg.PoolClient> => {
    const first = await currentPool();
    try {
      return await first.pool.connect();
    } catch (error) {
      if (!AUTH_FAILURES.has(sqlState(error) ?? '')) throw error;
      const fresh = await rotate(first.pool);
      return fresh.pool.connect();
    }
  };

  const run = (client: pg.PoolClient, text: string, values: unknown[], maxRows: number): Promise<KpiRows> =>
    new Promise((resolve, reject) => {
      const rows: Record<string, unknown>[] = [];
      let count = 0;
      // `queryMode` is missing from pg's typings. Extended even without values: one statement, never a script.
      const config: pg.QueryConfig & { queryMode: 'extended' } = {
        text,
        values,
        types: textTypes,
        queryMode: 'extended',
      };
      const query = new pg.Query(config);
      query.on('row', (row: Record<string, unknown>) => {
        count += 1;
        if (rows.length < maxRows) rows.push(row);
      });
      query.on('end', (result: pg.QueryResult) =>
        resolve({ columns: (result.fields ?? []).map((field) => field.name), rows, rowCount: count }),
      );
      query.on('error', reject);
      client.query(query);
    });

  return {
    name: options.name,
    get poolGeneration() {
      return generation;
    },
    async query(query: KpiQuery, signal: AbortSignal): Promise<KpiRows> {
      const { text, values } = toPositional(rowCappedSql(query.sql, query.maxRows), query.parameters);
      let client: pg.PoolClient;
      try {
        client = await connect();
      } catch (error) {
        throw new KpiDatasourceError(
          redactSecrets(
            `cannot connect to datasource '${options.name}': ${error instanceof Error ? error.message : String(error)}${
              sqlState(error) ? ` (SQLSTATE ${sqlState(error)})` : ''
            }`,
            [knownPassword],
          ),
          { cause: error },
        );
      }
      let released = false;
      // A checked-out client whose connection drops emits 'error'; unhandled, it would crash the process.
      let lost: Error | undefined;
      const onLost = (error: Error) => {
        lost = error;
      };
      client.on('error', onLost);
      const release = (destroy?: Error) => {
        if (released) return;
        released = true;
        client.off('error', onLost);
        client.release(destroy ?? lost);
      };
      // The engine gave up: stop the statement on the server (a dropped socket alone leaves it running,
      // e.g. in pg_sleep), then destroy the connection, which also fails the pending query.
      let giveUp: Promise<void> | undefined;
      const onAbort = () => {
        const internals = client as unknown as PgClientInternals;
        const { processID, secretKey } = internals;
        giveUp = (
          processID !== null && secretKey !== null
            ? sendPgCancelRequest(
                { host: internals.host, port: internals.port },
                { processId: processID, secretKey },
                CANCEL_TIMEOUT_MS,
              )
            : Promise.resolve(false)
        ).then(() => release(new Error('KPI deadline passed; statement cancelled, connection discarded')));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      try {
        await client.query(
          `BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.round(query.timeoutMs)}; ` +
            `SET LOCAL lock_timeout = ${Math.round(query.lockTimeoutMs)}`,
        );
        const result = await run(client, text, values, query.maxRows);
        await client.query('ROLLBACK');
        return result;
      } catch (error) {
        if (!released && !signal.aborted) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            release(rollbackError as Error);
          }
        }
        throw toKpiQueryError(error, [knownPassword]);
      } finally {
        signal.removeEventListener('abort', onAbort);
        if (giveUp) await giveUp;
        release();
      }
    },
    async close() {
      const current = pool;
      pool = undefined;
      if (current) await current.pool.end();
    },
  };
};
