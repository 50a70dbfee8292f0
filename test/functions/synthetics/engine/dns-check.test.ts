import type { ResolvedDnsProbe } from '../../../../functions/commons/config/types';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import { probeCheck } from '../../../helpers/net/probe-check';
import { startTestDnsServer, type TestDnsServer } from '../../../helpers/net/test-dns-server';

const options = { baseUrl: 'http://127.0.0.1', concurrency: 1 };

describe('dns checks', () => {
  let dns: TestDnsServer;
  beforeAll(async () => {
    dns = await startTestDnsServer();
    dns.zone('shop.example', {
      answers: [
        { type: 'A', name: 'shop.example', ttl: 300, data: '192.0.2.10' },
        { type: 'A', name: 'shop.example', ttl: 300, data: '192.0.2.11' },
        { type: 'AAAA', name: 'shop.example', ttl: 300, data: '2001:db8::10' },
        {
          type: 'MX',
          name: 'shop.example',
          ttl: 300,
          data: { preference: 10, exchange: 'mail.shop.example' },
        },
        { type: 'TXT', name: 'shop.example', ttl: 300, data: ['v=spf1 ', 'include:_spf.example ~all'] },
        { type: 'NS', name: 'shop.example', ttl: 300, data: 'ns1.shop.example' },
        {
          type: 'SOA',
          name: 'shop.example',
          ttl: 300,
          data: {
            mname: 'ns1.shop.example',
            rname: 'hostmaster.shop.example',
            serial: 2026120101,
            refresh: 3600,
            retry: 600,
            expire: 604800,
            minimum: 60,
          },
        },
        {
          type: 'CAA',
          name: 'shop.example',
          ttl: 300,
          data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
        },
      ],
    });
    dns.zone('www.shop.example', {
      answers: [{ type: 'CNAME', name: 'www.shop.example', ttl: 60, data: 'shop.example' }],
    });
    dns.zone('broken.example', { rcode: 'SERVFAIL' });
    dns.zone('slow.example', {
      delayMs: 3_000,
      answers: [{ type: 'A', name: 'slow.example', ttl: 300, data: '192.0.2.99' }],
    });
  });
  afterAll(async () => {
    await dns.close();
  });

  const probe = (overrides: Partial<ResolvedDnsProbe>): ResolvedDnsProbe => ({
    type: 'dns',
    query: 'shop.example',
    recordType: 'A',
    resolvers: [dns.address],
    assert: [],
    timeoutMs: 2_000,
    ...overrides,
  });
  const run = (dnsProbe: ResolvedDnsProbe) => runCheck(probeCheck('dns', dnsProbe), options);

  it('passes A answers that equal the expected set, with TTLs in bounds, and times the query', async () => {
    // Act
    const result = await run(
      probe({
        assert: [
          { type: 'answer', op: 'equals', value: ['192.0.2.11', '192.0.2.10'] },
          { type: 'ttl', op: '>=', value: 60 },
          { type: 'rcode', value: 'NOERROR' },
        ],
      }),
    );

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('passed');
    expect(result.steps[0]).toMatchObject({
      name: 'dns',
      request: { method: 'DNS', url: `dns://${dns.address}/shop.example?type=A` },
    });
    expect(result.steps[0]?.timings.dnsMs).toBe(result.steps[0]?.timings.totalMs);
    expect(dns.questions).toContain('shop.example A');
  });

  it.each([
    ['AAAA', '2001:db8::10'],
    ['CNAME', 'shop.example'],
    ['MX', '10 mail.shop.example'],
    ['TXT', 'v=spf1 include:_spf.example ~all'],
    ['NS', 'ns1.shop.example'],
    ['SOA', 'ns1.shop.example hostmaster.shop.example 2026120101 3600 600 604800 60'],
    ['CAA', '0 issue "letsencrypt.org"'],
  ] as const)('reads %s records as text an answer assertion can name', async (recordType, answer) => {
    // Act
    const result = await run(
      probe({
        query: recordType === 'CNAME' ? 'www.shop.example' : 'shop.example',
        recordType,
        assert: [{ type: 'answer', op: 'contains', value: answer }],
      }),
    );

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.steps[0]?.assertions.at(-1)).toMatchObject({ ok: true, actual: [answer] });
  });

  it('fails naming NXDOMAIN when the name does not exist', async () => {
    // Act
    const result = await run(probe({ query: 'nope.example' }));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe('dns: DNS: NXDOMAIN for nope.example (A)');
  });

  it('passes when NXDOMAIN is the rcode asserted (a record that must stay gone)', async () => {
    // Act
    const result = await run(
      probe({ query: 'nope.example', assert: [{ type: 'rcode', value: 'NXDOMAIN' }] }),
    );

    // Assess
    expect(result.status).toBe('passed');
  });

  it('fails naming SERVFAIL when the server fails', async () => {
    // Act
    const result = await run(probe({ query: 'broken.example' }));

    // Assess
    expect(result.error).toBe('dns: DNS: SERVFAIL for broken.example (A)');
  });

  it('fails an empty answer when the name exists but has no record of the type', async () => {
    // Act
    const result = await run(probe({ query: 'www.shop.example', recordType: 'MX' }));

    // Assess
    expect(result.error).toBe('dns: DNS: no MX record for www.shop.example (NOERROR, empty answer)');
  });

  it('fails answers that do not match, and TTLs out of bounds, naming what it got', async () => {
    // Act
    const result = await run(
      probe({
        assert: [
          { type: 'answer', op: 'matches', value: '^10\\.' },
          { type: 'ttl', op: '<=', value: 60 },
        ],
      }),
    );

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe(
      'dns: DNS: A answers ["192.0.2.10","192.0.2.11"] do not match /^10\\./; DNS: TTL 300, 300 not <= 60 s',
    );
  });

  it('fails naming the resolver when no answer comes within the timeout', async () => {
    // Act
    const result = await run(probe({ query: 'slow.example', timeoutMs: 300 }));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe(`dns: DNS: no answer from ${dns.address} within 300 ms`);
  });
});
