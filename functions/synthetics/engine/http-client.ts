import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { hasHeader } from '../../commons/http-headers';
import type { RequestTimings } from '../types/results';
import { CheckAbortedError, RedirectError, ResponseTooLargeError, StepTimeoutError } from './errors';
import { type PeerCertificateSummary, readPeerCertificate, trustedRoots } from './peer-certificate';

/** One request as the engine sends it (templates already rendered). */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Budget for the whole exchange, redirects and body included. */
  readonly timeoutMs: number;
  /** Bodies larger than this fail with {@link ResponseTooLargeError}. */
  readonly maxBodyBytes: number;
  /** Redirects followed; 0 returns the 3xx response itself. */
  readonly maxRedirects: number;
  readonly signal?: AbortSignal;
}

/** The final response of a request (after redirects), with per-phase timings summed over every hop. */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; repeated headers (`set-cookie` included) joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly bytes: number;
  readonly url: string;
  readonly redirects: number;
  readonly timings: RequestTimings;
  /** The certificate of the final hop, when it was HTTPS. */
  readonly certificate?: PeerCertificateSummary;
}

/** A failed exchange, with whatever timings were measured before it failed. */
export class HttpRequestError extends Error {
  public readonly timings: RequestTimings;
  public readonly redirects: number;
  public readonly url: string;
  public constructor(cause: Error, timings: RequestTimings, redirects: number, url: string) {
    super(cause.message, { cause });
    this.name = cause.name === 'Error' ? 'HttpRequestError' : cause.name;
    this.timings = timings;
    this.redirects = redirects;
    this.url = url;
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

interface MutableTimings {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  firstByteMs: number;
  downloadMs: number;
  totalMs: number;
}

/** Timings of a request that never happened (every phase 0). */
export const zeroTimings = (): MutableTimings => ({
  dnsMs: 0,
  connectMs: 0,
  tlsMs: 0,
  firstByteMs: 0,
  downloadMs: 0,
  totalMs: 0,
});

/** Rounds milliseconds to two decimals for results. */
export const roundMs = (ms: number): number => Math.round(ms * 100) / 100;
const round = roundMs;

const freeze = (t: MutableTimings): RequestTimings => ({
  dnsMs: round(t.dnsMs),
  connectMs: round(t.connectMs),
  tlsMs: round(t.tlsMs),
  firstByteMs: round(t.firstByteMs),
  downloadMs: round(t.downloadMs),
  totalMs: round(t.totalMs),
});

interface Hop {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly certificate?: PeerCertificateSummary;
}

const flattenHeaders = (headers: http.IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
};

/**
 * HTTP(S) client for one run of checks, on `node:http`/`node:https` so every phase can be timed from
 * socket events (DNS lookup, TCP connect, TLS handshake, first byte, download). Its keep-alive agents
 * reuse connections (between a journey's steps, and between checks of a batch) and are destroyed by
 * {@link HttpClient.close}, so a run leaves no socket behind. Each request has one absolute deadline that covers redirects and the body, so a hung
 * server or a slow-drip body cannot hold it past its budget.
 */
export class HttpClient {
  readonly #httpAgent: http.Agent;
  readonly #httpsAgent: https.Agent;
  #closed = false;

  /**
   * @param maxSockets connections per origin; give at least the number of requests made at once, so no
   *   request waits in the agent's queue (that wait would count in its timings)
   * @param trust PEM CA certificates trusted besides Node's roots (a private CA)
   */
  public constructor(maxSockets = 4, trust: { readonly trustedCertificates?: readonly string[] } = {}) {
    const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
    const ca = trustedRoots(trust.trustedCertificates);
    this.#httpAgent = new http.Agent(options);
    this.#httpsAgent = new https.Agent({ ...options, ...(ca !== undefined ? { ca } : {}) });
  }

  /**
   * Sends a request, following redirects up to `maxRedirects` (303, and 301/302 after a POST, become
   * GET without body; credentials are dropped when a redirect leaves the origin).
   *
   * @throws {HttpRequestError} wrapping a {@link StepTimeoutError}, {@link ResponseTooLargeError},
   *   {@link RedirectError}, {@link CheckAbortedError} or the socket error, with the timings so far
   */
  public async request(request: HttpRequest): Promise<HttpResponse> {
    if (this.#closed) throw new Error('HttpClient is closed');
    const timings = zeroTimings();
    const started = performance.now();
    const deadline = started + request.timeoutMs;
    let url = request.url;
    let method = request.method.toUpperCase();
    let body = request.body;
    let headers: Record<string, string> = { ...request.headers };
    let redirects = 0;
    try {
      for (;;) {
        const hop = await this.#exchange(url, method, headers, body, deadline, request, timings);
        const location = hop.headers.location;
        if (!REDIRECTS.has(hop.status) || request.maxRedirects === 0 || location === undefined) {
          timings.totalMs = performance.now() - started;
          return {
            status: hop.status,
            headers: flattenHeaders(hop.headers),
            body: hop.body.toString('utf8'),
            bytes: hop.body.length,
            url,
            redirects,
            timings: freeze(timings),
            ...(hop.certificate !== undefined ? { certificate: hop.certificate } : {}),
          };
        }
        if (redirects >= request.maxRedirects) {
          throw new RedirectError(`redirect limit of ${request.maxRedirects} exceeded`);
        }
        let next: URL;
        try {
          next = new URL(location, url);
        } catch (error) {
          throw new RedirectError(`redirect to an invalid location`, { cause: error });
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new RedirectError(`redirect to unsupported protocol ${next.protocol}`);
        }
        if (next.origin !== new URL(url).origin) {
          headers = Object.fromEntries(
            Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())),
          );
        }
        if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          headers = Object.fromEntries(
            Object.entries(headers).filter(([name]) => !/^content-(type|length)$/i.test(name)),
          );
        }
        url = next.toString();
        redirects += 1;
      }
    } catch (error) {
      timings.totalMs = performance.now() - started;
      throw new HttpRequestError(error as Error, freeze(timings), redirects, url);
    }
  }

  /** Destroys the connections of this run. Further requests throw. */
  public close(): void {
    this.#closed = true;
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  #exchange(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    deadline: number,
    request: HttpRequest,
    timings: MutableTimings,
  ): Promise<Hop> {
    return new Promise<Hop>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        reject(new TypeError(`unsupported protocol ${target.protocol} in request URL`));
        return;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        reject(new StepTimeoutError(`timed out after ${request.timeoutMs} ms`, request.timeoutMs));
        return;
      }
      if (request.signal?.aborted) {
        reject(new CheckAbortedError());
        return;
      }
      const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
      const outgoing: Record<string, string> = { ...headers };
      if (payload && !hasHeader(outgoing, 'content-length')) {
        outgoing['content-length'] = String(payload.length);
      }
      const hopStart = performance.now();
      let settled = false;
      let connectedAt = hopStart;
      let responseAt = 0;
      let certificate: PeerCertificateSummary | undefined;
      const chunks: Buffer[] = [];
      let size = 0;

      const req = (secure ? https : http).request(target, {
        method,
        headers: outgoing,
        agent: secure ? this.#httpsAgent : this.#httpAgent,
      });

      const finish = (error: Error | undefined, hop?: Hop): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if (error) {
          req.destroy();
          reject(error);
        } else if (hop) {
          resolve(hop);
        }
      };
      const timer = setTimeout(
        () => finish(new StepTimeoutError(`timed out after ${request.timeoutMs} ms`, request.timeoutMs)),
        remaining,
      );
      const onAbort = (): void => finish(new CheckAbortedError());
      request.signal?.addEventListener('abort', onAbort, { once: true });

      req.once('socket', (socket: Socket) => {
        const fresh = socket.connecting;
        if (!fresh) {
          // Reused keep-alive connection: no DNS, connect or TLS, but the certificate it was opened with.
          if (secure) certificate = readPeerCertificate(socket as TLSSocket);
          return;
        }
        socket.once('lookup', () => {
          const now = performance.now();
          timings.dnsMs += now - hopStart;
          connectedAt = now;
        });
        socket.once('connect', () => {
          const now = performance.now();
          timings.connectMs += now - connectedAt;
          connectedAt = now;
        });
        if (secure) {
          socket.once('secureConnect', () => {
            const now = performance.now();
            timings.tlsMs += now - connectedAt;
            connectedAt = now;
            certificate = readPeerCertificate(socket as TLSSocket);
          });
        }
      });
      req.once('response', (res) => {
        responseAt = performance.now();
        timings.firstByteMs += responseAt - Math.max(connectedAt, hopStart);
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > request.maxBodyBytes) {
          finish(
            new ResponseTooLargeError(
              `response body of ${declared} bytes exceeds maxBodyBytes ${request.maxBodyBytes}`,
            ),
          );
          return;
        }
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > request.maxBodyBytes) {
            finish(new ResponseTooLargeError(`response body exceeds maxBodyBytes ${request.maxBodyBytes}`));
            return;
          }
          chunks.push(chunk);
        });
        res.once('end', () => {
          timings.downloadMs += performance.now() - responseAt;
          finish(undefined, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks, size),
            ...(certificate !== undefined ? { certificate } : {}),
          });
        });
        res.on('error', (error) => finish(error));
        res.once('close', () => {
          if (!res.complete) finish(new Error('connection closed before the response ended'));
        });
      });
      req.on('error', (error) => finish(error));
      if (payload) req.end(payload);
      else req.end();
    });
  }
}
