import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's `X-Slack-Request-Timestamp` may lie from now, either way (Slack's own advice: 5 minutes). */
export const SLACK_SIGNATURE_MAX_AGE_MS = 5 * 60_000;

/**
 * The `X-Slack-Signature` Slack sends for `body` at `timestamp` (epoch seconds, as in `X-Slack-Request-Timestamp`):
 * `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the app's signing secret. Signs test requests
 * and local drills.
 *
 * @example
 * slackSignature(signingSecret, '1531420618', rawBody); // 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'
 */
export const slackSignature = (secret: string, timestamp: string, body: string | Uint8Array): string =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;

/** Why a request was refused: no signature or timestamp, a timestamp outside the window, or a wrong signature. */
export type SlackSignatureProblem = 'missing' | 'stale' | 'forged';

/**
 * Verifies a request from Slack: the timestamp must be an integer within {@link SLACK_SIGNATURE_MAX_AGE_MS} of
 * `now` (so a captured request cannot be replayed later), and the signature must equal the HMAC of the raw
 * body, compared in constant time.
 *
 * @example
 * verifySlackSignature(rawBody, headers['x-slack-request-timestamp'], headers['x-slack-signature'], secret, Date.now());
 * // { ok: true }
 */
export const verifySlackSignature = (
  body: string | Uint8Array,
  timestamp: string | undefined,
  signature: string | undefined,
  secret: string,
  now: number,
): { readonly ok: true } | { readonly ok: false; readonly problem: SlackSignatureProblem } => {
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, problem: 'missing' };
  if (!(Math.abs(Number(timestamp) * 1000 - now) <= SLACK_SIGNATURE_MAX_AGE_MS))
    return { ok: false, problem: 'stale' };
  const expected = Buffer.from(slackSignature(secret, timestamp, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'forged' };
  return { ok: true };
};
