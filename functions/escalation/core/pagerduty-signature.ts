import { createHmac, timingSafeEqual } from 'node:crypto';

/** The only signature version PagerDuty V3 webhooks use today. */
const VERSION = 'v1=';

const digest = (secret: string, body: string | Uint8Array): Buffer =>
  createHmac('sha256', secret).update(body).digest();

/**
 * The `X-PagerDuty-Signature` entry PagerDuty sends for `body` signed with a webhook subscription's secret:
 * `v1=<hex HMAC-SHA256 of the raw body>`. Used to sign test deliveries and local fire drills.
 *
 * @example
 * pagerDutySignature(signingSecret, rawBody); // 'v1=f03de6f6...'
 */
export const pagerDutySignature = (secret: string, body: string | Uint8Array): string =>
  `${VERSION}${digest(secret, body).toString('hex')}`;

/** Why a delivery's signature was refused: no `v1=` signature at all, or none made with a known secret. */
export type PagerDutySignatureProblem = 'missing' | 'forged';

/** The outcome of {@link verifyPagerDutySignature}: which secret signed the body, or why none did. */
export type PagerDutySignatureCheck =
  | { readonly ok: true; readonly signer: string }
  | { readonly ok: false; readonly problem: PagerDutySignatureProblem };

/**
 * Verifies a PagerDuty V3 webhook delivery: the `X-PagerDuty-Signature` header holds one or more
 * comma-separated `v1=<hex>` signatures (several while a secret is rotated); the delivery is authentic when
 * at least one equals the HMAC-SHA256 of the raw body under one of `secrets` (compared in constant time).
 * `secrets` maps a name (the Vigil channel) to its signing secret; the matching name is returned.
 *
 * @example
 * verifyPagerDutySignature(rawBody, headers['x-pagerduty-signature'], { 'oncall-pagerduty': secret });
 * // { ok: true, signer: 'oncall-pagerduty' }
 */
export const verifyPagerDutySignature = (
  body: string | Uint8Array,
  header: string | undefined,
  secrets: Readonly<Record<string, string>>,
): PagerDutySignatureCheck => {
  const given = (header ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(VERSION))
    .map((part) => part.slice(VERSION.length));
  if (given.length === 0) return { ok: false, problem: 'missing' };
  const candidates = given
    .filter((hex) => /^[0-9a-fA-F]{64}$/.test(hex))
    .map((hex) => Buffer.from(hex, 'hex'));
  for (const [signer, secret] of Object.entries(secrets)) {
    const expected = digest(secret, body);
    if (candidates.some((candidate) => timingSafeEqual(candidate, expected))) return { ok: true, signer };
  }
  return { ok: false, problem: 'forged' };
};
