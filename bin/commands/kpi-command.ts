import { parseArgs } from 'node:util';
import { resolveKpis } from '../../functions/commons/config/resolve-kpis';
import type { VigilConfig } from '../../functions/commons/config/schema';
import { parseDatabaseUrl, staticCredentials } from '../../functions/kpi/datasources/pg-credentials';
import { createPgDatasource } from '../../functions/kpi/datasources/pg-datasource';
import { createDemoDatasource } from '../../functions/kpi/demo/create-demo-datasource';
import { asPublished } from '../../functions/kpi/kpi-metric-records';
import { runKpis } from '../../functions/kpi/run-kpis';
import type { KpiDatasource } from '../../functions/kpi/types/ports';
import type { KpiResult } from '../../functions/kpi/types/results';
import { type CliCommand, type CliIO, EXIT } from './cli-command';
import { loadCliConfigFile } from './load-cli-config';

const USAGE = `Usage: vigil kpi [--config F] [--database-url URL] [--only NAME] [--json] [--env NAME]

Runs the config's KPIs once and prints their values and breached thresholds.
  --config F          config file (default: vigil.config.ts, .js or .json in the current directory)
  --database-url URL  postgres://user:password@host:5432/db[?sslmode=require] (default: the embedded demo data)
  --only NAME         run only this KPI (repeatable)
  --json              print {"results":[...]} instead of a table
  --env NAME          an environment of the config (checked; KPIs do not depend on it)
Exit code: 0 all ok, 1 a KPI failed or breached, 2 invalid config or usage.`;

/** The JSON shape `vigil kpi --json` prints for one KPI. */
export interface KpiJsonResult {
  readonly name: string;
  readonly status: KpiResult['status'];
  readonly values: { metric: string; value: number; unit: string; dimensions: Record<string, string> }[];
  readonly breaches: { severity: string; threshold: number; value: number | null }[];
  readonly durationMs: number;
  readonly error: string | null;
}

/** Maps an engine result to the documented `--json` shape, exactly. */
export const toKpiJson = (result: KpiResult): KpiJsonResult => ({
  name: result.name,
  status: result.status,
  values: result.values.map((value) => ({
    metric: value.metric,
    value: value.value,
    unit: value.unit,
    dimensions: { ...value.dimensions },
  })),
  breaches: result.breaches.map((breach) => ({
    severity: breach.severity,
    threshold: breach.threshold,
    value: breach.value,
  })),
  durationMs: Math.round(result.durationMs * 10) / 10,
  error: result.error,
});

const formatNumber = (value: number) =>
  Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) >= 100 ? 0 : 2);

/** Renders results as a plain-text table, one line per KPI plus one per breach or error. */
export const formatKpiTable = (results: readonly KpiResult[]): string => {
  const rows = results.map((result) => {
    const shown = result.values.slice(0, 4).map((value) => {
      const dims = Object.values(value.dimensions);
      return `${value.metric}${dims.length ? `[${dims.join(',')}]` : ''}=${formatNumber(value.value)}`;
    });
    const more = result.values.length > 4 ? ` (+${result.values.length - 4} more)` : '';
    return [
      result.status.toUpperCase(),
      result.name,
      `${Math.round(result.durationMs)} ms`,
      result.values.length === 0 && result.status !== 'failed' ? '(no data)' : shown.join(' ') + more,
    ];
  });
  const widths = [0, 1, 2].map((column) =>
    Math.max(['STATUS', 'KPI', 'TIME'][column]!.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index < 3 ? cell.padEnd(widths[index]!) : cell))
      .join('  ')
      .trimEnd();
  const out = [line(['STATUS', 'KPI', 'TIME', 'VALUES'])];
  results.forEach((result, index) => {
    out.push(line(rows[index]!));
    for (const breach of result.breaches) {
      const where = Object.entries(breach.dimensions)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ');
      out.push(
        `    ${breach.severity}: ${breach.value === null ? 'no data' : formatNumber(breach.value)} is ${breach.direction} ${formatNumber(breach.threshold)}${where ? ` (${where})` : ''}`,
      );
    }
    if (result.error) out.push(`    error: ${result.error}`);
  });
  const count = (status: KpiResult['status']) => results.filter((result) => result.status === status).length;
  out.push(
    '',
    `${results.length} KPIs: ${count('ok')} ok, ${count('breached')} breached, ${count('failed')} failed`,
  );
  return `${out.join('\n')}\n`;
};

const run = async (argv: readonly string[], io: CliIO): Promise<number> => {
  let args: ReturnType<typeof parse>;
  const parse = (input: readonly string[]) =>
    parseArgs({
      args: [...input],
      options: {
        config: { type: 'string' },
        'database-url': { type: 'string' },
        only: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        env: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    });
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT.invalid;
  }
  if (args.values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  let config: VigilConfig;
  try {
    config = loadCliConfigFile(args.values.config, io.cwd).config;
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    // Invalid config (every problem listed) or no config file: both are usage errors.
    return EXIT.invalid;
  }
  if (args.values.env !== undefined && !Object.hasOwn(config.environments, args.values.env)) {
    io.stderr(
      `unknown environment '${args.values.env}' (known: ${Object.keys(config.environments).join(', ')})\n`,
    );
    return EXIT.invalid;
  }
  let kpis = resolveKpis(config);
  const only = args.values.only ?? [];
  if (only.length > 0) {
    const unknown = only.filter((name) => !kpis.some((kpi) => kpi.name === name));
    if (unknown.length > 0) {
      io.stderr(
        `unknown KPI ${unknown.map((name) => `'${name}'`).join(', ')} (known: ${kpis.map((kpi) => kpi.name).join(', ')})\n`,
      );
      return EXIT.invalid;
    }
    kpis = kpis.filter((kpi) => only.includes(kpi.name));
  }
  if (kpis.length === 0) {
    io.stderr('no KPIs in the config: add some under `kpis`\n');
    return EXIT.invalid;
  }

  let datasource: KpiDatasource;
  const url = args.values['database-url'] ?? undefined;
  if (url !== undefined) {
    let parsed: ReturnType<typeof parseDatabaseUrl>;
    try {
      parsed = parseDatabaseUrl(url);
    } catch (error) {
      io.stderr(`--database-url: ${(error as Error).message}\n`);
      return EXIT.invalid;
    }
    datasource = createPgDatasource({
      name: 'database-url',
      credentials: staticCredentials(parsed.login),
      ssl: parsed.ssl,
      maxConnections: Math.min(8, kpis.length),
    });
  } else {
    datasource = await createDemoDatasource();
  }
  try {
    // As the deployed runner reports them: what prints as breached is what the EMF documents carry.
    const results = asPublished(
      config.app,
      await runKpis(kpis, { datasource, concurrency: 8, signal: io.signal }),
    );
    io.stdout(
      args.values.json
        ? `${JSON.stringify({ results: results.map(toKpiJson) }, null, 2)}\n`
        : formatKpiTable(results),
    );
    return results.every((result) => result.status === 'ok') ? EXIT.ok : EXIT.failed;
  } finally {
    await datasource.close();
  }
};

/**
 * `vigil kpi`: runs the KPIs once, locally, with the same engine as the Lambda — against
 * `--database-url`, or the embedded PGlite demo data by default.
 */
export const kpiCommand: CliCommand = {
  usage: USAGE,
  run,
};
