import { isIP } from 'node:net';
import {
  checkServerIdentity,
  createSecureContext,
  type PeerCertificate,
  rootCertificates,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { plural } from '../../commons/plural';
import type { CertificateInfo, StepResult } from '../types/results';

const DAY_MS = 86_400_000;

/** What a TLS socket tells about the certificate it received, before a clock turns it into days. */
export interface PeerCertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly protocol?: string;
  /** Kept to check the host name against (subject alt names, common name). */
  readonly raw: PeerCertificate;
}

const names = (fields: Readonly<Record<string, string | string[] | undefined>> | undefined): string =>
  Object.entries(fields ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');

const iso = (text: string): string => {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : text;
};

/** The leaf certificate of a connected TLS socket, or `undefined` when it sent none. */
export const readPeerCertificate = (socket: TLSSocket): PeerCertificateSummary | undefined => {
  const cert = socket.getPeerCertificate();
  if (cert === null || cert === undefined || Object.keys(cert).length === 0) return undefined;
  const protocol = socket.getProtocol();
  return {
    subject: names(cert.subject as unknown as Record<string, string>),
    issuer: names(cert.issuer as unknown as Record<string, string>),
    validFrom: iso(cert.valid_from),
    validTo: iso(cert.valid_to),
    ...(protocol ? { protocol } : {}),
    raw: cert,
  };
};

/** Whole days from `now` until `validTo`: 0 on the last day, negative once expired. */
export const daysToExpiry = (validTo: string, now: number): number =>
  Math.floor((Date.parse(validTo) - now) / DAY_MS);

/** The certificate as results report it, days counted with the engine's clock. */
export const certificateInfo = (summary: PeerCertificateSummary, now: number): CertificateInfo => ({
  subject: summary.subject,
  issuer: summary.issuer,
  validFrom: summary.validFrom,
  validTo: summary.validTo,
  daysToExpiry: daysToExpiry(summary.validTo, now),
  ...(summary.protocol !== undefined ? { protocol: summary.protocol } : {}),
});

/**
 * The CA list for TLS connections: Node's bundled roots plus `extra` (a private CA), or `undefined` (Node's
 * default) when there is no extra.
 */
export const trustedRoots = (extra: readonly string[] | undefined): string[] | undefined =>
  extra === undefined || extra.length === 0 ? undefined : [...rootCertificates, ...extra];

const contexts = new WeakMap<readonly string[], SecureContext>();

/**
 * A TLS context trusting Node's roots plus `extra`, built once per list (parsing ~150 root certificates on
 * every connection would cost more than the handshake), or `undefined` (Node's default) without extras.
 */
export const trustedContext = (extra: readonly string[] | undefined): SecureContext | undefined => {
  const ca = trustedRoots(extra);
  if (extra === undefined || ca === undefined) return undefined;
  let context = contexts.get(extra);
  if (context === undefined) {
    context = createSecureContext({ ca });
    contexts.set(extra, context);
  }
  return context;
};

/** The SNI name for a host: none for an IP address (RFC 6066 forbids it). */
export const sniName = (host: string): string | undefined => (isIP(host) === 0 ? host : undefined);

/** `3 days ago`, or `less than a day ago`. */
const ago = (ms: number): string =>
  ms < DAY_MS ? 'less than a day ago' : `${plural(Math.floor(ms / DAY_MS), 'day')} ago`;

/** How the chain check's OpenSSL codes read in a result. Codes not listed are shown as given. */
const CHAIN_PROBLEMS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate (not issued by a trusted CA)',
  SELF_SIGNED_CERT_IN_CHAIN: 'chain ends in a self-signed root that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'incomplete chain: the server did not send the intermediate certificate (unable to verify the first certificate)',
  UNABLE_TO_GET_ISSUER_CERT: 'incomplete chain: the issuer certificate is missing',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted issuer: the chain does not lead to a trusted CA',
  CERT_SIGNATURE_FAILURE: 'certificate signature is invalid',
  CERT_REVOKED: 'certificate revoked',
  CERT_UNTRUSTED: 'certificate not trusted',
  INVALID_CA: 'an issuer in the chain is not a valid CA',
};

/**
 * Codes not about the chain: the validity dates (their verdict says by how much) and the host name (Node
 * checks it too when given a server name); each is reported by its own verdict.
 */
const NOT_CHAIN_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/** One verdict on a presented certificate: what was checked and, when it failed, why in words. */
export interface CertificateVerdict {
  readonly description: string;
  readonly ok: boolean;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly message?: string;
}

/**
 * Verifies what a TLS client verifies, but reports every problem in words instead of stopping at the first:
 * the validity dates (`TLS: certificate expired 3 days ago (2026-11-28T00:00:00.000Z)`), the chain (trusted
 * CA, intermediates sent) and the host name (`TLS: name mismatch: …`).
 *
 * @param authorizationError the socket's `authorizationError` (from a connection made with
 *   `rejectUnauthorized: false`), `undefined` when the chain verified
 */
export const verifyCertificate = (
  certificate: PeerCertificateSummary,
  authorizationError: Error | string | undefined,
  host: string,
  now: number,
): CertificateVerdict[] => {
  const verdicts: CertificateVerdict[] = [];
  const validFrom = Date.parse(certificate.validFrom);
  const validTo = Date.parse(certificate.validTo);
  const started = !(validFrom > now);
  verdicts.push({
    description: 'certificate is valid now',
    ok: started && validTo > now,
    expected: { validFrom: `<= ${new Date(now).toISOString()}`, validTo: `> ${new Date(now).toISOString()}` },
    actual: { validFrom: certificate.validFrom, validTo: certificate.validTo },
    ...(!started
      ? {
          message: `TLS: certificate not yet valid: valid from ${certificate.validFrom} (in ${plural(Math.ceil((validFrom - now) / DAY_MS), 'day')})`,
        }
      : validTo <= now
        ? {
            message: `TLS: certificate expired ${ago(now - Date.parse(certificate.validTo))} (${certificate.validTo})`,
          }
        : {}),
  });
  const code =
    authorizationError === undefined
      ? undefined
      : typeof authorizationError === 'string'
        ? authorizationError
        : ((authorizationError as NodeJS.ErrnoException).code ?? authorizationError.message);
  const chainOk = code === undefined || NOT_CHAIN_CODES.has(code);
  verdicts.push({
    description: 'certificate chain is trusted',
    ok: chainOk,
    expected: 'a chain to a trusted CA',
    actual: code ?? 'trusted',
    ...(chainOk
      ? {}
      : { message: `TLS: ${CHAIN_PROBLEMS[code as string] ?? `chain not trusted (${code})`}` }),
  });
  const mismatch = checkServerIdentity(host, certificate.raw);
  const altNames = certificate.raw.subjectaltname ?? '';
  verdicts.push({
    description: `certificate names ${host}`,
    ok: mismatch === undefined,
    expected: host,
    actual: altNames || certificate.subject,
    ...(mismatch === undefined
      ? {}
      : {
          message: `TLS: name mismatch: the certificate is for ${altNames ? altNames.replace(/DNS:|IP Address:/g, '') : certificate.subject}, not ${host}`,
        }),
  });
  return verdicts;
};

/**
 * The fewest days to expiry among the certificates a check's steps saw (every HTTPS step, a `tls` check, a
 * TLS `tcp` check), or `undefined` when none spoke TLS: the `CertificateDaysToExpiry` metric.
 */
export const soonestCertificateExpiry = (steps: readonly StepResult[]): number | undefined => {
  const days = steps.flatMap((step) =>
    step.certificate !== undefined ? [step.certificate.daysToExpiry] : [],
  );
  return days.length === 0 ? undefined : Math.min(...days);
};
