import type { ResolvedTlsProbe, TlsVersion } from '../../commons/config/types';
import { plural } from '../../commons/plural';
import type { AssertionResult } from '../types/results';
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

/** Protocol versions, oldest first, to compare the negotiated one with `minProtocol`. */
const VERSIONS: readonly string[] = [
  'TLSv1',
  'TLSv1.1',
  'TLSv1.2',
  'TLSv1.3',
] satisfies readonly TlsVersion[];

/**
 * Runs a `tls` check: a TLS handshake with `host:port`, then the certificate is judged: valid now, chain to
 * a trusted CA with its intermediates, names the host, expires no sooner than `criticalDays` (else failed)
 * and `warningDays` (else degraded), protocol at least `minProtocol`, issuer as expected. Every problem is
 * reported, each naming the layer (`TLS: certificate expired 3 days ago (…)`). Never rejects.
 *
 * @example
 * await runTlsProbe({ type: 'tls', host: 'shop.example.com', port: 443, warningDays: 30, criticalDays: 7,
 *   connectTimeoutMs: 5000, timeoutMs: 10000 }, env);
 */
export const runTlsProbe = async (probe: ResolvedTlsProbe, env: ProbeEnvironment): Promise<ProbeOutcome> => {
  const started = performance.now();
  const base = { method: 'TLS', url: `tls://${probe.host}:${probe.port}` } as const;
  let connection: Awaited<ReturnType<typeof openConnection>>;
  try {
    connection = await openConnection(
      { ...probe, tls: true },
      {
        connectTimeoutMs: probe.connectTimeoutMs,
        budgetMs: env.budgetMs,
        ...(env.signal !== undefined ? { signal: env.signal } : {}),
        ...(env.trustedCertificates !== undefined ? { trustedCertificates: env.trustedCertificates } : {}),
      },
    );
  } catch (caught) {
    const totalMs = roundMs(performance.now() - started);
    const timings =
      caught instanceof ProbeConnectionError
        ? caught.timings
        : { dnsMs: 0, connectMs: 0, tlsMs: 0, firstByteMs: 0, downloadMs: 0, totalMs };
    return { ...base, timings, assertions: [], responseBytes: 0, error: (caught as Error).message };
  }
  connection.socket.destroy();
  const summary = connection.certificate;
  if (summary === undefined)
    return {
      ...base,
      timings: connection.timings,
      assertions: [],
      responseBytes: 0,
      error: 'TLS: the server sent no certificate',
    };
  const now = env.now();
  const certificate = certificateInfo(summary, now);
  const host = probe.servername ?? probe.host;
  const assertions: AssertionResult[] = verifyCertificate(summary, connection.authorizationError, host, now);
  const days = certificate.daysToExpiry;
  const validity = assertions[0];
  const expired = validity !== undefined && !validity.ok && summary.validToMs <= now;
  const aboveCritical = days >= probe.criticalDays;
  assertions.push({
    description: `certificate expires in ${plural(probe.criticalDays, 'day')} or more (critical)`,
    ok: aboveCritical,
    expected: `>= ${probe.criticalDays}`,
    actual: days,
    ...(aboveCritical
      ? {}
      : {
          // Expired: the validity verdict already says by how much; the same words are merged into one.
          message: expired
            ? (validity.message as string)
            : `TLS: certificate expires in ${plural(days, 'day')} (${certificate.validTo}), under the critical ${plural(probe.criticalDays, 'day')}`,
        }),
  });
  const warned = aboveCritical && days < probe.warningDays;
  if (probe.minProtocol !== undefined) {
    const protocol = summary.protocol ?? 'unknown';
    const ok = VERSIONS.indexOf(protocol) >= VERSIONS.indexOf(probe.minProtocol);
    assertions.push({
      description: `protocol ${probe.minProtocol} or newer`,
      ok,
      expected: probe.minProtocol,
      actual: protocol,
      ...(ok ? {} : { message: `TLS: negotiated ${protocol}, older than ${probe.minProtocol}` }),
    });
  }
  if (probe.issuer !== undefined) {
    const ok = textMatches(summary.issuer, probe.issuer);
    assertions.push({
      description: `issuer ${describeMatch(probe.issuer)}`,
      ok,
      expected: probe.issuer.value,
      actual: summary.issuer,
      ...(ok ? {} : { message: `TLS: issuer "${summary.issuer}" ${describeMismatch(probe.issuer)}` }),
    });
  }
  const error = failureMessage(assertions);
  return {
    ...base,
    timings: { ...connection.timings, totalMs: roundMs(performance.now() - started) },
    assertions,
    responseBytes: 0,
    certificate,
    ...(error !== undefined ? { error } : {}),
    ...(error === undefined && warned
      ? {
          warning: `TLS: certificate expires in ${plural(days, 'day')} (${certificate.validTo}), under the warning ${plural(probe.warningDays, 'day')}`,
        }
      : {}),
  };
};
