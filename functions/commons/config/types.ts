import type { z } from 'zod';
import type { Severity } from '../severity';
import type {
  assertionSchema,
  comparisonSchema,
  dnsAssertionSchema,
  dnsRecordTypeSchema,
  extractorSchema,
  retrySchema,
  secretRefSchema,
  textMatchSchema,
  tlsVersionSchema,
} from './check-schema';
import type { ResolvedSchedule } from './schedule';

/** One assertion, after defaults. */
export type Assertion = z.output<typeof assertionSchema>;
/** A comparison operator. */
export type Comparison = z.output<typeof comparisonSchema>;
/** One extractor, after defaults. */
export type Extractor = z.output<typeof extractorSchema>;
/** A secret reference (Secrets Manager or SSM). */
export type SecretRef = z.output<typeof secretRefSchema>;

/** Text compared with a banner or an issuer. */
export type TextMatch = z.output<typeof textMatchSchema>;
/** A DNS record type (`A`, `MX`, ...). */
export type DnsRecordType = z.output<typeof dnsRecordTypeSchema>;
/** One assertion on a DNS answer. */
export type DnsAssertion = z.output<typeof dnsAssertionSchema>;
/** A TLS protocol version (`TLSv1.2`). */
export type TlsVersion = z.output<typeof tlsVersionSchema>;

/** What a `tcp` check does, durations in milliseconds. */
export interface ResolvedTcpProbe {
  readonly type: 'tcp';
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly servername?: string;
  readonly send?: string;
  readonly expect?: TextMatch;
  /** DNS + connect (+ TLS handshake) budget. */
  readonly connectTimeoutMs: number;
  /** The whole exchange. */
  readonly timeoutMs: number;
}

/** What a `dns` check asks. `resolvers` empty: the system's. */
export interface ResolvedDnsProbe {
  readonly type: 'dns';
  readonly query: string;
  readonly recordType: DnsRecordType;
  readonly resolvers: readonly string[];
  readonly assert: readonly DnsAssertion[];
  readonly timeoutMs: number;
}

/** What a `tls` check verifies. */
export interface ResolvedTlsProbe {
  readonly type: 'tls';
  readonly host: string;
  readonly port: number;
  readonly servername?: string;
  readonly warningDays: number;
  readonly criticalDays: number;
  readonly minProtocol?: TlsVersion;
  readonly issuer?: TextMatch;
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
}

/** The network-level probe of a `tcp`, `dns` or `tls` check. */
export type ResolvedProbe = ResolvedTcpProbe | ResolvedDnsProbe | ResolvedTlsProbe;

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

/** "N failed runs out of the last M", resolved: `outOf` >= `failures`. */
export interface ResolvedFailWhen {
  readonly failures: number;
  readonly outOf: number;
}

/**
 * A check as the engine runs it: inherited settings applied (check > group > defaults > built-ins),
 * health probes expanded into a step, network checks into a `probe`, durations in milliseconds. This is the data shipped to the Lambdas.
 */
export interface ResolvedCheck {
  readonly name: string;
  readonly type: 'api' | 'health' | ResolvedProbe['type'];
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
  /** The failure alarm fires when `failures` of the last `outOf` runs failed. */
  readonly failWhen: ResolvedFailWhen;
  readonly retry: ResolvedRetry;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  readonly variables: Readonly<Record<string, string>>;
  readonly setup: readonly ResolvedStep[];
  readonly steps: readonly ResolvedStep[];
  readonly teardown: readonly ResolvedStep[];
  /** What a `tcp`, `dns` or `tls` check probes (their `setup`, `steps` and `teardown` are empty). */
  readonly probe?: ResolvedProbe;
  /**
   * Names of the secrets the check's own templates (steps and `variables`) reference. Secrets reached through
   * environment variables come on top: `checkSecretNames(check, environmentVariables)` gives the full list.
   */
  readonly secrets: readonly string[];
}
