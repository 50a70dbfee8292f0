/** What replaces every redacted value. */
export const REDACTED = '[REDACTED]';

/** Header names whose values are always redacted. */
const SENSITIVE_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-amz-security-token)$/i;
/** Names (headers, query parameters, extracted variables, JSON keys) that look like they hold credentials. */
const SENSITIVE_NAME =
  /token|secret|passw(or)?d|pwd|api[-_]?key|apikey|auth|session|cookie|credential|signature|^sig$|^key$|^code$/i;

/** True for header names whose values never appear in results (`authorization`, `cookie`, `x-api-key`, `*token*`). */
export const isSensitiveHeader = (name: string): boolean =>
  SENSITIVE_HEADER.test(name) || SENSITIVE_NAME.test(name);

/** True for query parameter, variable or JSON key names that look like credentials (`token`, `api_key`, ...). */
export const isSensitiveName = (name: string): boolean => SENSITIVE_NAME.test(name);

/**
 * Scrubs credentials from everything the engine reports: known secret values (resolved `{{secrets.x}}`,
 * extracted variables with credential-like names) wherever they appear, plus the values of sensitive
 * headers and query parameters. One per check run; values can be added as steps extract them.
 *
 * @example
 * const redactor = new Redactor(['s3cr3t']);
 * redactor.text('token s3cr3t'); // 'token [REDACTED]'
 * redactor.url('https://x/a?api_key=1&q=2'); // 'https://x/a?api_key=[REDACTED]&q=2'
 */
export class Redactor {
  #values: string[] = [];

  public constructor(secretValues: Iterable<string> = []) {
    for (const value of secretValues) this.add(value);
  }

  /** Adds a value to scrub (and its URL-encoded form). Empty values are ignored. */
  public add(value: string): void {
    if (value.length === 0) return;
    const forms = new Set([value, encodeURIComponent(value)]);
    for (const form of forms) if (!this.#values.includes(form)) this.#values.push(form);
    this.#values.sort((a, b) => b.length - a.length);
  }

  /** Replaces every known secret value in `text`. */
  public text(text: string): string {
    let out = text;
    for (const value of this.#values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  }

  /** Redacts a URL: userinfo, credential-like query parameters, then known secret values. */
  public url(url: string): string {
    let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, `$1${REDACTED}@`);
    out = out.replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, sep: string, name: string) => {
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
      return isSensitiveName(decoded) ? `${sep}${name}=${REDACTED}` : whole;
    });
    return this.text(out);
  }

  /** Redacts a header value given its name. */
  public header(name: string, value: string): string {
    return isSensitiveHeader(name) ? REDACTED : this.text(value);
  }

  /** Deeply redacts strings inside a JSON-like value (assertion expected/actual values). */
  public value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [
          key,
          isSensitiveName(key) && typeof inner === 'string' ? REDACTED : this.value(inner),
        ]),
      );
    }
    return value;
  }
}
