import { parseArgs } from 'node:util';
import { resolveChecks } from '../../functions/commons/config/resolve-config';
import { createSecretResolver } from '../../functions/commons/secret-resolver';
import { reuseConnectionsFor, runChecks } from '../../functions/synthetics/engine';
import { formatCheckLine, formatCheckTable } from './check-report';
import { type CliCommand, EXIT } from './cli-command';
import { loadCliConfig } from './load-cli-config';
import { createLocalSecretBackend } from './local-secret-backend';

const USAGE = `Usage: vigil check [--config F] [--env NAME] [--base-url URL] [--only NAME[,NAME]] [--json]

Runs the checks once, locally, with the same engine the Lambda runs.
  --config F      config file (default: vigil.config.ts, .js or .json in the current directory)
  --env NAME      environment whose baseUrl the checks target (default: local, else the first)
  --base-url URL  override the environment's baseUrl
  --only NAMES    run only these checks (comma-separated, repeatable)
  --json          print { "results": [...] } instead of a table
Secrets come from VIGIL_SECRET_<NAME> environment variables locally.
Exit code: 0 nothing failed, 1 a check failed, 2 invalid config or usage.`;

/** `vigil check`: run the checks once locally. */
export const checkCommand: CliCommand = {
  usage: USAGE,
  async run(argv, io) {
    let values: { config?: string; env?: string; 'base-url'?: string; only?: string[]; json?: boolean };
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: {
          config: { type: 'string' },
          env: { type: 'string' },
          'base-url': { type: 'string' },
          only: { type: 'string', multiple: true },
          json: { type: 'boolean', default: false },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
      return EXIT.invalid;
    }
    const loaded = loadCliConfig(io, values.config, values.env, values['base-url']);
    if (!loaded) return EXIT.invalid;
    const all = resolveChecks(loaded.config);
    const only = values.only
      ?.flatMap((item) => item.split(','))
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = only?.filter((name) => !all.some((check) => check.name === name)) ?? [];
    if (unknown.length > 0) {
      io.stderr(
        `--only names unknown checks: ${unknown.join(', ')} (have: ${all.map((c) => c.name).join(', ')})\n`,
      );
      return EXIT.invalid;
    }
    const checks = only ? all.filter((check) => only.includes(check.name)) : all;
    if (!values.json)
      io.stdout(`Running ${checks.length} checks against ${loaded.baseUrl} (${loaded.environment})\n`);
    const results = await runChecks(checks, {
      baseUrl: loaded.baseUrl,
      variables: loaded.variables,
      concurrency: loaded.config.runner.concurrency,
      reuseConnections: reuseConnectionsFor(loaded.config.runner.connections),
      secrets: createSecretResolver(loaded.config.secrets, createLocalSecretBackend(io.env)),
      location: 'local',
      ...(io.signal ? { signal: io.signal } : {}),
      ...(values.json ? {} : { onResult: (result) => io.stdout(`${formatCheckLine(result)}\n`) }),
    });
    if (values.json) {
      io.stdout(`${JSON.stringify({ results }, null, 2)}\n`);
    } else {
      io.stdout(`\n${formatCheckTable(results).split('\n').at(-1)}\n`);
    }
    return results.some((result) => result.status === 'failed') ? EXIT.failed : EXIT.ok;
  },
};
