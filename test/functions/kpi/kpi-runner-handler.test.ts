import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DEMO_SCHEMA, demoDataSql } from '../../../functions/kpi/demo/demo-data';
import type { KpiRunnerConfig } from '../../../functions/kpi/types/runner-config';
import { resolvedDemoKpis } from './helpers/demo-kpis';
import { type PostgresServer, startPostgres } from './helpers/postgres-server';

const PASSWORD = 'handler-Reader-pw-9f3a';

describe('KPI runner handler', () => {
  let server: PostgresServer;
  let handler: typeof import('../../../functions/kpi/kpi-runner-handler').handler;
  const output: string[] = [];
  const write = process.stdout.write.bind(process.stdout);

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
      groups: { 'every-1h': resolvedDemoKpis() },
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
    process.env.POWERTOOLS_SERVICE_NAME = 'flight-booking-kpi';
    process.env.POWERTOOLS_DEV = 'false';
    ({ handler } = await import('../../../functions/kpi/kpi-runner-handler'));
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      output.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  });

  afterAll(async () => {
    process.stdout.write = write;
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
  });

  it('rejects an event naming a group it does not run', async () => {
    await expect(handler({ group: 'every-5m' })).rejects.toThrow(
      "unknown KPI group 'every-5m' (this runner has: every-1h)",
    );
  });
});
