import { FlightApiArgsError } from './errors';
import { type Dependency, type Faults, parseFaults, type RouteFault } from './fault-controller';
import { DEFAULT_FLIGHT_API_PORT } from './start-flight-api';

/** What `main.ts` runs with, from its arguments and environment. */
export interface FlightApiArgs {
  readonly port: number;
  readonly host: string;
  readonly faults: Faults;
  /** `--help` was given: print usage and exit. */
  readonly help: boolean;
}

/** Usage text of `examples/flight-api/main.ts`. */
export const FLIGHT_API_USAGE = `Usage: npx tsx examples/flight-api/main.ts [--port N] [--host H] [--fault SPEC]...

  --port N        port to listen on, 0 for any free port (default ${DEFAULT_FLIGHT_API_PORT})
  --host H        interface to listen on (default 127.0.0.1)
  --fault SPEC    inject a fault; repeatable:
                    down=redis[,payments,database]   report dependencies down
                    latency=800                      add 800 ms to every answer
                    'POST /api/bookings=500'         answer this route with status 500

  VIGIL_DEMO_FAULTS='{"down":["redis"]}' sets faults as JSON; --fault flags are applied on top.
  Change faults while running: curl -X PUT localhost:${DEFAULT_FLIGHT_API_PORT}/__faults -d '{"latencyMs":800}'`;

const ROUTE_SPEC = /^([A-Za-z]+ \/\S*)=(\d{3})$/;

const applyFault = (faults: Faults, spec: string): Faults => {
  const route = ROUTE_SPEC.exec(spec);
  if (route) {
    const routes: Record<string, RouteFault> = { ...faults.routes };
    routes[route[1]] = { ...routes[route[1]], status: Number(route[2]) };
    return { ...faults, routes };
  }
  const [name, value = ''] = spec.split(/=(.*)/s);
  if (name === 'down' && value !== '') {
    const down = new Set<Dependency>(faults.down);
    for (const dependency of value.split(',')) down.add(dependency.trim() as Dependency);
    return { ...faults, down: [...down] };
  }
  if (name === 'latency' && /^\d+(ms)?$/.test(value))
    return { ...faults, latencyMs: Number.parseInt(value, 10) };
  throw new FlightApiArgsError(
    `--fault '${spec}' is not understood: use down=redis, latency=800 or 'POST /api/bookings=500'`,
  );
};

const parseEnvFaults = (text: string | undefined): Faults => {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FlightApiArgsError(`VIGIL_DEMO_FAULTS is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseFaults(value, 'VIGIL_DEMO_FAULTS');
};

/**
 * Reads `main.ts`'s arguments (`--port`, `--host`, `--fault`, `--help`) and the `VIGIL_DEMO_FAULTS`
 * variable. Faults from the variable come first; each `--fault` is applied on top.
 *
 * @throws {@link FlightApiArgsError} on an unknown flag or a malformed value.
 * @throws {@link FaultsValidationError} when the resulting faults are invalid (`down=mongo`).
 * @example
 * parseFlightApiArgs(['--port', '0', '--fault', 'down=redis'], {});
 * // { port: 0, host: '127.0.0.1', faults: { down: ['redis'] }, help: false }
 */
export const parseFlightApiArgs = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): FlightApiArgs => {
  let port = DEFAULT_FLIGHT_API_PORT;
  let host = '127.0.0.1';
  let help = false;
  let faults = parseEnvFaults(env.VIGIL_DEMO_FAULTS);
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = argv[index].startsWith('--') ? argv[index].split(/=(.*)/s) : [argv[index]];
    const value = (): string => {
      const next = inline ?? argv[++index];
      if (next === undefined) throw new FlightApiArgsError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--port': {
        const text = value();
        port = Number(text);
        if (!/^\d+$/.test(text) || port > 65_535) {
          throw new FlightApiArgsError(`--port must be a port number from 0 to 65535, got '${text}'`);
        }
        break;
      }
      case '--host':
        host = value();
        break;
      case '--fault':
        faults = applyFault(faults, value());
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new FlightApiArgsError(`unknown argument '${argv[index]}'`);
    }
  }
  return { port, host, faults: parseFaults(faults, 'faults from --fault'), help };
};
