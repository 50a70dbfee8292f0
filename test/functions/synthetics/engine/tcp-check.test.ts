import type { ResolvedTcpProbe } from '../../../../functions/commons/config/types';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import { freePort } from '../../../helpers/free-port';
import { probeCheck } from '../../../helpers/net/probe-check';
import { createTestCertificates, type TestCertificates } from '../../../helpers/net/test-certificates';
import { startTestTcpServer, type TestTcpServer } from '../../../helpers/net/test-tcp-server';

const tcp = (port: number, overrides: Partial<ResolvedTcpProbe> = {}): ResolvedTcpProbe => ({
  type: 'tcp',
  host: '127.0.0.1',
  port,
  tls: false,
  connectTimeoutMs: 2_000,
  timeoutMs: 2_000,
  ...overrides,
});

const options = { baseUrl: 'http://127.0.0.1', concurrency: 1 };

describe('tcp checks', () => {
  let server: TestTcpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('passes when the server answers what was sent with the expected text, and times each phase', async () => {
    // Prepare
    server = await startTestTcpServer({ reply: (text) => (text === 'PING\r\n' ? '+PONG\r\n' : '-ERR\r\n') });

    // Act
    const result = await runCheck(
      probeCheck('redis', tcp(server.port, { send: 'PING\r\n', expect: { op: 'equals', value: '+PONG' } })),
      options,
    );

    // Assess
    expect(result.status).toBe('passed');
    expect(server.received).toEqual(['PING\r\n']);
    const [step] = result.steps;
    expect(step).toMatchObject({
      name: 'tcp',
      status: 'passed',
      request: { method: 'TCP', url: `tcp://127.0.0.1:${server.port}` },
      responseBytes: 7,
      assertions: [{ ok: true, description: 'answer equals "+PONG"', actual: '+PONG' }],
    });
    expect(step?.timings.totalMs).toBeGreaterThanOrEqual(step?.timings.connectMs ?? 0);
  });

  it('matches a banner the server sends first against a regex', async () => {
    // Prepare
    server = await startTestTcpServer({ banner: 'SSH-2.0-OpenSSH_9.6\r\n' });

    // Act
    const result = await runCheck(
      probeCheck('ssh', tcp(server.port, { expect: { op: 'matches', value: '^SSH-2\\.0-' } })),
      options,
    );

    // Assess
    expect(result.status).toBe('passed');
    expect(result.steps[0]?.assertions[0]).toMatchObject({ ok: true, actual: 'SSH-2.0-OpenSSH_9.6' });
  });

  it('fails naming the TCP layer when the port refuses the connection', async () => {
    // Prepare
    const port = await freePort();

    // Act
    const result = await runCheck(probeCheck('db', tcp(port)), options);

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe(`tcp: TCP: connection refused by 127.0.0.1:${port}`);
  });

  it('fails with what the server said when the banner is not the expected one', async () => {
    // Prepare
    server = await startTestTcpServer({ banner: '554 no service\r\n', closeAfterBanner: true });

    // Act
    const result = await runCheck(
      probeCheck('smtp', tcp(server.port, { expect: { op: 'contains', value: '220 ' } })),
      options,
    );

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe(
      `tcp: TCP: 127.0.0.1:${server.port} closed the connection before an answer that contains "220 " (got "554 no service")`,
    );
    expect(result.steps[0]?.assertions[0]).toMatchObject({ ok: false, actual: '554 no service' });
  });

  it('fails when the server stays silent past the total timeout, keeping the connection timings', async () => {
    // Prepare
    server = await startTestTcpServer({});

    // Act
    const result = await runCheck(
      probeCheck('silent', tcp(server.port, { expect: { op: 'contains', value: 'hello' }, timeoutMs: 200 })),
      options,
    );

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe(
      `tcp: TCP: no answer that contains "hello" from 127.0.0.1:${server.port} within 200 ms (got nothing)`,
    );
  });

  it('fails when the check is aborted while waiting for the answer', async () => {
    // Prepare
    server = await startTestTcpServer({});
    const controller = new AbortController();
    const pending = runCheck(
      probeCheck(
        'silent',
        tcp(server.port, { expect: { op: 'contains', value: 'hello' }, timeoutMs: 30_000 }),
      ),
      { ...options, signal: controller.signal },
    );
    // Wait (bounded, ~30 s, however loaded the machine) until the check is connected and waiting.
    for (let i = 0; i < 3_000 && server.received.length === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.received).toHaveLength(1);

    // Act
    controller.abort();
    const result = await pending;

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toBe('tcp: check run aborted');
  });

  describe('over TLS', () => {
    let certs: TestCertificates;
    beforeAll(() => {
      certs = createTestCertificates();
    });
    afterAll(() => certs.dispose());

    it('verifies the certificate, records its days to expiry and then talks', async () => {
      // Prepare
      server = await startTestTcpServer(
        { banner: '* OK IMAP ready\r\n' },
        { key: certs.valid.key, cert: certs.valid.chain },
      );

      // Act
      const result = await runCheck(
        probeCheck(
          'imaps',
          tcp(server.port, { host: 'localhost', tls: true, expect: { op: 'contains', value: '* OK' } }),
        ),
        { ...options, trustedCertificates: [certs.root] },
      );

      // Assess
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('passed');
      expect(result.steps[0]?.certificate).toMatchObject({ subject: 'CN=localhost', daysToExpiry: 59 });
      expect(result.steps[0]?.timings.tlsMs).toBeGreaterThan(0);
    });

    it('fails naming the TLS layer when the certificate is for another host', async () => {
      // Prepare
      server = await startTestTcpServer(
        { banner: 'hi' },
        { key: certs.wrongHost.key, cert: certs.wrongHost.chain },
      );

      // Act
      const result = await runCheck(probeCheck('imaps', tcp(server.port, { host: 'localhost', tls: true })), {
        ...options,
        trustedCertificates: [certs.root],
      });

      // Assess
      expect(result.status).toBe('failed');
      expect(result.error).toBe(
        'tcp: TLS: name mismatch: the certificate is for other.example, not localhost',
      );
    });
  });
});
