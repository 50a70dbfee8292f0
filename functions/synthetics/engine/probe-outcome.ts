import type { TextMatch } from '../../commons/config/types';
import type { AssertionResult, CertificateInfo, RequestTimings } from '../types/results';
import { BoundedCache } from './bounded-cache';

/** What a network probe needs from the run: the clocks, its time budget, a stop signal, extra CAs. */
export interface ProbeEnvironment {
  /** Wall clock (epoch ms): certificate validity is judged against it. */
  readonly now: () => number;
  /** The probe's whole budget: its timeout, or what is left of the check's if less. */
  readonly budgetMs: number;
  readonly signal?: AbortSignal;
  /** PEM CA certificates trusted besides Node's roots. */
  readonly trustedCertificates?: readonly string[];
}

/** What a network probe found; the check runner makes it a step of the check's result. */
export interface ProbeOutcome {
  /** `TCP`, `DNS` or `TLS`: the step's `request.method`. */
  readonly method: 'TCP' | 'DNS' | 'TLS';
  /** `tcp://host:port`, `dns://resolver/name?type=MX`, `tls://host:port`: the step's `request.url`. */
  readonly url: string;
  readonly timings: RequestTimings;
  readonly assertions: readonly AssertionResult[];
  /** Bytes received (a TCP banner, a DNS answer's records as text). */
  readonly responseBytes: number;
  readonly certificate?: CertificateInfo;
  /** Why the probe failed, in words naming the layer. */
  readonly error?: string;
  /** Why it only degraded (a certificate inside its warning window). */
  readonly warning?: string;
}

/** The failed assertions' messages, each said once, joined; `undefined` when every one held. */
export const failureMessage = (assertions: readonly AssertionResult[]): string | undefined => {
  const failed = assertions.filter((assertion) => !assertion.ok);
  return failed.length === 0
    ? undefined
    : [...new Set(failed.map((assertion) => assertion.message ?? `expected ${assertion.description}`))].join(
        '; ',
      );
};

/** Distinct `matches` patterns kept compiled (a run checks the same few patterns on every check). */
const MAX_CACHED_PATTERNS = 256;

const patterns = new BoundedCache<string, RegExp>(MAX_CACHED_PATTERNS);

/** The regular expression of a `matches` comparison, compiled once per distinct source. */
export const pattern = (source: string): RegExp => patterns.get(source, (text) => new RegExp(text));

/** Whether `text` satisfies a `contains` / `equals` / `matches` (regex) comparison. */
export const textMatches = (text: string, match: TextMatch): boolean =>
  match.op === 'equals'
    ? text.trim() === match.value
    : match.op === 'matches'
      ? pattern(match.value).test(text)
      : text.includes(match.value);

/** `contains "220 "`, `matches /^SSH-2\.0/`: how a comparison reads in a result. */
export const describeMatch = (match: TextMatch): string =>
  match.op === 'matches' ? `matches /${match.value}/` : `${match.op} ${JSON.stringify(match.value)}`;

/** `does not contain "220 "`, `does not match /^SSH/`: a failed comparison in words. */
export const describeMismatch = (match: TextMatch): string =>
  `does not ${match.op === 'contains' ? 'contain' : match.op === 'equals' ? 'equal' : 'match'} ${
    match.op === 'matches' ? `/${match.value}/` : JSON.stringify(match.value)
  }`;
