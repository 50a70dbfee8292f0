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
import type { CertificateInfo } from '../types/results';
import { BoundedCache } from './bounded-cache';

const DAY_MS = 86_400_000;

/** What a TLS socket tells about the certificate it received, before a clock turns it into days. */
export interface PeerCertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** `validFrom` in epoch ms (`NaN` when the certificate's date cannot be read). */
  readonly validFromMs: number;
  /** `validTo` in epoch ms (`NaN` when the certificate's date cannot be read). */
  readonly validToMs: number;
  readonly protocol?: string;
  /** Kept to check the host name against (subject alt names, common name). */
  readonly raw: PeerCertificate;
}

/** The fields of a summary that depend only on the certificate. */
type CertificateFields = Omit<PeerCertificateSummary, 'protocol' | 'raw'>;

/**
 * Distinct certificates whose fields are kept, and distinct (certificate, host name) verdicts: a run meets
 * few certificates many times (every check of a host, every HTTPS request), so each is read once.
 */
const MAX_CACHED_CERTIFICATES = 256;

const names = (fields: Readonly<Record<string, string | string[] | undefined>> | undefined): string =>
  Object.entries(fields ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');

const iso = (ms: number, text: string): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : text);

const fieldsOf = (cert: PeerCertificate): CertificateFields => {
  const validFromMs = Date.parse(cert.valid_from);
  const validToMs = Date.parse(cert.valid_to);
  return {
    subject: names(cert.subject as unknown as Record<string, string>),
    issuer: names(cert.issuer as unknown as Record<string, string>),
    validFrom: iso(validFromMs, cert.valid_from),
    validTo: iso(validToMs, cert.valid_to),
    validFromMs,
    validToMs,
  };
};

/** Certificate fields by SHA-256 fingerprint. */
const fieldsByFingerprint = new BoundedCache<string, CertificateFields>(MAX_CACHED_CERTIFICATES);

/** Whether a certificate names a host, by fingerprint and host name. */
const identities = new BoundedCache<string, boolean>(MAX_CACHED_CERTIFICATES);

/**
 * The leaf certificate of a connected TLS socket, or `undefined` when it sent none. Its names and dates are
 * read once per distinct certificate (by fingerprint).
 *
 * @param presented the certificate as the handshake already read it (`checkServerIdentity`'s argument), to
 *   spare reading it from the socket again
 */
export const readPeerCertificate = (
  socket: TLSSocket,
  presented?: PeerCertificate,
): PeerCertificateSummary | undefined => {
  const cert = presented ?? socket.getPeerCertificate();
  if (cert === null || cert === undefined || Object.keys(cert).length === 0) return undefined;
  const protocol = socket.getProtocol();
  const fingerprint = cert.fingerprint256;
  const fields = fingerprint ? fieldsByFingerprint.get(fingerprint, () => fieldsOf(cert)) : fieldsOf(cert);
  return { ...fields, ...(protocol ? { protocol } : {}), raw: cert };
};

const daysUntil = (ms: number, now: number): number => Math.floor((ms - now) / DAY_MS);

/** Whole days from `now` until `validTo`: 0 on the last day, negative once expired. */
export const daysToExpiry = (validTo: string, now: number): number => daysUntil(Date.parse(validTo), now);

/** The certificate as results report it, days counted with the engine's clock. */
export const certificateInfo = (summary: PeerCertificateSummary, now: number): CertificateInfo => ({
  subject: summary.subject,
  issuer: summary.issuer,
  validFrom: summary.validFrom,
  validTo: summary.validTo,
  daysToExpiry: daysUntil(summary.validToMs, now),
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
  if (extra === undefined || extra.length === 0) return undefined;
  let context = contexts.get(extra);
  if (context === undefined) {
    // Node's roots copied with the extras only here, once per list, not on every connection.
    context = createSecureContext({ ca: trustedRoots(extra) });
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

/** Whether `cert` is valid for `host` (subject alt names, else common name), judged once per pair. */
const namesHost = (cert: PeerCertificate, host: string): boolean => {
  const judge = (): boolean => checkServerIdentity(host, cert) === undefined;
  return cert.fingerprint256 ? identities.get(`${cert.fingerprint256}\n${host}`, judge) : judge();
};

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
  const validFrom = certificate.validFromMs;
  const validTo = certificate.validToMs;
  const started = !(validFrom > now);
  const nowIso = new Date(now).toISOString();
  verdicts.push({
    description: 'certificate is valid now',
    ok: started && validTo > now,
    expected: { validFrom: `<= ${nowIso}`, validTo: `> ${nowIso}` },
    actual: { validFrom: certificate.validFrom, validTo: certificate.validTo },
    ...(!started
      ? {
          message: `TLS: certificate not yet valid: valid from ${certificate.validFrom} (in ${plural(Math.ceil((validFrom - now) / DAY_MS), 'day')})`,
        }
      : validTo <= now
        ? {
            message: `TLS: certificate expired ${ago(now - validTo)} (${certificate.validTo})`,
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
  const named = namesHost(certificate.raw, host);
  const altNames = certificate.raw.subjectaltname ?? '';
  verdicts.push({
    description: `certificate names ${host}`,
    ok: named,
    expected: host,
    actual: altNames || certificate.subject,
    ...(named
      ? {}
      : {
          message: `TLS: name mismatch: the certificate is for ${altNames ? altNames.replace(/DNS:|IP Address:/g, '') : certificate.subject}, not ${host}`,
        }),
  });
  return verdicts;
};
