import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../../bin/commands/check-command';
import { recordingIO } from '../../helpers/cli-io';
import { freePort } from '../../helpers/free-port';
import { startTestDnsServer, type TestDnsServer } from '../../helpers/net/test-dns-server';
import { startTestTcpServer, type TestTcpServer } from '../../helpers/net/test-tcp-server';

describe('vigil check with tcp and dns checks', () => {
  let tcp: TestTcpServer;
  let dns: TestDnsServer;
  let dir: string;
  beforeAll(async () => {
    tcp = await startTestTcpServer({ banner: '220 mail.shop.example ESMTP\r\n' });
    dns = await startTestDnsServer();
    dns.zone('shop.example', {
      answers: [{ type: 'A', name: 'shop.example', ttl: 300, data: '192.0.2.10' }],
    });
    dir = mkdtempSync(join(tmpdir(), 'vigil-net-'));
  });
  afterAll(async () => {
    await tcp.close();
    await dns.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const configFile = (checks: unknown[]): string => {
    const file = join(dir, `config-${checks.length}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(
      file,
      JSON.stringify({ app: 'net', environments: { local: { baseUrl: 'http://127.0.0.1:1' } }, checks }),
    );
    return file;
  };

  it('runs them like HTTP checks and prints one line each (exit 0)', async () => {
    // Prepare
    const file = configFile([
      { type: 'tcp', name: 'smtp', host: '127.0.0.1', port: tcp.port, expect: { value: '220 ' } },
      {
        type: 'dns',
        name: 'apex',
        query: 'shop.example',
        resolvers: [dns.address],
        assert: [{ type: 'answer', value: '192.0.2.10' }],
      },
    ]);
    const { io, stdout } = recordingIO();

    // Act
    const code = await checkCommand.run(['--config', file], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout()).toMatch(/PASS {2}smtp /);
    expect(stdout()).toMatch(/PASS {2}apex /);
    expect(stdout()).toContain('2 checks: 2 passed, 0 degraded, 0 failed');
  });

  it('names the layer that failed in the JSON results (exit 1)', async () => {
    // Prepare
    const port = await freePort();
    const file = configFile([
      { type: 'tcp', name: 'db', host: '127.0.0.1', port },
      { type: 'dns', name: 'gone', query: 'gone.example', resolvers: [dns.address] },
    ]);
    const { io, stdout } = recordingIO();

    // Act
    const code = await checkCommand.run(['--config', file, '--json'], io);

    // Assess
    expect(code).toBe(1);
    const { results } = JSON.parse(stdout()) as {
      results: { name: string; error: string; steps: unknown[] }[];
    };
    expect(results.map((result) => [result.name, result.error])).toEqual([
      ['db', `tcp: TCP: connection refused by 127.0.0.1:${port}`],
      ['gone', 'dns: DNS: NXDOMAIN for gone.example (A)'],
    ]);
    expect(results[0]?.steps).toEqual([
      expect.objectContaining({ name: 'tcp', request: { method: 'TCP', url: `tcp://127.0.0.1:${port}` } }),
    ]);
  });
});
