import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Segment, Subsegment } from 'aws-xray-sdk-core';
import { untracedTracing } from '../engine/untraced-tracing';
import type { TraceSpan, Tracing } from '../types/ports';

/** Metadata namespace used on every subsegment. */
const NAMESPACE = 'vigil';
const VALID_TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const INVALID_TRACE_ID = /^1-0{8}-0{24}$/;

/** Wraps a message in its own Error so X-Ray never links two spans' failures as one exception. */
const asError = (error: Error | string): Error => {
  if (typeof error !== 'string') return error;
  const wrapped = new Error(error);
  wrapped.name = 'CheckFailure';
  wrapped.stack = `CheckFailure: ${error}`;
  return wrapped;
};

/** A {@link TraceSpan} backed by one X-Ray subsegment. */
class XraySpan implements TraceSpan {
  readonly #subsegment: Subsegment;
  public readonly traceId: string;
  public readonly spanId: string;
  public readonly sampled: boolean;

  public constructor(subsegment: Subsegment, traceId: string) {
    this.#subsegment = subsegment;
    this.traceId = traceId;
    this.spanId = subsegment.id;
    this.sampled = !subsegment.notTraced && subsegment.segment?.notTraced !== true;
  }

  public annotate(key: string, value: string | number | boolean): void {
    this.#subsegment.addAnnotation(key, value);
  }

  public metadata(key: string, value: unknown): void {
    this.#subsegment.addMetadata(key, value, NAMESPACE);
  }

  public http(
    request: { method: string; url: string },
    response?: { status: number; contentLength: number },
  ): void {
    this.#subsegment.namespace = 'remote';
    this.#subsegment.addAttribute('http', {
      request: { method: request.method, url: request.url },
      ...(response ? { response: { status: response.status, content_length: response.contentLength } } : {}),
    });
    if (!response) return;
    if (response.status === 429) this.#subsegment.addThrottleFlag();
    if (response.status >= 400 && response.status < 500) this.#subsegment.addErrorFlag();
    if (response.status >= 500) this.#subsegment.addFaultFlag();
  }

  public fail(error: Error | string): void {
    this.#subsegment.addError(asError(error));
  }

  public child(name: string): TraceSpan {
    return new XraySpan(this.#subsegment.addNewSubsegment(`step ${name}`), this.traceId);
  }

  public close(): void {
    this.#subsegment.close();
  }
}

/**
 * {@link Tracing} over Powertools Tracer: one X-Ray subsegment per check (`check <name>`) and one per step
 * (`step <name>`, namespace `remote`, with HTTP request/response data), annotated with `check`, `step`,
 * `status` (and `attempt` on steps). Subsegments are created explicitly off the segment current when the
 * check starts, never set as the active segment, so concurrent checks cannot trample each other's context.
 * Each span's id is the `Parent` of the trace headers the engine sends, so the backend's trace joins it.
 *
 * When tracing is disabled (outside Lambda, `POWERTOOLS_TRACE_ENABLED=false`) or there is no valid
 * trace, falls back to untraced spans that still send fresh trace headers.
 *
 * @example
 * const results = await runChecks(checks, { ...options, tracing: new XrayTracing(tracer) });
 */
export class XrayTracing implements Tracing {
  readonly #tracer: Tracer;
  readonly #fallback = untracedTracing();

  public constructor(tracer: Tracer) {
    this.#tracer = tracer;
  }

  public startCheck(checkName: string): TraceSpan {
    if (!this.#tracer.isTracingEnabled()) return this.#fallback.startCheck(checkName);
    const parent = this.#tracer.getSegment() as Segment | Subsegment | undefined;
    if (!parent) return this.#fallback.startCheck(checkName);
    const traceId = 'trace_id' in parent ? parent.trace_id : parent.segment?.trace_id;
    if (!traceId || !VALID_TRACE_ID.test(traceId) || INVALID_TRACE_ID.test(traceId)) {
      return this.#fallback.startCheck(checkName);
    }
    return new XraySpan(parent.addNewSubsegment(`check ${checkName}`), traceId);
  }
}

/**
 * Creates the X-Ray {@link Tracing} for the runner Lambda.
 *
 * @example
 * const tracing = createXRayTracing(tracer);
 */
export const createXRayTracing = (tracer: Tracer): Tracing => new XrayTracing(tracer);
