import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { PostgresServer } from '../../../helpers/kpi/postgres-server';

/**
 * A stand-in for the Aurora RDS Data API, speaking the wire protocol `@aws-sdk/client-rds-data` uses
 * (REST-JSON over HTTP, SigV4-signed) and backed by a real PostgreSQL through `pg`:
 *
 * - `POST /BeginTransaction` opens a dedicated connection and runs `BEGIN`; the transaction id names it.
 * - `POST /Execute` (ExecuteStatement) runs one statement, in that transaction or autocommitted on a
 *   fresh connection. Like the service ("Runs a SQL statement"), it never runs a script: the text goes
 *   through the extended query protocol, so `SELECT 1; DELETE …` is refused by PostgreSQL itself. Named `:name` parameters become real bind parameters (`$1::int8`, ...), cast to
 *   the type the Data API gives each `SqlParameter` (`stringValue` is `varchar`, `typeHint` TIMESTAMP is
 *   `timestamp`, ...); the values never enter the SQL text.
 * - `POST /CommitTransaction` / `POST /RollbackTransaction` end the transaction and close its connection.
 *
 * Errors use the service's shape (`x-amzn-errortype` header plus `{"message"}`): PostgreSQL errors become
 * `BadRequestException` with the Data API's text (`ERROR: ...; SQLState: 25006`); a statement that outlives
 * the service's own request timeout is cancelled and reported as `StatementTimeoutException`. Results come
 * as `records` (typed `Field`s: `longValue`, `doubleValue`, `stringValue` for numeric/text/dates,
 * `isNull`) with `columnMetadata` on request, or as `formattedRecords` JSON.
 *
 * Known simplifications: no array parameters or
 * array results (arrays come back as text), no result-size limit, no idle-transaction expiry.
 */

/** A login the stand-in knows by its secret ARN (the real service reads it from Secrets Manager). */
export interface DataApiSecret {
  readonly user: string;
  readonly password: string;
}

/** Options for {@link startDataApiServer}. */
export interface DataApiServerOptions {
  /** The PostgreSQL the stand-in forwards to. */
  readonly postgres: PostgresServer;
  /** The one cluster ARN this "cluster" answers to. @default 'arn:aws:rds:us-east-1:123456789012:cluster:vigil-kpi' */
  readonly clusterArn?: string;
  /** Logins by secret ARN. @default one secret holding the PostgreSQL superuser */
  readonly secrets?: Readonly<Record<string, DataApiSecret>>;
  /** The service's own per-call limit (the real one is 45 s). @default 45000 */
  readonly requestTimeoutMs?: number;
}

/** One call the stand-in received: the operation and its JSON body. */
export interface DataApiCall {
  readonly operation: DataApiOperation;
  readonly body: Readonly<Record<string, unknown>>;
}

/** The operations the stand-in serves. */
export type DataApiOperation =
  | 'BeginTransaction'
  | 'ExecuteStatement'
  | 'CommitTransaction'
  | 'RollbackTransaction';

/** A running stand-in. */
export interface DataApiServer {
  /** `http://127.0.0.1:<port>`: pass as the client's `endpoint`. */
  readonly url: string;
  readonly clusterArn: string;
  /** The default secret's ARN (the PostgreSQL superuser) unless `secrets` was given. */
  readonly secretArn: string;
  /** Every call so far, in arrival order. */
  readonly calls: readonly DataApiCall[];
  /** Transactions begun and not yet committed or rolled back. */
  openTransactions(): number;
  /** Rolls back open transactions, closes their connections and the HTTP server. */
  stop(): Promise<void>;
}

const ROUTES: Readonly<Record<string, DataApiOperation>> = {
  '/BeginTransaction': 'BeginTransaction',
  '/Execute': 'ExecuteStatement',
  '/CommitTransaction': 'CommitTransaction',
  '/RollbackTransaction': 'RollbackTransaction',
};

/** An error the stand-in answers with, named like the service's exception. */
class DataApiFault extends Error {
  public constructor(
    public readonly type: string,
    public readonly status: number,
    message: string,
    public readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DataApiFault';
  }
}

const badRequest = (message: string) => new DataApiFault('BadRequestException', 400, message);

const CLUSTER_ARN = /^arn:aws[\w-]*:rds:[a-z0-9-]+:\d{12}:cluster:[A-Za-z0-9-]+$/;
const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/** PostgreSQL type OIDs -> the `typeName` and JDBC `type` the Data API's column metadata reports. */
const TYPES: Readonly<Record<number, { name: string; jdbc: number }>> = {
  16: { name: 'bool', jdbc: -7 },
  17: { name: 'bytea', jdbc: -2 },
  20: { name: 'int8', jdbc: -5 },
  21: { name: 'int2', jdbc: 5 },
  23: { name: 'int4', jdbc: 4 },
  25: { name: 'text', jdbc: 12 },
  26: { name: 'oid', jdbc: -5 },
  114: { name: 'json', jdbc: 1111 },
  700: { name: 'float4', jdbc: 7 },
  701: { name: 'float8', jdbc: 8 },
  1042: { name: 'bpchar', jdbc: 1 },
  1043: { name: 'varchar', jdbc: 12 },
  1082: { name: 'date', jdbc: 91 },
  1083: { name: 'time', jdbc: 92 },
  1114: { name: 'timestamp', jdbc: 93 },
  1184: { name: 'timestamptz', jdbc: 93 },
  1700: { name: 'numeric', jdbc: 2 },
  2950: { name: 'uuid', jdbc: 1111 },
  3802: { name: 'jsonb', jdbc: 1111 },
};
const LONG_TYPES = new Set([20, 21, 23, 26]);
const DOUBLE_TYPES = new Set([700, 701]);

/** Every value arrives as PostgreSQL's text; the stand-in types it the way the Data API does. */
const rawText = { getTypeParser: () => (value: string) => value };

/** `typeHint` -> PostgreSQL type and the text format the Data API accepts. */
const TYPE_HINTS: Readonly<Record<string, { cast: string; format?: RegExp }>> = {
  TIMESTAMP: { cast: 'timestamp', format: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$/ },
  DATE: { cast: 'date', format: /^\d{4}-\d{2}-\d{2}$/ },
  TIME: { cast: 'time', format: /^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/ },
  DECIMAL: { cast: 'numeric' },
  UUID: { cast: 'uuid' },
  JSON: { cast: 'json' },
};

interface BoundValue {
  readonly cast: string | undefined;
  readonly value: unknown;
}

/** One `SqlParameter` as a pg bind value and the cast its Data API type implies. */
const bindValue = (parameter: Record<string, unknown>): BoundValue => {
  const name = String(parameter.name ?? '');
  const field = (parameter.value ?? {}) as Record<string, unknown>;
  const hint = parameter.typeHint as string | undefined;
  const members = Object.keys(field);
  if (members.length !== 1) {
    throw badRequest(`parameter '${name}' must set exactly one value member, got ${members.length}`);
  }
  if (field.isNull === true) return { cast: undefined, value: null };
  if (typeof field.longValue === 'number') return { cast: 'int8', value: String(field.longValue) };
  if (typeof field.doubleValue === 'number') return { cast: 'float8', value: String(field.doubleValue) };
  if (typeof field.booleanValue === 'boolean') return { cast: 'bool', value: field.booleanValue };
  if (typeof field.blobValue === 'string')
    return { cast: 'bytea', value: Buffer.from(field.blobValue, 'base64') };
  if (typeof field.stringValue === 'string') {
    if (hint === undefined) return { cast: 'varchar', value: field.stringValue };
    const typed = TYPE_HINTS[hint];
    if (!typed) throw badRequest(`parameter '${name}' has an unknown typeHint '${hint}'`);
    if (typed.format && !typed.format.test(field.stringValue)) {
      throw badRequest(`Text '${field.stringValue}' could not be parsed as ${hint} (parameter '${name}')`);
    }
    return { cast: typed.cast, value: field.stringValue };
  }
  if (field.arrayValue !== undefined)
    throw badRequest(`Array parameters are not supported (parameter '${name}')`);
  throw badRequest(`parameter '${name}' has an unsupported value member '${members[0]}'`);
};

/** One `:name` reference in the SQL text: the name and where the reference starts and ends. */
interface NamedReference {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_]/;

/** Index just past a quoted run opened at `open` (`'…'` or `"…"`, a doubled quote inside; backslashes in `E'…'`). */
const skipQuoted = (sql: string, open: number, quote: string, backslashes: boolean): number => {
  let index = open + 1;
  while (index < sql.length) {
    if (backslashes && sql[index] === '\\') index += 2;
    else if (sql[index] === quote && sql[index + 1] === quote) index += 2;
    else if (sql[index] === quote) return index + 1;
    else index += 1;
  }
  return sql.length;
};

/** Index just past a block comment opened at `open`; PostgreSQL nests them. */
const skipBlockComment = (sql: string, open: number): number => {
  let depth = 0;
  let index = open;
  while (index < sql.length) {
    if (sql.startsWith('/*', index)) {
      depth += 1;
      index += 2;
    } else if (sql.startsWith('*/', index)) {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else index += 1;
  }
  return sql.length;
};

/**
 * Finds `:name` references the way the Data API binds them: never inside string literals, quoted
 * identifiers, dollar-quoted bodies or comments, and never the `::` of a cast. Written here on purpose,
 * apart from Vigil's own SQL scanner, so the stand-in cannot share that scanner's mistakes.
 */
const namedReferences = (sql: string): NamedReference[] => {
  const found: NamedReference[] = [];
  let index = 0;
  while (index < sql.length) {
    const char = sql[index]!;
    const previous = sql[index - 1] ?? ' ';
    if (char === "'") {
      const escaped = /[eE]/.test(previous) && !IDENTIFIER_CHAR.test(sql[index - 2] ?? ' ');
      index = skipQuoted(sql, index, "'", escaped);
    } else if (char === '"') {
      index = skipQuoted(sql, index, '"', false);
    } else if (sql.startsWith('--', index)) {
      const newline = sql.indexOf('\n', index);
      index = newline === -1 ? sql.length : newline + 1;
    } else if (sql.startsWith('/*', index)) {
      index = skipBlockComment(sql, index);
    } else if (char === '$' && !IDENTIFIER_CHAR.test(previous)) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(index))?.[0];
      if (tag === undefined) index += 1;
      else {
        const close = sql.indexOf(tag, index + tag.length);
        index = close === -1 ? sql.length : close + tag.length;
      }
    } else if (char === ':' && sql[index + 1] === ':') {
      index += 2;
    } else if (char === ':') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(index + 1))?.[0];
      if (name === undefined) index += 1;
      else {
        found.push({ name, start: index, end: index + 1 + name.length });
        index += 1 + name.length;
      }
    } else index += 1;
  }
  return found;
};

/** Rewrites `:name` into `$n::type` bind placeholders; values stay out of the SQL text. */
const bindParameters = (sql: string, parameters: unknown): { text: string; values: unknown[] } => {
  if (parameters !== undefined && !Array.isArray(parameters)) throw badRequest('parameters must be a list');
  const given = new Map<string, BoundValue>();
  for (const parameter of (parameters ?? []) as Record<string, unknown>[]) {
    if (typeof parameter.name !== 'string' || parameter.name === '')
      throw badRequest('a parameter has no name');
    given.set(parameter.name, bindValue(parameter));
  }
  const order: string[] = [];
  let text = '';
  let cursor = 0;
  for (const reference of namedReferences(sql)) {
    const bound = given.get(reference.name);
    if (!bound) throw badRequest(`No value specified for parameter ':${reference.name}'`);
    let position = order.indexOf(reference.name);
    if (position === -1) position = order.push(reference.name) - 1;
    text += `${sql.slice(cursor, reference.start)}$${position + 1}${bound.cast ? `::${bound.cast}` : ''}`;
    cursor = reference.end;
  }
  text += sql.slice(cursor);
  return { text, values: order.map((name) => given.get(name)!.value) };
};

/** `timestamptz` text in any session zone -> the Data API's UTC `YYYY-MM-DD HH:MM:SS[.fff]`. */
const toUtcTimestamp = (text: string): string => {
  const match =
    /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d+)?([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(
      text,
    );
  if (!match) return text;
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om, os] = match;
  const offsetSeconds =
    (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * (sign === '-' ? -1 : 1);
  const utc = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetSeconds * 1000,
  );
  return `${utc.toISOString().slice(0, 19).replace('T', ' ')}${fraction ?? ''}`;
};

/** One PostgreSQL text cell as a Data API `Field`. */
const toField = (cell: unknown, typeId: number): Record<string, unknown> => {
  if (cell === null || cell === undefined) return { isNull: true };
  const text = String(cell);
  if (LONG_TYPES.has(typeId)) return { longValue: Number(text) };
  if (DOUBLE_TYPES.has(typeId)) return { doubleValue: Number(text) };
  if (typeId === 16) return { booleanValue: text === 't' };
  if (typeId === 17) return { blobValue: Buffer.from(text.replace(/^\\x/, ''), 'hex').toString('base64') };
  if (typeId === 1184) return { stringValue: toUtcTimestamp(text) };
  return { stringValue: text };
};

/** A `Field` as the value `formatRecordsAs: 'JSON'` puts in `formattedRecords`. */
const jsonValue = (field: Record<string, unknown>): unknown =>
  field.isNull
    ? null
    : (field.longValue ?? field.doubleValue ?? field.booleanValue ?? field.blobValue ?? field.stringValue);

/** A PostgreSQL error in the Data API's words: `ERROR: ...\n  Position: 8; SQLState: 42703`. */
const databaseFault = (error: unknown): DataApiFault => {
  const pgError = error as { message?: string; code?: string; position?: string };
  const position = pgError.position ? `\n  Position: ${pgError.position}` : '';
  const code = pgError.code ? `; SQLState: ${pgError.code}` : '';
  return badRequest(`ERROR: ${pgError.message ?? String(error)}${position}${code}`);
};

const readBody = async (request: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new DataApiFault('SerializationException', 400, 'the request body is not a JSON object');
  }
};

const send = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomBytes(16).toString('hex'),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(payload);
};

interface Transaction {
  readonly client: pg.Client;
  readonly resourceArn: string;
  readonly secretArn: string;
  readonly database: string;
}

/**
 * Starts the Data API stand-in on 127.0.0.1 at an ephemeral port, in front of `options.postgres`.
 *
 * @example
 * const dataApi = await startDataApiServer({ postgres });
 * const client = new RDSDataClient({ endpoint: dataApi.url });
 */
export const startDataApiServer = async (options: DataApiServerOptions): Promise<DataApiServer> => {
  const { postgres } = options;
  const clusterArn = options.clusterArn ?? 'arn:aws:rds:us-east-1:123456789012:cluster:vigil-kpi';
  const defaultSecretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:vigil-kpi-admin-AbCdEf';
  const secrets = options.secrets ?? {
    [defaultSecretArn]: { user: postgres.user, password: postgres.password },
  };
  const requestTimeoutMs = options.requestTimeoutMs ?? 45_000;
  const transactions = new Map<string, Transaction>();
  const calls: DataApiCall[] = [];

  const requireString = (body: Record<string, unknown>, field: string): string => {
    const value = body[field];
    if (typeof value !== 'string' || value === '') throw badRequest(`${field} is required`);
    return value;
  };

  /** Checks the cluster and secret ARNs and returns the secret's login. */
  const target = (
    body: Record<string, unknown>,
  ): { resourceArn: string; secretArn: string; login: DataApiSecret } => {
    const resourceArn = requireString(body, 'resourceArn');
    const secretArn = requireString(body, 'secretArn');
    if (!CLUSTER_ARN.test(resourceArn))
      throw badRequest(`resourceArn '${resourceArn}' is not a DB cluster ARN`);
    if (!SECRET_ARN.test(secretArn))
      throw badRequest(`secretArn '${secretArn}' is not a Secrets Manager ARN`);
    if (resourceArn !== clusterArn) {
      throw new DataApiFault('NotFoundException', 404, `DB cluster '${resourceArn}' not found`);
    }
    const login = secrets[secretArn];
    if (!login) throw badRequest(`secret '${secretArn}' not found or not readable`);
    return { resourceArn, secretArn, login };
  };

  const connect = async (login: DataApiSecret, database: string): Promise<pg.Client> => {
    const client = new pg.Client({
      host: postgres.host,
      port: postgres.port,
      user: login.user,
      password: login.password,
      database,
      application_name: 'data-api-stand-in',
    });
    // A connection dropped by the server must not crash the test process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw databaseFault(error);
    }
    return client;
  };

  const transactionFor = (body: Record<string, unknown>, resourceArn: string, secretArn: string) => {
    const id = requireString(body, 'transactionId');
    const transaction = transactions.get(id);
    if (!transaction) {
      throw new DataApiFault('TransactionNotFoundException', 404, `Transaction ${id} is not found`);
    }
    if (transaction.resourceArn !== resourceArn || transaction.secretArn !== secretArn) {
      throw badRequest(`Transaction ${id} belongs to another cluster or secret`);
    }
    return { id, transaction };
  };

  /** Runs one statement; past `requestTimeoutMs` the backend is cancelled and the call times out. */
  const run = async (client: pg.Client, text: string, values: unknown[]) => {
    // Always the extended protocol (`queryMode` is missing from pg's typings): one statement per call.
    const config: pg.QueryArrayConfig & { queryMode: 'extended' } = {
      text,
      values,
      rowMode: 'array',
      types: rawText,
      queryMode: 'extended',
    };
    const query = client.query<unknown[]>(config);
    // The backend's process id (`processID` is missing from pg's typings), as the service's dbConnectionId.
    const backendPid = (client as pg.Client & { processID: number | null }).processID;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void postgres.admin('SELECT pg_cancel_backend($1)', [backendPid]).catch(() => undefined);
        reject(
          new DataApiFault('StatementTimeoutException', 400, 'Request timed out', {
            dbConnectionId: backendPid,
          }),
        );
      }, requestTimeoutMs);
    });
    // The cancelled statement's own rejection arrives after the timeout answered; it is expected.
    query.catch(() => undefined);
    try {
      return await Promise.race([query, timeout]);
    } catch (error) {
      if (error instanceof DataApiFault) throw error;
      throw databaseFault(error);
    } finally {
      clearTimeout(timer);
    }
  };

  const operations: Record<DataApiOperation, (body: Record<string, unknown>) => Promise<unknown>> = {
    async BeginTransaction(body) {
      const { resourceArn, secretArn, login } = target(body);
      const database = requireString(body, 'database');
      const client = await connect(login, database);
      try {
        await client.query('BEGIN');
      } catch (error) {
        await client.end().catch(() => undefined);
        throw databaseFault(error);
      }
      const transactionId = randomBytes(36).toString('base64');
      transactions.set(transactionId, { client, resourceArn, secretArn, database });
      return { transactionId };
    },

    async ExecuteStatement(body) {
      const { resourceArn, secretArn, login } = target(body);
      const database = requireString(body, 'database');
      const sql = requireString(body, 'sql');
      const { text, values } = bindParameters(sql, body.parameters);
      let client: pg.Client;
      let autocommit = false;
      if (body.transactionId !== undefined) {
        const { id, transaction } = transactionFor(body, resourceArn, secretArn);
        if (transaction.database !== database) {
          throw badRequest(
            `Transaction ${id} was begun on database '${transaction.database}', not '${database}'`,
          );
        }
        client = transaction.client;
      } else {
        client = await connect(login, database);
        autocommit = true;
      }
      try {
        const result = await run(client, text, values);
        const fields = result.fields ?? [];
        const records = (result.rows as unknown[][]).map((row) =>
          row.map((cell, index) => toField(cell, fields[index]!.dataTypeID)),
        );
        const columnMetadata = fields.map((field) => {
          const type = TYPES[field.dataTypeID] ?? { name: 'unknown', jdbc: 1111 };
          return {
            name: field.name,
            label: field.name,
            typeName: type.name,
            type: type.jdbc,
            nullable: 2,
            isSigned: LONG_TYPES.has(field.dataTypeID) || DOUBLE_TYPES.has(field.dataTypeID),
            isCurrency: false,
            isCaseSensitive: type.name === 'text' || type.name === 'varchar',
            isAutoIncrement: false,
            precision: 0,
            scale: 0,
            schemaName: '',
            tableName: '',
            arrayBaseColumnType: 0,
          };
        });
        const isSelect = fields.length > 0;
        const response: Record<string, unknown> = {
          numberOfRecordsUpdated: isSelect ? 0 : (result.rowCount ?? 0),
        };
        if (body.formatRecordsAs === 'JSON') {
          response.formattedRecords = JSON.stringify(
            records.map((record) =>
              Object.fromEntries(record.map((field, index) => [fields[index]!.name, jsonValue(field)])),
            ),
          );
        } else if (isSelect) response.records = records;
        if (body.includeResultMetadata === true) response.columnMetadata = columnMetadata;
        return response;
      } finally {
        if (autocommit) await client.end().catch(() => undefined);
      }
    },

    async CommitTransaction(body) {
      const { resourceArn, secretArn } = target(body);
      const { id, transaction } = transactionFor(body, resourceArn, secretArn);
      transactions.delete(id);
      try {
        await transaction.client.query('COMMIT');
      } catch (error) {
        throw databaseFault(error);
      } finally {
        await transaction.client.end().catch(() => undefined);
      }
      return { transactionStatus: 'Transaction Committed' };
    },

    async RollbackTransaction(body) {
      const { resourceArn, secretArn } = target(body);
      const { id, transaction } = transactionFor(body, resourceArn, secretArn);
      transactions.delete(id);
      try {
        await transaction.client.query('ROLLBACK');
      } catch (error) {
        throw databaseFault(error);
      } finally {
        await transaction.client.end().catch(() => undefined);
      }
      return { transactionStatus: 'Rollback Complete' };
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      const operation = ROUTES[path];
      if (request.method !== 'POST' || !operation) {
        throw new DataApiFault(
          'UnknownOperationException',
          404,
          `${request.method} ${path} is not an operation`,
        );
      }
      // The SDK signs every call with SigV4 for the rds-data service; an unsigned call means a misbuilt client.
      const authorization = request.headers.authorization ?? '';
      if (
        !/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/rds-data\/aws4_request/.test(authorization)
      ) {
        throw new DataApiFault('ForbiddenException', 403, 'the request is not SigV4-signed for rds-data');
      }
      const body = await readBody(request);
      calls.push({ operation, body });
      send(response, 200, await operations[operation](body));
    } catch (error) {
      if (error instanceof DataApiFault) {
        send(response, error.status, { message: error.message, ...error.extra }, error.type);
      } else {
        send(response, 500, { message: (error as Error).message }, 'InternalServerErrorException');
      }
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    clusterArn,
    secretArn: Object.keys(secrets)[0] ?? defaultSecretArn,
    calls,
    openTransactions: () => transactions.size,
    stop: async () => {
      for (const [id, transaction] of transactions) {
        transactions.delete(id);
        await transaction.client.query('ROLLBACK').catch(() => undefined);
        await transaction.client.end().catch(() => undefined);
      }
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
};
