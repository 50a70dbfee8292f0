import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalMode } from '../../../bin/local/local-mode';
import { recordingIO } from '../../helpers/cli-io';
import { startTestDnsServer, type TestDnsServer } from '../../helpers/net/test-dns-server';
import { startTestTcpServer, type TestTcpServer } from '../../helpers/net/test-tcp-server';

describe('local mode with tcp and dns checks', () => {
  let tcp: TestTcpServer;
  let dns: TestDnsServer;
  let dir: string;
  beforeAll(async () => {
    tcp = await startTestTcpServer({ banner: 'SSH-2.0-Test\r\n' });
    dns = await startTestDnsServer();
    dir = mkdtempSync(join(tmpdir(), 'vigil-local-net-'));
  });
  afterAll(async () => {
    await tcp.close();
    await dns.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs them on the local scheduler and prints their results, the failing layer named', async () => {
    // Prepare
    const configPath = join(dir, 'vigil.config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        app: 'net',
        environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
        checks: [
          {
            type: 'tcp',
            name: 'ssh',
            host: '127.0.0.1',
            port: tcp.port,
            expect: { op: 'matches', value: '^SSH-2' },
          },
          { type: 'dns', name: 'gone', query: 'gone.example', resolvers: [dns.address] },
        ],
      }),
    );
    const { io, stdout } = recordingIO();
    const local = await startLocalMode({ io, port: 0, ackPort: 0, configPath });
    if (!local) throw new Error('local mode did not start');
    try {
      // Act
      const run = await local.runOnce();

      // Assess
      expect(run.checks.map((result) => [result.name, result.status, result.error])).toEqual([
        ['ssh', 'passed', undefined],
        ['gone', 'failed', 'dns: DNS: NXDOMAIN for gone.example (A)'],
      ]);
      expect(stdout()).toMatch(/PASS {2}ssh/);
      expect(stdout()).toMatch(/FAIL {2}gone .*DNS: NXDOMAIN/);
    } finally {
      await local.stop();
    }
  });
});
