/**
 * Ports the KPI engine receives instead of reaching for databases, AWS or globals (house rule 2).
 * Lambda, the CLI, `npm start` and tests each pass their own adapters.
 */

import type { Clock } from '../../commons/clock';

/** A bind-parameter value. Timestamps travel as ISO 8601 text. */
export type KpiParameterValue = string | number | boolean;

/** One query the engine asks a datasource to run. */
export interface KpiQuery {
  /** KPI name, for errors and traces. */
  readonly kpi: string;
  /** SQL with `:name` parameters; adapters bind them natively (`$1` or named), never by splicing. */
  readonly sql: string;
  readonly parameters: Readonly<Record<string, KpiParameterValue>>;
  /** `statement_timeout`. */
  readonly timeoutMs: number;
  /** `lock_timeout`. */
  readonly lockTimeoutMs: number;
  /**
   * Rows beyond this are not kept. The adapter has the database stop at `maxRows + 1` rows
   * (`rowCappedSql`), enough to tell the result is too large, never the whole of it.
   */
  readonly maxRows: number;
}

/** What a datasource returns: column names (also for empty results) and at most `maxRows` rows. */
export interface KpiRows {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** Rows the database sent: at most `maxRows + 1`, so more than `maxRows` means the result was cut. */
  readonly rowCount: number;
}

/**
 * A database the engine queries. Every query is first checked to be exactly one SELECT (`kpiStatement`),
 * then runs row-capped, as one statement (never as multi-statement text), in a READ ONLY transaction with
 * `statement_timeout` and `lock_timeout` set from the query. `signal` aborts when the engine's per-KPI
 * deadline passes: the adapter then cancels the statement on the server where it can and discards the
 * connection, and its promise settles once that is done.
 */
export interface KpiDatasource {
  readonly name: string;
  query(query: KpiQuery, signal: AbortSignal): Promise<KpiRows>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** The part of the one {@link Clock} KPI runs use: wall time in epoch milliseconds plus a monotonic timer. */
export type KpiClock = Pick<Clock, 'now' | 'monotonic'>;

/** A trace span around one KPI query: an X-Ray subsegment in Lambda. */
export interface KpiSpan {
  annotate(key: string, value: string | number | boolean): void;
  fail(error: Error): void;
  close(): void;
}

/** Starts one span per KPI query. */
export interface KpiTracing {
  startQuery(kpiName: string, datasource: string): KpiSpan;
}
