import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  throw new Error(`moto did not answer at ${url} within 90s`);
};

/** A running moto server on 127.0.0.1. */
export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Options of {@link startMoto}. */
export interface MotoOptions {
  /**
   * Enforce IAM after this many requests (moto's `INITIAL_NO_AUTH_ACTION_COUNT`; `POST /moto-api/reset-auth`
   * changes it later): every request past the count must be signed with the access key of an IAM user created in
   * this moto and is allowed only by that user's policies. Runs `moto-iam-server.py`, which makes moto check the
   * resource of each call too. Keep the shared server open: start a separate one with this.
   * @default IAM is not enforced
   */
  readonly initialNoAuthActionCount?: number;
}

/** Starts `.venv/bin/moto_server` on a free loopback port (run scripts/setup-python.sh first). */
export const startMoto = async (options: MotoOptions = {}): Promise<MotoServer> => {
  const binary = resolve(__dirname, '../../.venv/bin/moto_server');
  if (!existsSync(binary))
    throw new Error(`${binary} missing: run 'bash scripts/setup-python.sh' (npm test does)`);
  const port = await freePort();
  const address = ['-H', '127.0.0.1', '-p', String(port)];
  const enforced = options.initialNoAuthActionCount;
  const child: ChildProcess =
    enforced === undefined
      ? spawn(binary, address, { stdio: 'ignore' })
      : spawn(
          resolve(__dirname, '../../.venv/bin/python'),
          [join(__dirname, 'moto-iam-server.py'), ...address],
          {
            stdio: 'ignore',
            env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: String(enforced) },
          },
        );
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForHttp(endpoint, Date.now() + 90_000);
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
