// `npm run bench -- scale-run [--checks 2000] [--periods 3] [--period-s 60] [--concurrency 200]
//   [--memory-mb 512] [--max-processes 64]`
//
// Runs a large one-minute schedule shard by shard exactly as the runner Lambdas would: the shard plan of
// `vigil plan`, one warm process per shard (a Lambda container), each invoked with `{schedule, shard}` at
// the start of every period, against a local target with a realistic latency mix (log-normal, p50 50 ms,
// p99 800 ms; 1 % of requests hang until the 10 s timeout; 0.5 % of checks refused). Everything on
// 127.0.0.1; the process count and the run time are bounded. A shard still busy when its next period
// fires is skipped and counted (the runner's lease does the same). Reports the longest shard's duration as
// a fraction of the period, the start spread, checks executed vs planned, CPU per check and the Lambda
// GB-seconds a month this implies.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PRICES } from '../functions/cost/price-table';
import { runnerPlan } from '../functions/synthetics/planning/runner-plan';
import { emit, percentile, round } from './_report';
import { type ScaleRunSpec, scaleRunConfig } from './_scale-run-fixture';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '2000' },
    periods: { type: 'string', default: '3' },
    'period-s': { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '200' },
    'memory-mb': { type: 'string', default: '512' },
    'max-processes': { type: 'string', default: '64' },
  },
});
const CHECKS = Number(values.checks);
const PERIODS = Number(values.periods);
const PERIOD_MS = Number(values['period-s']) * 1000;
const CONCURRENCY = Number(values.concurrency);
const MEMORY_GB = Number(values['memory-mb']) / 1024;
const MAX_PROCESSES = Number(values['max-processes']);
const PERIODS_PER_MONTH = (30 * 86_400_000) / PERIOD_MS;

/** mulberry32: a seeded generator, so every run draws the same latencies. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** The target: log-normal latency (median 50 ms, sigma 1.19 gives p99 ≈ 800 ms), 1 % of requests hang. */
const startTarget = async (): Promise<{ server: Server; url: string; close(): void }> => {
  const random = seeded(16);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((_request, response) => {
    if (random() < 0.01) return; // hangs: the check's 10 s timeout ends it
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const delay = Math.min(5_000, 50 * Math.exp(1.19 * z));
    const timer = setTimeout(() => {
      timers.delete(timer);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }, delay);
    timers.add(timer);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.maxConnections = 20_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
};

/** A port nothing listens on (bound, then released). */
const deadPort = async (): Promise<number> => {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
};

interface Done {
  readonly type: 'done';
  readonly shard: number;
  readonly period: number;
  readonly durationMs: number;
  readonly cpuMs: number;
  readonly rssMb: number;
  readonly names: readonly string[];
  readonly startOffsetsMs: readonly number[];
  readonly failed: number;
}

const main = async (): Promise<void> => {
  const loadBefore = loadavg();
  const target = await startTarget();
  const spec: ScaleRunSpec = {
    checks: CHECKS,
    concurrency: CONCURRENCY,
    baseUrl: target.url,
    deadPort: await deadPort(),
    periodMs: PERIOD_MS,
  };
  const config = scaleRunConfig(spec);
  const plan = [...runnerPlan(config).values()][0];
  if (!plan) throw new Error('the scale run has no checks');
  if (plan.shards.length > MAX_PROCESSES) {
    throw new Error(
      `${plan.shards.length} shards need as many processes, more than --max-processes ${MAX_PROCESSES}`,
    );
  }
  const timeoutMs = Math.max(...plan.shards.map((shard) => shard.spreadMs + shard.worstCaseMs)) + 10_000;
  emit({
    phase: 'plan',
    checks: CHECKS,
    shards: plan.shards.length,
    checksPerShard: plan.shards.map((shard) => shard.checks.length),
    worstCaseMs: Math.max(...plan.shards.map((shard) => shard.worstCaseMs)),
    spreadMs: Math.max(...plan.shards.map((shard) => shard.spreadMs)),
    lambdaTimeoutMs: timeoutMs,
  });

  const children: ChildProcess[] = [];
  const done: Done[] = [];
  const busy = new Set<number>();
  const errors: string[] = [];
  let ready = 0;
  for (const shard of plan.shards) {
    const child = fork(join(__dirname, '_scale-run-shard.ts'), [], {
      execArgv: ['--import', 'tsx'],
      // Logs (JSON lines, warnings on stderr) go where a Lambda's would not be read; errors come by IPC.
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    child.on('message', (message: Done | { type: 'ready' } | { type: 'error'; message: string }) => {
      if (message.type === 'ready') ready += 1;
      else if (message.type === 'done') {
        busy.delete(message.shard);
        done.push(message);
      } else errors.push(message.message);
    });
    child.send({ type: 'init', spec, shard: shard.index, schedule: plan.schedule, timeoutMs });
    children.push(child);
  }
  const bounded = async (what: string, until: () => boolean, limitMs: number) => {
    const end = Date.now() + limitMs;
    while (!until()) {
      if (Date.now() > end) throw new Error(`${what}: not done after ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    await bounded('shard processes starting', () => ready === plan.shards.length, 300_000);
    let skipped = 0;
    const start = Date.now() + 1_000;
    for (let period = 0; period < PERIODS; period += 1) {
      const firedAt = start + period * PERIOD_MS;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, firedAt - Date.now())));
      for (const [index, child] of children.entries()) {
        if (busy.has(index)) {
          skipped += 1;
          continue;
        }
        busy.add(index);
        child.send({ type: 'invoke', period, firedAt });
      }
    }
    await bounded('last period', () => busy.size === 0, PERIOD_MS + timeoutMs);

    const executed = done.flatMap((run) => run.names.map((name) => `${run.period}/${name}`));
    const distinct = new Set(executed);
    const planned = CHECKS * PERIODS;
    const starts = done.flatMap((run) => run.startOffsetsMs);
    // Starts per second of one period (the periods are not added together: three periods' starts in the
    // same second of the minute are three seconds' worth of load, not one).
    const perSecond = new Map<string, number>();
    for (const run of done) {
      for (const offset of run.startOffsetsMs) {
        const key = `${run.period}/${Math.floor(offset / 1000)}`;
        perSecond.set(key, (perSecond.get(key) ?? 0) + 1);
      }
    }
    const longestMs = Math.max(...done.map((run) => run.durationMs));
    const cpuMs = done.reduce((sum, run) => sum + run.cpuMs, 0);
    const billedS = done.reduce((sum, run) => sum + Math.ceil(run.durationMs) / 1000, 0) / PERIODS;
    emit({
      bench: 'scale-run',
      metric: 'longest shard duration / period',
      value: round(longestMs / PERIOD_MS),
      unit: 'fraction',
      goal: 0.7,
      phase: 'summary',
      checks: CHECKS,
      shards: plan.shards.length,
      periods: PERIODS,
      periodS: PERIOD_MS / 1000,
      concurrency: CONCURRENCY,
      longestShardFractionOfPeriod: round(longestMs / PERIOD_MS),
      shardDurationP50S: round(
        percentile(
          done.map((run) => run.durationMs),
          50,
        ) / 1000,
      ),
      startSpreadS: { first: round(Math.min(...starts) / 1000), last: round(Math.max(...starts) / 1000) },
      maxStartsInOneSecond: Math.max(...perSecond.values()),
      planned,
      executed: executed.length,
      missing: planned - distinct.size,
      twice: executed.length - distinct.size,
      skippedRuns: skipped,
      failedChecks: done.reduce((sum, run) => sum + run.failed, 0),
      cpuMsPerCheck: round(cpuMs / Math.max(1, executed.length)),
      peakRssMb: round(Math.max(...done.map((run) => run.rssMb)), 1),
      lambdaGbSecondsPerMonth: Math.round(billedS * MEMORY_GB * PERIODS_PER_MONTH),
      // Duration (arm64) and requests, from the one price table (its source and date go with it).
      lambdaUsdPerMonth: round(
        billedS * MEMORY_GB * PERIODS_PER_MONTH * PRICES.lambdaArmGbSecondUsd +
          ((plan.shards.length * PERIODS_PER_MONTH) / 1e6) * PRICES.lambdaRequestsPerMillionUsd,
        2,
      ),
      pricesAsOf: PRICES.asOf,
      memoryMb: MEMORY_GB * 1024,
      loadAverage1m: { before: round(loadBefore[0] ?? 0, 2), after: round(loadavg()[0] ?? 0, 2) },
      errors,
    });
  } finally {
    for (const child of children) child.kill();
    target.close();
  }
};

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
