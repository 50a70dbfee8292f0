import type { Field, RDSDataClient, SqlParameter } from '@aws-sdk/client-rds-data';
import { sqlParameterNames } from '../../commons/sql/sql-parameters';
import { KpiDatasourceError } from '../errors';
import { rowCappedSql } from '../sql-statements';
import type { KpiDatasource, KpiParameterValue, KpiQuery, KpiRows } from '../types/ports';
import { toKpiQueryError } from './query-error';

/** Options for {@link createDataApiDatasource}. */
export interface DataApiDatasourceOptions {
  readonly name: string;
  readonly clusterArn: string;
  readonly secretArn: string;
  readonly database: string;
  /** Built once at module scope by the caller (wrapped for X-Ray in Lambda). */
  readonly client: Pick<RDSDataClient, 'send'>;
}

/** How long the call that cancels an abandoned statement may take. */
const CANCEL_TIMEOUT_MS = 2_000;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A bind value as a Data API parameter. ISO timestamps get the TIMESTAMP type hint the API asks for. */
const toSqlParameter = (name: string, value: KpiParameterValue): SqlParameter => {
  if (typeof value === 'boolean') return { name, value: { booleanValue: value } };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, value: { longValue: value } }
      : { name, value: { doubleValue: value } };
  }
  if (ISO_TIMESTAMP.test(value)) {
    return { name, value: { stringValue: value.replace('T', ' ').replace('Z', '') }, typeHint: 'TIMESTAMP' };
  }
  return { name, value: { stringValue: value } };
};

/** The Data API reports a PostgreSQL error as text ending in `; SQLState: 25006`, with no code field. */
const DATA_API_SQLSTATE = /;\s*SQLState:\s*([0-9A-Z]{5})\s*$/;

/** Lifts the SQLSTATE out of a Data API error message, so the error gets its code and plain-words hint. */
const withSqlState = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  const match = DATA_API_SQLSTATE.exec(error.message);
  if (!match) return error;
  return Object.assign(new Error(error.message.slice(0, match.index), { cause: error }), { code: match[1] });
};

const fieldValue = (field: Field): unknown => {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  return null;
};

/**
 * Aurora PostgreSQL through the RDS Data API (HTTPS; no VPC, no driver, no connection pool). Each query
 * runs in its own transaction: `BeginTransaction` → `SET TRANSACTION READ ONLY` → one `SELECT` that reads
 * the backend's pid and sets the local `statement_timeout`/`lock_timeout` → the query with named
 * parameters (`:window_start` is the Data API's own syntax) → `RollbackTransaction`. The query is checked
 * to be one SELECT and capped at `maxRows + 1` rows ({@link rowCappedSql}); each `ExecuteStatement` runs
 * one statement. When the engine's deadline aborts the query, a separate `ExecuteStatement` runs
 * `pg_cancel_backend` on that pid (the same role may cancel its own backends) before the rollback, since
 * the Data API keeps running a statement whose HTTP call was abandoned. The Data API signs in with the
 * secret itself.
 *
 * @example
 * createDataApiDatasource({ name: 'analytics', clusterArn, secretArn, database: 'app', client: new RDSDataClient({}) });
 */
export const createDataApiDatasource = (options: DataApiDatasourceOptions): KpiDatasource => {
  const target = {
    resourceArn: options.clusterArn,
    secretArn: options.secretArn,
    database: options.database,
  };
  return {
    name: options.name,
    async query(query: KpiQuery, signal: AbortSignal): Promise<KpiRows> {
      const { BeginTransactionCommand, ExecuteStatementCommand, RollbackTransactionCommand } = await import(
        '@aws-sdk/client-rds-data'
      );
      const sql = rowCappedSql(query.sql, query.maxRows);
      const used = sqlParameterNames(sql);
      const missing = used.filter((name) => !Object.hasOwn(query.parameters, name));
      if (missing.length > 0) throw new KpiDatasourceError(`query parameter ':${missing[0]}' has no value`);
      let transactionId: string | undefined;
      let backendPid: number | undefined;
      try {
        const begun = await options.client.send(new BeginTransactionCommand(target), { abortSignal: signal });
        transactionId = begun.transactionId;
        if (!transactionId)
          throw new KpiDatasourceError(`datasource '${options.name}': BeginTransaction gave no id`);
        await options.client.send(
          new ExecuteStatementCommand({ ...target, sql: 'SET TRANSACTION READ ONLY', transactionId }),
          { abortSignal: signal },
        );
        const session = await options.client.send(
          new ExecuteStatementCommand({
            ...target,
            sql:
              'SELECT pg_backend_pid() AS backend, ' +
              `set_config('statement_timeout', '${Math.round(query.timeoutMs)}', true), ` +
              `set_config('lock_timeout', '${Math.round(query.lockTimeoutMs)}', true)`,
            transactionId,
          }),
          { abortSignal: signal },
        );
        backendPid = session.records?.[0]?.[0]?.longValue;
        const result = await options.client.send(
          new ExecuteStatementCommand({
            ...target,
            sql,
            transactionId,
            includeResultMetadata: true,
            parameters: used.map((name) => toSqlParameter(name, query.parameters[name]!)),
          }),
          { abortSignal: signal },
        );
        const columns = (result.columnMetadata ?? []).map(
          (column, index) => column.label ?? column.name ?? `column${index + 1}`,
        );
        const records = result.records ?? [];
        const rows = records.slice(0, query.maxRows).map((record) => {
          const row: Record<string, unknown> = {};
          record.forEach((field, index) => {
            row[columns[index] ?? `column${index + 1}`] = fieldValue(field);
          });
          return row;
        });
        return { columns, rows, rowCount: records.length };
      } catch (error) {
        if (error instanceof KpiDatasourceError) throw error;
        throw toKpiQueryError(withSqlState(error));
      } finally {
        if (signal.aborted && backendPid !== undefined) {
          await options.client
            .send(
              new ExecuteStatementCommand({
                ...target,
                sql: 'SELECT pg_cancel_backend(CAST(:backend AS integer))',
                parameters: [{ name: 'backend', value: { longValue: backendPid } }],
              }),
              { abortSignal: AbortSignal.timeout(CANCEL_TIMEOUT_MS) },
            )
            .catch(() => undefined);
        }
        if (transactionId) {
          await options.client
            .send(
              new RollbackTransactionCommand({
                resourceArn: target.resourceArn,
                secretArn: target.secretArn,
                transactionId,
              }),
            )
            .catch(() => undefined);
        }
      }
    },
    async close() {},
  };
};
