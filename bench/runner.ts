/**
 * `runner` benchmark: 200 checks at concurrency 20 against a local 127.0.0.1 server answering after a
 * fixed 20 ms, through the full engine (assertions, EMF publishing to a discarded sink, X-Ray tracing
 * adapter sending to a local UDP sink), versus plain undici requests at the same concurrency, in the same
 * run. The server and UDP sink live in a child process so this process's CPU time is the client's alone.
 *
 * Prints one JSON line per round, then the summary:
 * `{"bench":"runner","metric":"wall_time_ratio","value":…,"unit":"ratio","baseline":<ms>,"ratio":…,"cpuMsPerCheck":…}`
 * Goals: ratio <= 1.10, cpuMsPerCheck <= 1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { ResolvedCheck } from '../functions/commons/config/types';

const CHECKS = 200;
const CONCURRENCY = 20;
const DELAY_MS = 20;
const ROUNDS = 5;
const HARD_LIMIT_MS = 120_000;

const SERVER = `
const http = require('node:http');
const dgram = require('node:dgram');
const body = JSON.stringify({ status: 'ok', flights: [{ id: 'FL1', price: 120 }, { id: 'FL2', price: 90 }] });
const sink = dgram.createSocket('udp4');
let segments = 0;
sink.on('message', () => { segments += 1; });
const server = http.createServer((req, res) => {
  if (req.url === '/segments') { res.end(String(segments)); return; }
  setTimeout(() => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body), ${DELAY_MS});
});
server.keepAliveTimeout = 10000;
sink.bind(0, '127.0.0.1', () => server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ http: server.address().port, udp: sink.address().port }) + '\\n');
}));
setTimeout(() => process.exit(0), ${HARD_LIMIT_MS}).unref();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

const startServer = async (): Promise<{ child: ChildProcess; http: number; udp: number }> => {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const ports = JSON.parse(chunk.toString('utf8')) as { http: number; udp: number };
  return { child, ...ports };
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const round2 = (n: number): number => Math.round(n * 100) / 100;
const print = process.stdout.write.bind(process.stdout);
const emit = (line: object): void => {
  print(`${JSON.stringify(line)}\n`);
};

const measure = async (run: () => Promise<void>): Promise<{ wallMs: number; cpuMs: number }> => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
};

const main = async (): Promise<void> => {
  const server = await startServer();
  const killer = setTimeout(() => {
    server.child.kill();
    process.exit(1);
  }, HARD_LIMIT_MS);
  // As in Lambda: the X-Ray SDK and Powertools read these when they load.
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: 'vigil-bench-runner',
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${server.udp}`,
    _X_AMZN_TRACE_ID: 'Root=1-65920080-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1',
    POWERTOOLS_SERVICE_NAME: 'vigil-bench',
  });
  const { Agent, request } = await import('undici');
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  const { createEmfWriter, stdoutSink } = await import('../functions/commons/metrics');
  const { runChecks } = await import('../functions/synthetics/engine');
  const { createXRayTracing, publishCheckMetrics } = await import('../functions/synthetics/adapters');

  const baseUrl = `http://127.0.0.1:${server.http}`;
  const tracing = createXRayTracing(new Tracer());
  const metrics = createEmfWriter({
    namespace: 'Vigil/Bench',
    defaultDimensions: { service: 'vigil-bench' },
    sink: stdoutSink,
  });
  const checks: ResolvedCheck[] = Array.from({ length: CHECKS }, (_, i) => ({
    name: `check-${i}`,
    type: 'api',
    schedule: { key: 'every-1m', expression: 'rate(1 minute)', everyMs: 60_000 },
    locations: ['us-east-1'],
    severity: 'warning',
    team: 'default',
    tags: {},
    timeoutMs: 10_000,
    retry: { strategy: 'fixed', maxAttempts: 1, delayMs: 1_000, maxDelayMs: 10_000 },
    maxBodyBytes: 1_048_576,
    maxRedirects: 5,
    variables: {},
    setup: [],
    steps: [
      {
        name: 'search',
        request: { method: 'GET', url: '/flights?i={{$randomInt}}', headers: {} },
        extract: [{ name: 'flightId', from: 'json', path: '$.flights[0].id' }],
        assert: [
          { type: 'status', op: 'equals', value: 200 },
          { type: 'jsonPath', path: '$.flights.length', op: '>', value: 0 },
          { type: 'header', name: 'content-type', op: 'contains', value: 'json' },
        ],
        timeoutMs: 5_000,
      },
    ],
    teardown: [],
    secrets: [],
  }));

  let failures = 0;
  const engineRun = async (): Promise<void> => {
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write; // the discarded EMF sink
    try {
      const results = await runChecks(checks, {
        baseUrl,
        concurrency: CONCURRENCY,
        tracing,
        onResult: (result) => publishCheckMetrics(metrics, result, 'essential'),
      });
      failures += results.filter((result) => result.status !== 'passed').length;
    } finally {
      process.stdout.write = write;
    }
  };
  const dispatcher = new Agent({ connections: CONCURRENCY });
  const baselineRun = async (): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < CHECKS) {
        next += 1;
        const response = await request(`${baseUrl}/flights`, { dispatcher });
        const text = await response.body.text();
        if (response.statusCode !== 200 || text.length === 0) failures += 1;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };

  await baselineRun(); // warm-up (JIT, connections)
  await engineRun();
  const engine: { wallMs: number; cpuMs: number }[] = [];
  const baseline: { wallMs: number; cpuMs: number }[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const b = await measure(baselineRun);
    const e = await measure(engineRun);
    baseline.push(b);
    engine.push(e);
    emit({
      bench: 'runner',
      round,
      engineMs: round2(e.wallMs),
      baselineMs: round2(b.wallMs),
      engineCpuMsPerCheck: round2(e.cpuMs / CHECKS),
      baselineCpuMsPerCheck: round2(b.cpuMs / CHECKS),
    });
  }
  const segments = Number(await (await request(`${baseUrl}/segments`, { dispatcher })).body.text());
  await dispatcher.close();
  clearTimeout(killer);
  server.child.stdin?.end();
  server.child.kill();
  if (failures > 0) throw new Error(`${failures} requests or checks failed during the benchmark`);
  const engineMs = median(engine.map((r) => r.wallMs));
  const baselineMs = median(baseline.map((r) => r.wallMs));
  const ratio = round2(engineMs / baselineMs);
  emit({ bench: 'runner', metric: 'xray_segments_received', value: segments, unit: 'count' });
  emit({
    bench: 'runner',
    metric: 'wall_time_ratio',
    value: ratio,
    unit: 'ratio',
    baseline: round2(baselineMs),
    ratio,
    engineMs: round2(engineMs),
    cpuMsPerCheck: round2(median(engine.map((r) => r.cpuMs)) / CHECKS),
  });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
