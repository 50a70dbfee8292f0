import { parseArgs } from 'node:util';
import {
  type Faults,
  FaultsValidationError,
  FlightApiArgsError,
  parseFlightApiArgs,
} from '../examples/flight-api';
import { parseDuration } from '../functions/commons/config/duration';
import { EXIT } from './commands/cli-command';
import { startLocalMode } from './local/local-mode';

const USAGE = `Usage: npm start -- [--config F] [--port N] [--ack-port N] [--fault SPEC]... [--interval DUR] [--once]

Starts the bundled demo flight API and the embedded demo KPI database, and runs Vigil's checks and KPIs
on their schedules, locally.
  --config F      config file (default: vigil.config.ts)
  --port N        demo API port (default 4010; 0 = any free port)
  --ack-port N    port serving the ack links in pages (default 4011, or any free port if taken)
  --fault SPEC    inject a fault from the start: down=redis | latency=800 | 'POST /api/bookings=500'
  --interval DUR  run everything every DUR (e.g. 10s) instead of the configured schedules
  --once          run every check and KPI once, print, exit (0 all fine, 1 a check failed or a KPI breached)
Change faults while it runs: curl -X PUT localhost:4010/__faults -d '{"down":["redis"]}'. Ctrl-C stops.`;

const main = async (): Promise<number> => {
  let values: {
    config?: string;
    port?: string;
    'ack-port'?: string;
    fault?: string[];
    interval?: string;
    once?: boolean;
    help?: boolean;
  };
  let faults: Faults;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        'ack-port': { type: 'string' },
        fault: { type: 'string', multiple: true },
        interval: { type: 'string' },
        once: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
    faults = parseFlightApiArgs(
      (values.fault ?? []).flatMap((spec) => ['--fault', spec]),
      process.env,
    ).faults;
  } catch (error) {
    if (
      error instanceof FlightApiArgsError ||
      error instanceof FaultsValidationError ||
      error instanceof TypeError
    ) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return EXIT.invalid;
    }
    throw error;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const intervalMs = values.interval !== undefined ? parseDuration(values.interval) : undefined;
  if (values.interval !== undefined && (intervalMs === undefined || intervalMs < 1000)) {
    process.stderr.write(`--interval '${values.interval}' must be a duration of at least 1s, e.g. 10s\n`);
    return EXIT.invalid;
  }
  const portOf = (flag: string, value: string | undefined): number | undefined | null => {
    if (value === undefined) return undefined;
    const number = Number(value);
    if (Number.isInteger(number) && number >= 0 && number <= 65535) return number;
    process.stderr.write(`--${flag} '${value}' must be 0-65535\n`);
    return null;
  };
  const port = portOf('port', values.port);
  const ackPort = portOf('ack-port', values['ack-port']);
  if (port === null || ackPort === null) return EXIT.invalid;
  const controller = new AbortController();
  const local = await startLocalMode({
    io: {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      cwd: process.cwd(),
      env: process.env,
      signal: controller.signal,
    },
    port: port ?? 4010,
    ...(ackPort !== undefined ? { ackPort } : {}),
    faults,
    ...(values.config !== undefined ? { configPath: values.config } : {}),
    ...(intervalMs !== undefined ? { intervalMs } : {}),
  });
  if (!local) return EXIT.invalid;
  if (values.once) {
    const round = await local.runOnce();
    await local.stop();
    const failed = round.checks.some((result) => result.status === 'failed');
    return failed || round.kpis.some((result) => result.status !== 'ok') ? EXIT.failed : EXIT.ok;
  }
  local.startSchedules();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('\nstopping...\n');
  controller.abort();
  await local.stop();
  return EXIT.ok;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
