import { createDemoDatasource } from '../../../../functions/kpi/demo/create-demo-datasource';
import { generateDemoRows } from '../../../../functions/kpi/demo/demo-data';
import { runKpis } from '../../../../functions/kpi/run-kpis';
import type { KpiDatasource } from '../../../../functions/kpi/types/ports';
import { resolvedDemoKpis } from '../helpers/demo-kpis';

describe('embedded demo datasource (PGlite)', () => {
  let datasource: KpiDatasource;

  beforeAll(async () => {
    datasource = await createDemoDatasource();
  });
  afterAll(async () => {
    await datasource.close();
  });

  it("gives the seeds' three KPIs meaningful values with exactly daily revenue breaching", async () => {
    // Act
    const results = await runKpis(resolvedDemoKpis(), { datasource });

    // Assess
    const [conversion, revenue, satisfaction] = results;
    expect(results.map((result) => [result.name, result.status])).toEqual([
      ['conversion_rate', 'ok'],
      ['daily_revenue', 'breached'],
      ['customer_satisfaction', 'ok'],
    ]);
    expect(conversion!.values[0]!.value).toBeGreaterThan(15);
    expect(conversion!.values[0]!.value).toBeLessThan(25);
    const revenues = revenue!.values.filter((value) => value.metric === 'revenue');
    expect(revenues).toHaveLength(8);
    expect(revenues.filter((value) => value.value < 50_000)).toHaveLength(1);
    expect(revenue!.breaches.map((breach) => [breach.severity, breach.threshold])).toEqual([
      ['critical', 30_000],
      ['warning', 50_000],
    ]);
    expect(satisfaction!.values.find((value) => value.metric === 'avg_rating')!.value).toBeGreaterThan(4);
  });

  it('generates the same counts and amounts whatever the time of day', () => {
    // Act
    const morning = generateDemoRows(Date.UTC(2025, 0, 10, 0, 3));
    const evening = generateDemoRows(Date.UTC(2025, 0, 10, 23, 58));

    // Assess
    expect(evening.bookings.map((booking) => booking.totalAmount)).toEqual(
      morning.bookings.map((booking) => booking.totalAmount),
    );
    expect(evening.reviews.length).toBe(morning.reviews.length);
    const inFuture = evening.searches.filter((search) => search.createdAt > Date.UTC(2025, 0, 10, 23, 58));
    expect(inFuture).toEqual([]);
  });
});
