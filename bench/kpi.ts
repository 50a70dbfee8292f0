/**
 * KPI engine overhead: 50 KPI queries over a 1,000,000-row bookings table in a real PostgreSQL (Debian's
 * `postgresql`, started in a temp dir on 127.0.0.1), through Vigil's engine with a pool of 8 (read-only
 * transaction, timeouts, parameter binding, row mapping, thresholds) vs the same SQL and parameters sent
 * straight through `pg` with a pool of 8, in the same run. Rounds alternate; medians are compared.
 * Prints JSON lines; the last is the summary with `ratio` = engine wall time / raw wall time (goal <= 1.05).
 */
import pg from 'pg';
import { toPositional } from '../functions/commons/sql/sql-parameters';
import { staticCredentials } from '../functions/kpi/datasources/pg-credentials';
import { createPgDatasource } from '../functions/kpi/datasources/pg-datasource';
import { kpiParameters, runKpis } from '../functions/kpi/run-kpis';
import { kpiFixture } from '../test/helpers/kpi/kpi-fixture';
import { startPostgres } from '../test/helpers/kpi/postgres-server';

const ROWS = 1_000_000;
const QUERIES = 50;
const POOL = 8;
const ROUNDS = 5;
const DEADLINE_MS = 8 * 60_000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const main = async () => {
  const started = Date.now();
  const server = await startPostgres({ maxConnections: 40 });
  try {
    await server.admin(`
      CREATE TABLE bookings (id integer PRIMARY KEY, user_id integer NOT NULL, total_amount numeric(10,2) NOT NULL,
        status text NOT NULL, route text NOT NULL, created_at timestamptz NOT NULL);
      INSERT INTO bookings
        SELECT g, g % 50000, 100 + (g::bigint * 7919 % 190000) / 100.0,
          CASE WHEN g % 10 < 8 THEN 'confirmed' WHEN g % 10 = 8 THEN 'cancelled' ELSE 'pending' END,
          'R' || (g % 40), now() - ((g % 43200) || ' minutes')::interval
        FROM generate_series(1, ${ROWS}) g;
      ANALYZE bookings;`);
    console.log(JSON.stringify({ bench: 'kpi', event: 'loaded', rows: ROWS, ms: Date.now() - started }));

    const kpis = Array.from({ length: QUERIES }, (_, index) =>
      kpiFixture({
        name: `kpi_${index}`,
        sql:
          index % 2 === 0
            ? `SELECT count(*) AS bookings, coalesce(sum(total_amount), 0) AS revenue FROM bookings
               WHERE status = :status AND created_at >= :window_start AND created_at < :window_end`
            : `SELECT route, avg(total_amount) AS avg_value, count(*) AS bookings FROM bookings
               WHERE created_at >= :window_start AND user_id % ${index + 2} = 0 GROUP BY route`,
        parameters: index % 2 === 0 ? { status: 'confirmed' } : {},
        windowMs: (1 + (index % 30)) * 86_400_000,
        values:
          index % 2 === 0
            ? [
                { column: 'bookings', metric: 'bookings', unit: 'Count' },
                { column: 'revenue', metric: 'revenue', unit: 'None' },
              ]
            : [
                { column: 'avg_value', metric: 'avg_value', unit: 'None' },
                { column: 'bookings', metric: 'bookings', unit: 'Count' },
              ],
        dimensions: index % 2 === 0 ? [] : [{ column: 'route', name: 'Route' }],
        maxSeries: 50,
        alarmOn: index % 2 === 0 ? 'revenue' : 'avg_value',
        thresholds: [{ severity: 'warning', direction: 'below', value: 1 }],
        timeoutMs: 60_000,
      }),
    );
    const login = {
      user: server.user,
      password: server.password,
      host: server.host,
      port: server.port,
      database: server.database,
    };
    const datasource = createPgDatasource({
      name: 'bench',
      credentials: staticCredentials(login),
      ssl: 'disable',
      maxConnections: POOL,
    });
    const raw = new pg.Pool({ ...login, max: POOL });
    raw.on('error', () => undefined);

    const engineRun = async () => {
      const start = performance.now();
      const results = await runKpis(kpis, { datasource, concurrency: POOL });
      const failed = results.filter((result) => result.status === 'failed');
      if (failed.length > 0) throw new Error(`engine KPI failed: ${failed[0]!.error}`);
      return performance.now() - start;
    };
    const rawRun = async () => {
      const start = performance.now();
      const now = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: POOL }, async () => {
          while (next < kpis.length) {
            const kpi = kpis[next++]!;
            const { text, values } = toPositional(kpi.sql, kpiParameters(kpi, now));
            await raw.query(text, values);
          }
        }),
      );
      return performance.now() - start;
    };

    // Warm up both paths (connections, plans, buffer cache).
    await engineRun();
    await rawRun();
    const engineMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 0; round < ROUNDS && Date.now() - started < DEADLINE_MS; round++) {
      const first = round % 2 === 0 ? 'engine' : 'raw';
      for (const which of first === 'engine' ? ['engine', 'raw'] : ['raw', 'engine']) {
        const ms = which === 'engine' ? await engineRun() : await rawRun();
        (which === 'engine' ? engineMs : rawMs).push(ms);
        console.log(
          JSON.stringify({ bench: 'kpi', event: 'round', round, path: which, ms: Math.round(ms * 10) / 10 }),
        );
      }
    }
    await datasource.close();
    await raw.end();
    const engine = median(engineMs);
    const baseline = median(rawMs);
    console.log(
      JSON.stringify({
        bench: 'kpi',
        metric: 'engine_wall_ms_50_kpis_1m_rows_pool8',
        value: Math.round(engine * 10) / 10,
        unit: 'ms',
        baseline: Math.round(baseline * 10) / 10,
        ratio: Math.round((engine / baseline) * 1000) / 1000,
      }),
    );
  } finally {
    await server.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
