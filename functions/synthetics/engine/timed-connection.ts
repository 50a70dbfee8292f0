import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { RequestTimings } from '../types/results';
import { connectionProblem } from './connection-problem';
import { ProbeConnectionError } from './errors';
import { roundMs } from './http-client';
import {
  type PeerCertificateSummary,
  readPeerCertificate,
  sniName,
  trustedContext,
} from './peer-certificate';

/** Where a network check connects. */
export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  /** Speak TLS once connected. */
  readonly tls: boolean;
  /** SNI name (and the name the certificate is checked against). @default `host` */
  readonly servername?: string;
}

/** How long connecting may take, and what may stop it. */
export interface ConnectionLimits {
  /** DNS + connect (+ TLS handshake). */
  readonly connectTimeoutMs: number;
  /** The whole probe; connecting stops at the smaller of the two. */
  readonly budgetMs: number;
  readonly signal?: AbortSignal;
  /** PEM CA certificates trusted besides Node's roots. */
  readonly trustedCertificates?: readonly string[];
}

/** An open connection, with the time each phase of opening it took. */
export interface TimedConnection {
  readonly socket: Socket;
  /** `dnsMs`, `connectMs` and `tlsMs` set; the rest 0. */
  readonly timings: RequestTimings;
  /** Set on TLS connections: the server's leaf certificate. */
  readonly certificate?: PeerCertificateSummary;
  /** Set on TLS connections whose chain did not verify (the connection is kept, to report why). */
  readonly authorizationError?: Error;
}

/** Phase timings of a connection being opened, in milliseconds. */
interface Phases {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
}

const timingsOf = (phases: Phases, totalMs: number): RequestTimings => ({
  dnsMs: roundMs(phases.dnsMs),
  connectMs: roundMs(phases.connectMs),
  tlsMs: roundMs(phases.tlsMs),
  firstByteMs: 0,
  downloadMs: 0,
  totalMs: roundMs(totalMs),
});

/**
 * Opens a TCP (or TLS) connection and times its phases from socket events, like the HTTP client does: the
 * address lookup, the TCP connect and the TLS handshake. A TLS connection is accepted whatever its
 * certificate (`rejectUnauthorized: false`) so the caller can report every problem of the certificate, and
 * by how much (expired 3 days ago), instead of the first one OpenSSL meets; callers must verify it.
 *
 * @throws {ProbeConnectionError} naming the layer that failed (`DNS: …`, `TCP: …`, `TLS: …`) or ran out of time
 */
export const openConnection = (
  target: ConnectionTarget,
  limits: ConnectionLimits,
): Promise<TimedConnection> =>
  new Promise<TimedConnection>((resolve, reject) => {
    const started = performance.now();
    const phases: Phases = { dnsMs: 0, connectMs: 0, tlsMs: 0 };
    const address = `${target.host}:${target.port}`;
    const name = target.servername ?? target.host;
    let mark = started;
    let stage: 'dns' | 'tcp' | 'tls' = 'dns';
    let settled = false;
    // The certificate Node reads to check the host name after a chain that verified: kept, so it is not read
    // a second time (the name is checked by `verifyCertificate`, against `name`, with every other problem).
    let presented: PeerCertificate | undefined;
    const secureContext = target.tls ? trustedContext(limits.trustedCertificates) : undefined;
    const sni = target.tls ? sniName(name) : undefined;
    const socket: Socket = target.tls
      ? connectTls({
          host: target.host,
          port: target.port,
          ...(sni !== undefined ? { servername: sni } : {}),
          rejectUnauthorized: false,
          checkServerIdentity: (_host, certificate) => {
            presented = certificate;
            return undefined;
          },
          ...(secureContext !== undefined ? { secureContext } : {}),
        })
      : connectTcp({ host: target.host, port: target.port });
    const fail = (message: string, cause?: unknown): void => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      reject(
        new ProbeConnectionError(
          message,
          timingsOf(phases, performance.now() - started),
          cause === undefined ? undefined : { cause },
        ),
      );
    };
    const limitMs = Math.max(0, Math.min(limits.connectTimeoutMs, limits.budgetMs));
    const timer = setTimeout(() => {
      const within = `within ${roundMs(limitMs)} ms`;
      fail(
        stage === 'dns'
          ? `DNS: no address for ${target.host} ${within}`
          : stage === 'tcp'
            ? `TCP: no connection to ${address} ${within}`
            : `TLS: no handshake with ${address} ${within}`,
      );
    }, limitMs);
    const onAbort = (): void => fail('check run aborted');
    const cleanup = (): void => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
    };
    const onError = (error: Error): void => fail(connectionProblem(error, target.host, target.port), error);
    if (limits.signal?.aborted) {
      fail('check run aborted');
      return;
    }
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', onError);
    socket.once('lookup', () => {
      const now = performance.now();
      phases.dnsMs = now - mark;
      mark = now;
      stage = 'tcp';
    });
    socket.once('connect', () => {
      const now = performance.now();
      phases.connectMs = now - mark;
      mark = now;
      stage = 'tls';
      if (!target.tls) done();
    });
    if (target.tls) {
      socket.once('secureConnect', () => {
        phases.tlsMs = performance.now() - mark;
        done();
      });
    }
    function done(): void {
      if (settled) return;
      settled = true;
      cleanup();
      const tlsSocket = socket as TLSSocket;
      const certificate = target.tls ? readPeerCertificate(tlsSocket, presented) : undefined;
      const authorizationError =
        target.tls && !tlsSocket.authorized ? tlsSocket.authorizationError : undefined;
      resolve({
        socket,
        timings: timingsOf(phases, performance.now() - started),
        ...(certificate !== undefined ? { certificate } : {}),
        ...(authorizationError !== undefined ? { authorizationError } : {}),
      });
    }
  });
