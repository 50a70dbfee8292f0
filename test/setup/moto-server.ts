import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../helpers/free-port';

const waitForHttp = async (url: string, deadline: number) => {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((next) => setTimeout(next, 100));
  }
  throw new Error(`moto did not answer at ${url} within 30s`);
};

/** A running moto server on 127.0.0.1. */
export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts `.venv/bin/moto_server` on a free loopback port (run scripts/setup-python.sh first). */
export const startMoto = async (): Promise<MotoServer> => {
  const binary = resolve(__dirname, '../../.venv/bin/moto_server');
  if (!existsSync(binary))
    throw new Error(`${binary} missing: run 'bash scripts/setup-python.sh' (npm test does)`);
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForHttp(endpoint, Date.now() + 30_000);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
};
