/**
 * Runs the demo flight-booking API until Ctrl-C: `npx tsx examples/flight-api/main.ts [--port N]`.
 * See README.md beside this file for routes and fault injection.
 */
import { FaultsValidationError, FlightApiArgsError } from './errors';
import { FLIGHT_API_USAGE, parseFlightApiArgs } from './flight-api-args';
import { startFlightApi } from './start-flight-api';

const run = async (): Promise<number> => {
  let args: ReturnType<typeof parseFlightApiArgs>;
  try {
    args = parseFlightApiArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof FlightApiArgsError || error instanceof FaultsValidationError)) throw error;
    console.error(`${error.message}\n\n${FLIGHT_API_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(FLIGHT_API_USAGE);
    return 0;
  }
  const api = await startFlightApi({
    port: args.port,
    host: args.host,
    faults: args.faults,
    log: console.log,
  });
  console.log(`Flight API listening on ${api.url}`);
  const faults = api.faults.get();
  if (Object.keys(faults).length > 0) console.log(`faults: ${JSON.stringify(faults)}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await api.close();
  console.log('Flight API stopped');
  return 0;
};

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
