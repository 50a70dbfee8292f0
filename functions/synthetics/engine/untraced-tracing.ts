import type { TraceSpan, Tracing } from '../types/ports';
import { newSpanId, newXrayTraceId } from './trace-headers';

/** A span that records nothing: one object with shared methods, not seven closures per span. */
class UntracedSpan implements TraceSpan {
  public readonly traceId: string;
  public readonly spanId = newSpanId();
  public readonly sampled = false;

  public constructor(traceId: string) {
    this.traceId = traceId;
  }

  public annotate(): void {}
  public metadata(): void {}
  public http(): void {}
  public fail(): void {}
  public child(): TraceSpan {
    return new UntracedSpan(this.traceId);
  }
  public close(): void {}
}

/**
 * A span of trace `traceId` that records nothing and is marked not sampled: what a tracing adapter hands
 * out when the trace it joins is not sampled, so requests still carry the trace with `Sampled=0`.
 */
export const untracedSpan = (traceId: string): TraceSpan => new UntracedSpan(traceId);

/**
 * The engine's default {@link Tracing} when none is given: records nothing, but still mints valid X-Ray
 * trace and span ids (marked not sampled) so every request carries `X-Amzn-Trace-Id` and `traceparent`.
 */
export const untracedTracing = (now: () => number = Date.now): Tracing => ({
  startCheck: () => new UntracedSpan(newXrayTraceId(now())),
});
