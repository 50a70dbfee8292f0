import type { z } from 'zod';
import type { dnsCheckSchema, tcpCheckSchema, textMatchSchema, tlsCheckSchema } from './check-schema';

type Issue = (path: PropertyKey[], message: string) => void;

/** A `tcp`, `dns` or `tls` check as parsed. */
export type NetworkCheck =
  | z.output<typeof tcpCheckSchema>
  | z.output<typeof dnsCheckSchema>
  | z.output<typeof tlsCheckSchema>;

/** Record types whose TTL Node's resolver reports (c-ares gives TTLs for addresses only). */
const TTL_RECORD_TYPES = new Set(['A', 'AAAA']);

/** Reports `pattern` at `path` when it is not a valid regular expression. */
export const regexIssue = (pattern: string, path: PropertyKey[], issue: Issue): void => {
  try {
    new RegExp(pattern);
  } catch (error) {
    issue(path, `invalid regular expression: ${(error as Error).message}`);
  }
};

const textMatchIssues = (
  match: z.output<typeof textMatchSchema> | undefined,
  path: PropertyKey[],
  issue: Issue,
): void => {
  if (match?.op === 'matches') regexIssue(match.value, [...path, 'value'], issue);
};

/**
 * What a schema alone cannot say about a network check: regexes that do not compile, a TLS name without
 * TLS, DNS assertions that cannot hold together, expiry thresholds in the wrong order.
 *
 * @param at the check's path (`['checks', 3]`)
 */
export const networkCheckIssues = (check: NetworkCheck, at: PropertyKey[], issue: Issue): void => {
  switch (check.type) {
    case 'tcp':
      textMatchIssues(check.expect, [...at, 'expect'], issue);
      if (check.servername !== undefined && !check.tls)
        issue([...at, 'servername'], "servername is the TLS name: set 'tls: true' or remove it");
      return;
    case 'tls':
      textMatchIssues(check.issuer, [...at, 'issuer'], issue);
      if (check.daysBeforeExpiry.warning < check.daysBeforeExpiry.critical)
        issue(
          [...at, 'daysBeforeExpiry', 'warning'],
          `warning (${check.daysBeforeExpiry.warning} days) is below critical (${check.daysBeforeExpiry.critical} days): the check would fail before it could warn`,
        );
      return;
    case 'dns': {
      const rcodes = check.assert.flatMap((assertion) =>
        assertion.type === 'rcode' ? [assertion.value] : [],
      );
      const expectsAnswers = rcodes.length === 0 || rcodes.includes('NOERROR');
      if (new Set(rcodes).size > 1)
        issue([...at, 'assert'], `conflicting rcode assertions: ${rcodes.join(', ')}`);
      check.assert.forEach((assertion, index) => {
        const path = [...at, 'assert', index];
        if (assertion.type === 'rcode') return;
        if (!expectsAnswers)
          issue(
            path,
            `${assertion.type === 'answer' ? 'an answer' : 'a TTL'} assertion needs answers, but the rcode asserted is ${rcodes[0]}`,
          );
        if (assertion.type === 'ttl' && !TTL_RECORD_TYPES.has(check.recordType))
          issue(path, `TTLs are reported for A and AAAA records only, not ${check.recordType}`);
        if (assertion.type !== 'answer') return;
        if (assertion.op !== 'equals' && typeof assertion.value !== 'string')
          issue([...path, 'value'], `operator '${assertion.op}' takes one answer (a string), not a list`);
        if (assertion.op === 'matches' && typeof assertion.value === 'string')
          regexIssue(assertion.value, [...path, 'value'], issue);
      });
      return;
    }
  }
};
