import { createHmac, timingSafeEqual } from 'node:crypto';

/** The query parameters of an acknowledge link. */
export interface AckLinkParams {
  readonly incident: string;
  readonly channel: string;
  /** Epoch ms after which the link is refused. */
  readonly expires: number;
  readonly sig: string;
}

/**
 * The signed text: a JSON array, so every field has one reading (a separator inside a field is escaped, and
 * moving a field boundary changes the text). `v2` marks this encoding; links of the earlier newline-joined `v1`
 * encoding, where `"a\nb"`/`"c"` and `"a"`/`"b\nc"` signed the same text, no longer verify (they expired within
 * `ackLinkTtl` of the upgrade anyway).
 */
const signedText = (incident: string, channel: string, expires: number): string =>
  JSON.stringify(['v2', incident, channel, expires]);

const signature = (secret: string, incident: string, channel: string, expires: number): string =>
  createHmac('sha256', secret)
    .update(signedText(incident, channel, expires))
    .digest('base64url');

/**
 * Builds a signed, expiring acknowledge link (HMAC-SHA256 over the JSON encoding of incident, channel and
 * expiry).
 *
 * @example
 * ackLink('https://abc.lambda-url.us-east-1.on.aws/', secret, 'shop-check-x-20260105T0930Z-1a2b', 'oncall-slack', Date.now() + 86_400_000);
 */
export const ackLink = (
  baseUrl: string,
  secret: string,
  incident: string,
  channel: string,
  expires: number,
): string => {
  const url = new URL(baseUrl);
  url.searchParams.set('incident', incident);
  url.searchParams.set('channel', channel);
  url.searchParams.set('expires', String(expires));
  url.searchParams.set('sig', signature(secret, incident, channel, expires));
  return url.toString();
};

/** Why a link was refused. */
export type AckLinkProblem = 'missing' | 'forged' | 'expired';

/**
 * Checks a link's parameters: all present, signature matches (constant-time), not expired.
 *
 * @example
 * verifyAckLink(new URL(link).searchParams, secret, Date.now()); // { ok: true, params }
 */
export const verifyAckLink = (
  query: { get(name: string): string | null },
  secret: string,
  now: number,
): { ok: true; params: AckLinkParams } | { ok: false; problem: AckLinkProblem } => {
  const incident = query.get('incident');
  const channel = query.get('channel');
  const expiresText = query.get('expires');
  const sig = query.get('sig');
  if (!incident || !channel || !expiresText || !sig || !/^\d+$/.test(expiresText))
    return { ok: false, problem: 'missing' };
  const expires = Number(expiresText);
  const expected = Buffer.from(signature(secret, incident, channel, expires));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'forged' };
  if (now > expires) return { ok: false, problem: 'expired' };
  return { ok: true, params: { incident, channel, expires, sig } };
};
