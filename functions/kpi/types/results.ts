import type { ResolvedThreshold } from '../../commons/config/kpi-schema';

/** Outcome of one KPI run: `breached` = a threshold crossed; `failed` = the query or its result was unusable. */
export type KpiStatus = 'ok' | 'breached' | 'failed';

/** One datapoint a KPI produced: a value column of one result row. */
export interface KpiValue {
  /** CloudWatch metric name. */
  readonly metric: string;
  readonly value: number;
  /** CloudWatch unit. */
  readonly unit: string;
  /** Dimension name -> value from the row's dimension columns (empty without dimensions). */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** A threshold the KPI crossed. */
export interface KpiBreach {
  readonly severity: ResolvedThreshold['severity'];
  readonly direction: ResolvedThreshold['direction'];
  readonly threshold: number;
  /** The worst datapoint (lowest for `below`, highest for `above`); `null` when missing data counts as breaching. */
  readonly value: number | null;
  /** Dimensions of the worst datapoint. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** The result of running one KPI once. */
export interface KpiResult {
  readonly name: string;
  readonly status: KpiStatus;
  readonly values: readonly KpiValue[];
  readonly breaches: readonly KpiBreach[];
  /** Wall time of the query (and result mapping), in milliseconds. */
  readonly durationMs: number;
  /** Rows the query returned (0 when it failed). */
  readonly rowCount: number;
  /** Why the KPI failed; `null` otherwise. Never contains credentials. */
  readonly error: string | null;
  /** The error's class name (`KpiQueryError`, `KpiTimeoutError`, ...); `null` otherwise. */
  readonly errorName: string | null;
  /** Wall-clock start, epoch milliseconds. */
  readonly startedAt: number;
}
