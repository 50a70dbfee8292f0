import { promises as dns } from 'node:dns';
import type { DnsAssertion, DnsRecordType, ResolvedDnsProbe } from '../../commons/config/types';
import type { AssertionResult } from '../types/results';
import { compare } from './assertions';
import { errorCode } from './connection-problem';
import { roundMs } from './http-client';
import { failureMessage, type ProbeEnvironment, type ProbeOutcome, pattern } from './probe-outcome';

/** DNS response codes as Node's resolver reports them (c-ares error codes). */
const RCODES: Readonly<Record<string, string>> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NOERROR',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  EFORMERR: 'FORMERR',
  ENOTIMP: 'NOTIMP',
};

/** One answer record as text, plus its TTL when the resolver reports it (A and AAAA). */
interface Answer {
  readonly value: string;
  readonly ttl?: number;
}

/** What the resolver said: an rcode with its answers, or no rcode at all (timeout, unreachable). */
interface Response {
  readonly rcode?: string;
  readonly answers: readonly Answer[];
  readonly problem?: string;
}

const query = async (p: dns.Resolver, name: string, type: DnsRecordType): Promise<Answer[]> => {
  switch (type) {
    case 'A':
      return (await p.resolve4(name, { ttl: true })).map((record) => ({
        value: record.address,
        ttl: record.ttl,
      }));
    case 'AAAA':
      return (await p.resolve6(name, { ttl: true })).map((record) => ({
        value: record.address,
        ttl: record.ttl,
      }));
    case 'CNAME':
      return (await p.resolveCname(name)).map((value) => ({ value }));
    case 'NS':
      return (await p.resolveNs(name)).map((value) => ({ value }));
    case 'MX':
      return (await p.resolveMx(name)).map((record) => ({ value: `${record.priority} ${record.exchange}` }));
    case 'TXT':
      return (await p.resolveTxt(name)).map((chunks) => ({ value: chunks.join('') }));
    case 'SOA': {
      const soa = await p.resolveSoa(name);
      return [
        {
          value: `${soa.nsname} ${soa.hostmaster} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minttl}`,
        },
      ];
    }
    case 'CAA':
      return (await p.resolveCaa(name)).map((record) => {
        // Node 24 adds `type: 'CAA'` beside the tag; the tag is the one other property.
        const { critical, ...rest } = record as typeof record & { type?: string };
        const [tag, value] = Object.entries(rest).find(([key]) => key !== 'type') ?? ['', ''];
        return { value: `${critical} ${tag} "${String(value)}"` };
      });
  }
};

/** Names compare without case and trailing dot; TXT and CAA values are compared as written. */
const normalizer =
  (type: DnsRecordType) =>
  (text: string): string =>
    type === 'TXT' || type === 'CAA' ? text : text.toLowerCase().replace(/\.$/, '');

const evaluate = (assertion: DnsAssertion, response: Response, type: DnsRecordType): AssertionResult => {
  const norm = normalizer(type);
  const values = response.answers.map((answer) => answer.value);
  switch (assertion.type) {
    case 'rcode':
      return {
        description: `rcode ${assertion.value}`,
        ok: response.rcode === assertion.value,
        expected: assertion.value,
        actual: response.rcode ?? null,
        ...(response.rcode === assertion.value
          ? {}
          : {
              message: `DNS: rcode ${response.rcode ?? `none (${response.problem})`}, expected ${assertion.value}`,
            }),
      };
    case 'ttl': {
      const ttls = response.answers.map((answer) => answer.ttl);
      const bad = ttls.filter(
        (ttl) => ttl === undefined || !compare(assertion.op, true, ttl, assertion.value).ok,
      );
      const ok = ttls.length > 0 && bad.length === 0;
      return {
        description: `every TTL ${assertion.op} ${assertion.value} s`,
        ok,
        expected: assertion.value,
        actual: ttls,
        ...(ok
          ? {}
          : { message: `DNS: TTL ${ttls.join(', ') || 'none'} not ${assertion.op} ${assertion.value} s` }),
      };
    }
    case 'answer': {
      const wanted = Array.isArray(assertion.value) ? assertion.value : [assertion.value];
      const have = values.map(norm);
      let ok: boolean;
      if (assertion.op === 'equals') {
        const want = wanted.map(norm);
        ok = have.length === want.length && [...have].sort().join('\n') === [...want].sort().join('\n');
      } else if (assertion.op === 'matches') {
        const compiled = pattern(String(wanted[0]));
        ok = values.some((value) => compiled.test(value));
      } else {
        ok = have.includes(norm(String(wanted[0])));
      }
      const described =
        assertion.op === 'matches'
          ? `/${wanted[0]}/`
          : JSON.stringify(Array.isArray(assertion.value) ? wanted : wanted[0]);
      return {
        description: `answers ${assertion.op} ${described}`,
        ok,
        expected: assertion.value,
        actual: values,
        ...(ok
          ? {}
          : {
              message: `DNS: ${type} answers ${JSON.stringify(values)} do not ${assertion.op === 'contains' ? 'contain' : assertion.op === 'equals' ? 'equal' : 'match'} ${described}`,
            }),
      };
    }
  }
};

/**
 * Runs a `dns` check: one query of `recordType` for `query` through the given resolvers (or the system's),
 * timed, then its assertions. Without an `rcode` assertion the query must succeed with at least one answer.
 * Never rejects; errors read `DNS: NXDOMAIN for nope.example.com (A)`, `DNS: no answer from 10.0.0.2:53
 * within 2000 ms`.
 *
 * @example
 * await runDnsProbe({ type: 'dns', query: 'example.com', recordType: 'MX', resolvers: ['1.1.1.1'],
 *   assert: [{ type: 'answer', op: 'contains', value: '10 mail.example.com' }], timeoutMs: 5000 }, env);
 */
export const runDnsProbe = async (probe: ResolvedDnsProbe, env: ProbeEnvironment): Promise<ProbeOutcome> => {
  const budget = Math.max(1, Math.round(env.budgetMs));
  const resolver = new dns.Resolver({ timeout: budget, tries: 1 });
  if (probe.resolvers.length > 0) resolver.setServers([...probe.resolvers]);
  const via = probe.resolvers.length > 0 ? probe.resolvers.join(',') : 'system';
  const url = `dns://${via}/${probe.query}?type=${probe.recordType}`;
  const started = performance.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    resolver.cancel();
  }, budget);
  const onAbort = (): void => resolver.cancel();
  env.signal?.addEventListener('abort', onAbort, { once: true });
  let response: Response;
  try {
    response = { rcode: 'NOERROR', answers: await query(resolver, probe.query, probe.recordType) };
  } catch (caught) {
    const code = errorCode(caught);
    const rcode = code === undefined ? undefined : RCODES[code];
    const from = resolver.getServers().join(', ') || 'the system resolver';
    response =
      rcode !== undefined
        ? { rcode, answers: [] }
        : {
            answers: [],
            problem:
              env.signal?.aborted === true
                ? 'check run aborted'
                : timedOut || code === 'ETIMEOUT' || code === 'ECANCELLED'
                  ? `DNS: no answer from ${from} within ${budget} ms`
                  : code === 'ECONNREFUSED'
                    ? `DNS: ${from} refused the connection`
                    : `DNS: query failed: ${(caught as Error).message}`,
          };
  } finally {
    clearTimeout(timer);
    env.signal?.removeEventListener('abort', onAbort);
  }
  const elapsed = roundMs(performance.now() - started);
  const timings = { dnsMs: elapsed, connectMs: 0, tlsMs: 0, firstByteMs: 0, downloadMs: 0, totalMs: elapsed };
  const responseBytes = response.answers.reduce((sum, answer) => sum + Buffer.byteLength(answer.value), 0);
  const base = { method: 'DNS', url, timings, responseBytes } as const;
  if (response.rcode === undefined)
    return { ...base, assertions: [], error: response.problem ?? 'DNS: no response' };
  const explicitRcode = probe.assert.some((assertion) => assertion.type === 'rcode');
  const assertions: AssertionResult[] = [];
  if (!explicitRcode) {
    const ok = response.rcode === 'NOERROR' && response.answers.length > 0;
    assertions.push({
      description: `rcode NOERROR with at least one ${probe.recordType} record`,
      ok,
      expected: 'NOERROR',
      actual: response.rcode,
      ...(ok
        ? {}
        : {
            message:
              response.rcode === 'NOERROR'
                ? `DNS: no ${probe.recordType} record for ${probe.query} (NOERROR, empty answer)`
                : `DNS: ${response.rcode} for ${probe.query} (${probe.recordType})`,
          }),
    });
  }
  for (const assertion of probe.assert) assertions.push(evaluate(assertion, response, probe.recordType));
  const error = failureMessage(assertions);
  return { ...base, assertions, ...(error !== undefined ? { error } : {}) };
};
