import { maskSensitiveFields, REDACTED } from '../commons/redactor';

/** Bytes of a POST body kept as the run's output; longer bodies are truncated, never rejected. */
export const MAX_OUTPUT_BYTES = 4096;

const TRUNCATED = '…[truncated]';
const TRUNCATED_BYTES = Buffer.byteLength(TRUNCATED);

/**
 * Characters a ping token, a scheme credential (`Bearer …`) or a JWT is made of. A secret of these cut in two
 * by the read window would leave a fragment no rule recognises; field values (`password=…`, `"secret": "…`)
 * are recognised cut as well, by their name.
 */
const SECRET_CHARACTER = /[A-Za-z0-9._~+/=-]/;

/** Whether a text's UTF-8 form fits in `maxBytes`; its length alone decides when it is short (3 bytes per UTF-16 unit at most). */
const fitsIn = (text: string, maxBytes: number): boolean =>
  text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes;

/** The ping token and credential-shaped values replaced by {@link REDACTED}. */
const redact = (text: string, token: string): string =>
  maskSensitiveFields(token.length > 0 && text.includes(token) ? text.split(token).join(REDACTED) : text);

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, on a character boundary. */
const cutToBytes = (text: string, maxBytes: number): string =>
  fitsIn(text, maxBytes)
    ? text
    : Buffer.from(text, 'utf8')
        .subarray(0, maxBytes)
        .toString('utf8')
        // Decoding a cut buffer may end in a partial character (U+FFFD): drop it.
        .replace(/\uFFFD$/, '');

/**
 * The output kept of a ping's body: the ping token and credential-shaped values (`password=…`, `Bearer …`,
 * JWTs) redacted, then cut to `maxBytes` UTF-8 bytes on a character boundary. A body that fits is redacted
 * whole; of a longer one only the characters that can be kept are read, minus a token or credential the
 * cut runs through (dropped whole, so no fragment of it survives), then redacted and cut. A huge body costs
 * what a `maxBytes` one does.
 *
 * @example
 * runOutput('done, api_key=abc', 'tok'); // 'done, api_key=[REDACTED]'
 */
export const runOutput = (body: string, token: string, maxBytes = MAX_OUTPUT_BYTES): string => {
  if (fitsIn(body, maxBytes)) {
    const redacted = redact(body, token);
    return fitsIn(redacted, maxBytes)
      ? redacted
      : `${cutToBytes(redacted, maxBytes - TRUNCATED_BYTES)}${TRUNCATED}`;
  }
  const room = maxBytes - TRUNCATED_BYTES;
  // `room` UTF-16 units hold at least `room` bytes, so nothing that could be kept is left unread.
  let end = room;
  if (SECRET_CHARACTER.test(body.charAt(end))) {
    while (end > 0 && SECRET_CHARACTER.test(body.charAt(end - 1))) end -= 1;
  }
  // Nor half of a surrogate pair.
  const last = body.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${cutToBytes(redact(body.slice(0, end), token), room)}${TRUNCATED}`;
};
