import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BookingStore } from './booking-store';
import { FlightApiStartError } from './errors';
import { FaultController, type Faults } from './fault-controller';
import { createFlightApiRouter } from './flight-api-router';

/** Options of {@link startFlightApi}. */
export interface FlightApiOptions {
  /** Port to listen on; 0 picks a free one. @default 4010 */
  readonly port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Faults active from the start. @default no faults */
  readonly faults?: Faults;
  /** Receives one line per request and per fault change; never bodies or credentials. @default no logging */
  readonly log?: (line: string) => void;
}

/** A running demo flight-booking API. */
export interface FlightApi {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  /** Injects and clears faults in-process; the same state `/__faults` shows. */
  readonly faults: FaultController;
  /** Stops listening, drops open connections and cuts injected latency short. Safe to call twice. */
  close(): Promise<void>;
}

/** Port the demo API listens on by default. */
export const DEFAULT_FLIGHT_API_PORT = 4010;

/**
 * Starts the bundled demo target: a small in-memory flight-booking API with the seeds' health probes,
 * flight search, user registration and bookings, plus fault injection. Data is deterministic, so the
 * same search always returns the same flights.
 *
 * @throws {@link FaultsValidationError} when `options.faults` is invalid.
 * @throws {@link FlightApiStartError} when the server cannot listen (port in use, bad host).
 * @example
 * const api = await startFlightApi({ port: 0 });
 * await fetch(`${api.url}/api/flights?from=LAX&to=JFK&date=2024-06-01`);
 * api.faults.set({ down: ['redis'] }); // /health/ready now answers 503
 * await api.close();
 */
export const startFlightApi = async (options: FlightApiOptions = {}): Promise<FlightApi> => {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? DEFAULT_FLIGHT_API_PORT;
  const faults = new FaultController(options.faults);
  const closing = new AbortController();
  const server = createServer(
    createFlightApiRouter({
      store: new BookingStore(),
      faults,
      startedAt: Date.now(),
      signal: closing.signal,
      log: options.log ?? (() => {}),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new FlightApiStartError(`flight API cannot listen on ${host}:${requestedPort}: ${error.message}`, {
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(requestedPort, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    faults,
    close: () => {
      if (!closing.signal.aborted) {
        closing.abort();
        server.close();
        server.closeAllConnections();
      }
      return closed;
    },
  };
};
