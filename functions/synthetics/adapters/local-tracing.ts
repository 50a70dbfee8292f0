import { newSpanId, newXrayTraceId } from '../engine/trace-headers';
import type { TraceSpan, Tracing } from '../types/ports';

/** A finished local span, as handed to {@link LocalTracingOptions.onSpanEnd}. */
export interface LocalSpanRecord {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId?: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly annotations: Readonly<Record<string, string | number | boolean>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly http?: {
    readonly request: { readonly method: string; readonly url: string };
    readonly response?: { readonly status: number; readonly contentLength: number };
  };
  readonly error?: string;
}

/** Options of {@link LocalTracing}. */
export interface LocalTracingOptions {
  /** Receives each span when it closes (the CLI can print or collect them). @default spans are dropped */
  readonly onSpanEnd?: (span: LocalSpanRecord) => void;
  /** The `Sampled` flag sent in the trace headers. @default true, so a locally traced backend records the call */
  readonly sampled?: boolean;
  /** Epoch milliseconds, for the trace id's time part and span times. @default Date.now */
  readonly now?: () => number;
}

class LocalSpan implements TraceSpan {
  public readonly spanId = newSpanId();
  readonly #annotations: Record<string, string | number | boolean> = {};
  readonly #metadata: Record<string, unknown> = {};
  #http: LocalSpanRecord['http'];
  #error: string | undefined;
  #closed = false;
  readonly #startMs: number;

  public constructor(
    private readonly name: string,
    public readonly traceId: string,
    public readonly sampled: boolean,
    private readonly options: LocalTracingOptions,
    private readonly parentId?: string,
  ) {
    this.#startMs = (options.now ?? Date.now)();
  }

  public annotate(key: string, value: string | number | boolean): void {
    this.#annotations[key] = value;
  }

  public metadata(key: string, value: unknown): void {
    this.#metadata[key] = value;
  }

  public http(
    request: { method: string; url: string },
    response?: { status: number; contentLength: number },
  ): void {
    this.#http = { request, ...(response ? { response } : {}) };
  }

  public fail(error: Error | string): void {
    this.#error = typeof error === 'string' ? error : `${error.name}: ${error.message}`;
  }

  public child(name: string): TraceSpan {
    return new LocalSpan(`step ${name}`, this.traceId, this.sampled, this.options, this.spanId);
  }

  public close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.options.onSpanEnd?.({
      name: this.name,
      traceId: this.traceId,
      spanId: this.spanId,
      ...(this.parentId !== undefined ? { parentId: this.parentId } : {}),
      startMs: this.#startMs,
      endMs: (this.options.now ?? Date.now)(),
      annotations: { ...this.#annotations },
      metadata: { ...this.#metadata },
      ...(this.#http ? { http: this.#http } : {}),
      ...(this.#error !== undefined ? { error: this.#error } : {}),
    });
  }
}

/**
 * {@link Tracing} for local runs (CLI, `npm start`, tests): mints valid X-Ray trace and span ids so the
 * checks send `X-Amzn-Trace-Id` and `traceparent` exactly as in Lambda, and reports finished spans to
 * an optional callback instead of a daemon.
 *
 * @example
 * const tracing = new LocalTracing({ onSpanEnd: (span) => spans.push(span) });
 */
export class LocalTracing implements Tracing {
  readonly #options: LocalTracingOptions;

  public constructor(options: LocalTracingOptions = {}) {
    this.#options = options;
  }

  public startCheck(checkName: string): TraceSpan {
    const traceId = newXrayTraceId((this.#options.now ?? Date.now)());
    return new LocalSpan(`check ${checkName}`, traceId, this.#options.sampled ?? true, this.#options);
  }
}
