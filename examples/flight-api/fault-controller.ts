import { type FaultsIssue, FaultsValidationError } from './errors';

/** The dependencies the demo API pretends to have; each can be faulted down. */
export const DEPENDENCIES = ['database', 'redis', 'payments'] as const;

/** A dependency of the demo API: `'database' | 'redis' | 'payments'`. */
export type Dependency = (typeof DEPENDENCIES)[number];

/** The largest latency a fault may add, so a typo cannot hang a demo for hours. */
export const MAX_FAULT_LATENCY_MS = 60_000;

/** A fault on one route, keyed in {@link Faults.routes} by `'METHOD /path'` (`'POST /api/bookings'`). */
export interface RouteFault {
  /** Answer with this status instead of running the route. @default the route runs normally */
  readonly status?: number;
  /** Wait this long before answering; replaces {@link Faults.latencyMs} for this route. @default the global latency */
  readonly latencyMs?: number;
  /** JSON body sent with {@link RouteFault.status}. @default `{ error: 'injected fault' }` */
  readonly body?: unknown;
}

/**
 * Faults injected into the demo API, for demos and tests of the checks that watch it.
 *
 * @example
 * const faults: Faults = { down: ['redis'], latencyMs: 800, routes: { 'POST /api/bookings': { status: 500 } } };
 */
export interface Faults {
  /** Dependencies reported down by `/health/ready`; `database` also fails `/api/*`, `payments` fails bookings. */
  readonly down?: readonly Dependency[];
  /** Added before every answer except `/__faults`. @default 0 */
  readonly latencyMs?: number;
  /** Per-route faults keyed by `'METHOD /path'`; the path is a route pattern (`/api/bookings/:id`) or a literal path. */
  readonly routes?: Readonly<Record<string, RouteFault>>;
}

const ROUTE_KEY = /^([A-Za-z]+) (\/\S*)$/;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const FAULT_KEYS = new Set(['down', 'latencyMs', 'routes']);
const ROUTE_FAULT_KEYS = new Set(['status', 'latencyMs', 'body']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const checkLatency = (value: unknown, path: string, issues: FaultsIssue[]): number | undefined => {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_FAULT_LATENCY_MS) {
    return Math.round(value);
  }
  issues.push({ path, message: `must be a number of milliseconds from 0 to ${MAX_FAULT_LATENCY_MS}` });
  return undefined;
};

const checkRouteFault = (value: unknown, path: string, issues: FaultsIssue[]): RouteFault | undefined => {
  if (!isRecord(value)) {
    issues.push({ path, message: 'must be an object with status, latencyMs and/or body' });
    return undefined;
  }
  const before = issues.length;
  for (const key of Object.keys(value)) {
    if (!ROUTE_FAULT_KEYS.has(key)) issues.push({ path: `${path}.${key}`, message: 'unknown field' });
  }
  const fault: { status?: number; latencyMs?: number; body?: unknown } = {};
  if (value.status !== undefined) {
    if (
      Number.isInteger(value.status) &&
      (value.status as number) >= 100 &&
      (value.status as number) <= 599
    ) {
      fault.status = value.status as number;
    } else {
      issues.push({ path: `${path}.status`, message: 'must be an HTTP status code from 100 to 599' });
    }
  }
  if (value.latencyMs !== undefined)
    fault.latencyMs = checkLatency(value.latencyMs, `${path}.latencyMs`, issues);
  if (value.body !== undefined) {
    if (value.status === undefined) {
      issues.push({ path: `${path}.body`, message: 'is only sent with a status: add status' });
    }
    try {
      fault.body = JSON.parse(JSON.stringify(value.body));
    } catch (error) {
      issues.push({
        path: `${path}.body`,
        message: `must be JSON-serializable (${(error as Error).message})`,
      });
    }
  }
  if (value.status === undefined && value.latencyMs === undefined) {
    issues.push({ path, message: 'must set status and/or latencyMs' });
  }
  return issues.length === before ? fault : undefined;
};

/**
 * Validates a fault description (from JSON or code) and returns a normalized copy: duplicate
 * dependencies removed, route methods upper-cased. Every problem is reported at once.
 *
 * @throws {@link FaultsValidationError} naming each invalid field.
 * @example
 * parseFaults({ down: ['redis'] }); // { down: ['redis'] }
 * parseFaults({ down: ['mongo'] }); // throws: down[0]: must be one of database, redis, payments
 */
export const parseFaults = (value: unknown, source = 'faults'): Faults => {
  const issues: FaultsIssue[] = [];
  if (!isRecord(value)) {
    throw new FaultsValidationError([{ path: '', message: 'must be a JSON object' }], source);
  }
  for (const key of Object.keys(value)) {
    if (!FAULT_KEYS.has(key))
      issues.push({ path: key, message: 'unknown field (use down, latencyMs, routes)' });
  }
  const faults: { down?: Dependency[]; latencyMs?: number; routes?: Record<string, RouteFault> } = {};
  if (value.down !== undefined) {
    if (Array.isArray(value.down)) {
      const down = new Set<Dependency>();
      value.down.forEach((name: unknown, index) => {
        if (DEPENDENCIES.includes(name as Dependency)) down.add(name as Dependency);
        else issues.push({ path: `down[${index}]`, message: `must be one of ${DEPENDENCIES.join(', ')}` });
      });
      faults.down = [...down];
    } else {
      issues.push({ path: 'down', message: `must be an array of ${DEPENDENCIES.join(', ')}` });
    }
  }
  if (value.latencyMs !== undefined) faults.latencyMs = checkLatency(value.latencyMs, 'latencyMs', issues);
  if (value.routes !== undefined) {
    if (isRecord(value.routes)) {
      const routes: Record<string, RouteFault> = {};
      for (const [key, routeFault] of Object.entries(value.routes)) {
        const path = `routes[${JSON.stringify(key)}]`;
        const match = ROUTE_KEY.exec(key.trim());
        const method = match?.[1].toUpperCase();
        if (!match || !method || !METHODS.has(method)) {
          issues.push({ path, message: "key must be 'METHOD /path', e.g. 'GET /api/flights'" });
          continue;
        }
        const fault = checkRouteFault(routeFault, path, issues);
        if (fault) routes[`${method} ${match[2]}`] = fault;
      }
      faults.routes = routes;
    } else {
      issues.push({ path: 'routes', message: "must be an object keyed by 'METHOD /path'" });
    }
  }
  if (issues.length > 0) throw new FaultsValidationError(issues, source);
  return faults;
};

/**
 * Holds the faults currently injected into one demo API. Changes take effect on the next request.
 *
 * @example
 * api.faults.set({ down: ['payments'] }); // POST /api/bookings now answers 502
 * api.faults.clear();
 */
export class FaultController {
  #faults: Faults;

  /** @throws {@link FaultsValidationError} when `initial` is invalid. */
  public constructor(initial: Faults = {}) {
    this.#faults = parseFaults(initial);
  }

  /** The current faults (a copy: changing it changes nothing). */
  public get(): Faults {
    return structuredClone(this.#faults);
  }

  /**
   * Replaces every current fault with `faults` and returns the normalized result.
   *
   * @throws {@link FaultsValidationError} when `faults` is invalid; the current faults are kept.
   */
  public set(faults: Faults): Faults {
    this.#faults = parseFaults(faults);
    return this.get();
  }

  /** Removes every fault. */
  public clear(): void {
    this.#faults = {};
  }

  /** Whether `dependency` is faulted down. */
  public isDown(dependency: Dependency): boolean {
    return this.#faults.down?.includes(dependency) ?? false;
  }

  /** The fault for a request, matched by route pattern first, then by literal path. */
  public routeFault(method: string, pattern: string, path: string): RouteFault | undefined {
    const routes = this.#faults.routes;
    if (!routes) return undefined;
    return routes[`${method} ${pattern}`] ?? routes[`${method} ${path}`];
  }

  /** The latency to add to a request: its route fault's, else the global one. */
  public latencyFor(routeFault: RouteFault | undefined): number {
    return routeFault?.latencyMs ?? this.#faults.latencyMs ?? 0;
  }
}
