import { createEmfWriter } from '../../../functions/commons/metrics';
import { publishKpi } from '../../../functions/kpi/kpi-metric-records';
import type { KpiResult } from '../../../functions/kpi/types/results';
import { emfDatapoints, expectValidEmf } from '../../helpers/emf-spec';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const writer = createEmfWriter({ namespace: 'Vigil', sink: () => undefined, now: () => NOW });

const result = (values: KpiResult['values']): KpiResult => ({
  name: 'revenue',
  status: 'ok',
  values,
  breaches: [],
  durationMs: 12.345,
  rowCount: values.length,
  error: null,
  errorName: null,
  startedAt: NOW,
});

describe('publishKpi', () => {
  it('publishes every value of a KPI with its dimensions, QueryFailed = 0 and the run start as timestamp', () => {
    // Act
    const published = publishKpi(
      'shop',
      result([
        { metric: 'revenue', value: 10, unit: 'None', dimensions: { day: '2026-11-30' } },
        { metric: 'revenue', value: 20, unit: 'None', dimensions: { day: '2026-12-01' } },
      ]),
      writer.serialize,
    );

    // Assess
    expectValidEmf(published.lines, NOW);
    expect(published.result.status).toBe('ok');
    const points = emfDatapoints(published.lines);
    expect(points.filter((point) => point.metric === 'QueryFailed').map((point) => point.value)).toEqual([0]);
    expect(
      points
        .filter((point) => point.metric === 'revenue')
        .map((point) => [Object.keys(point.dimensions).join(), point.value, point.timestamp]),
    ).toEqual([
      ['App,Kpi', 10, NOW],
      ['App,Kpi,day', 10, NOW],
      ['App,Kpi', 20, NOW],
      ['App,Kpi,day', 20, NOW],
    ]);
  });

  it('reports a KPI whose metrics cannot be published as failed and publishes only QueryFailed = 1', () => {
    // Act
    const published = publishKpi(
      'shop',
      result([{ metric: 'Kpi', value: 1, unit: 'None', dimensions: {} }]),
      writer.serialize,
    );

    // Assess
    expectValidEmf(published.lines, NOW);
    expect(published.result).toMatchObject({
      status: 'failed',
      values: [],
      errorName: 'EmfNameError',
      error: 'its metrics cannot be published: metric Kpi has the name of a dimension of the same record',
    });
    expect(emfDatapoints(published.lines).map((point) => [point.metric, point.value])).toEqual([
      ['QueryDuration', 12.35],
      ['QueryFailed', 1],
    ]);
  });
});
