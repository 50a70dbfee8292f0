import { MissingEnvironmentError } from '../../../../functions/commons/env';
import {
  createEmfWriter,
  createLambdaEmfWriter,
  EmfDimensionError,
  EmfNameError,
  type EmfRecord,
  EmfSizeError,
  EmfValueError,
  normalizeDimensionValue,
  serializeEmfDocument,
  toEmfDocuments,
} from '../../../../functions/commons/metrics';
import { emfDatapoints, emfProblems, expectValidEmf } from '../../../helpers/emf-spec';

const NOW = Date.parse('2026-12-01T12:00:00Z');

const writerFor = (lines: string[]) =>
  createEmfWriter({
    namespace: 'Vigil',
    defaultDimensions: { service: 'shop-runner' },
    sink: (line) => lines.push(line),
    now: () => NOW,
  });

const record = (overrides: Partial<EmfRecord> = {}): EmfRecord => ({
  dimensionSets: [{ Check: 'login' }],
  metrics: [{ name: 'CheckSuccess', unit: 'Count', value: 1 }],
  ...overrides,
});

describe('EMF writer', () => {
  it('splits 250 values of one metric and 150 metrics into valid documents that all carry every dimension set', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = [
      ...Array.from({ length: 250 }, (_, index) => ({ name: 'rows', unit: 'None', value: index + 1 })),
      ...Array.from({ length: 150 }, (_, index) => ({ name: `m${index}`, unit: 'Count', value: index })),
    ];

    // Act
    writerFor(lines).publish(record({ dimensionSets: [{ Kpi: 'k' }, { Kpi: 'k', city: 'Bern' }], metrics }));

    // Assess
    expectValidEmf(lines, NOW);
    expect(lines).toHaveLength(3);
    const points = emfDatapoints(lines);
    const rows = points.filter((point) => point.metric === 'rows' && !('city' in point.dimensions));
    expect(rows.map((point) => point.value)).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
    expect(rows.every((point) => point.dimensions.service === 'shop-runner' && point.timestamp === NOW)).toBe(
      true,
    );
    expect(points.filter((point) => point.dimensions.city === 'Bern')).toHaveLength(400);
  });

  it.each([
    [
      'a metric named like a dimension',
      record({ metrics: [{ name: 'Check', unit: 'Count', value: 1 }] }),
      EmfNameError,
      /metric Check has the name of a dimension/,
    ],
    [
      'a metric named _aws',
      record({ metrics: [{ name: '_aws', unit: 'Count', value: 1 }] }),
      EmfNameError,
      /_aws" is reserved/,
    ],
    [
      'a metric name starting with ":"',
      record({ metrics: [{ name: ':x', unit: 'Count', value: 1 }] }),
      EmfNameError,
      /cannot start with ":"/,
    ],
    [
      'a non-ASCII dimension value',
      record({ dimensionSets: [{ Check: 'Zürich' }] }),
      EmfDimensionError,
      /must be printable ASCII/,
    ],
    [
      'a control character in a dimension value',
      record({ dimensionSets: [{ Check: 'a\tb' }] }),
      EmfDimensionError,
      /must be printable ASCII/,
    ],
    [
      'a blank dimension value',
      record({ dimensionSets: [{ Check: '  ' }] }),
      EmfDimensionError,
      /non-whitespace/,
    ],
    [
      'two values for one dimension',
      record({ dimensionSets: [{ Check: 'a' }, { Check: 'b' }] }),
      EmfDimensionError,
      /two values/,
    ],
    ['no dimension set', record({ dimensionSets: [] }), EmfDimensionError, /at least one dimension set/],
    [
      '31 dimensions',
      record({ dimensionSets: [Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i}`, 'v']))] }),
      EmfDimensionError,
      /31 dimensions/,
    ],
    [
      '2^400',
      record({ metrics: [{ name: 'x', unit: 'None', value: 2 ** 400 }] }),
      EmfValueError,
      /beyond ±2\^360/,
    ],
    [
      'NaN',
      record({ metrics: [{ name: 'x', unit: 'None', value: Number.NaN }] }),
      EmfValueError,
      /is not a number/,
    ],
    [
      'Infinity',
      record({ metrics: [{ name: 'x', unit: 'None', value: Number.POSITIVE_INFINITY }] }),
      EmfValueError,
      /finite/,
    ],
    ['1e-200', record({ metrics: [{ name: 'x', unit: 'None', value: 1e-200 }] }), EmfValueError, /2\^-360/],
    [
      'an unknown unit',
      record({ metrics: [{ name: 'x', unit: 'Apples', value: 1 }] }),
      EmfValueError,
      /not a CloudWatch unit/,
    ],
    ['a timestamp 15 days old', record({ timestamp: NOW - 15 * 86_400_000 }), EmfValueError, /14 days/],
    ['metadata named _aws', record({ metadata: { _aws: 1 } }), EmfNameError, /reserved/],
    [
      'metadata named like a metric',
      record({ metadata: { CheckSuccess: 'yes' } }),
      EmfNameError,
      /metadata key CheckSuccess/,
    ],
    [
      'a document over 256 KB',
      record({ metadata: { error: 'x'.repeat(300_000) } }),
      EmfSizeError,
      /larger than a CloudWatch Logs event/,
    ],
  ])('refuses %s, writing nothing', (_, input, type, message) => {
    // Prepare
    const lines: string[] = [];

    // Act
    const publish = () => writerFor(lines).publish(input);

    // Assess
    expect(publish).toThrow(type);
    expect(publish).toThrow(message);
    expect(lines).toEqual([]);
  });

  it('keeps a dimension and a metric named __proto__ as members of the document', () => {
    // Prepare
    const lines: string[] = [];
    const dimensions = JSON.parse('{"__proto__":"odd"}') as Record<string, string>;

    // Act
    writerFor(lines).publish(
      record({ dimensionSets: [dimensions], metrics: [{ name: 'constructor', unit: 'Count', value: 2 }] }),
    );

    // Assess
    expectValidEmf(lines, NOW);
    expect(emfDatapoints(lines)).toEqual([
      expect.objectContaining({
        metric: 'constructor',
        value: 2,
        dimensions: JSON.parse('{"service":"shop-runner","__proto__":"odd"}'),
      }),
    ]);
  });

  it('writes a record of a shape it has seen exactly as the general path serializes it', () => {
    // Prepare: records that share shapes (dimension sets, metric names and units) but not values.
    const odd = JSON.parse('{"__proto__":"p"}') as Record<string, string>;
    const shapes: EmfRecord[] = [
      record(),
      record({
        dimensionSets: [{ Check: 'a "quoted" \\ name' }, { Check: 'a "quoted" \\ name', Step: 's' }],
      }),
      record({
        metrics: [
          { name: 'rows', unit: 'None', value: 1 },
          { name: 'bytes', unit: 'Bytes', value: 2 },
          { name: 'rows', unit: 'None', value: 3 },
        ],
      }),
      record({ dimensionSets: [odd], metrics: [{ name: 'constructor', unit: 'Count', value: 1 }] }),
      record({ dimensionSets: [{ service: 'override' }] }),
    ];
    const metadata: (Record<string, unknown> | undefined)[] = [
      undefined,
      {},
      { status: 'passed', steps: [{ name: 's', timings: { dnsMs: 0.5 } }], gone: undefined },
      { '7': 'an index-like key', note: 'é\n"' },
      Object.assign(Object.create(null) as Record<string, unknown>, { nullPrototype: true }),
      JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>,
    ];
    const values = [0, -0, 0.1, 1e21, 2 ** -300, 123456789.125];
    // (A metadata member `__proto__` beside the dimension `__proto__` is refused: that is tested below.)
    const fits = (shape: EmfRecord, meta: Record<string, unknown> | undefined) =>
      !(shape.dimensionSets[0] === odd && meta !== undefined && Object.hasOwn(meta, '__proto__'));
    const variants = shapes.flatMap((shape) =>
      metadata.flatMap((meta, m) =>
        !fits(shape, meta)
          ? []
          : values.map((value, v) => ({
              ...shape,
              metrics: shape.metrics.map((metric, i) => ({ ...metric, value: value + i })),
              ...(meta === undefined ? {} : { metadata: meta }),
              ...(v % 2 === 0 ? { timestamp: NOW - 1_000 * (m + 1) + 0.4 } : {}),
            })),
      ),
    );
    const writer = writerFor([]);
    const general = (input: EmfRecord) =>
      toEmfDocuments(input, {
        namespace: 'Vigil',
        defaultDimensions: { service: 'shop-runner' },
        now: () => NOW,
      }).map(serializeEmfDocument);

    // Act: every variant twice, so each is written both while its shape is new and once it is known.
    const first = variants.map((input) => writer.serialize(input));
    const again = variants.map((input) => writer.serialize(input));

    // Assess
    const expected = variants.map(general);
    expect(first).toEqual(expected);
    expect(again).toEqual(expected);
    expectValidEmf(expected.flat(), NOW);
  });

  it.each([
    ['a NaN value', record({ metrics: [{ name: 'CheckSuccess', unit: 'Count', value: Number.NaN }] })],
    [
      'a bad value after a good one of the same name',
      record({
        metrics: [
          { name: 'CheckSuccess', unit: 'Count', value: 1 },
          { name: 'CheckSuccess', unit: 'Count', value: 2 ** 400 },
        ],
      }),
    ],
    ['metadata named _aws', record({ metadata: { _aws: 1 } })],
    ['metadata named like the dimension', record({ metadata: { Check: 'x' } })],
    ['metadata named like the metric', record({ metadata: { CheckSuccess: 'x' } })],
    [
      'metadata named __proto__ like the dimension',
      record({
        dimensionSets: [JSON.parse('{"__proto__":"p"}') as Record<string, string>],
        metadata: JSON.parse('{"__proto__":"x"}') as Record<string, unknown>,
      }),
    ],
    ['a timestamp 3 hours ahead', record({ timestamp: NOW + 3 * 3_600_000 })],
    ['a timestamp that is not a time', record({ timestamp: Number.NaN })],
    ['a document over 256 KB', record({ metadata: { error: 'x'.repeat(300_000) } })],
  ])('refuses %s in a record of a known shape as it refuses it in a new one', (_, input) => {
    // Prepare: the same shape published twice (a writer learns a shape the second time) by one writer,
    // never by the other.
    const knows = writerFor([]);
    const sameShape = {
      ...input,
      metrics: input.metrics.map((metric) => ({ ...metric, value: 1 })),
      metadata: {},
      timestamp: NOW,
    };
    knows.serialize(sameShape); // seen...
    knows.serialize(sameShape); // ...and known
    const fresh = writerFor([]);

    // Act
    const caught = (serialize: () => unknown): unknown => {
      try {
        serialize();
      } catch (error) {
        return error;
      }
      throw new Error('expected the record to be refused');
    };
    const fromKnown = caught(() => knows.serialize(input));
    const fromNew = caught(() => fresh.serialize(input));

    // Assess
    expect(fromKnown).toBeInstanceOf((fromNew as Error).constructor);
    expect((fromKnown as Error).message).toBe((fromNew as Error).message);
  });

  it('refuses a namespace CloudWatch rejects', () => {
    // Act
    const writer = createEmfWriter({ namespace: 'AWS/Lambda', sink: () => undefined });

    // Assess
    expect(() => writer.publish(record())).toThrow('namespace "AWS/Lambda" cannot start with \'AWS/\'');
  });
});

describe('normalizeDimensionValue', () => {
  it('turns any text into a value CloudWatch takes, keeping distinct texts distinct', () => {
    // Prepare
    const texts = [
      'Zürich',
      'Zurich',
      'null',
      '%null',
      '',
      '   ',
      'a\u0000b',
      '100%',
      '\u{1F600}',
      `${'x'.repeat(249)}\u{1F600}`,
      `${'y'.repeat(2000)}a`,
      `${'y'.repeat(2000)}b`,
      `${'y'.repeat(1019)}\u{1F600}`,
    ];

    // Act
    const values = texts.map((text) => normalizeDimensionValue(text));

    // Assess
    expect(values.slice(0, 10)).toEqual([
      'Z%C3%BCrich',
      'Zurich',
      'null',
      '%25null',
      '%empty',
      '%20%20%20',
      'a%00b',
      '100%25',
      '%F0%9F%98%80',
      `${'x'.repeat(249)}%F0%9F%98%80`,
    ]);
    expect(new Set(values).size).toBe(texts.length);
    expect(values[12]).toMatch(/^y{1014}%~[0-9a-f]{8}$/);
    for (const value of values) {
      const line = JSON.stringify({
        _aws: {
          Timestamp: NOW,
          CloudWatchMetrics: [{ Namespace: 'V', Dimensions: [['d']], Metrics: [{ Name: 'm' }] }],
        },
        d: value,
        m: 1,
      });
      expect(emfProblems(line, NOW)).toEqual([]);
    }
  });
});

describe('createLambdaEmfWriter', () => {
  const publishCapturing = (writer: ReturnType<typeof createLambdaEmfWriter>): string[] => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      writer.publish(record());
    } finally {
      spy.mockRestore();
    }
    return written;
  };

  it('takes namespace and the App dimension from the environment as it was when the writer was made', () => {
    // Prepare
    const env: NodeJS.ProcessEnv = {
      POWERTOOLS_METRICS_NAMESPACE: 'Vigil',
      POWERTOOLS_SERVICE_NAME: 'shop-runner',
      VIGIL_APP: 'shop',
    };
    const writer = createLambdaEmfWriter(env);
    env.POWERTOOLS_METRICS_NAMESPACE = 'Changed';

    // Act
    const written = publishCapturing(writer);

    // Assess
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/\n$/);
    expectValidEmf(written.map((chunk) => chunk.trimEnd()));
    expect(emfDatapoints(written.map((chunk) => chunk.trimEnd()))[0]).toMatchObject({
      namespace: 'Vigil',
      dimensions: { App: 'shop', Check: 'login' },
    });
  });

  it('is made without a metrics environment and names the missing variable on first publish', () => {
    // Act
    const writer = createLambdaEmfWriter({});

    // Assess
    expect(() => publishCapturing(writer)).toThrow(MissingEnvironmentError);
    expect(() => publishCapturing(writer)).toThrow('POWERTOOLS_METRICS_NAMESPACE');
  });
});
