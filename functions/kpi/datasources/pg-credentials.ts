import { KpiDatasourceError } from '../errors';

/** A PostgreSQL login. Host, port and database come from the secret when it has them (RDS format). */
export interface PgLogin {
  readonly user: string;
  readonly password: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
}

/** Where the `pg` datasource gets its login. `refresh` fetches anew (after a rotation). */
export interface PgCredentials {
  /** The cached login, fetched on first use. */
  get(): Promise<PgLogin>;
  /** Drops the cache and fetches again; concurrent callers share one fetch. */
  refresh(): Promise<PgLogin>;
}

/** Options for {@link createSecretCredentials}. */
export interface SecretCredentialsOptions {
  /** Secrets Manager secret name or ARN. */
  readonly secretId: string;
  /** Fetches the secret's text (Secrets Manager `GetSecretValue` in Lambda). */
  readonly fetchSecret: (secretId: string) => Promise<string>;
}

const parseLogin = (text: string, secretId: string): PgLogin => {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new KpiDatasourceError(
      `secret ${secretId} is not JSON: expected {"username","password",...} (RDS format)`,
    );
  }
  const user = parsed.username ?? parsed.user;
  const password = parsed.password;
  if (typeof user !== 'string' || typeof password !== 'string') {
    throw new KpiDatasourceError(`secret ${secretId} needs string "username" and "password" keys`);
  }
  const port = typeof parsed.port === 'string' ? Number(parsed.port) : parsed.port;
  const database = parsed.dbname ?? parsed.database;
  return {
    user,
    password,
    ...(typeof parsed.host === 'string' ? { host: parsed.host } : {}),
    ...(typeof port === 'number' && Number.isInteger(port) ? { port } : {}),
    ...(typeof database === 'string' ? { database } : {}),
  };
};

/**
 * A login read from a Secrets Manager secret: fetched once, cached for the life of the process (a Lambda
 * execution environment), fetched again only through `refresh` — which the `pg` datasource calls when the
 * database rejects the login (SQLSTATE 28P01/28000), so a rotated password is picked up without a redeploy.
 * Errors name the secret, never its value.
 */
export const createSecretCredentials = (options: SecretCredentialsOptions): PgCredentials => {
  let cached: Promise<PgLogin> | undefined;
  const load = () => {
    const pending = options
      .fetchSecret(options.secretId)
      .then((text) => parseLogin(text, options.secretId))
      .catch((error: unknown) => {
        if (error instanceof KpiDatasourceError) throw error;
        throw new KpiDatasourceError(
          `cannot read secret ${options.secretId}: ${error instanceof Error ? error.name : 'error'}`,
          { cause: error },
        );
      });
    pending.catch(() => {
      if (cached === pending) cached = undefined;
    });
    cached = pending;
    return pending;
  };
  let refreshing: Promise<PgLogin> | undefined;
  return {
    get: () => cached ?? load(),
    refresh: () => {
      refreshing ??= load().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
  };
};

/** A fixed login (`--database-url`, tests). `refresh` returns the same login. */
export const staticCredentials = (login: PgLogin): PgCredentials => ({
  get: async () => login,
  refresh: async () => login,
});

/**
 * Reads a `postgres://user:password@host:port/database?sslmode=...` URL.
 *
 * @throws {KpiDatasourceError} when the text is not a PostgreSQL URL (the message never repeats the URL)
 */
export const parseDatabaseUrl = (
  url: string,
): { login: PgLogin; ssl: 'verify-full' | 'require' | 'disable' } => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new KpiDatasourceError(
      'the database URL is not a URL: expected postgres://user:password@host:5432/database',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new KpiDatasourceError(`the database URL must start with postgres:// (got ${parsed.protocol}//)`);
  }
  const sslmode = parsed.searchParams.get('sslmode') ?? 'disable';
  const ssl =
    sslmode === 'verify-full' || sslmode === 'verify-ca'
      ? 'verify-full'
      : sslmode === 'require'
        ? 'require'
        : 'disable';
  return {
    login: {
      user: decodeURIComponent(parsed.username || 'postgres'),
      password: decodeURIComponent(parsed.password),
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 5432,
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    },
    ssl,
  };
};
