import { KpiResultError } from '../../../functions/kpi/errors';
import { evaluateThresholds } from '../../../functions/kpi/evaluate-thresholds';
import { toKpiValues } from '../../../functions/kpi/kpi-values';
import { kpiFixture } from '../../helpers/kpi/kpi-fixture';

const rows = (columns: string[], data: Record<string, unknown>[]) => ({
  columns,
  rows: data,
  rowCount: data.length,
});

describe('toKpiValues', () => {
  it('treats an empty result as a missing datapoint, not zero', () => {
    // Prepare
    const kpi = kpiFixture({ name: 'k', sql: 'x' });
    // Act
    const values = toKpiValues(kpi, rows(['value'], []));
    // Assess
    expect(values).toEqual([]);
  });

  it("publishes zero for an empty result or NULL when emptyAs is 'zero'", () => {
    // Prepare
    const kpi = kpiFixture({ name: 'k', sql: 'x', emptyAs: 'zero' });
    // Act
    const empty = toKpiValues(kpi, rows(['value'], []));
    const nulled = toKpiValues(kpi, rows(['value'], [{ value: null }]));
    // Assess
    expect(empty.map((value) => value.value)).toEqual([0]);
    expect(nulled.map((value) => value.value)).toEqual([0]);
  });

  it('skips a NULL cell as missing data and converts numeric strings and bigints', () => {
    // Prepare
    const kpi = kpiFixture({
      name: 'k',
      sql: 'x',
      values: [
        { column: 'a', metric: 'a', unit: 'None' },
        { column: 'b', metric: 'b', unit: 'Count' },
      ],
    });
    // Act
    const values = toKpiValues(
      kpi,
      rows(
        ['a', 'b'],
        [
          { a: null, b: '9007199254740993' },
          { a: ' 18.25 ', b: 3n },
        ],
      ),
    );
    // Assess
    expect(values.map((value) => [value.metric, value.value])).toEqual([
      ['b', 9007199254740992],
      ['a', 18.25],
      ['b', 3],
    ]);
  });

  it.each([
    ['NaN', 'is NaN'],
    ['-Infinity', 'is -Infinity'],
    [Number.NaN, 'is NaN'],
    ['12abc', "not a number: '12abc'"],
    [true, 'not a number: boolean'],
  ])('fails on %p instead of publishing it', (cell, message) => {
    // Prepare
    const kpi = kpiFixture({ name: 'k', sql: 'x' });
    // Act
    const act = () => toKpiValues(kpi, rows(['value'], [{ value: cell }]));
    // Assess
    expect(act).toThrow(message);
  });

  it('names missing columns and the columns the query did return', () => {
    // Prepare
    const kpi = kpiFixture({ name: 'k', sql: 'x', dimensions: [{ column: 'region', name: 'Region' }] });
    // Act
    const act = () => toKpiValues(kpi, rows(['total'], []));
    // Assess
    expect(act).toThrow("columns 'value', 'region' not in the result (columns: total)");
  });

  it('fails with KpiCardinalityError when the rows hold more series than maxSeries', () => {
    // Prepare
    const kpi = kpiFixture({
      name: 'k',
      sql: 'x',
      dimensions: [{ column: 'region', name: 'Region' }],
      maxSeries: 3,
    });
    const data = ['eu', 'us', 'ap', 'sa'].map((region, index) => ({ region, value: index }));
    // Act
    const act = () => toKpiValues(kpi, rows(['region', 'value'], data));
    // Assess
    expect(act).toThrow(
      expect.objectContaining({
        name: 'KpiCardinalityError',
        message: expect.stringContaining('4 distinct (Region) combinations, more than maxSeries 3'),
      }),
    );
    expect(toKpiValues({ ...kpi, maxSeries: 4 }, rows(['region', 'value'], data))).toHaveLength(4);
  });
});

describe('evaluateThresholds', () => {
  const kpi = kpiFixture({
    name: 'revenue',
    sql: 'x',
    thresholds: [
      { severity: 'critical', direction: 'below', value: 30_000 },
      { severity: 'warning', direction: 'below', value: 50_000 },
    ],
  });
  const value = (amount: number, day: string) => ({
    metric: 'value',
    value: amount,
    unit: 'None',
    dimensions: { date: day },
  });

  it('reports every crossed severity with the worst datapoint, like a Minimum alarm', () => {
    // Act
    const breaches = evaluateThresholds(kpi, [value(62_000, 'd1'), value(41_000, 'd2'), value(45_000, 'd3')]);
    // Assess
    expect(breaches).toEqual([
      {
        severity: 'warning',
        direction: 'below',
        threshold: 50_000,
        value: 41_000,
        dimensions: { date: 'd2' },
      },
    ]);
  });

  it('does not breach at exactly the threshold (strictly below)', () => {
    expect(evaluateThresholds(kpi, [value(50_000, 'd1')])).toEqual([]);
  });

  it("counts missing data as a breach only when missingData is 'breaching'", () => {
    expect(evaluateThresholds(kpi, [])).toEqual([]);
    expect(
      evaluateThresholds({ ...kpi, missingData: 'breaching' }, []).map((breach) => [
        breach.severity,
        breach.value,
      ]),
    ).toEqual([
      ['critical', null],
      ['warning', null],
    ]);
  });
});

describe('toKpiValues at CloudWatch limits', () => {
  const city = kpiFixture({
    name: 'k',
    sql: 'x',
    dimensions: [{ column: 'city', name: 'city' }],
    maxSeries: 20,
  });

  it('publishes NULL and the text null as two dimension values, and non-ASCII percent-encoded', () => {
    // Act
    const values = toKpiValues(
      city,
      rows(
        ['city', 'value'],
        [
          { city: null, value: 1 },
          { city: 'null', value: 2 },
          { city: 'Zürich', value: 3 },
        ],
      ),
    );

    // Assess
    expect(values.map((value) => value.dimensions.city)).toEqual(['%null', 'null', 'Z%C3%BCrich']);
  });

  it('fails rather than merge two cells that would publish as one dimension value', () => {
    // Prepare: two different lone surrogates (half emoji) both become U+FFFD in UTF-8.
    const result = rows(
      ['city', 'value'],
      [
        { city: 'a\uD800', value: 1 },
        { city: 'a\uDBFF', value: 2 },
      ],
    );

    // Act
    const act = () => toKpiValues(city, result);

    // Assess
    expect(act).toThrow(KpiResultError);
    expect(act).toThrow(
      "column 'city' in row 2: 'a\uD800' and 'a\uDBFF' would both publish as dimension value 'a%EF%BF%BD'",
    );
  });

  it.each([
    ['2^400', '2.58e120', 'is 2.580e+120: it is beyond ±2^360'],
    ['-2^400', -(2 ** 400), 'is -2.582e+120: it is beyond ±2^360'],
    ['1e-200', '1e-200', 'is 1.000e-200: it is closer to 0 than 2^-360'],
  ])('fails a value of %s CloudWatch cannot store', (_, cell, message) => {
    // Act
    const act = () => toKpiValues(kpiFixture({ name: 'k', sql: 'x' }), rows(['value'], [{ value: cell }]));

    // Assess
    expect(act).toThrow(`column 'value' in row 1 ${message}`);
  });
});
