/**
 * Socket and resolver errors in words that name the layer that failed (`DNS:`, `TCP:`, `TLS:`), so a
 * result says "TCP: connection refused by db.internal:5432", not "connect ECONNREFUSED 10.0.0.5:5432".
 */

/** The error code of a Node socket or resolver error, if any. */
export const errorCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;

/**
 * Describes why connecting to `host:port` failed: the address lookup (`DNS:`), the TCP connection
 * (`TCP:`) or the TLS handshake (`TLS:`).
 *
 * @example
 * connectionProblem(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'db', 5432);
 * // 'TCP: connection refused by db:5432'
 */
export const connectionProblem = (error: unknown, host: string, port: number): string => {
  const target = `${host}:${port}`;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOTFOUND':
      return `DNS: no address for ${host} (NXDOMAIN, or no A/AAAA record)`;
    case 'EAI_AGAIN':
      return `DNS: looking up ${host} failed for now (SERVFAIL, or no resolver answered)`;
    case 'ECONNREFUSED':
      return `TCP: connection refused by ${target}`;
    case 'ECONNRESET':
      return `TCP: connection reset by ${target}`;
    case 'EPIPE':
      return `TCP: connection closed by ${target} while sending`;
    case 'EHOSTUNREACH':
      return `TCP: host ${host} unreachable`;
    case 'ENETUNREACH':
      return `TCP: network unreachable for ${target}`;
    case 'ETIMEDOUT':
      return `TCP: connecting to ${target} timed out`;
    default:
      if (code?.startsWith('ERR_SSL_') || code === 'EPROTO' || /ssl|tls|alert/i.test(message))
        return `TLS: handshake with ${target} failed: ${message}`;
      return `TCP: ${target}: ${message}`;
  }
};
