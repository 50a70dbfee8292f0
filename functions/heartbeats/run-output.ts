import { maskSensitiveFields, REDACTED } from '../commons/redactor';

/** Bytes of a POST body kept as the run's output; longer bodies are truncated, never rejected. */
export const MAX_OUTPUT_BYTES = 4096;

const TRUNCATED = '…[truncated]';

/**
 * The output kept of a ping's body: the ping token and credential-shaped values (`password=…`, `Bearer …`,
 * JWTs) redacted, then cut to `maxBytes` UTF-8 bytes on a character boundary. Redaction reads a bounded
 * prefix first, so a huge body costs no more than a small one.
 *
 * @example
 * runOutput('done, api_key=abc', 'tok'); // 'done, api_key=[REDACTED]'
 */
export const runOutput = (body: string, token: string, maxBytes = MAX_OUTPUT_BYTES): string => {
  const head = body.length > maxBytes * 2 ? body.slice(0, maxBytes * 2) : body;
  const redacted = maskSensitiveFields(token.length > 0 ? head.split(token).join(REDACTED) : head);
  const bytes = Buffer.from(redacted, 'utf8');
  if (bytes.length <= maxBytes && head.length === body.length) return redacted;
  const room = maxBytes - Buffer.byteLength(TRUNCATED);
  // Decoding a cut buffer may end in a partial character (U+FFFD): drop it.
  const cut = bytes
    .subarray(0, room)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${cut}${TRUNCATED}`;
};
