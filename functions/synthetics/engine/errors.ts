import type { RequestTimings } from '../types/results';

/**
 * Errors raised inside the check engine. They never escape `runChecks` (a check's failure is a result,
 * not a rejection) but their `name` shows in step errors and logs, so they stay stable.
 */

/** A step (or the whole check) ran past its time budget: hung server, slow-drip body, slow redirect chain. */
export class StepTimeoutError extends Error {
  /** The budget that was exceeded, in milliseconds. */
  public readonly timeoutMs: number;
  public constructor(message: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StepTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The response body grew past the check's `maxBodyBytes`. */
export class ResponseTooLargeError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ResponseTooLargeError';
  }
}

/** A redirect chain was longer than the check's `maxRedirects`, or a redirect had no usable `Location`. */
export class RedirectError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedirectError';
  }
}

/** A step's template used a variable that is not defined (nor built in, nor extracted earlier). */
export class TemplateVariableError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateVariableError';
  }
}

/** A JSON path could not be parsed. */
export class JsonPathSyntaxError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JsonPathSyntaxError';
  }
}

/** The run was cancelled through `EngineOptions.signal`. */
export class CheckAbortedError extends Error {
  public constructor(message = 'check run aborted', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckAbortedError';
  }
}

/**
 * A network check could not connect: the address lookup, the TCP connection or the TLS handshake failed or
 * ran out of time. Its message names the layer (`DNS: …`, `TCP: …`, `TLS: …`).
 */
export class ProbeConnectionError extends Error {
  /** Phase timings measured before the failure. */
  public readonly timings: RequestTimings;
  public constructor(message: string, timings: RequestTimings, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeConnectionError';
    this.timings = timings;
  }
}
