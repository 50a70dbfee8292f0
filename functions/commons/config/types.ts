import type { z } from 'zod';
import type {
  assertionSchema,
  comparisonSchema,
  extractorSchema,
  retrySchema,
  secretRefSchema,
  severitySchema,
} from './check-schema';
import type { ResolvedSchedule } from './schedule';

/** `critical` | `warning` | `info`. */
export type Severity = z.output<typeof severitySchema>;
/** One assertion, after defaults. */
export type Assertion = z.output<typeof assertionSchema>;
/** A comparison operator. */
export type Comparison = z.output<typeof comparisonSchema>;
/** One extractor, after defaults. */
export type Extractor = z.output<typeof extractorSchema>;
/** A secret reference (Secrets Manager or SSM). */
export type SecretRef = z.output<typeof secretRefSchema>;

/** Retry settings with durations in milliseconds. */
export type ResolvedRetry = Omit<z.output<typeof retrySchema>, 'delay' | 'maxDelay'> & {
  readonly delayMs: number;
  readonly maxDelayMs: number;
};

/** A step with every default applied and durations in milliseconds. */
export interface ResolvedStep {
  readonly name: string;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
  };
  readonly extract: readonly Extractor[];
  readonly assert: readonly Assertion[];
  readonly timeoutMs: number;
  readonly degradedAfterMs?: number;
  readonly failedAfterMs?: number;
}

/**
 * A check as the engine runs it: inherited settings applied (check > group > defaults > built-ins),
 * health probes expanded into a step, durations in milliseconds. This is the data shipped to the Lambdas.
 */
export interface ResolvedCheck {
  readonly name: string;
  readonly type: 'api' | 'health';
  readonly description?: string;
  readonly group?: string;
  readonly schedule: ResolvedSchedule;
  readonly locations: readonly string[];
  readonly severity: Severity;
  readonly team: string;
  readonly runbookUrl?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly degradedAfterMs?: number;
  readonly failedAfterMs?: number;
  readonly retry: ResolvedRetry;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  readonly variables: Readonly<Record<string, string>>;
  readonly setup: readonly ResolvedStep[];
  readonly steps: readonly ResolvedStep[];
  readonly teardown: readonly ResolvedStep[];
  /**
   * Names of the secrets the check's own templates (steps and `variables`) reference. Secrets reached through
   * environment variables come on top: `checkSecretNames(check, environmentVariables)` gives the full list.
   */
  readonly secrets: readonly string[];
}
