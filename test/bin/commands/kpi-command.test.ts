import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kpiCommand } from '../../../bin/commands/kpi-command';
import { demoKpis } from '../../../examples/demo-kpis';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { resolveKpis } from '../../../functions/commons/config/resolve-kpis';
import { createEmfWriter } from '../../../functions/commons/metrics';
import { createDemoDatasource } from '../../../functions/kpi/demo/create-demo-datasource';
import { publishKpi } from '../../../functions/kpi/kpi-metric-records';
import { runKpis } from '../../../functions/kpi/run-kpis';
import { emfDatapoints, expectValidEmf } from '../../helpers/emf-spec';

const dir = mkdtempSync(join(tmpdir(), 'vigil-kpi-cli-'));
const configFile = (name: string, config: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
};
const valid = configFile('vigil.config.json', {
  app: 'flight-booking',
  environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
  ...demoKpis,
});

const runCli = async (argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await kpiCommand.run(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: dir,
    env: {},
  });
  return { code, stdout, stderr };
};

describe('vigil kpi', () => {
  it('prints as breached exactly the rows the EMF documents carry to the alarm, past 100 rows', async () => {
    // Prepare: 150 rows whose worst (150) is the 150th, over the limit where rows used to lose dimensions.
    const config = {
      app: 'shop',
      environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
      datasources: { demo: { type: 'postgres', secret: { secretsManager: 'unused' } } },
      kpis: [
        {
          name: 'queue_depth',
          datasource: 'demo',
          sql: 'SELECT g AS depth FROM generate_series(1, 150) AS g',
          values: ['depth'],
          thresholds: { critical: { above: 120 } },
        },
      ],
    };
    const file = configFile('many-rows.json', config);

    // Act
    const { code, stdout } = await runCli(['--config', file, '--json']);
    const datasource = await createDemoDatasource();
    const lines: string[] = [];
    try {
      const writer = createEmfWriter({ namespace: 'Vigil', sink: (line) => lines.push(line) });
      for (const result of await runKpis(resolveKpis(parseConfig(config)), { datasource })) {
        writer.write(publishKpi('shop', result, writer.serialize).lines);
      }
    } finally {
      await datasource.close();
    }

    // Assess
    const printed = (
      JSON.parse(stdout) as { results: { values: { value: number }[]; breaches: unknown[] }[] }
    ).results[0]!;
    expect(code).toBe(1);
    expect(printed.breaches).toEqual([{ severity: 'critical', threshold: 120, value: 150 }]);
    expectValidEmf(lines);
    const alarmed = emfDatapoints(lines).filter(
      (point) => point.metric === 'depth' && Object.keys(point.dimensions).join() === 'App,Kpi',
    );
    expect(alarmed.map((point) => point.value)).toEqual(printed.values.map((value) => value.value));
    expect(Math.max(...alarmed.map((point) => point.value))).toBe(150);
  });

  it('prints the documented JSON shape from the embedded demo data and exits 1 for the breach', async () => {
    // Act
    const { code, stdout } = await runCli(['--config', valid, '--json']);

    // Assess
    const output = JSON.parse(stdout) as { results: Record<string, unknown>[] };
    expect(code).toBe(1);
    expect(output.results.map((result) => [result.name, result.status])).toEqual([
      ['conversion_rate', 'ok'],
      ['daily_revenue', 'breached'],
      ['customer_satisfaction', 'ok'],
    ]);
    for (const result of output.results) {
      expect(Object.keys(result)).toEqual(['name', 'status', 'values', 'breaches', 'durationMs', 'error']);
    }
    const revenue = output.results[1] as {
      values: Record<string, unknown>[];
      breaches: Record<string, unknown>[];
    };
    expect(Object.keys(revenue.values[0]!)).toEqual(['metric', 'value', 'unit', 'dimensions']);
    expect(revenue.breaches[0]).toEqual({
      severity: 'critical',
      threshold: 30_000,
      value: expect.any(Number),
    });
  });

  it('exits 0 with a readable table when the selected KPIs are fine', async () => {
    // Act
    const { code, stdout } = await runCli(['--only', 'conversion_rate', '--only', 'customer_satisfaction']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^STATUS\s+KPI\s+TIME\s+VALUES$/m);
    expect(stdout).toMatch(/^OK\s+conversion_rate\s+\d+ ms\s+conversion_rate=\d+\.\d+$/m);
    expect(stdout).toContain('2 KPIs: 2 ok, 0 breached, 0 failed');
  });

  it('exits 2 with every problem listed for an invalid config', async () => {
    // Prepare
    const invalid = configFile('invalid.json', {
      app: 'x',
      environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
      kpis: [{ name: 'k', datasource: 'missing', sql: 'SELECT :p AS v', values: ['v'] }],
    });

    // Act
    const { code, stderr } = await runCli(['--config', invalid]);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain("kpis[0].datasource: unknown datasource 'missing'");
    expect(stderr).toContain("kpis[0].sql: the SQL uses ':p'");
  });

  it('exits 2 for an unknown KPI, environment or a malformed database URL, without echoing the URL', async () => {
    // Act
    const only = await runCli(['--only', 'nope']);
    const env = await runCli(['--env', 'staging']);
    const url = await runCli(['--database-url', 'mysql://user:S3cret-pw@host/db']);

    // Assess
    expect([only.code, env.code, url.code]).toEqual([2, 2, 2]);
    expect(only.stderr).toContain("unknown KPI 'nope'");
    expect(env.stderr).toContain("unknown environment 'staging'");
    expect(url.stderr).not.toContain('S3cret-pw');
  });
});
