/** The parsed body of a response, or why it is not JSON. */
export type ParsedJson =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

/** What assertions and extractors see of a response. */
export interface ResponseView {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Body size on the wire, when known. */
  readonly bytes?: number;
  /** Request latency (all phases, redirects included), compared by `responseTime` and latency thresholds. */
  readonly totalMs: number;
  /** The body parsed as JSON, parsed at most once. */
  json(): ParsedJson;
}

const describeBody = (response: {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly bytes?: number;
}): string => {
  const type = response.headers['content-type']?.split(';')[0]?.trim();
  const bytes = response.bytes ?? Buffer.byteLength(response.body, 'utf8');
  return `${type ? `${type}, ` : ''}${bytes} bytes`;
};

/** Builds a {@link ResponseView} that parses the body lazily, once. */
export const responseView = (response: {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly bytes?: number;
  readonly totalMs: number;
}): ResponseView => {
  let parsed: ParsedJson | undefined;
  return {
    status: response.status,
    headers: response.headers,
    body: response.body,
    ...(response.bytes !== undefined ? { bytes: response.bytes } : {}),
    totalMs: response.totalMs,
    json: () => {
      if (parsed) return parsed;
      try {
        parsed = { ok: true, value: JSON.parse(response.body) };
      } catch {
        // The parser's message quotes the body: say what it is instead, never what it holds.
        parsed = { ok: false, error: `body is not JSON (${describeBody(response)})` };
      }
      return parsed;
    },
  };
};
