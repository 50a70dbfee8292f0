import { parseConfig, resolveChecks } from '../../../../functions/commons/config/resolve-config';
import { configIssueLines } from '../../../helpers/config-issues';

const base = { app: 'shop', environments: { local: { baseUrl: 'http://127.0.0.1:4010' } } };

describe('tcp, dns and tls checks in config', () => {
  it('resolves each kind into its probe, with defaults and the step timeout as the total timeout', () => {
    // Prepare
    const config = parseConfig({
      ...base,
      defaults: { stepTimeout: '5s' },
      checks: [
        {
          type: 'tcp',
          name: 'redis',
          host: 'cache.internal',
          port: 6379,
          send: 'PING\r\n',
          expect: { value: '+PONG' },
          connectTimeout: '1s',
        },
        {
          type: 'dns',
          name: 'mx',
          query: 'shop.example',
          recordType: 'MX',
          resolvers: ['1.1.1.1', '[::1]:5353'],
          assert: [{ type: 'answer', value: '10 mail.shop.example' }],
        },
        { type: 'tls', name: 'cert', host: 'shop.example' },
      ],
    });

    // Act
    const checks = resolveChecks(config);

    // Assess
    expect(checks.map((check) => [check.type, check.probe, check.steps.length])).toEqual([
      [
        'tcp',
        {
          type: 'tcp',
          host: 'cache.internal',
          port: 6379,
          tls: false,
          send: 'PING\r\n',
          expect: { op: 'contains', value: '+PONG' },
          connectTimeoutMs: 1_000,
          timeoutMs: 5_000,
        },
        0,
      ],
      [
        'dns',
        {
          type: 'dns',
          query: 'shop.example',
          recordType: 'MX',
          resolvers: ['1.1.1.1', '[::1]:5353'],
          assert: [{ type: 'answer', op: 'contains', value: '10 mail.shop.example' }],
          timeoutMs: 5_000,
        },
        0,
      ],
      [
        'tls',
        {
          type: 'tls',
          host: 'shop.example',
          port: 443,
          warningDays: 30,
          criticalDays: 7,
          connectTimeoutMs: 5_000,
          timeoutMs: 5_000,
        },
        0,
      ],
    ]);
  });

  it('reports every bad host, port, record type, resolver and threshold at once, each with its path', () => {
    // Act
    const issues = configIssueLines({
      ...base,
      checks: [
        {
          type: 'tcp',
          name: 'a',
          host: 'https://db.example',
          port: 70_000,
          servername: 'db.example',
          expect: { op: 'matches', value: '(' },
        },
        {
          type: 'dns',
          name: 'b',
          query: 'shop.example',
          recordType: 'SRV',
          resolvers: ['8.8.8.8:99999', 'dns.google'],
        },
        {
          type: 'dns',
          name: 'c',
          query: 'shop.example',
          recordType: 'MX',
          assert: [
            { type: 'ttl', value: 60 },
            { type: 'answer', op: 'contains', value: ['a', 'b'] },
          ],
        },
        {
          type: 'dns',
          name: 'd',
          query: 'gone.example',
          assert: [
            { type: 'rcode', value: 'NXDOMAIN' },
            { type: 'answer', value: '1.2.3.4' },
          ],
        },
        { type: 'tls', name: 'e', host: 'shop.example', daysBeforeExpiry: { warning: 5, critical: 10 } },
      ],
    });

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        'checks[0].host: a host name or IP address, e.g. "db.example.com" or "10.0.0.5" (no scheme, no port)',
        'checks[0].port: a port from 1 to 65535',
        expect.stringMatching(/^checks\[1\]\.recordType: /),
        'checks[1].resolvers[0]: an IP address with an optional port, e.g. "1.1.1.1", "127.0.0.1:5353" or "[::1]:53"',
        'checks[1].resolvers[1]: an IP address with an optional port, e.g. "1.1.1.1", "127.0.0.1:5353" or "[::1]:53"',
        'checks[2].assert[0]: TTLs are reported for A and AAAA records only, not MX',
        "checks[2].assert[1].value: operator 'contains' takes one answer (a string), not a list",
        'checks[3].assert[1]: an answer assertion needs answers, but the rcode asserted is NXDOMAIN',
        'checks[4].daysBeforeExpiry.warning: warning (5 days) is below critical (10 days): the check would fail before it could warn',
      ]),
    );
  });

  it('reports semantic problems of a check whose other values parse', () => {
    // Act
    const issues = configIssueLines({
      ...base,
      checks: [
        {
          type: 'tcp',
          name: 'a',
          host: 'db.example',
          port: 5432,
          servername: 'db.example',
          expect: { op: 'matches', value: '(' },
        },
      ],
    });

    // Assess
    expect(issues).toEqual([
      expect.stringMatching(/^checks\[0\]\.expect\.value: invalid regular expression: /),
      "checks[0].servername: servername is the TLS name: set 'tls: true' or remove it",
    ]);
  });
});
