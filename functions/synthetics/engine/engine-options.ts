import type { Clock } from '../../commons/clock';
import type { SecretResolver, Tracing } from '../types/ports';
import type { CheckResult } from '../types/results';

/** What {@link runChecks} and {@link runCheck} need besides the checks: everything environment-specific. */
export interface EngineOptions {
  /** Value of `{{baseUrl}}`; step URLs starting with `/` are appended to it. */
  readonly baseUrl: string;
  /** Environment variables for templates (`{{apiVersion}}`); a check's own `variables` take precedence. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Checks run at once (bounded pool). Must be an integer >= 1. */
  readonly concurrency: number;
  /** Wall clock, monotonic timer and sleep (retry delays). @default the real clock */
  readonly clock?: Clock;
  /** Resolves `{{secrets.name}}`; each secret is resolved once per `runChecks` call. @default none: secret references fail the check */
  readonly secrets?: SecretResolver;
  /** Trace spans (X-Ray in Lambda). @default untraced: fresh ids are still sent in the trace headers */
  readonly tracing?: Tracing;
  /** Where the checks run from (an AWS region), copied into results. */
  readonly location?: string;
  /**
   * Called with each result as soon as its check finishes (to publish metrics while others still run).
   * Must not throw: if it does, `runChecks` rejects with that error once every check has finished.
   */
  readonly onResult?: (result: CheckResult) => void;
  /**
   * `'batch'`: the checks of one `runChecks` call share a keep-alive pool (`concurrency` connections per
   * origin), so most requests skip DNS/connect/TLS, like a long-lived client. `'check'`: every check opens
   * its own connections, so each one measures DNS, connect and TLS, like a new visitor (costs a
   * handshake per check). `runCheck` on its own always uses its own connections.
   * @default 'batch'
   */
  readonly reuseConnections?: 'batch' | 'check';
  /**
   * PEM CA certificates trusted besides Node's bundled roots (a private CA), by HTTPS steps and by `tcp`
   * and `tls` checks. @default Node's roots only
   */
  readonly trustedCertificates?: readonly string[];
  /**
   * How long after the batch starts each check (by index) may begin, to spread a schedule's checks over
   * its period. Give them in ascending order: a free slot takes the next check in order and waits for its
   * start, so no check waits behind a later one. @default every check as soon as a slot is free
   */
  readonly startOffsetsMs?: readonly number[];
  /** Aborts in-flight requests and skips checks not yet started; they are reported as failed. */
  readonly signal?: AbortSignal;
}

/** Maps the config's `runner.connections` (`reuse` | `fresh`) to {@link EngineOptions.reuseConnections}. */
export const reuseConnectionsFor = (connections: 'reuse' | 'fresh'): 'batch' | 'check' =>
  connections === 'fresh' ? 'check' : 'batch';
