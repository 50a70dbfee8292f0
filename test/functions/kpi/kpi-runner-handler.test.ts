import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DEMO_SCHEMA, demoDataSql } from '../../../functions/kpi/demo/demo-data';
import type { KpiRunnerConfig } from '../../../functions/kpi/types/runner-config';
import { emfDatapoints, emfLines, expectValidEmf } from '../../helpers/emf-spec';
import { kpiFixture } from '../../helpers/kpi/kpi-fixture';
import { type PostgresServer, startPostgres } from '../../helpers/kpi/postgres-server';
import { resolvedDemoKpis } from './helpers/demo-kpis';

const PASSWORD = 'handler-Reader-pw-9f3a';
// An emoji across character 250 (where values used to be cut in half) and one across CloudWatch's 1,024.
const EMOJI_AT_250 = `${'x'.repeat(249)}\u{1F600}`;
const LONG_EMOJI = `${'x'.repeat(1023)}\u{1F600}tail`;
const WIDE_COLUMNS = Array.from({ length: 120 }, (_, index) => `m${index + 1}`);

/** KPIs whose rows CloudWatch's limits bite on: many rows, many metrics, odd dimension values, odd numbers. */
const edgeKpis = () => [
  kpiFixture({
    name: 'many_rows',
    datasource: 'bookings',
    sql: 'SELECT g AS value FROM generate_series(1, 150) AS g',
    maxRows: 1_000,
    thresholds: [{ severity: 'critical', direction: 'above', value: 120 }],
  }),
  kpiFixture({
    name: 'many_series',
    datasource: 'bookings',
    sql: "SELECT 'slot-' || g AS slot, g AS value FROM generate_series(1, 150) AS g",
    dimensions: [{ column: 'slot', name: 'slot' }],
    maxSeries: 200,
    thresholds: [{ severity: 'critical', direction: 'above', value: 120 }],
  }),
  kpiFixture({
    name: 'many_metrics',
    datasource: 'bookings',
    sql: `SELECT ${WIDE_COLUMNS.map((column, index) => `${index + 1} AS ${column}`).join(', ')}`,
    values: WIDE_COLUMNS.map((column) => ({ column, metric: column, unit: 'Count' as const })),
    alarmOn: 'm1',
  }),
  kpiFixture({
    name: 'cities',
    datasource: 'bookings',
    sql: `SELECT * FROM (VALUES ('Zürich', 1), (NULL, 2), ('null', 3), (E'tab\\there', 4), ('100%', 5), ($$${LONG_EMOJI}$$, 6), ($$${EMOJI_AT_250}$$, 7)) AS t(city, value)`,
    dimensions: [{ column: 'city', name: 'city' }],
  }),
  kpiFixture({ name: 'huge', datasource: 'bookings', sql: 'SELECT 2::numeric ^ 400 AS value' }),
  kpiFixture({ name: 'not_a_number', datasource: 'bookings', sql: "SELECT 'NaN'::float8 AS value" }),
  kpiFixture({
    name: 'metric_named_kpi',
    datasource: 'bookings',
    sql: 'SELECT 1 AS value',
    values: [{ column: 'value', metric: 'Kpi', unit: 'None' }],
    alarmOn: 'Kpi',
  }),
  kpiFixture({
    name: 'metric_named_aws',
    datasource: 'bookings',
    sql: 'SELECT 1 AS value',
    values: [{ column: 'value', metric: '_aws', unit: 'None' }],
    alarmOn: '_aws',
  }),
];

describe('KPI runner handler', () => {
  let server: PostgresServer;
  let handler: typeof import('../../../functions/kpi/kpi-runner-handler').handler;
  const output: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeError = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    server = await startPostgres();
    await server.admin(`SET TIME ZONE 'UTC'; ${DEMO_SCHEMA}`);
    await server.admin(demoDataSql(Date.now()));
    await server.admin(`CREATE ROLE handler_reader LOGIN PASSWORD '${PASSWORD}'`);
    await server.admin('GRANT SELECT ON ALL TABLES IN SCHEMA public TO handler_reader');
    await server.admin("ALTER ROLE handler_reader SET timezone = 'UTC'");
    const secretId = `vigil/handler-reader-${Date.now()}`;
    await new SecretsManagerClient({}).send(
      new CreateSecretCommand({
        Name: secretId,
        SecretString: JSON.stringify({
          username: 'handler_reader',
          password: PASSWORD,
          host: server.host,
          port: server.port,
        }),
      }),
    );
    const config: KpiRunnerConfig = {
      app: 'flight-booking',
      groups: { 'every-1h': resolvedDemoKpis(), edge: edgeKpis() },
      datasources: {
        bookings: {
          type: 'postgres',
          name: 'bookings',
          secretId,
          ssl: 'disable',
          maxConnections: 4,
          database: 'postgres',
        },
      },
      concurrency: 4,
    };
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-kpi-handler-')), 'kpi-config.json');
    writeFileSync(file, JSON.stringify(config));
    process.env.VIGIL_KPI_CONFIG_FILE = file;
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'Vigil';
    process.env.VIGIL_APP = 'flight-booking';
    process.env.POWERTOOLS_SERVICE_NAME = 'flight-booking-kpi';
    process.env.POWERTOOLS_DEV = 'false';
    ({ handler } = await import('../../../functions/kpi/kpi-runner-handler'));
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      output.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    // Warnings and errors (failed and breached KPIs) are logged to stderr.
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      output.push(String(chunk));
      return (writeError as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
  });

  afterAll(async () => {
    process.stdout.write = write;
    process.stderr.write = writeError;
    await server?.stop();
  });

  it('runs the named group, publishes values, QueryDuration and QueryFailed as EMF, and never logs the password', async () => {
    // Act
    const summary = await handler({ group: 'every-1h' });

    // Assess
    expect(summary).toEqual({ group: 'every-1h', ok: 2, breached: 1, failed: 0 });
    const records = output
      .flatMap((text) => text.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) =>
          JSON.parse(line) as Record<string, unknown> & {
            _aws: {
              CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
            };
          },
      );
    const health = records.filter((record) => 'QueryFailed' in record);
    expect(health.map((record) => [record.Kpi, record.QueryFailed])).toEqual([
      ['conversion_rate', 0],
      ['daily_revenue', 0],
      ['customer_satisfaction', 0],
    ]);
    const revenueRows = records.filter((record) => 'revenue' in record);
    expect(revenueRows).toHaveLength(8);
    expect(revenueRows[0]!._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Vigil',
      Dimensions: [
        ['App', 'Kpi'],
        ['App', 'Kpi', 'date'],
      ],
    });
    expect(output.join('')).not.toContain(PASSWORD);
    expectValidEmf(emfLines(output.join('')));
  });

  it('rejects an event naming a group it does not run', async () => {
    await expect(handler({ group: 'every-5m' })).rejects.toThrow(
      "unknown KPI group 'every-5m' (this runner has: every-1h, edge)",
    );
  });

  it('rejects a group named like an Object property and an event without a group, naming event.group', async () => {
    await expect(handler({ group: 'constructor' })).rejects.toThrow(
      "event.group: unknown KPI group 'constructor' (this runner has: every-1h, edge)",
    );
    await expect(handler({} as never)).rejects.toThrow("event.group: unknown KPI group 'undefined'");
  });

  describe('rows at CloudWatch limits', () => {
    let lines: string[];
    let datapoints: ReturnType<typeof emfDatapoints>;
    let logs: Record<string, unknown>[];
    let summary: Awaited<ReturnType<typeof handler>>;
    const points = (kpi: string, metric: string, dimensions: string[] = ['App', 'Kpi']) =>
      datapoints.filter(
        (point) =>
          point.dimensions.Kpi === kpi &&
          point.metric === metric &&
          Object.keys(point.dimensions).join() === dimensions.join(),
      );
    const logOf = (kpi: string) => logs.find((entry) => entry.kpi === kpi)!;

    beforeAll(async () => {
      // Act
      const from = output.length;
      summary = await handler({ group: 'edge' });
      const text = output.slice(from).join('');
      lines = emfLines(text);
      datapoints = emfDatapoints(lines);
      logs = text
        .split('\n')
        .filter((line) => line.startsWith('{') && !line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    });

    it('prints only documents that satisfy the EMF specification', () => {
      // Assess
      expect(lines.length).toBeGreaterThan(0);
      expectValidEmf(lines);
      expect(summary).toEqual({ group: 'edge', ok: 2, breached: 2, failed: 4 });
    });

    it('publishes all 150 datapoints of one metric with their dimensions, so the alarm sees the breaching 150', () => {
      // Assess
      const rows = points('many_rows', 'value');
      expect(rows).toHaveLength(150);
      expect(Math.max(...rows.map((point) => point.value))).toBe(150);
      expect(logOf('many_rows')).toMatchObject({
        status: 'breached',
        breaches: [expect.objectContaining({ value: 150 })],
      });
      const series = points('many_series', 'value');
      expect(series).toHaveLength(150);
      expect(Math.max(...series.map((point) => point.value))).toBe(150);
      expect(points('many_series', 'value', ['App', 'Kpi', 'slot'])).toHaveLength(150);
      expect(datapoints.filter((point) => Object.keys(point.dimensions).length === 0)).toEqual([]);
    });

    it('publishes 120 metrics of one row in documents of at most 100, each with {App, Kpi}', () => {
      // Assess
      for (const column of WIDE_COLUMNS) expect(points('many_metrics', column)).toHaveLength(1);
      expect(points('many_metrics', 'm120')[0]?.value).toBe(120);
    });

    it('publishes odd dimension values normalised and distinct: Zürich, NULL vs null, a tab, %, a long emoji', () => {
      // Assess
      const cities = points('cities', 'value', ['App', 'Kpi', 'city']).map((point) => point.dimensions.city);
      expect(cities).toHaveLength(7);
      expect(cities.slice(0, 5)).toEqual(['Z%C3%BCrich', '%null', 'null', 'tab%09here', '100%25']);
      expect(cities[5]).toMatch(/^x{1014}%~[0-9a-f]{8}$/);
      expect(cities[5]).toHaveLength(1024);
      expect(cities[6]).toBe(`${'x'.repeat(249)}%F0%9F%98%80`);
      expect(points('cities', 'value')).toHaveLength(7);
    });

    it.each([
      ['huge', /column 'value' in row 1 is 2\.582e\+120: it is beyond ±2\^360/],
      ['not_a_number', /column 'value' in row 1 is NaN/],
      ['metric_named_kpi', /metric name 'Kpi' is also a dimension name/],
      ['metric_named_aws', /metric name '_aws' is reserved by the embedded metric format/],
    ])('fails KPI %s with a clear error and publishes QueryFailed = 1, never its value', (kpi, error) => {
      // Assess
      expect(logOf(kpi)).toMatchObject({ status: 'failed', error: expect.stringMatching(error) });
      expect(points(kpi, 'QueryFailed').map((point) => point.value)).toEqual([1]);
      const published = new Set(
        datapoints.filter((point) => point.dimensions.Kpi === kpi).map((point) => point.metric),
      );
      expect([...published].sort()).toEqual(['QueryDuration', 'QueryFailed']);
    });
  });
});
