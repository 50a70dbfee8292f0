import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const MAIN = join(ROOT, 'examples/flight-api/main.ts');

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

const started: Running[] = [];

const runMain = (args: readonly string[], env: Record<string, string> = {}): Running => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = { child, output: () => output, exited };
  started.push(running);
  return running;
};

/** Resolves to the URL main.ts prints, or rejects if it exits or stays silent for 100 s (a generous bound). */
const listeningUrl = (running: Running): Promise<string> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`main.ts did not start:\n${running.output()}`)), 100_000);
    const check = (): void => {
      const match = /Flight API listening on (http:\/\/\S+)/.exec(running.output());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    running.child.stdout.on('data', check);
    running.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`main.ts exited early:\n${running.output()}`));
    });
  });

describe('examples/flight-api/main.ts', () => {
  afterEach(async () => {
    for (const running of started.splice(0)) {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
      await running.exited;
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'serves with faults from flags and env, then stops cleanly on %s',
    async (signal) => {
      // Prepare
      const running = runMain(['--port', '0', '--fault', 'down=redis'], {
        VIGIL_DEMO_FAULTS: '{"routes":{"GET /health/startup":{"status":503}}}',
      });
      const url = await listeningUrl(running);

      // Act
      const ready = await fetch(`${url}/health/ready`);
      const startup = await fetch(`${url}/health/startup`);
      running.child.kill(signal);
      const code = await running.exited;

      // Assess
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { redis: string } }).checks.redis).toBe('down');
      expect(startup.status).toBe(503);
      expect(code).toBe(0);
      expect(running.output()).toContain('GET /health/ready 503');
      expect(running.output()).toContain('Flight API stopped');
    },
  );

  it('exits with code 2 and the usage for a bad flag', async () => {
    // Act
    const running = runMain(['--fault', 'down=mongo']);
    const code = await running.exited;

    // Assess
    expect(code).toBe(2);
    expect(running.output()).toContain('down[0]: must be one of database, redis, payments');
    expect(running.output()).toContain('Usage: npx tsx examples/flight-api/main.ts');
  });
});
