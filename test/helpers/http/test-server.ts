import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the test server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What a route answers. Fields combine: `delayMs` then `status`/`headers`/`body`. */
export interface RouteSpec {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | string[]>>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** Wait before answering. */
  readonly delayMs?: number;
  /** Accept the request and never answer. */
  readonly hang?: boolean;
  /** Send headers, then `count` chunks of `chunk` every `intervalMs` (a slow-drip body). */
  readonly drip?: { readonly chunk: string; readonly intervalMs: number; readonly count: number };
  /** Answer with a redirect. */
  readonly redirect?: { readonly location: string; readonly status?: number };
  /** A body of this many bytes, chunked unless `declareLength`. */
  readonly bytes?: number;
  readonly declareLength?: boolean;
}

/** A route: a fixed answer or a handler with the recorded request. */
export type Route = RouteSpec | ((request: RecordedRequest, response: http.ServerResponse) => void);

/** A scriptable HTTP server on 127.0.0.1 for engine tests. */
export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Requests being handled right now and the most seen at once; open, most and total accepted connections. */
  readonly stats: {
    inFlight: number;
    maxInFlight: number;
    connections: number;
    maxConnections: number;
    accepted: number;
  };
  /** Adds or replaces a route (`'/path'` for any method, or `'POST /path'`). */
  route(key: string, route: Route): void;
  close(): Promise<void>;
}

/**
 * Starts a test server on 127.0.0.1 with an ephemeral port. Unknown paths answer 404. `close()` destroys
 * open connections (hung and dripping ones included) and clears the server's own timers.
 *
 * @example
 * const server = await startTestServer({ '/health/ready': { status: 503, body: { checks: { redis: 'down' } } } });
 */
export const startTestServer = async (routes: Record<string, Route> = {}): Promise<TestServer> => {
  const table = new Map<string, Route>(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const stats = { inFlight: 0, maxInFlight: 0, connections: 0, maxConnections: 0, accepted: 0 };
  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const answer = (spec: RouteSpec, res: http.ServerResponse): void => {
    if (spec.hang) return;
    if (spec.redirect) {
      res.writeHead(spec.redirect.status ?? 302, { location: spec.redirect.location, 'content-length': '0' });
      res.end();
      return;
    }
    if (spec.drip) {
      const { chunk, intervalMs, count } = spec.drip;
      res.writeHead(spec.status ?? 200, { 'content-type': 'text/plain', ...spec.headers });
      let sent = 0;
      const tick = (): void => {
        if (res.destroyed) return;
        res.write(chunk);
        sent += 1;
        if (sent >= count) res.end();
        else later(intervalMs, tick);
      };
      tick();
      return;
    }
    if (spec.bytes !== undefined) {
      const total = spec.bytes;
      res.writeHead(spec.status ?? 200, {
        'content-type': 'application/octet-stream',
        ...(spec.declareLength ? { 'content-length': String(total) } : {}),
        ...spec.headers,
      });
      const block = Buffer.alloc(64 * 1024, 0x61);
      let written = 0;
      const pump = (): void => {
        while (written < total && !res.destroyed) {
          const size = Math.min(block.length, total - written);
          written += size;
          if (!res.write(size === block.length ? block : block.subarray(0, size))) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
      return;
    }
    const body =
      spec.body === undefined ? '' : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    const json = spec.body !== undefined && typeof spec.body !== 'string';
    res.writeHead(spec.status ?? 200, {
      ...(json ? { 'content-type': 'application/json' } : {}),
      'content-length': String(Buffer.byteLength(body)),
      ...spec.headers,
    });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let done = false;
    const release = (): void => {
      if (done) return;
      done = true;
      stats.inFlight -= 1;
    };
    res.once('finish', release);
    res.once('close', release);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const path = recorded.url.split('?')[0] ?? '/';
      const route = table.get(`${recorded.method} ${path}`) ?? table.get(path);
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      if (typeof route === 'function') {
        route(recorded, res);
        return;
      }
      if (route.delayMs) later(route.delayMs, () => answer(route, res));
      else answer(route, res);
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    stats.connections += 1;
    stats.accepted += 1;
    stats.maxConnections = Math.max(stats.maxConnections, stats.connections);
    socket.once('close', () => {
      sockets.delete(socket);
      stats.connections -= 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    stats,
    route: (key, route) => {
      table.set(key, route);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
