import type { ResolvedTlsProbe } from '../../../../functions/commons/config/types';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import { freePort } from '../../../helpers/free-port';
import { probeCheck } from '../../../helpers/net/probe-check';
import {
  createTestCertificates,
  type TestCertificate,
  type TestCertificates,
} from '../../../helpers/net/test-certificates';
import { startTestTcpServer, type TestTcpServer } from '../../../helpers/net/test-tcp-server';

const tlsProbe = (port: number, overrides: Partial<ResolvedTlsProbe> = {}): ResolvedTlsProbe => ({
  type: 'tls',
  host: 'localhost',
  port,
  warningDays: 30,
  criticalDays: 7,
  connectTimeoutMs: 2_000,
  timeoutMs: 2_000,
  ...overrides,
});

describe('tls checks', () => {
  let certs: TestCertificates;
  let server: TestTcpServer | undefined;
  beforeAll(() => {
    certs = createTestCertificates();
  });
  afterAll(() => certs.dispose());
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const serve = async (certificate: TestCertificate, chain = true, minVersion?: 'TLSv1.2') => {
    server = await startTestTcpServer(
      {},
      {
        key: certificate.key,
        cert: chain ? certificate.chain : certificate.cert,
        ...(minVersion ? { maxVersion: minVersion } : {}),
      },
    );
    return server.port;
  };
  const run = async (probe: ResolvedTlsProbe) =>
    runCheck(probeCheck('cert', probe), {
      baseUrl: 'http://127.0.0.1',
      concurrency: 1,
      trustedCertificates: [certs.root],
    });

  it('passes a valid chain for the host, reporting days to expiry, issuer and protocol', async () => {
    // Prepare
    const port = await serve(certs.valid);

    // Act
    const result = await run(
      tlsProbe(port, {
        minProtocol: 'TLSv1.2',
        issuer: { op: 'contains', value: 'Vigil Test Intermediate' },
      }),
    );

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('passed');
    expect(result.steps[0]).toMatchObject({
      name: 'tls',
      request: { method: 'TLS', url: `tls://localhost:${port}` },
      certificate: {
        subject: 'CN=localhost',
        issuer: 'CN=Vigil Test Intermediate',
        daysToExpiry: 59,
        protocol: 'TLSv1.3',
        validTo: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    expect(result.steps[0]?.assertions.every((assertion) => assertion.ok)).toBe(true);
  });

  it('is degraded, saying so, when the certificate expires inside the warning window', async () => {
    // Act
    const result = await run(tlsProbe(await serve(certs.expiresSoon)));

    // Assess
    expect(result.status).toBe('degraded');
    expect(result.steps[0]?.error).toMatch(
      /^TLS: certificate expires in 12 days \(.*\), under the warning 30 days$/,
    );
  });

  it('fails when the certificate expires inside the critical window', async () => {
    // Act
    const result = await run(tlsProbe(await serve(certs.expiresVerySoon)));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(
      /^tls: TLS: certificate expires in 3 days \(.*\), under the critical 7 days$/,
    );
  });

  it('fails an expired certificate saying how long ago it expired', async () => {
    // Act
    const result = await run(tlsProbe(await serve(certs.expired)));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe(
      `tls: TLS: certificate expired 3 days ago (${certs.expired.validTo.toISOString().replace(/\.\d+Z$/, '.000Z')})`,
    );
    expect(result.steps[0]?.certificate?.daysToExpiry).toBe(-4);
  });

  it('fails a certificate that is not valid yet, saying from when', async () => {
    // Act
    const result = await run(tlsProbe(await serve(certs.notYetValid)));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^tls: TLS: certificate not yet valid: valid from \S+ \(in 5 days\)$/);
  });

  it('fails a certificate for another host name with a name mismatch', async () => {
    // Act
    const result = await run(tlsProbe(await serve(certs.wrongHost)));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe('tls: TLS: name mismatch: the certificate is for other.example, not localhost');
  });

  it('judges the host name of each check when checks of several names meet the same certificate', async () => {
    // Prepare
    const port = await serve(certs.valid);

    // Act
    const named = await run(tlsProbe(port));
    const other = await run(tlsProbe(port, { servername: 'other.example' }));
    const namedAgain = await run(tlsProbe(port));

    // Assess
    expect(named.status).toBe('passed');
    expect(other.error).toBe(
      'tls: TLS: name mismatch: the certificate is for localhost, 127.0.0.1, not other.example',
    );
    expect(namedAgain.status).toBe('passed');
  });

  it("reports each server's own certificate when checks of several servers share a run", async () => {
    // Prepare
    const soon = await startTestTcpServer({}, { key: certs.expiresSoon.key, cert: certs.expiresSoon.chain });
    try {
      const valid = await serve(certs.valid);

      // Act
      const results = [];
      for (const port of [valid, soon.port, valid, soon.port]) results.push(await run(tlsProbe(port)));

      // Assess
      expect(results.map((result) => result.steps[0]?.certificate?.daysToExpiry)).toEqual([59, 12, 59, 12]);
      expect(results.map((result) => result.status)).toEqual(['passed', 'degraded', 'passed', 'degraded']);
    } finally {
      await soon.close();
    }
  });

  it('fails a self-signed certificate', async () => {
    // Act
    const result = await run(tlsProbe(await serve(certs.selfSigned)));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe('tls: TLS: self-signed certificate (not issued by a trusted CA)');
    expect(result.steps[0]?.certificate).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=localhost' });
  });

  it('fails a server that does not send its intermediate certificate', async () => {
    // Act
    const result = await run(tlsProbe(await serve(certs.valid, false)));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe(
      'tls: TLS: incomplete chain: the server did not send the intermediate certificate (unable to verify the first certificate)',
    );
  });

  it('fails when the negotiated protocol is older than the minimum asked for', async () => {
    // Act
    const result = await run(tlsProbe(await serve(certs.valid, true, 'TLSv1.2'), { minProtocol: 'TLSv1.3' }));

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe('tls: TLS: negotiated TLSv1.2, older than TLSv1.3');
  });

  it('fails with the issuer it saw when the issuer is not the expected one', async () => {
    // Act
    const result = await run(
      tlsProbe(await serve(certs.valid), { issuer: { op: 'contains', value: "Let's Encrypt" } }),
    );

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe(
      `tls: TLS: issuer "CN=Vigil Test Intermediate" does not contain "Let's Encrypt"`,
    );
  });

  it('fails naming the TCP layer when nothing listens', async () => {
    // Prepare
    const port = await freePort();

    // Act
    const result = await run(tlsProbe(port, { host: '127.0.0.1' }));

    // Assess
    expect(result.error).toBe(`tls: TCP: connection refused by 127.0.0.1:${port}`);
  });

  it('fails naming the TLS layer when the server does not speak TLS', async () => {
    // Prepare
    server = await startTestTcpServer({ banner: 'HTTP/1.1 400 Bad Request\r\n\r\n', closeAfterBanner: true });

    // Act
    const result = await run(tlsProbe(server.port));

    // Assess
    expect(result.error).toMatch(new RegExp(`^tls: TLS: handshake with localhost:${server.port} failed: `));
  });
});
