import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { BookingStore, Passenger, User } from './booking-store';
import { FaultsValidationError } from './errors';
import { DEPENDENCIES, type FaultController } from './fault-controller';
import { findFlight, searchFlights } from './flight-catalog';
import { type Reply, readJsonBody, sendReply } from './http-io';

/** What the router needs: the state it serves and where it logs. */
export interface FlightApiRouterDeps {
  readonly store: BookingStore;
  readonly faults: FaultController;
  /** When the server started, for `/health/startup`. */
  readonly startedAt: number;
  /** Aborted when the server closes, cutting injected latency short. */
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

interface RequestContext {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
}

interface Route {
  readonly method: string;
  /** The route as written in fault keys: `/api/bookings/:id`. */
  readonly pattern: string;
  readonly regex: RegExp;
  readonly handle: (context: RequestContext) => Reply | Promise<Reply>;
}

interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_PASSENGERS = 9;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const now = (): string => new Date().toISOString();

const invalid = (issues: readonly FieldIssue[]): Reply => ({
  status: 400,
  body: { error: issues.map((issue) => issue.message).join('; '), issues },
});

const checkName = (value: unknown, field: string, issues: FieldIssue[]): string => {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name.length === 0 || name.length > 100) {
    issues.push({ field, message: `${field} must be a non-empty string of at most 100 characters` });
  }
  return name;
};

const unauthorized: Reply = {
  status: 401,
  body: { error: 'missing or invalid bearer token' },
  headers: { 'www-authenticate': 'Bearer' },
};

/** Compiles `/api/bookings/:id` into a regex with named groups. */
const compile = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/:([a-zA-Z]+)/g, '(?<$1>[^/]+)')}$`);

/**
 * Builds the demo API's request handler: health probes, flight search, users, bookings and the
 * `/__faults` admin routes, with fault injection applied before each route runs.
 */
export const createFlightApiRouter = (
  deps: FlightApiRouterDeps,
): ((req: IncomingMessage, res: ServerResponse) => Promise<void>) => {
  const { store, faults } = deps;

  const authenticate = (req: IncomingMessage): User | undefined => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return match ? store.userForToken(match[1]) : undefined;
  };

  const withJsonObject = async (req: IncomingMessage, use: (body: Record<string, unknown>) => Reply) => {
    const body = await readJsonBody(req);
    if (!body.ok) return body.reply;
    if (!isRecord(body.value)) return { status: 400, body: { error: 'request body must be a JSON object' } };
    return use(body.value);
  };

  const table: Omit<Route, 'regex'>[] = [
    {
      method: 'GET',
      pattern: '/health/live',
      handle: () => ({ status: 200, body: { status: 'ok', timestamp: now() } }),
    },
    {
      method: 'GET',
      pattern: '/health/ready',
      handle: () => {
        const checks = Object.fromEntries(
          DEPENDENCIES.map((name) => [name, faults.isDown(name) ? 'down' : 'ok']),
        );
        const ready = Object.values(checks).every((status) => status === 'ok');
        return {
          status: ready ? 200 : 503,
          body: { status: ready ? 'ready' : 'not_ready', checks, timestamp: now() },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/health/startup',
      handle: () => ({
        status: 200,
        body: { status: 'started', uptime: (Date.now() - deps.startedAt) / 1000, timestamp: now() },
      }),
    },
    {
      method: 'GET',
      pattern: '/api/flights',
      handle: ({ url }) => {
        const { searchParams } = url;
        const result = searchFlights({
          from: searchParams.get('from'),
          to: searchParams.get('to'),
          date: searchParams.get('date') ?? now().slice(0, 10),
        });
        if ('problems' in result) return invalid(result.problems);
        return { status: 200, body: { flights: result.flights, count: result.flights.length } };
      },
    },
    {
      method: 'POST',
      pattern: '/api/users',
      handle: ({ req }) =>
        withJsonObject(req, (body) => {
          const issues: FieldIssue[] = [];
          const email = typeof body.email === 'string' ? body.email.trim() : '';
          if (!EMAIL.test(email) || email.length > 254) {
            issues.push({ field: 'email', message: 'email must be a valid email address' });
          }
          if (typeof body.password !== 'string' || body.password.length < 8 || body.password.length > 128) {
            issues.push({ field: 'password', message: 'password must be a string of 8 to 128 characters' });
          }
          const name = checkName(body.name, 'name', issues);
          if (issues.length > 0) return invalid(issues);
          // The demo has no login: the password is checked for shape, never stored; the token is the session.
          const registered = store.register({ email, name });
          if (!registered)
            return { status: 409, body: { error: 'email is already registered', field: 'email' } };
          const { user, token } = registered;
          return { status: 201, body: { id: user.id, email: user.email, name: user.name, token } };
        }),
    },
    {
      method: 'DELETE',
      pattern: '/api/users/:id',
      handle: ({ req, params }) => {
        const user = authenticate(req);
        if (!user) return unauthorized;
        if (params.id !== user.id)
          return { status: 403, body: { error: 'you can only delete your own user' } };
        store.deleteUser(user.id);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: '/api/bookings',
      handle: ({ req }) => {
        const user = authenticate(req);
        if (!user) return unauthorized;
        return withJsonObject(req, (body) => {
          const issues: FieldIssue[] = [];
          const flightId = typeof body.flightId === 'string' ? body.flightId : '';
          if (flightId === '')
            issues.push({ field: 'flightId', message: 'flightId must be a non-empty string' });
          const passengers: Passenger[] = [];
          if (
            !Array.isArray(body.passengers) ||
            body.passengers.length === 0 ||
            body.passengers.length > MAX_PASSENGERS
          ) {
            issues.push({
              field: 'passengers',
              message: `passengers must be an array of 1 to ${MAX_PASSENGERS} passengers`,
            });
          } else {
            body.passengers.forEach((passenger: unknown, index) => {
              const field = `passengers[${index}].name`;
              passengers.push({
                name: checkName(isRecord(passenger) ? passenger.name : undefined, field, issues),
              });
            });
          }
          if (issues.length > 0) return invalid(issues);
          const flight = findFlight(flightId);
          if (!flight) return { status: 404, body: { error: `flight not found: ${flightId}` } };
          if (passengers.length > flight.seatsAvailable) {
            return { status: 409, body: { error: `only ${flight.seatsAvailable} seats available` } };
          }
          if (faults.isDown('payments'))
            return { status: 502, body: { error: 'payment gateway unavailable' } };
          const totalAmount = Math.round(flight.price * 100 * passengers.length) / 100;
          const booking = store.book(
            { userId: user.id, flightId, passengers, totalAmount, currency: flight.currency },
            new Date(),
          );
          return { status: 201, body: booking, headers: { location: `/api/bookings/${booking.id}` } };
        });
      },
    },
    {
      method: 'GET',
      pattern: '/api/bookings/:id',
      handle: ({ req, params }) => {
        const user = authenticate(req);
        if (!user) return unauthorized;
        const booking = store.bookingFor(params.id, user.id);
        return booking
          ? { status: 200, body: booking }
          : { status: 404, body: { error: `booking not found: ${params.id}` } };
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/bookings/:id',
      handle: ({ req, params }) => {
        const user = authenticate(req);
        if (!user) return unauthorized;
        if (!store.bookingFor(params.id, user.id)) {
          return { status: 404, body: { error: `booking not found: ${params.id}` } };
        }
        store.deleteBooking(params.id);
        return { status: 204 };
      },
    },
  ];
  const routes: Route[] = table.map((route) => ({ ...route, regex: compile(route.pattern) }));

  const faultAdmin = async (req: IncomingMessage): Promise<Reply> => {
    switch (req.method) {
      case 'GET':
        return { status: 200, body: faults.get() };
      case 'PUT':
        return withJsonObject(req, (body) => {
          try {
            const current = faults.set(body);
            deps.log(`faults set: ${JSON.stringify(current)}`);
            return { status: 200, body: current };
          } catch (error) {
            if (!(error instanceof FaultsValidationError)) throw error;
            return { status: 400, body: { error: error.message, issues: error.issues } };
          }
        });
      case 'DELETE':
        faults.clear();
        deps.log('faults cleared');
        return { status: 204 };
      default:
        return {
          status: 405,
          body: { error: `method not allowed: ${req.method}` },
          headers: { allow: 'GET, PUT, DELETE' },
        };
    }
  };

  const route = async (req: IncomingMessage, url: URL, signal: AbortSignal): Promise<Reply> => {
    if (url.pathname === '/__faults') return faultAdmin(req);
    const method = req.method ?? 'GET';
    const onPath = routes
      .map((candidate) => ({ candidate, match: candidate.regex.exec(url.pathname) }))
      .filter((entry) => entry.match !== null);
    const found = onPath.find((entry) => entry.candidate.method === method);

    const routeFault = faults.routeFault(method, found?.candidate.pattern ?? url.pathname, url.pathname);
    const latencyMs = faults.latencyFor(routeFault);
    if (latencyMs > 0) {
      deps.log(`${method} ${url.pathname} held ${latencyMs}ms by an injected fault`);
      await delay(latencyMs, undefined, { signal });
    }
    if (routeFault?.status !== undefined) {
      return { status: routeFault.status, body: routeFault.body ?? { error: 'injected fault' } };
    }

    if (!found) {
      if (onPath.length === 0)
        return { status: 404, body: { error: `not found: ${method} ${url.pathname}` } };
      const allow = onPath.map((entry) => entry.candidate.method).join(', ');
      return {
        status: 405,
        body: { error: `method not allowed: ${method} ${url.pathname}` },
        headers: { allow },
      };
    }
    if (url.pathname.startsWith('/api/') && faults.isDown('database')) {
      return { status: 503, body: { error: 'database unavailable' } };
    }
    const params = Object.fromEntries(
      Object.entries(found.match!.groups ?? {}).map(([name, value]) => [name, safeDecode(value)]),
    );
    return found.candidate.handle({ req, url, params });
  };

  return async (req, res) => {
    const started = performance.now();
    // Origin-form targets only (`/path?query`): `//host/path` must not be read as a host.
    const url = new URL(`http://flight-api.local${(req.url ?? '/').replace(/^\/*/, '/')}`);
    const request = new AbortController();
    res.once('close', () => request.abort());
    res.once('finish', () => {
      deps.log(
        `${req.method} ${url.pathname} ${res.statusCode} ${Math.round(performance.now() - started)}ms`,
      );
    });
    try {
      sendReply(req, res, await route(req, url, AbortSignal.any([deps.signal, request.signal])));
    } catch (error) {
      if (deps.signal.aborted || request.signal.aborted) return;
      deps.log(
        `${req.method} ${url.pathname} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      sendReply(req, res, { status: 500, body: { error: 'internal error' } });
    }
  };
};
