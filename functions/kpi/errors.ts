/**
 * Named errors of the KPI area (house rule 5). Messages name the KPI and what went wrong, never a
 * password or connection string.
 */

/** The database rejected or failed the query (syntax, a write in a READ ONLY transaction, a timeout...). */
export class KpiQueryError extends Error {
  /** PostgreSQL SQLSTATE when known (`25006` read-only, `57014` statement timeout). */
  public readonly code: string | undefined;

  public constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.name = 'KpiQueryError';
    this.code = options?.code;
  }
}

/**
 * The KPI's SQL is refused before it reaches the database: not exactly one SELECT statement, or text that
 * ends inside a string, identifier or comment, or parentheses that do not match.
 */
export class KpiSqlError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'KpiSqlError';
  }
}

/** The KPI did not finish within its deadline (statement timeout plus a grace period). */
export class KpiTimeoutError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KpiTimeoutError';
  }
}

/** The result cannot become metrics: missing column, non-numeric value, NaN, too many rows. */
export class KpiResultError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KpiResultError';
  }
}

/** The result has more distinct dimension combinations than the KPI's `maxSeries`. */
export class KpiCardinalityError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'KpiCardinalityError';
  }
}

/** A datasource cannot be reached or signed in to, or its secret is unusable. */
export class KpiDatasourceError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KpiDatasourceError';
  }
}
