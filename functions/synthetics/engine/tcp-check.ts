import type { Socket } from 'node:net';
import type { ResolvedTcpProbe } from '../../commons/config/types';
import type { AssertionResult, RequestTimings } from '../types/results';
import { bodyExcerpt } from './body-excerpt';
import { connectionProblem } from './connection-problem';
import { ProbeConnectionError } from './errors';
import { roundMs } from './http-client';
import { certificateInfo, verifyCertificate } from './peer-certificate';
import {
  describeMatch,
  describeMismatch,
  failureMessage,
  type ProbeEnvironment,
  type ProbeOutcome,
  textMatches,
} from './probe-outcome';
import { openConnection } from './timed-connection';

/** Bytes of a banner kept while waiting for the expected text; past this the probe stops reading. */
export const MAX_BANNER_BYTES = 65_536;

/**
 * Runs a `tcp` check: connects (over TLS when asked, verifying the certificate), sends `send`, and waits
 * for the answer to satisfy `expect`, within the probe's budget. Never rejects: every failure is an outcome
 * whose error names the layer (`DNS: …`, `TCP: connection refused by db:5432`, `TLS: …`).
 *
 * @example
 * await runTcpProbe({ type: 'tcp', host: '127.0.0.1', port: 6379, tls: false, send: 'PING\r\n',
 *   expect: { op: 'contains', value: '+PONG' }, connectTimeoutMs: 2000, timeoutMs: 5000 }, env);
 */
export const runTcpProbe = async (probe: ResolvedTcpProbe, env: ProbeEnvironment): Promise<ProbeOutcome> => {
  const started = performance.now();
  const url = `${probe.tls ? 'tls' : 'tcp'}://${probe.host}:${probe.port}`;
  const base = { method: 'TCP', url } as const;
  let connection: Awaited<ReturnType<typeof openConnection>>;
  try {
    connection = await openConnection(probe, {
      connectTimeoutMs: probe.connectTimeoutMs,
      budgetMs: env.budgetMs,
      ...(env.signal !== undefined ? { signal: env.signal } : {}),
      ...(env.trustedCertificates !== undefined ? { trustedCertificates: env.trustedCertificates } : {}),
    });
  } catch (caught) {
    const timings =
      caught instanceof ProbeConnectionError
        ? caught.timings
        : { ...zero, totalMs: roundMs(performance.now() - started) };
    return { ...base, timings, assertions: [], responseBytes: 0, error: (caught as Error).message };
  }
  const { socket } = connection;
  const assertions: AssertionResult[] = [];
  const certificate =
    connection.certificate !== undefined ? certificateInfo(connection.certificate, env.now()) : undefined;
  const withCertificate = certificate !== undefined ? { certificate } : {};
  if (connection.certificate !== undefined) {
    assertions.push(
      ...verifyCertificate(
        connection.certificate,
        connection.authorizationError,
        probe.servername ?? probe.host,
        env.now(),
      ),
    );
    const problem = failureMessage(assertions);
    if (problem !== undefined) {
      socket.destroy();
      return {
        ...base,
        timings: connection.timings,
        assertions,
        responseBytes: 0,
        ...withCertificate,
        error: problem,
      };
    }
  }
  const exchange = await converse(socket, probe, env, performance.now() - started);
  const timings: RequestTimings = {
    ...connection.timings,
    firstByteMs: roundMs(exchange.firstByteMs),
    downloadMs: roundMs(exchange.downloadMs),
    totalMs: roundMs(performance.now() - started),
  };
  if (probe.expect !== undefined) {
    assertions.push({
      description: `answer ${describeMatch(probe.expect)}`,
      ok: exchange.matched,
      expected: probe.expect.value,
      actual: exchange.excerpt,
      ...(exchange.matched
        ? {}
        : { message: exchange.problem ?? `TCP: answer ${describeMismatch(probe.expect)}` }),
    });
  }
  const error = exchange.matched ? undefined : (exchange.problem ?? failureMessage(assertions));
  return {
    ...base,
    timings,
    assertions,
    responseBytes: exchange.bytes,
    ...withCertificate,
    ...(error !== undefined ? { error } : {}),
  };
};

const zero: RequestTimings = { dnsMs: 0, connectMs: 0, tlsMs: 0, firstByteMs: 0, downloadMs: 0, totalMs: 0 };

interface Exchange {
  readonly matched: boolean;
  readonly bytes: number;
  readonly excerpt: string;
  readonly firstByteMs: number;
  readonly downloadMs: number;
  readonly problem?: string;
}

/** Sends `send`, then reads until the answer satisfies `expect` (or, without `expect`, until the bytes are sent). */
const converse = (
  socket: Socket,
  probe: ResolvedTcpProbe,
  env: ProbeEnvironment,
  elapsedMs: number,
): Promise<Exchange> =>
  new Promise<Exchange>((resolve) => {
    const address = `${probe.host}:${probe.port}`;
    const sentAt = performance.now();
    let firstAt: number | undefined;
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const text = (): string => Buffer.concat(chunks).toString('utf8');
    const finish = (matched: boolean, problem?: string): void => {
      if (settled) return;
      settled = true;
      const now = performance.now();
      // Closed at once, in the event that settled it: the peer's later bytes and FIN are then neither read
      // nor answered (closing a microtask later, after they were, cost three times as much).
      socket.destroy();
      clearTimeout(timer);
      env.signal?.removeEventListener('abort', onAbort);
      resolve({
        matched,
        bytes,
        excerpt: bodyExcerpt({ headers: {}, body: text(), bytes }),
        firstByteMs: firstAt === undefined ? 0 : firstAt - sentAt,
        downloadMs: firstAt === undefined ? 0 : now - firstAt,
        ...(problem !== undefined ? { problem } : {}),
      });
    };
    const remaining = Math.max(0, env.budgetMs - elapsedMs);
    const timer = setTimeout(() => {
      const excerpt = bodyExcerpt({ headers: {}, body: text(), bytes });
      finish(
        false,
        probe.expect === undefined
          ? `TCP: sending to ${address} did not finish within ${probe.timeoutMs} ms`
          : `TCP: no answer that ${describeMatch(probe.expect)} from ${address} within ${roundMs(env.budgetMs)} ms (got ${bytes === 0 ? 'nothing' : JSON.stringify(excerpt)})`,
      );
    }, remaining);
    const onAbort = (): void => finish(false, 'check run aborted');
    env.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => finish(false, connectionProblem(error, probe.host, probe.port)));
    socket.on('data', (chunk: Buffer) => {
      firstAt ??= performance.now();
      if (bytes < MAX_BANNER_BYTES) {
        const kept = chunk.subarray(0, MAX_BANNER_BYTES - bytes);
        chunks.push(kept);
      }
      bytes += chunk.length;
      if (probe.expect === undefined) return;
      if (textMatches(text(), probe.expect)) finish(true);
      else if (bytes >= MAX_BANNER_BYTES)
        finish(
          false,
          `TCP: ${address} sent ${MAX_BANNER_BYTES} bytes without an answer that ${describeMatch(probe.expect)}`,
        );
    });
    socket.once('end', () => {
      if (probe.expect !== undefined)
        finish(
          false,
          `TCP: ${address} closed the connection before an answer that ${describeMatch(probe.expect)} (got ${bytes === 0 ? 'nothing' : JSON.stringify(bodyExcerpt({ headers: {}, body: text(), bytes }))})`,
        );
    });
    if (probe.send !== undefined) {
      socket.write(probe.send, 'utf8', (error) => {
        if (error) finish(false, connectionProblem(error, probe.host, probe.port));
        else if (probe.expect === undefined) finish(true);
      });
    } else if (probe.expect === undefined) finish(true);
  });
