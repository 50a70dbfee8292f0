import { CHECK_METRICS } from '../metrics/metric-catalog';
import type { ResolvedCheck } from './types';

/**
 * The metric a check's record carries (at every metrics level) when a step spoke TLS: the fewest days until
 * a certificate the check saw expires, so certificate expiry is watched without writing a `tls` check.
 */
export const CERTIFICATE_METRIC = CHECK_METRICS.certificateDaysToExpiry;

/** What {@link checkStepNames} and {@link speaksTls} read of a check. */
export type CheckStepSource = Pick<ResolvedCheck, 'setup' | 'steps' | 'teardown' | 'probe'>;

/**
 * The names of the steps a check's results carry, in order: its setup, main and teardown steps, or, for a
 * `tcp`, `dns` or `tls` check, its one probe step, named after its kind. Every per-step count (metrics,
 * cost, dashboard lines) reads it, so a network check counts as the one step it runs.
 *
 * @example
 * checkStepNames({ setup: [], steps: [], teardown: [], probe: { type: 'dns', ... } }); // ['dns']
 */
export const checkStepNames = (check: CheckStepSource): string[] =>
  check.probe !== undefined
    ? [check.probe.type]
    : [...check.setup, ...check.steps, ...check.teardown].map((step) => step.name);

/**
 * Whether a check's runs see a certificate (and so publish {@link CERTIFICATE_METRIC}): a `tls` check, a
 * `tcp` check over TLS, or a step whose URL is HTTPS (`{{baseUrl}}`- and `/`-relative URLs take the
 * environment's `baseUrl`).
 */
export const speaksTls = (check: CheckStepSource, baseUrl: string): boolean => {
  if (check.probe !== undefined)
    return check.probe.type === 'tls' || (check.probe.type === 'tcp' && check.probe.tls);
  const secureBase = /^https:/i.test(baseUrl);
  return [...check.setup, ...check.steps, ...check.teardown].some(({ request: { url } }) =>
    /^https:/i.test(url) ? true : (url.startsWith('/') || url.startsWith('{{baseUrl}}')) && secureBase,
  );
};
