import { maskSensitiveFields } from '../../commons/redactor';

/** How many characters of a body an excerpt shows (a failed `body` assertion's `actual`). */
export const BODY_EXCERPT_CHARS = 200;

/** False when the body holds control characters (tab and line breaks aside) or undecodable bytes (U+FFFD). */
const isText = (body: string): boolean => {
  for (let index = 0; index < body.length; index += 1) {
    const code = body.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f || code === 0xfffd)
      return false;
  }
  return true;
};

/** What an excerpt reads of a response. */
export interface ExcerptSource {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Body size on the wire. @default the UTF-8 length of `body` */
  readonly bytes?: number;
}

/**
 * A short, printable, credential-free excerpt of a response body for results, errors and logs: credential
 * fields masked (see {@link maskSensitiveFields}), whitespace runs folded into one space, cut at
 * {@link BODY_EXCERPT_CHARS} characters. A compressed or binary body is described, never dumped.
 *
 * @example
 * bodyExcerpt({ headers: {}, body: '{"access_token":"abc","ok":false}' }); // '{"access_token":"[REDACTED]","ok":false}'
 * bodyExcerpt({ headers: { 'content-encoding': 'gzip' }, body: '\u001f\ufffd…', bytes: 310 }); // '(gzip-encoded body, 310 bytes, not shown)'
 */
export const bodyExcerpt = (response: ExcerptSource): string => {
  const { body, headers } = response;
  const bytes = response.bytes ?? Buffer.byteLength(body, 'utf8');
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  const type = headers['content-type']?.split(';')[0]?.trim();
  const typed = type ? `, ${type}` : '';
  if (encoding && encoding !== 'identity')
    return `(${encoding}-encoded body, ${bytes} bytes${typed}, not shown)`;
  if (body.startsWith('\u001f\ufffd')) return `(gzip-compressed body, ${bytes} bytes${typed}, not shown)`;
  if (!isText(body)) return `(binary body, ${bytes} bytes${typed}, not shown)`;
  const text = maskSensitiveFields(body).replace(/\s+/g, ' ').trim();
  return text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text;
};
