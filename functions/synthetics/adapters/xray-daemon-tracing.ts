import { createSocket, type Socket } from 'node:dgram';
import { AWS_THROTTLING_ERROR_CODES } from '../../commons/aws/errors';
import {
  type AwsCall,
  type AwsCallOutcome,
  type AwsCallSpan,
  type TraceAwsCall,
  untracedAwsCalls,
} from '../../commons/aws-call-tracing';
import { newSpanId } from '../engine/trace-headers';
import { untracedSpan, untracedTracing } from '../engine/untraced-tracing';
import type { TraceSpan, Tracing } from '../types/ports';

/** Metadata namespace used on every subsegment. */
const NAMESPACE = 'vigil';
/** What the daemon expects before each document (the X-Ray SDK sends exactly this). */
const DAEMON_HEADER = '{"format":"json","version":1}\n';
/** The daemon's largest datagram (and X-Ray's largest segment document): 64 KiB. */
export const XRAY_MAX_DATAGRAM_BYTES = 65_536;
/** The daemon Lambda runs beside every function, when `AWS_XRAY_DAEMON_ADDRESS` is not set. */
const DEFAULT_DAEMON = { host: '127.0.0.1', port: 2000 } as const;

const VALID_TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const INVALID_TRACE_ID = /^1-0{8}-0{24}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** The X-Ray daemon's UDP address. */
export interface XrayDaemonAddress {
  readonly host: string;
  readonly port: number;
}

/** Thrown when `AWS_XRAY_DAEMON_ADDRESS` is not `host:port` nor `udp:host:port tcp:host:port`. */
export class XrayDaemonAddressError extends Error {
  public constructor(value: string) {
    super(
      `AWS_XRAY_DAEMON_ADDRESS '${value}' is not 'host:port' nor 'udp:host:port tcp:host:port' (port 1-65535)`,
    );
    this.name = 'XrayDaemonAddressError';
  }
}

/**
 * Parses `AWS_XRAY_DAEMON_ADDRESS` as the X-Ray SDK does: `127.0.0.1:2000`, or
 * `udp:127.0.0.1:2000 tcp:127.0.0.1:2001` (segments go over UDP). Unset or empty: `127.0.0.1:2000`.
 *
 * @throws {XrayDaemonAddressError} when the value is neither form
 */
export const parseDaemonAddress = (value: string | undefined): XrayDaemonAddress => {
  if (value === undefined || value.trim() === '') return DEFAULT_DAEMON;
  const parts = value.trim().split(/\s+/);
  const udp = parts.length === 1 ? parts[0] : parts.find((part) => part.startsWith('udp:'))?.slice(4);
  const match = udp === undefined ? null : /^([^\s:]+):(\d{1,5})$/.exec(udp);
  const port = Number(match?.[2]);
  if (!match || (parts.length === 1 && /^(udp|tcp):/.test(value.trim())) || port < 1 || port > 65_535) {
    throw new XrayDaemonAddressError(value);
  }
  return { host: match[1] as string, port };
};

/** The parts of `_X_AMZN_TRACE_ID` a check's spans hang from. */
interface LambdaTraceContext {
  readonly traceId: string;
  /** The Lambda function's (facade) segment id: the parent of the handler's subsegment. */
  readonly parentId: string;
  readonly sampled: boolean;
}

/** `Root=1-…;Parent=…;Sampled=1[;Lineage=…]` → its parts, or undefined when the root or parent is not valid. */
const parseTraceHeader = (header: string | undefined): LambdaTraceContext | undefined => {
  if (!header) return undefined;
  let traceId: string | undefined;
  let parentId: string | undefined;
  let sampled = false;
  for (const field of header.split(';')) {
    const at = field.indexOf('=');
    const key = field.slice(0, at).trim();
    const value = field.slice(at + 1).trim();
    if (key === 'Root') traceId = value;
    else if (key === 'Parent') parentId = value;
    else if (key === 'Sampled') sampled = value === '1';
  }
  if (!traceId || !VALID_TRACE_ID.test(traceId) || INVALID_TRACE_ID.test(traceId)) return undefined;
  if (!parentId || !SPAN_ID.test(parentId)) return undefined;
  return { traceId, parentId, sampled };
};

/** An X-Ray (sub)segment document, as far as Vigil fills it. */
interface SubsegmentDocument {
  name: string;
  id: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  trace_id?: string;
  parent_id?: string;
  type?: 'subsegment';
  namespace?: 'remote' | 'aws';
  http?: {
    request?: { method: string; url: string };
    response?: { status: number; content_length?: number };
  };
  /** An AWS call's details, as the X-Ray SDK records them. */
  aws?: Record<string, string | number>;
  annotations?: Record<string, string | number | boolean>;
  metadata?: { [NAMESPACE]: Record<string, unknown> };
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  cause?: { exceptions: { id: string; message: string; type: string; remote?: true }[] };
  subsegments?: SubsegmentDocument[];
}

/** Sends one datagram (header + document) to the daemon. */
type Send = (datagram: string) => void;

/**
 * As the X-Ray SDK's `addError`: a fault, with the failure as the first exception of the cause (`remote`
 * when a called service returned it).
 */
const addFailure = (doc: SubsegmentDocument, error: Error | string, remote = false): void => {
  doc.fault = true;
  const exception =
    typeof error === 'string'
      ? { id: newSpanId(), message: error, type: 'CheckFailure' }
      : { id: newSpanId(), message: error.message, type: error.name };
  doc.cause ??= { exceptions: [] };
  doc.cause.exceptions.unshift(remote ? { ...exception, remote: true } : exception);
};

/** An AWS call's outcome on its document, as the X-Ray SDK's v3 client middleware records it. */
const recordAwsOutcome = (doc: SubsegmentDocument, outcome: AwsCallOutcome): void => {
  const { httpStatus: status, requestId, retries, error } = outcome;
  doc.aws = { ...doc.aws, ...(requestId !== undefined ? { request_id: requestId } : {}), retries };
  if (status !== undefined) doc.http = { response: { status } };
  // An SDK service error is named after its code; Vigil's lean clients' errors carry it as `code`.
  const code = (error as { code?: unknown } | undefined)?.code;
  const errorCode = typeof code === 'string' ? code : error?.name;
  if (status === 429 || (errorCode !== undefined && AWS_THROTTLING_ERROR_CODES.has(errorCode)))
    doc.throttle = true;
  if (status !== undefined && status >= 400 && status < 500) doc.error = true;
  if (error === undefined) {
    if (status !== undefined && status >= 500) doc.fault = true;
    return;
  }
  // A 4xx is the caller's error, not a fault; a 5xx or no response at all is a fault.
  const exception = { id: newSpanId(), message: error.message, type: error.name, remote: true as const };
  doc.cause = { exceptions: [exception] };
  if (!doc.error) doc.fault = true;
};

/** Where a check's document goes when it closes. */
interface CheckRoot {
  /** Its trace and the id of the (sub)segment it hangs from. */
  readonly parent: SubsegmentParent;
  readonly send: Send;
}

/** The trace a document belongs to and the (sub)segment it hangs from. */
interface SubsegmentParent {
  readonly traceId: string;
  readonly parentId: string;
}

/** A {@link TraceSpan} that builds its subsegment document; the check's root span sends it when it closes. */
class DaemonSpan implements TraceSpan {
  public readonly spanId = newSpanId();
  public readonly sampled = true;
  readonly #doc: SubsegmentDocument;
  readonly #children: DaemonSpan[] = [];
  readonly #now: () => number;
  /** Set on the check's span only: what it hangs from and where its closed document goes. */
  readonly #root: CheckRoot | undefined;

  public constructor(
    public readonly traceId: string,
    name: string,
    now: () => number,
    root?: CheckRoot,
  ) {
    this.#now = now;
    this.#root = root;
    this.#doc = { name, id: this.spanId, start_time: now() / 1000 };
  }

  public annotate(key: string, value: string | number | boolean): void {
    this.#doc.annotations ??= {};
    this.#doc.annotations[key] = value;
  }

  public metadata(key: string, value: unknown): void {
    this.#doc.metadata ??= { [NAMESPACE]: {} };
    this.#doc.metadata[NAMESPACE][key] = value;
  }

  public http(
    request: { method: string; url: string },
    response?: { status: number; contentLength: number },
  ): void {
    this.#doc.namespace = 'remote';
    this.#doc.http = {
      request: { method: request.method, url: request.url },
      ...(response ? { response: { status: response.status, content_length: response.contentLength } } : {}),
    };
    if (!response) return;
    if (response.status === 429) this.#doc.throttle = true;
    if (response.status >= 400 && response.status < 500) this.#doc.error = true;
    if (response.status >= 500) this.#doc.fault = true;
  }

  /** As the X-Ray SDK's `addError`: a fault, with the failure as the cause's exception. */
  public fail(error: Error | string): void {
    addFailure(this.#doc, error);
  }

  public child(name: string): TraceSpan {
    const span = new DaemonSpan(this.traceId, `step ${name}`, this.#now);
    this.#children.push(span);
    return span;
  }

  public close(): void {
    if (this.#doc.end_time !== undefined) return;
    this.#doc.end_time = this.#now() / 1000;
    if (this.#root) sendCheck(this.#root.parent, this.document(), this.#root.send);
  }

  /** This span's document with its children nested (an unclosed child marked `in_progress`). */
  public document(): SubsegmentDocument {
    const doc = this.#doc;
    if (doc.end_time === undefined) doc.in_progress = true;
    if (this.#children.length > 0) doc.subsegments = this.#children.map((child) => child.document());
    return doc;
  }
}

/** The document as the daemon reads it: its header line, then the JSON. */
const datagram = (doc: SubsegmentDocument): string => `${DAEMON_HEADER}${JSON.stringify(doc)}`;

/** Fits a lone document under the limit by dropping its metadata (the annotations, flags and http stay). */
const fitted = (doc: SubsegmentDocument): string => {
  const whole = datagram(doc);
  if (Buffer.byteLength(whole) <= XRAY_MAX_DATAGRAM_BYTES) return whole;
  const { metadata: _dropped, ...lean } = doc;
  return datagram({ ...lean, metadata: { [NAMESPACE]: { truncated: true } } });
};

/**
 * Sends a check's subsegment with its steps nested, in one datagram; when that exceeds the daemon's 64 KiB,
 * the check and each step go as independent subsegments (`parent_id` naming the check).
 */
const sendCheck = (parent: SubsegmentParent, doc: SubsegmentDocument, send: Send): void => {
  const independent = { trace_id: parent.traceId, type: 'subsegment' as const };
  const whole = datagram({ ...doc, ...independent, parent_id: parent.parentId });
  if (Buffer.byteLength(whole) <= XRAY_MAX_DATAGRAM_BYTES) {
    send(whole);
    return;
  }
  const { subsegments = [], ...check } = doc;
  send(fitted({ ...check, ...independent, parent_id: parent.parentId }));
  for (const step of subsegments) send(fitted({ ...step, ...independent, parent_id: doc.id }));
};

/** Where the adapter reads the trace and sends the documents. */
export interface XrayDaemonTracingOptions {
  /** The current `_X_AMZN_TRACE_ID` (Lambda sets it anew for every invocation, so it is read per use). */
  readonly traceHeader: () => string | undefined;
  /** The daemon's address (see {@link parseDaemonAddress}). */
  readonly daemon: XrayDaemonAddress;
  /** Epoch milliseconds for the documents' times. @default Date.now */
  readonly now?: () => number;
  /** The handler subsegment's name is `## <handler>` (Lambda's `_HANDLER`). @default 'handler' */
  readonly handler?: string;
  /** The handler subsegment's `Service` annotation (`POWERTOOLS_SERVICE_NAME`). @default 'service_undefined' */
  readonly service?: string;
  /**
   * Whether the first invocation is a cold start, as Powertools decides it: only in an `on-demand`
   * environment (`AWS_LAMBDA_INITIALIZATION_TYPE`); a provisioned one is never annotated cold. @default true
   */
  readonly onDemand?: boolean;
}

/** The invocation's open `## <handler>` subsegment. */
interface Invocation {
  readonly context: LambdaTraceContext;
  readonly doc: SubsegmentDocument;
}

/** The handler tracing middleware, as middy calls it. */
export interface InvocationTracingMiddleware {
  before(): void;
  after(): void;
  onError(request: { readonly error: unknown }): void;
}

/**
 * Tracing that writes X-Ray segment documents straight to the daemon over UDP, without the X-Ray SDK:
 * - {@link captureLambdaHandler}: the invocation's `## <handler>` subsegment (`parent_id` the Lambda
 *   function's segment, from `_X_AMZN_TRACE_ID`'s `Parent`), annotated `ColdStart` and `Service`, with the
 *   error as fault and cause when the handler throws; the response is not recorded. As Powertools'
 *   `captureLambdaHandler` makes it.
 * - {@link startCheck}: one `check <name>` subsegment per check, under the handler's subsegment (or the
 *   function's segment outside a traced handler), with its `step <name>` subsegments nested (namespace
 *   `remote`, HTTP request/response, `error`/`fault`/`throttle` flags, a `cause` on failure), annotated with
 *   `check`, `step`, `status` and `attempt`, sent in one datagram when the check ends. Each span's id is
 *   the `Parent` of the trace headers the engine sends, so the backend's trace joins it.
 * - {@link traceAwsCall}: one `aws` subsegment per AWS call (name the service; `aws.operation`, `region`,
 *   `request_id`, `retries` and resource names; the HTTP status; `error`/`fault`/`throttle`; the cause), as
 *   the X-Ray SDK's `captureAWSv3Client` makes it.
 *
 * A trace that is not sampled (`Sampled=0`) sends nothing, its requests' headers say `Sampled=0`; with no
 * valid trace header the spans are untraced and still send fresh trace headers. One UDP socket, reused
 * and unref'd, so it never keeps the process alive. One invocation at a time, as Lambda runs a Node.js
 * function: `_X_AMZN_TRACE_ID` is the process's.
 *
 * @example
 * const tracing = new XrayDaemonTracing({ traceHeader: () => process.env._X_AMZN_TRACE_ID, daemon });
 * const handler = chainHandler(run, { logger, tracing: tracing.captureLambdaHandler() });
 * const results = await runChecks(checks, { ...options, tracing });
 */
export class XrayDaemonTracing implements Tracing {
  readonly #options: XrayDaemonTracingOptions;
  readonly #now: () => number;
  readonly #fallback: Tracing;
  #socket: Socket | undefined;
  #coldStart: boolean;
  #invocation: Invocation | undefined;

  public constructor(options: XrayDaemonTracingOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#fallback = untracedTracing(this.#now);
    this.#coldStart = options.onDemand ?? true;
  }

  public startCheck(checkName: string): TraceSpan {
    const context = parseTraceHeader(this.#options.traceHeader());
    if (!context) return this.#fallback.startCheck(checkName);
    if (!context.sampled) return untracedSpan(context.traceId);
    return new DaemonSpan(context.traceId, `check ${checkName}`, this.#now, {
      parent: this.#parentOf(context),
      send: this.#send,
    });
  }

  /** Traces one AWS call as an `aws` subsegment: a {@link TraceAwsCall}, to hand to AWS clients. */
  public readonly traceAwsCall: TraceAwsCall = (call: AwsCall): AwsCallSpan => {
    const context = parseTraceHeader(this.#options.traceHeader());
    if (!context?.sampled) return untracedAwsCalls(call);
    const parent = this.#parentOf(context);
    const doc: SubsegmentDocument = {
      name: call.service,
      id: newSpanId(),
      start_time: this.#now() / 1000,
      trace_id: parent.traceId,
      parent_id: parent.parentId,
      type: 'subsegment',
      namespace: 'aws',
      aws: { operation: call.operation, region: call.region, ...call.resources },
    };
    return {
      end: (outcome) => {
        if (doc.end_time !== undefined) return;
        doc.end_time = this.#now() / 1000;
        recordAwsOutcome(doc, outcome);
        this.#send(fitted(doc));
      },
    };
  };

  /**
   * The middy middleware that traces each invocation as its `## <handler>` subsegment (see the class);
   * the checks and AWS calls made during the invocation hang from it.
   */
  public captureLambdaHandler(): InvocationTracingMiddleware {
    return {
      before: () => {
        const context = parseTraceHeader(this.#options.traceHeader());
        const coldStart = this.#coldStart;
        this.#coldStart = false;
        this.#invocation = undefined;
        if (!context?.sampled) return;
        const doc: SubsegmentDocument = {
          name: `## ${this.#options.handler ?? 'handler'}`,
          id: newSpanId(),
          start_time: this.#now() / 1000,
          trace_id: context.traceId,
          parent_id: context.parentId,
          type: 'subsegment',
          annotations: { ColdStart: coldStart, Service: this.#options.service ?? 'service_undefined' },
        };
        this.#invocation = { context, doc };
      },
      after: () => this.#endInvocation(),
      onError: (request) => {
        if (this.#invocation) {
          const { error } = request;
          addFailure(this.#invocation.doc, error instanceof Error ? error : String(error));
        }
        this.#endInvocation();
      },
    };
  }

  #endInvocation(): void {
    const invocation = this.#invocation;
    this.#invocation = undefined;
    if (!invocation) return;
    invocation.doc.end_time = this.#now() / 1000;
    this.#send(fitted(invocation.doc));
  }

  /** The handler's subsegment while this trace's invocation is open, else the function's segment. */
  #parentOf(context: LambdaTraceContext): SubsegmentParent {
    const invocation = this.#invocation;
    const open =
      invocation !== undefined &&
      invocation.context.traceId === context.traceId &&
      invocation.context.parentId === context.parentId;
    return { traceId: context.traceId, parentId: open ? invocation.doc.id : context.parentId };
  }

  readonly #send: Send = (data) => {
    if (!this.#socket) {
      const socket = createSocket('udp4');
      // A lost trace is not worth a failed run: the next document gets a new socket.
      socket.on('error', () => {
        socket.close();
        if (this.#socket === socket) this.#socket = undefined;
      });
      socket.unref();
      this.#socket = socket;
    }
    const { host, port } = this.#options.daemon;
    this.#socket.send(data, port, host);
  };
}

/**
 * The runner Lambda's tracing: X-Ray documents to the daemon at `AWS_XRAY_DAEMON_ADDRESS` (read once),
 * under the invocation's `_X_AMZN_TRACE_ID` (read per use), the handler subsegment named after `_HANDLER`
 * and annotated with `POWERTOOLS_SERVICE_NAME`; untraced (no document, fresh unsampled trace headers) when
 * `POWERTOOLS_TRACE_ENABLED=false`, as Powertools Tracer would be.
 *
 * @throws {XrayDaemonAddressError} when `AWS_XRAY_DAEMON_ADDRESS` is malformed
 * @example
 * const tracing = createXrayDaemonTracing();
 */
export const createXrayDaemonTracing = (env: NodeJS.ProcessEnv = process.env): XrayDaemonTracing => {
  const enabled = env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
  const service = env.POWERTOOLS_SERVICE_NAME?.trim();
  return new XrayDaemonTracing({
    traceHeader: enabled ? () => env._X_AMZN_TRACE_ID : () => undefined,
    daemon: enabled ? parseDaemonAddress(env.AWS_XRAY_DAEMON_ADDRESS) : DEFAULT_DAEMON,
    ...(env._HANDLER ? { handler: env._HANDLER } : {}),
    ...(service ? { service } : {}),
    onDemand: env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() === 'on-demand',
  });
};
