/** Outcome of a check, a step or an attempt. `degraded`: it worked, but slower than its threshold. */
export type CheckStatus = 'passed' | 'degraded' | 'failed';

/** Which part of a journey a step belongs to. Teardown always runs; its failure is reported, not hidden. */
export type StepPhase = 'setup' | 'main' | 'teardown';

/**
 * Per-request phase timings in milliseconds, from `node:http(s)` socket events. Phases that did not
 * happen (a reused connection has no DNS/connect/TLS, plain HTTP has no TLS) are 0.
 */
export interface RequestTimings {
  readonly dnsMs: number;
  readonly connectMs: number;
  readonly tlsMs: number;
  readonly firstByteMs: number;
  readonly downloadMs: number;
  readonly totalMs: number;
}

/** One assertion's outcome: what was expected, what was seen. */
export interface AssertionResult {
  readonly ok: boolean;
  readonly description: string;
  readonly expected: unknown;
  readonly actual: unknown;
  /** The failure in words when `ok` is false, e.g. `dependency 'redis' is down`. */
  readonly message?: string;
}

/** The certificate a server presented on a TLS connection (an HTTPS step, a `tls` or TLS `tcp` check). */
export interface CertificateInfo {
  /** Subject, e.g. `CN=shop.example.com`. */
  readonly subject: string;
  /** Issuer, e.g. `CN=R11, O=Let's Encrypt, C=US`. */
  readonly issuer: string;
  /** Start of validity, ISO 8601. */
  readonly validFrom: string;
  /** End of validity, ISO 8601. */
  readonly validTo: string;
  /** Whole days left until `validTo`, negative once expired (the `CertificateDaysToExpiry` metric). */
  readonly daysToExpiry: number;
  /** Negotiated protocol, e.g. `TLSv1.3`. */
  readonly protocol?: string;
}

/**
 * One step's outcome. URLs and headers are redacted. A `tcp`, `dns` or `tls` check has one step, named after
 * its kind, whose `request` is `{ method: 'TCP' | 'DNS' | 'TLS', url: 'tcp://host:port' | 'dns://…' | 'tls://…' }`.
 */
export interface StepResult {
  readonly name: string;
  readonly phase: StepPhase;
  readonly status: CheckStatus;
  readonly durationMs: number;
  readonly timings: RequestTimings;
  readonly request: { readonly method: string; readonly url: string };
  readonly statusCode?: number;
  readonly responseBytes: number;
  readonly redirects: number;
  readonly assertions: readonly AssertionResult[];
  /** The server certificate, when the step spoke TLS. */
  readonly certificate?: CertificateInfo;
  /** Why the step failed outside assertions: timeout, connection refused, body too large, ... */
  readonly error?: string;
}

/** One attempt at a whole check (a check with retries has several). */
export interface AttemptResult {
  readonly attempt: number;
  readonly status: CheckStatus;
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  readonly error?: string;
}

/**
 * A check's outcome. `status` and `steps` are those of the final attempt; `durationMs` is the whole check
 * (every attempt and the waits between them), each attempt's own time is in `attempts`.
 */
export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly startedAt: string;
  /** The whole check: secret resolution, every attempt and the retry waits between them. */
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  /** Status of the first attempt, before retries: what users see as flakiness. */
  readonly firstAttemptStatus: CheckStatus;
  /** Attempts beyond the first. */
  readonly retries: number;
  readonly attempts: readonly AttemptResult[];
  /** The first failing step and assertion, in words: `search: $.flights.length expected > 0, got 0`. */
  readonly error?: string;
  /** X-Ray trace id sent with the check's requests. */
  readonly traceId?: string;
  readonly severity: string;
  readonly team: string;
  readonly location?: string;
}
