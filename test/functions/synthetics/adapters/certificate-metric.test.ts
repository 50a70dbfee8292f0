import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { CERTIFICATE_METRIC } from '../../../../functions/commons/config/check-steps';
import { createEmfWriter } from '../../../../functions/commons/metrics';
import { publishCheckMetrics } from '../../../../functions/synthetics/adapters/emf-publisher';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import type { CheckResult } from '../../../../functions/synthetics/types/results';
import { expectValidEmf } from '../../../helpers/emf-spec';
import { check, step } from '../../../helpers/http/check-fixture';
import { createTestCertificates, type TestCertificates } from '../../../helpers/net/test-certificates';

/** The EMF records one check result publishes, checked against the EMF spec. */
const capture = (
  result: CheckResult,
  certificateHosts: readonly string[] = ['localhost'],
): Record<string, unknown>[] => {
  const lines: string[] = [];
  publishCheckMetrics(
    createEmfWriter({
      namespace: 'Vigil/Test',
      defaultDimensions: { App: 'shop' },
      sink: (line) => lines.push(line),
    }),
    result,
    { level: 'essential', certificateHosts },
  );
  expectValidEmf(lines);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
};

describe('certificate days to expiry of HTTPS steps', () => {
  let certs: TestCertificates;
  let server: Server;
  let url: string;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    certs = createTestCertificates();
    server = createServer({ key: certs.expiresSoon.key, cert: certs.expiresSoon.chain }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    url = `https://localhost:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((done) => server.close(() => done()));
    certs.dispose();
  });

  const runJourney = (): Promise<CheckResult> =>
    runCheck(check('shop', [step('home', '/'), step('cart', '/cart')]), {
      baseUrl: url,
      concurrency: 1,
      trustedCertificates: [certs.root],
    });

  it('records the certificate on every HTTPS step, a reused connection included', async () => {
    // Act
    const result = await runJourney();

    // Assess
    expect(result.status).toBe('passed');
    expect(result.steps.map((s) => [s.name, s.certificate?.daysToExpiry, s.certificate?.subject])).toEqual([
      ['home', 12, 'CN=localhost'],
      ['cart', 12, 'CN=localhost'],
    ]);
    expect(result.steps[1]?.timings.tlsMs).toBe(0);
  });

  it("publishes one record of the owned host's days to expiry on {App, Host}, and nothing without TLS", async () => {
    // Prepare
    const result = await runJourney();
    const plain: CheckResult = { ...result, steps: result.steps.map(({ certificate: _, ...rest }) => rest) };

    // Act
    const records = capture(result);
    const plainRecords = capture(plain);

    // Assess: two steps on the same host are one datapoint, apart from the check record
    const certificate = records.filter((record) => CERTIFICATE_METRIC in record);
    expect(certificate).toHaveLength(1);
    expect(certificate[0]).toMatchObject({ App: 'shop', Host: 'localhost', [CERTIFICATE_METRIC]: 12 });
    expect(certificate[0]).not.toHaveProperty('Check');
    expect(JSON.stringify(certificate[0]?._aws)).toContain('[["App","Host"]]');
    expect(records.filter((record) => 'Check' in record)).toHaveLength(1);
    expect(plainRecords.filter((record) => CERTIFICATE_METRIC in record)).toEqual([]);
  });

  it('publishes no certificate metric for a host another check (or location) owns', async () => {
    // Prepare
    const result = await runJourney();

    // Act
    const records = capture(result, []);

    // Assess
    expect(records.filter((record) => CERTIFICATE_METRIC in record)).toEqual([]);
  });
});
