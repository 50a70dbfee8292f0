/** What replaces every redacted value. */
export const REDACTED = '[REDACTED]';

/**
 * Removes every occurrence of the given secrets (3 characters or more) from a text, each replaced by `***`.
 * Applied to each message that leaves a KPI datasource adapter, so a password never reaches results, logs or
 * traces.
 */
export const redactSecrets = (text: string, secrets: readonly (string | undefined)[]): string =>
  secrets.reduce<string>(
    (current, secret) => (secret && secret.length >= 3 ? current.split(secret).join('***') : current),
    text,
  );

/** Header names whose values are always redacted. */
const SENSITIVE_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-amz-security-token)$/i;
/** Names (headers, query parameters, extracted variables, JSON keys) that look like they hold credentials. */
const SENSITIVE_NAME =
  /token|secret|passw(or)?d|pwd|api[-_]?key|apikey|auth(?!or)|session|cookie|credential|signature|^sig$|^key$|^code$/i;

/** True for header names whose values never appear in results (`authorization`, `cookie`, `x-api-key`, `*token*`). */
export const isSensitiveHeader = (name: string): boolean =>
  SENSITIVE_HEADER.test(name) || SENSITIVE_NAME.test(name);

/** True for query parameter, variable or JSON key names that look like credentials (`token`, `api_key`, ...). */
export const isSensitiveName = (name: string): boolean => SENSITIVE_NAME.test(name);

/** `Bearer abc1…`, `Basic dXN…`: a credential (8+ characters, a digit among them) after its scheme. */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|Token)(\s+)(?=[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/gi;
/** A JSON Web Token (`eyJ….eyJ….sig`), whatever key or header carries it. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** `"name": value` in JSON text; the string may be cut off by a truncated body. */
const JSON_FIELD = /"((?:[^"\\\n]|\\.){1,100})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|-?\d[\d.eE+-]*|true|false|null)/g;
/**
 * `name=value` in form bodies, query strings and cookies: at the start of the text or after one of
 * `? & ; ,` or whitespace, a name of 1-100 of `A-Za-z0-9_.[]-`, `=`, and a value up to the next
 * `& ; ,`, whitespace or quote. {@link maskFormFields} finds exactly what the regular expression
 * `/(^|[?&;,\s])([A-Za-z0-9_.[\]-]{1,100})=([^&;,\s"']*)/g` finds (the redactor's tests hold it as the
 * oracle), starting from each `=` instead of trying every separator of the text.
 */
const FIELD_SEPARATOR = /[?&;,\s]/;
const VALUE_END = /[&;,\s"']/;
const MAX_FIELD_NAME = 100;

/** Whether a character code can be part of a form field's name (`A-Za-z0-9_.[]-`). */
const isFieldNameCode = (code: number): boolean =>
  (code >= 48 && code <= 57) ||
  (code >= 65 && code <= 90) ||
  (code >= 97 && code <= 122) ||
  code === 95 ||
  code === 46 ||
  code === 91 ||
  code === 93 ||
  code === 45;

/**
 * Replaces the value of every form field whose name looks like a credential ({@link isSensitiveName}):
 * `a=1&api_key=abc` -> `a=1&api_key=[REDACTED]`. Fields are found left to right as a global regular
 * expression would: a field's name is the run of name characters before its `=` (a run longer than 100 is
 * no field), and its value runs on over any further `=`.
 */
export const maskFormFields = (text: string): string => {
  let out = '';
  let copied = 0;
  let from = 0;
  for (let equals = text.indexOf('=', from); equals !== -1; equals = text.indexOf('=', from)) {
    let start = equals;
    while (start > 0 && equals - start <= MAX_FIELD_NAME && isFieldNameCode(text.charCodeAt(start - 1)))
      start -= 1;
    const nameLength = equals - start;
    const opens = start === 0 || FIELD_SEPARATOR.test(text.charAt(start - 1));
    if (nameLength < 1 || nameLength > MAX_FIELD_NAME || !opens) {
      from = equals + 1;
      continue;
    }
    let end = equals + 1;
    while (end < text.length && !VALUE_END.test(text.charAt(end))) end += 1;
    if (isSensitiveName(text.slice(start, equals))) {
      out += `${text.slice(copied, equals + 1)}${REDACTED}`;
      copied = end;
    }
    from = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
};

/** Replaces credentials that are recognisable by their shape: scheme credentials and JWTs. */
const maskCredentialShapes = (text: string): string => {
  let out = text.replace(SCHEME_CREDENTIAL, `$1$2${REDACTED}`);
  // A JWT starts with `eyJ`; most texts have none, and `includes` is a fraction of a regex scan.
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
  return out;
};

/**
 * Masks what a response body may carry that no config names: the values of credential-named fields in
 * JSON (`"access_token": "…"`, `"password": …`) and in form or query text (`api_key=…`), scheme
 * credentials (`Bearer …`) and JWTs. Works on truncated or invalid JSON too, since it reads the text.
 *
 * @example
 * maskSensitiveFields('{"access_token":"abc","user":"ann"}'); // '{"access_token":"[REDACTED]","user":"ann"}'
 */
export const maskSensitiveFields = (text: string): string => {
  let out = text;
  // Each pass needs its pattern's literal (`"` of a JSON field, `=` of a form field): a text without it is
  // not scanned (a heartbeat's log output, a plain-text body).
  if (out.includes('"'))
    out = out.replace(JSON_FIELD, (whole, name: string, colon: string) =>
      isSensitiveName(name) ? `"${name}"${colon}"${REDACTED}"` : whole,
    );
  if (out.includes('=')) out = maskFormFields(out);
  return maskCredentialShapes(out);
};

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

  /**
   * Replaces every known secret value in `text`, then what {@link maskSensitiveFields} recognises
   * (credential-named JSON and form fields, `Bearer …`, JWTs).
   */
  public text(text: string): string {
    let out = text;
    for (const value of this.#values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return maskSensitiveFields(out);
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
          isSensitiveName(key) && (typeof inner === 'string' || typeof inner === 'number')
            ? REDACTED
            : this.value(inner),
        ]),
      );
    }
    return value;
  }
}
