import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { emit, median, round } from './_report';

const ROOT = join(__dirname, '..');
const RUNS = Number(process.env.VIGIL_BENCH_RUNS ?? 5);
/** Issue 16: `vigil check` reaches its first request "well under a second" after the process starts. */
const GOAL_MS = 500;
/** A run that never reaches the server is stopped after this long (and reported as a failure). */
const RUN_LIMIT_MS = 60_000;

/** A local target that answers everything with 200 and tells the bench when the first request arrived. */
interface Target {
  readonly url: string;
  /** Resolves at the next request's arrival (`performance.now()`). */
  nextRequest(): Promise<number>;
  close(): Promise<void>;
}

const startTarget = async (): Promise<Target> => {
  let waiting: ((at: number) => void) | undefined;
  const server: Server = createServer((request, response) => {
    const at = performance.now();
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    waiting?.(at);
    waiting = undefined;
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    nextRequest: () =>
      new Promise<number>((done) => {
        waiting = done;
      }),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
};

/** Spawns `args` and resolves with the ms from spawn to `until` (first request, or exit when none is given). */
const timeOnce = async (args: readonly string[], cwd: string, target?: Target): Promise<number> => {
  const started = performance.now();
  const child = spawn(process.execPath, [...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number>((done) => child.once('exit', () => done(performance.now())));
  const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  try {
    if (target === undefined) return (await exited) - started;
    const first = await Promise.race([target.nextRequest(), exited.then(() => Number.NaN)]);
    if (Number.isNaN(first)) throw new Error(`${args.join(' ')} exited before its first request`);
    child.kill('SIGTERM');
    await exited;
    return first - started;
  } finally {
    clearTimeout(limit);
  }
};

/**
 * `npm run bench -- cli-start [--bin PATH]`: ms from process start to the first request of `vigil check` on
 * the demo config reaching a local HTTP server (the checks' baseUrl), median of VIGIL_BENCH_RUNS (5) fresh
 * processes, beside `node -e ''` (start to exit) measured in the same run, interleaved. `--bin` times another
 * checkout's bin/vigil.js (e.g. an older commit's) the same way, on that checkout's demo config.
 */
const main = async () => {
  const { values } = parseArgs({ options: { bin: { type: 'string' } } });
  const bin = resolve(values.bin ?? join(ROOT, 'bin', 'vigil.js'));
  // The demo config of the checkout the bin belongs to.
  const checkout = join(dirname(bin), '..');
  const target = await startTarget();
  try {
    const check = [bin, 'check', '--config', join(checkout, 'vigil.config.ts'), '--base-url', target.url];
    // One unmeasured run each: a source checkout compiles its CLI on the first run after a change.
    await timeOnce(check, checkout, target);
    await timeOnce(['-e', ''], checkout);
    const checkTimes: number[] = [];
    const nodeTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      checkTimes.push(await timeOnce(check, checkout, target));
      nodeTimes.push(await timeOnce(['-e', ''], checkout));
    }
    const nodeMs = median(nodeTimes);
    emit({
      bench: 'cli-start',
      metric: 'node_baseline_ms',
      value: round(nodeMs, 1),
      unit: 'ms',
      runs: RUNS,
      samples: nodeTimes.map((ms) => round(ms, 1)),
    });
    const checkMs = median(checkTimes);
    emit({
      bench: 'cli-start',
      metric: 'check_first_request_ms',
      value: round(checkMs, 1),
      unit: 'ms',
      runs: RUNS,
      samples: checkTimes.map((ms) => round(ms, 1)),
      baseline: round(nodeMs, 1),
      ratio: round(checkMs / nodeMs, 2),
      overBaselineMs: round(checkMs - nodeMs, 1),
      goal: GOAL_MS,
      bin,
      node: process.version,
    });
  } finally {
    await target.close();
  }
};

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
