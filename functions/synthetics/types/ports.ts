/**
 * Ports the check engine receives instead of reaching for AWS or globals (house rule 2).
 * Lambda, the CLI and tests each pass their own adapters.
 */

/** Resolves a secret named in config (`{{secrets.apiToken}}`) to its value. */
export type SecretResolver = (name: string) => Promise<string>;

/** A trace span: an X-Ray subsegment in Lambda, a local span elsewhere. */
export interface TraceSpan {
  /** The X-Ray trace id (`1-5759e988-bd862e3fe1be46a994272793`). */
  readonly traceId: string;
  /** Id of this span (16 hex chars), the parent of requests made inside it. */
  readonly spanId: string;
  /** Whether the trace is sampled. */
  readonly sampled: boolean;
  annotate(key: string, value: string | number | boolean): void;
  metadata(key: string, value: unknown): void;
  /** Records an HTTP call (method, url, status, content length) on the span. */
  http(request: { method: string; url: string }, response?: { status: number; contentLength: number }): void;
  fail(error: Error | string): void;
  child(name: string): TraceSpan;
  close(): void;
}

/** Starts the root span of one check. */
export interface Tracing {
  startCheck(checkName: string): TraceSpan;
}

/**
 * Keeps two runs of one shard from overlapping: a run takes the lease of its `{schedule, shard}` before it
 * starts and gives it back when it ends; a lease left by a run that died expires on its own.
 */
export interface RunLease {
  /** Takes `key` for `holder` until `untilMs` (epoch ms) unless another holder's lease has not expired. */
  acquire(key: string, holder: string, untilMs: number): Promise<boolean>;
  /** Gives `key` back if `holder` still holds it. */
  release(key: string, holder: string): Promise<void>;
}
