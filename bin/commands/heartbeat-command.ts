import { parseArgs } from 'node:util';
import { createAwsSecretBackend } from '../../functions/commons/aws-secret-backend';
import type { SecretBackend } from '../../functions/commons/secret-resolver';
import {
  heartbeatSecretName,
  heartbeatUrlParameter,
} from '../../functions/heartbeats/types/heartbeat-config';
import { type CliCommand, type CliIO, EXIT } from './cli-command';
import { loadCliConfig } from './load-cli-config';

const USAGE = `Usage: vigil heartbeat url NAME [--config F] [--endpoint URL]
       vigil heartbeat ping NAME [--start | --fail | --exit-code N] [--body TEXT] [--config F] [--endpoint URL]

url   prints the heartbeat's ping URL (the deployed endpoint, from SSM, with the token from Secrets Manager),
      to put in a crontab:  0 2 * * * /opt/export.sh && curl -fsS -m 10 --retry 3 "$(vigil heartbeat url NAME)"
ping  pings it once: success, or --start (a run begins), --fail, --exit-code N (0 is success).
  --config F      config file (default: vigil.config.ts, .js or .json in the current directory)
  --endpoint URL  base URL of the ping endpoint instead of the deployed one (e.g. npm start's)
  --body TEXT     send TEXT as the run's output (POST; kept redacted and truncated)
Exit code: 0; 1 when AWS or the endpoint cannot be reached or the ping is refused; 2 for invalid usage.`;

/** Ports of the heartbeat command: where tokens and the endpoint come from, and how to ping. */
export interface HeartbeatCommandPorts {
  readonly secrets: SecretBackend;
  readonly fetch: typeof fetch;
}

/** The ping URL of a heartbeat: `<endpoint>/ping/<name>/<token>`. */
const pingUrl = async (
  app: string,
  name: string,
  endpoint: string | undefined,
  ports: HeartbeatCommandPorts,
): Promise<string> => {
  const base = endpoint ?? (await ports.secrets.ssm(heartbeatUrlParameter(app)));
  const token = await ports.secrets.secretsManager(heartbeatSecretName(app, name));
  return `${base.replace(/\/+$/, '')}/ping/${name}/${encodeURIComponent(token)}`;
};

const suffixOf = (values: {
  start?: boolean;
  fail?: boolean;
  'exit-code'?: string;
}): string | { error: string } => {
  const given = [values.start, values.fail, values['exit-code'] !== undefined].filter(Boolean).length;
  if (given > 1) return { error: 'give at most one of --start, --fail and --exit-code' };
  if (values.start) return '/start';
  if (values.fail) return '/fail';
  const code = values['exit-code'];
  if (code === undefined) return '';
  if (!/^\d{1,3}$/.test(code) || Number(code) > 255) return { error: `--exit-code '${code}' is not 0-255` };
  return `/${Number(code)}`;
};

/** Runs `vigil heartbeat` with its ports (tests pass their own). */
export const runHeartbeatCommand = async (
  argv: readonly string[],
  io: CliIO,
  ports: HeartbeatCommandPorts,
): Promise<number> => {
  let parsed: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        endpoint: { type: 'string' },
        body: { type: 'string' },
        start: { type: 'boolean' },
        fail: { type: 'boolean' },
        'exit-code': { type: 'string' },
      },
    });
  try {
    parsed = parse();
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.invalid;
  }
  const [action, name, ...extra] = parsed.positionals;
  if ((action !== 'url' && action !== 'ping') || name === undefined || extra.length > 0) {
    io.stderr(`${USAGE}\n`);
    return EXIT.invalid;
  }
  const suffix = action === 'ping' ? suffixOf(parsed.values) : '';
  if (typeof suffix !== 'string') {
    io.stderr(`${suffix.error}\n`);
    return EXIT.invalid;
  }
  const loaded = loadCliConfig(io, parsed.values.config, undefined);
  if (!loaded) return EXIT.invalid;
  const names = loaded.config.heartbeats.map((heartbeat) => heartbeat.name);
  if (!names.includes(name)) {
    io.stderr(
      `unknown heartbeat '${name}': ${names.length > 0 ? `choose one of ${names.join(', ')}` : `${loaded.file} has no heartbeats`}\n`,
    );
    return EXIT.invalid;
  }
  let url: string;
  try {
    url = await pingUrl(loaded.config.app, name, parsed.values.endpoint, ports);
  } catch (error) {
    // The message names the secret or parameter, never a value.
    io.stderr(`cannot build the ping URL of '${name}': ${(error as Error).message}\n`);
    return EXIT.failed;
  }
  if (action === 'url') {
    io.stdout(`${url}\n`);
    return EXIT.ok;
  }
  try {
    const body = parsed.values.body;
    const response = await ports.fetch(`${url}${suffix}`, {
      method: body !== undefined ? 'POST' : 'GET',
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    if (response.status !== 200) {
      io.stderr(
        `ping of '${name}' refused (HTTP ${response.status}): is the token current and the name deployed?\n`,
      );
      return EXIT.failed;
    }
    io.stdout(`pinged '${name}'${suffix !== '' ? ` (${suffix.slice(1)})` : ''}\n`);
    return EXIT.ok;
  } catch (error) {
    io.stderr(`cannot reach the ping endpoint for '${name}': ${(error as Error).name}\n`);
    return EXIT.failed;
  }
};

/** `vigil heartbeat`: a heartbeat's ping URL for a crontab, or one ping. */
export const heartbeatCommand: CliCommand = {
  usage: USAGE,
  run: (argv, io) => runHeartbeatCommand(argv, io, { secrets: createAwsSecretBackend(), fetch }),
};
