import { CHECK_METRICS } from '../metrics/metric-catalog';
import type { ResolvedCheck } from './types';

/**
 * The metric of a host's certificate (dimensions `App`, `Host`, at every metrics level): the days until the
 * certificate a check saw on that host expires, so certificate expiry is watched without a `tls` check.
 */
export const CERTIFICATE_METRIC = CHECK_METRICS.certificateDaysToExpiry;

/** What {@link checkStepNames} and {@link certificateHosts} read of a check. */
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

/** A URL's host name, or `undefined` when it is not HTTPS or its host is only known at run time (`{{var}}`). */
export const httpsHost = (url: string): string | undefined => {
  if (!/^https:/i.test(url)) return undefined;
  try {
    const host = new URL(url).hostname;
    return host === '' || host.includes('{{') || host.includes('%7B') ? undefined : host.toLowerCase();
  } catch {
    return undefined;
  }
};

/**
 * The hosts whose certificates a check's runs see, in step order without repeats: a `tls` check's or TLS
 * `tcp` check's host, and the host of every HTTPS step URL (`{{baseUrl}}`- and `/`-relative URLs take the
 * environment's `baseUrl`). A host known only at run time (`https://{{tenant}}.example.com`) is left out:
 * no alarm could be made for it. Each is one `CertificateDaysToExpiry` metric ({@link CERTIFICATE_METRIC}).
 *
 * @example
 * certificateHosts(check, 'https://api.shop.example'); // ['api.shop.example']
 */
export const certificateHosts = (check: CheckStepSource, baseUrl: string): string[] => {
  if (check.probe !== undefined) {
    const tls = check.probe.type === 'tls' || (check.probe.type === 'tcp' && check.probe.tls);
    return tls && 'host' in check.probe ? [check.probe.host.toLowerCase()] : [];
  }
  const hosts = [...check.setup, ...check.steps, ...check.teardown].flatMap(({ request: { url } }) => {
    const absolute = url.startsWith('{{baseUrl}}')
      ? `${baseUrl}${url.slice('{{baseUrl}}'.length)}`
      : url.startsWith('/')
        ? `${baseUrl}${url}`
        : url;
    return httpsHost(absolute) ?? [];
  });
  return [...new Set(hosts)];
};
