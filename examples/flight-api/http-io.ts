import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Trace headers echoed back on every response, so a check can see its trace reached the service. */
export const TRACE_HEADERS = ['X-Amzn-Trace-Id', 'traceparent'] as const;

/** What a route answers: a status, an optional JSON body and extra headers. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The outcome of reading a JSON body: the value, or the reply refusing it. */
export type BodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reply: Reply };

const NO_BODY_STATUSES = new Set([204, 304]);

/**
 * Writes `reply` as JSON. Every response has `content-type: application/json` and echoes the request's
 * trace headers under the same names.
 */
export const sendReply = (req: IncomingMessage, res: ServerResponse, reply: Reply): void => {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...reply.headers,
  };
  for (const name of TRACE_HEADERS) {
    const value = req.headers[name.toLowerCase()];
    if (typeof value === 'string') headers[name] = value;
  }
  const text =
    NO_BODY_STATUSES.has(reply.status) || reply.body === undefined ? '' : JSON.stringify(reply.body);
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(reply.status, headers);
  res.end(text);
};

const tooLarge: Reply = {
  status: 413,
  body: { error: `request body exceeds ${MAX_BODY_BYTES} bytes` },
  headers: { connection: 'close' },
};

/**
 * Reads and parses a JSON request body of at most {@link MAX_BODY_BYTES}. A larger body is refused
 * (413) without being buffered; malformed JSON is refused with 400 `{ error: 'invalid JSON body' }`.
 */
export const readJsonBody = (req: IncomingMessage): Promise<BodyResult> => {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve({ ok: false, reply: tooLarge });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.resume();
        resolve({ ok: false, reply: tooLarge });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      if (size > MAX_BODY_BYTES) return;
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch {
        resolve({ ok: false, reply: { status: 400, body: { error: 'invalid JSON body' } } });
      }
    });
  });
};
