import { realClock } from '../commons/clock';
import type { ResolvedKpi } from '../commons/config/kpi-schema';
import { KpiDatasourceError, KpiTimeoutError } from './errors';
import { evaluateThresholds } from './evaluate-thresholds';
import { toKpiValues } from './kpi-values';
import type { KpiClock, KpiDatasource, KpiParameterValue, KpiTracing } from './types/ports';
import type { KpiResult } from './types/results';

/** Options for {@link runKpis}. */
export interface RunKpisOptions {
  /** The datasource every KPI queries, or a lookup by the KPI's `datasource` name. */
  readonly datasource: KpiDatasource | ((name: string) => KpiDatasource);
  /** KPIs queried at once. @default 8 */
  readonly concurrency?: number;
  /** @default realClock */
  readonly clock?: KpiClock;
  /** One span per query. @default none */
  readonly tracing?: KpiTracing;
  /** Called as each KPI finishes, in completion order. */
  readonly onResult?: (result: KpiResult) => void;
  /**
   * Extra time past a KPI's statement timeout before the engine gives up on it (a hung connection,
   * a database that ignores the timeout). After giving up, the engine also waits up to this long for the
   * datasource to cancel the statement on the server and discard its connection, so the cancel is sent
   * before a Lambda invocation ends. @default 2000
   */
  readonly graceMs?: number;
  /** Stops starting new KPIs; running ones finish or time out. */
  readonly signal?: AbortSignal;
}

/**
 * The bind parameters of one run: the KPI's `parameters` plus `window_start`/`window_end` (ISO 8601)
 * when it has a `window`.
 */
export const kpiParameters = (kpi: ResolvedKpi, now: number): Record<string, KpiParameterValue> => ({
  ...kpi.parameters,
  ...(kpi.windowMs !== undefined
    ? { window_start: new Date(now - kpi.windowMs).toISOString(), window_end: new Date(now).toISOString() }
    : {}),
});

/** Waits until the promise settles, or `ms` passes, whichever comes first; never rejects. */
const settledWithin = async (promise: Promise<unknown>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((done) => {
      timer = setTimeout(done, ms);
    }),
  ]);
  clearTimeout(timer);
};

const errorMessage = (error: unknown): { message: string; name: string } =>
  error instanceof Error
    ? { message: error.message, name: error.name }
    : { message: String(error), name: 'Error' };

/**
 * Runs one KPI: query in a read-only transaction, map rows to datapoints, compare with thresholds.
 * Never throws: every problem becomes a `failed` result with the reason. The engine gives up at the
 * KPI's timeout plus `graceMs` even when the datasource does not answer: it aborts the query's signal (the
 * datasource cancels the statement on the server and drops the connection) and waits at most `graceMs`
 * more for that cleanup before returning the `KpiTimeoutError` result.
 */
export const runKpi = async (
  kpi: ResolvedKpi,
  options: Omit<RunKpisOptions, 'concurrency' | 'onResult' | 'signal'>,
): Promise<KpiResult> => {
  const clock = options.clock ?? realClock;
  const startedAt = clock.now();
  const start = clock.monotonic();
  const span = options.tracing?.startQuery(kpi.name, kpi.datasource);
  const abort = new AbortController();
  const graceMs = options.graceMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<unknown> | undefined;
  try {
    const datasource =
      typeof options.datasource === 'function' ? options.datasource(kpi.datasource) : options.datasource;
    if (datasource === undefined) throw new KpiDatasourceError(`unknown datasource '${kpi.datasource}'`);
    const deadlineMs = kpi.timeoutMs + graceMs;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(
          new KpiTimeoutError(`no answer within ${deadlineMs} ms (timeout ${kpi.timeoutMs} ms plus grace)`),
        );
      }, deadlineMs);
    });
    const query = datasource.query(
      {
        kpi: kpi.name,
        sql: kpi.sql,
        parameters: kpiParameters(kpi, startedAt),
        timeoutMs: kpi.timeoutMs,
        lockTimeoutMs: kpi.lockTimeoutMs,
        maxRows: kpi.maxRows,
      },
      abort.signal,
    );
    pending = query;
    const rows = await Promise.race([query, deadline]);
    const values = toKpiValues(kpi, rows);
    const breaches = evaluateThresholds(kpi, values);
    const durationMs = clock.monotonic() - start;
    span?.annotate('kpi', kpi.name);
    span?.annotate('status', breaches.length > 0 ? 'breached' : 'ok');
    span?.annotate('rows', rows.rowCount);
    return {
      name: kpi.name,
      status: breaches.length > 0 ? 'breached' : 'ok',
      values,
      breaches,
      durationMs,
      rowCount: rows.rowCount,
      error: null,
      errorName: null,
      startedAt,
    };
  } catch (error) {
    if (abort.signal.aborted && pending) await settledWithin(pending, graceMs);
    const { message, name } = errorMessage(error);
    span?.annotate('kpi', kpi.name);
    span?.annotate('status', 'failed');
    span?.fail(error instanceof Error ? error : new Error(message));
    return {
      name: kpi.name,
      status: 'failed',
      values: [],
      breaches: [],
      durationMs: clock.monotonic() - start,
      rowCount: 0,
      error: message,
      errorName: name,
      startedAt,
    };
  } finally {
    clearTimeout(timer);
    span?.close();
  }
};

/**
 * Runs KPIs concurrently, at most `concurrency` at a time, and returns their results in input order.
 * One slow or failing KPI never blocks or fails the others: each has its own deadline and every failure
 * is a `failed` result.
 *
 * @example
 * const datasource = await createDemoDatasource();
 * const results = await runKpis(resolveKpis(config), { datasource, concurrency: 4, onResult: print });
 */
export const runKpis = async (
  kpis: readonly ResolvedKpi[],
  options: RunKpisOptions,
): Promise<KpiResult[]> => {
  const results: KpiResult[] = new Array(kpis.length);
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 8, kpis.length));
  let next = 0;
  const worker = async () => {
    while (next < kpis.length && !options.signal?.aborted) {
      const index = next++;
      const result = await runKpi(kpis[index]!, options);
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results.filter((result) => result !== undefined);
};
