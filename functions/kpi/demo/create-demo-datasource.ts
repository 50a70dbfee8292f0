import { createPgliteDatasource } from '../datasources/pglite-datasource';
import type { KpiClock, KpiDatasource } from '../types/ports';
import { DEMO_SCHEMA, demoDataSql } from './demo-data';

/** Options for {@link createDemoDatasource}. */
export interface DemoDatasourceOptions {
  /** Decides "now" for the data. @default the system clock */
  readonly clock?: Pick<KpiClock, 'now'>;
  /**
   * Rebuild the data when it is older than this, so a long `npm start` keeps seeing the designed
   * story as the windows slide. @default 3600000 (one hour)
   */
  readonly refreshMs?: number;
  /** Datasource name in results. @default 'embedded' */
  readonly name?: string;
}

/**
 * The embedded default datasource: an in-memory PGlite (PostgreSQL compiled to WebAssembly) loaded with
 * the deterministic flight-booking demo data (searches, bookings, payments, reviews over 30 days). No
 * server, no account. The seeds' KPI queries run on it verbatim; exactly one (daily revenue) breaches.
 *
 * @example
 * const datasource = await createDemoDatasource();
 * const results = await runKpis(demoKpis, { datasource });
 * await datasource.close();
 */
export const createDemoDatasource = async (options: DemoDatasourceOptions = {}): Promise<KpiDatasource> => {
  const { PGlite } = await import('@electric-sql/pglite');
  const now = () => options.clock?.now() ?? Date.now();
  const refreshMs = options.refreshMs ?? 3_600_000;
  const db = await PGlite.create();
  await db.exec(`SET TIME ZONE 'UTC'; ${DEMO_SCHEMA}`);
  let seededAt = now();
  await db.exec(demoDataSql(seededAt));
  const inner = createPgliteDatasource(db, options.name ?? 'embedded');
  let refreshing: Promise<void> | undefined;
  return {
    name: inner.name,
    async query(query, signal) {
      if (now() - seededAt > refreshMs) {
        refreshing ??= (async () => {
          seededAt = now();
          await db.transaction(async (tx) => {
            await tx.exec(demoDataSql(seededAt));
          });
        })().finally(() => {
          refreshing = undefined;
        });
      }
      if (refreshing) await refreshing;
      return inner.query(query, signal);
    },
    close: () => inner.close(),
  };
};
