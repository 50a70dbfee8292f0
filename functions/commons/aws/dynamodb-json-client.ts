import http from 'node:http';
import https from 'node:https';
import { sign } from 'aws4';
import { type AwsCallSpan, type TraceAwsCall, untracedAwsCalls } from '../aws-call-tracing';
import { type Clock, realClock } from '../clock';
import { AWS_THROTTLING_ERROR_CODES, DynamoDbRequestError } from './errors';

/** Static AWS credentials (what Lambda puts in the environment of every function). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Set for temporary credentials (always, in Lambda). */
  readonly sessionToken?: string;
}

/** How a {@link DynamoDbJsonClient} reaches DynamoDB: plain values, never read from the environment. */
export interface DynamoDbJsonClientOptions {
  /** The region requests are signed for (`us-east-1`). */
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** `https://dynamodb.<region>.amazonaws.com`, or an `http://` emulator. */
  readonly endpoint: string;
  /** One span per call (not per attempt). @default untracedAwsCalls */
  readonly trace?: TraceAwsCall;
  /** Waits between attempts (tests pass a clock whose sleep takes no time). @default realClock */
  readonly clock?: Pick<Clock, 'sleep'>;
  /** A number in [0, 1) for the backoff's jitter. @default Math.random */
  readonly random?: () => number;
  /** Time allowed for one attempt, from sending to the last byte of the answer. @default 5000 */
  readonly attemptTimeoutMs?: number;
  /** Attempts per call, the first included (the SDK's standard retry mode). @default 3 */
  readonly maxAttempts?: number;
  /** The largest answer read; a larger one fails the call. @default 4 MiB */
  readonly maxResponseBytes?: number;
}

/** Transient error codes the SDK also retries whatever their status. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['RequestTimeout', 'RequestTimeoutException']);

/** The backoff's base and cap: full jitter, `random() × min(cap, base × 2^retry)` (the SDK's standard mode). */
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 20_000;
/** A service message in an error is cut to this many characters. */
const MAX_DETAIL_CHARS = 300;

/** One attempt's answer, read whole. */
interface RawResponse {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: Buffer;
}

/** Why an attempt ended without a usable answer. */
interface AttemptFailure {
  readonly code: string;
  readonly detail: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly requestId?: string;
  readonly cause?: unknown;
}

const failed = (failure: AttemptFailure): { failure: AttemptFailure } => ({ failure });

/**
 * A lean client for DynamoDB's JSON protocol (`POST /`, `X-Amz-Target: DynamoDB_20120810.<Operation>`,
 * `application/x-amz-json-1.0`), signed with SigV4 by `aws4` on `node:https` with one keep-alive agent. It
 * costs nothing at construction, where the SDK's `DynamoDBClient` costs ~50 ms of every cold start, for
 * functions that make a handful of calls per invocation. Retries as the SDK's standard mode: up to 3
 * attempts, full-jitter exponential backoff, on throttling codes, 5xx, network errors and timeouts; never on
 * another 4xx. A failed call throws {@link DynamoDbRequestError} with DynamoDB's error name as its `code`.
 *
 * @example
 * const dynamo = new DynamoDbJsonClient({ region, credentials, endpoint: `https://dynamodb.${region}.amazonaws.com` });
 * await dynamo.send('DeleteItem', { TableName: 'leases', Key: { pk: { S: 'every-1m#0' } } });
 */
export class DynamoDbJsonClient {
  private readonly url: URL;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly trace: TraceAwsCall;
  private readonly clock: Pick<Clock, 'sleep'>;
  private readonly random: () => number;
  private readonly attemptTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxResponseBytes: number;

  public constructor(private readonly options: DynamoDbJsonClientOptions) {
    this.url = new URL(options.endpoint);
    if (this.url.protocol !== 'https:' && this.url.protocol !== 'http:')
      throw new TypeError(`DynamoDB endpoint ${options.endpoint} is neither http:// nor https://`);
    this.transport = this.url.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true });
    this.trace = options.trace ?? untracedAwsCalls;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.maxResponseBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
  }

  /** The region calls are signed for. */
  public get region(): string {
    return this.options.region;
  }

  /** The endpoint calls go to. */
  public get endpoint(): string {
    return this.url.href;
  }

  /**
   * Calls `operation` with `input` (DynamoDB's JSON request, attribute values typed: `{ S: 'x' }`) and
   * returns DynamoDB's JSON answer. @throws {@link DynamoDbRequestError}
   */
  public async send<T extends object = Record<string, unknown>>(
    operation: string,
    input: object,
  ): Promise<T> {
    const body = JSON.stringify(input);
    const tableName = (input as { TableName?: unknown }).TableName;
    const span = this.trace({
      service: 'DynamoDB',
      operation,
      region: this.options.region,
      ...(typeof tableName === 'string' ? { resources: { table_name: tableName } } : {}),
    });
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(operation, body);
      const last = attempt + 1 >= this.maxAttempts;
      if ('value' in outcome) {
        span.end({ httpStatus: outcome.status, requestId: outcome.requestId, retries: attempt });
        return outcome.value as T;
      }
      if (!outcome.failure.retryable || last) throw this.fail(span, operation, outcome.failure, attempt);
      await this.clock.sleep(this.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
    }
  }

  /** Closes the kept-alive connections (tests; a Lambda keeps them for the next invocation). */
  public destroy(): void {
    this.agent.destroy();
  }

  private fail(span: AwsCallSpan, operation: string, failure: AttemptFailure, retries: number): Error {
    const error = new DynamoDbRequestError(
      {
        operation,
        code: failure.code,
        detail: failure.detail,
        retries,
        ...(failure.status === undefined ? {} : { status: failure.status }),
        ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
      },
      failure.cause === undefined ? undefined : { cause: failure.cause },
    );
    span.end({ httpStatus: failure.status, requestId: failure.requestId, retries, error });
    return error;
  }

  /** One signed attempt: DynamoDB's parsed answer, or why there is none and whether to try again. */
  private async attempt(
    operation: string,
    body: string,
  ): Promise<{ value: object; status: number; requestId: string | undefined } | { failure: AttemptFailure }> {
    const { credentials, region } = this.options;
    const signed = sign(
      {
        host: this.url.hostname,
        ...(this.url.port === '' ? {} : { port: Number(this.url.port) }),
        method: 'POST',
        path: this.url.pathname,
        service: 'dynamodb',
        region,
        body,
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `DynamoDB_20120810.${operation}`,
        },
      },
      {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
      },
    );
    // What a hostile or broken endpoint could echo back and must never reach an error message.
    const authorization = String(signed.headers?.Authorization ?? '');
    const secrets = [
      authorization,
      /Signature=([0-9a-f]+)/.exec(authorization)?.[1],
      credentials.secretAccessKey,
      credentials.sessionToken,
    ].filter((value): value is string => value !== undefined && value.length >= 8);
    const scrub = (text: string): string =>
      secrets.reduce((clean, secret) => clean.split(secret).join('[redacted]'), text);

    let response: RawResponse;
    try {
      response = await this.exchange(signed, body);
    } catch (error) {
      if (error instanceof ResponseTooLargeError)
        return failed({ code: 'ResponseTooLarge', detail: error.message, retryable: false });
      const timedOut = error instanceof AttemptTimeoutError;
      return failed({
        code: timedOut ? 'TimeoutError' : 'NetworkError',
        detail: timedOut
          ? error.message
          : `no answer from ${this.url.host}: ${scrub(describe(error)).slice(0, MAX_DETAIL_CHARS)}`,
        retryable: true,
        // The transport's own error, for a network failure (it never holds the request's headers).
        ...(timedOut ? {} : { cause: error }),
      });
    }

    const { status, requestId } = response;
    const parsed = parseJsonObject(response.body);
    if (status >= 200 && status < 300) {
      if (parsed !== undefined) return { value: parsed, status, requestId };
      return failed({
        code: 'MalformedResponse',
        detail: `the answer is not a JSON object (${response.body.length} bytes)`,
        retryable: false,
        status,
        requestId,
      });
    }
    const type = typeof parsed?.__type === 'string' ? parsed.__type : undefined;
    const code = type === undefined ? undefined : errorCode(type);
    const message = parsed?.message ?? parsed?.Message;
    const detail =
      code === undefined
        ? `an error answer without DynamoDB's JSON error (${response.body.length} bytes)`
        : typeof message === 'string' && message !== ''
          ? scrub(oneLine(message)).slice(0, MAX_DETAIL_CHARS)
          : 'no message';
    return failed({
      code: code ?? `Http${status}`,
      detail,
      retryable:
        status >= 500 ||
        status === 429 ||
        (code !== undefined && (AWS_THROTTLING_ERROR_CODES.has(code) || TRANSIENT_CODES.has(code))),
      status,
      requestId,
    });
  }

  /** Sends the signed request and reads its answer whole, within the attempt's time and size bounds. */
  private exchange(signed: { headers?: http.OutgoingHttpHeaders }, body: string): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      const request = this.transport.request({
        protocol: this.url.protocol,
        hostname: this.url.hostname,
        port: this.url.port === '' ? undefined : Number(this.url.port),
        method: 'POST',
        path: this.url.pathname,
        headers: signed.headers,
        agent: this.agent,
      });
      const timer = setTimeout(() => {
        settle(new AttemptTimeoutError(`no complete answer within ${this.attemptTimeoutMs} ms`));
        request.destroy();
      }, this.attemptTimeoutMs);
      const settle = (error: unknown, response?: RawResponse) => {
        clearTimeout(timer);
        if (response === undefined) reject(error);
        else resolve(response);
      };
      request.on('error', (error) => settle(error));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > this.maxResponseBytes) {
            settle(new ResponseTooLargeError(`the answer is larger than ${this.maxResponseBytes} bytes`));
            request.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error) => settle(error));
        response.on('end', () => {
          const id = response.headers['x-amzn-requestid'];
          settle(undefined, {
            status: response.statusCode ?? 0,
            requestId: typeof id === 'string' ? id : undefined,
            body: Buffer.concat(chunks),
          });
        });
        response.on('close', () => {
          if (!response.complete) settle(new Error('the connection closed before the answer was complete'));
        });
      });
      request.end(body);
    });
  }
}

/** An attempt that ran out of time (its message says how long it had). */
class AttemptTimeoutError extends Error {
  public override readonly name = 'AttemptTimeoutError';
}

/** An answer over the size bound. */
class ResponseTooLargeError extends Error {
  public override readonly name = 'ResponseTooLargeError';
}

/** DynamoDB's error name from `__type` (`com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`). */
const errorCode = (type: string): string => {
  const name = type.slice(type.lastIndexOf('#') + 1);
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(0, colon);
};

const parseJsonObject = (body: Buffer): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

const oneLine = (text: string): string => text.replace(/\p{Cc}+/gu, ' ').trim();

const describe = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code} (${error.message})` : error.message;
};
