/**
 * `runner` benchmark, against a local 127.0.0.1 server (in a child process) answering after a fixed 20 ms.
 *
 * HTTP: 200 checks at concurrency 20 (one GET, three assertions: status, a JSON field, response time)
 * through the full engine with EMF publishing and X-Ray tracing to a local UDP daemon, as in Lambda (the
 * engine's segment documents sent straight to it, no X-Ray SDK since issue 16: the runner's handler chain), vs a
 * plain-undici floor doing the same requests and assertions. Each side runs in its own process, from
 * its own bundle built as a Lambda's (`_runner-side-engine.ts`, `_runner-side-floor.ts`), so its CPU time
 * (`process.cpuUsage`) and peak RSS (`resourceUsage().maxRSS`) are its own; both warm up alike, both open
 * their connections in every round; rounds alternate between the two. Goals: CPU ms per check ratio <= 1.2, peak RSS ratio <= 1.2.
 *
 * Then the network checks: 200 `tcp` (banner after 20 ms), `dns` (an A answer after 20 ms, over UDP from a
 * dns-packet server) and `tls` (handshake, 20 ms after connecting, with a self-signed certificate the checks
 * trust) checks through the same engine, each against the bare Node call at the same concurrency
 * (`net.connect` waiting for the banner, `dns.promises.Resolver#resolve4`, `tls.connect` to
 * `secureConnect`), one row per kind (goal: wall-time ratio <= 1.10).
 *
 * Prints one JSON line per round and per network kind, the wall-time and RSS lines, then the summary:
 * `{"bench":"runner","metric":"cpu_ms_per_check_ratio","value":…,"unit":"ratio","baseline":<floor ms>,"ratio":…}`
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedCheck, ResolvedProbe } from '../functions/commons/config/types';
import { bundleAsLambda } from './_lambda-bundle';
import { benchCheck } from './_resolved-check';
import type { SideEnd, SideInit, SideRound } from './_runner-side';

const CHECKS = 200;
const CONCURRENCY = 20;
const DELAY_MS = 20;
/** Measured rounds; `VIGIL_BENCH_ROUNDS` changes it (more for a profile). */
const ROUNDS = Number(process.env.VIGIL_BENCH_ROUNDS ?? 5);
const HARD_LIMIT_MS = 300_000;
/** The response-time assertion's bound on both sides (the server answers after DELAY_MS). */
const MAX_RESPONSE_MS = 2_000;

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
const net = require('node:net');
const tls = require('node:tls');
const packet = require(process.env.BENCH_DNS_PACKET);
const tcp = net.createServer((socket) => {
  socket.on('error', () => undefined);
  setTimeout(() => socket.end('220 bench ESMTP\\r\\n'), ${DELAY_MS});
});
const secure = tls.createServer({ key: process.env.BENCH_TLS_KEY, cert: process.env.BENCH_TLS_CERT }, (socket) => {
  socket.on('error', () => undefined);
  socket.end();
}).on('tlsClientError', () => undefined);
// The server answers the handshake after the same ${DELAY_MS} ms as the others: a network's latency, not only CPU.
const front = net.createServer((socket) => {
  socket.on('error', () => undefined);
  setTimeout(() => secure.emit('connection', socket), ${DELAY_MS});
});
const dns = dgram.createSocket('udp4');
dns.on('message', (message, remote) => {
  const query = packet.decode(message);
  const answer = packet.encode({ id: query.id, type: 'response', flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE,
    questions: query.questions, answers: [{ type: 'A', name: query.questions[0].name, ttl: 300, data: '192.0.2.10' }] });
  setTimeout(() => dns.send(answer, remote.port, remote.address), ${DELAY_MS});
});
const listen = (target, ...args) => new Promise((done) => target.listen(0, '127.0.0.1', done));
Promise.all([
  new Promise((done) => sink.bind(0, '127.0.0.1', done)),
  new Promise((done) => dns.bind(0, '127.0.0.1', done)),
  listen(server), listen(tcp), listen(front),
]).then(() => {
  process.stdout.write(JSON.stringify({ http: server.address().port, udp: sink.address().port,
    tcp: tcp.address().port, tls: front.address().port, dns: dns.address().port }) + '\\n');
});
setTimeout(() => process.exit(0), ${HARD_LIMIT_MS}).unref();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

interface Ports {
  readonly http: number;
  readonly udp: number;
  readonly tcp: number;
  readonly tls: number;
  readonly dns: number;
}

/** A self-signed certificate for 127.0.0.1 from the `openssl` CLI (the checks and the baseline trust it). */
const selfSigned = (): { key: string; cert: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  try {
    const result = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '30',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr.toString()}`);
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const startServer = async (certificate: {
  key: string;
  cert: string;
}): Promise<{ child: ChildProcess } & Ports> => {
  const child = spawn(process.execPath, ['-e', SERVER], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      BENCH_DNS_PACKET: require.resolve('dns-packet'),
      BENCH_TLS_KEY: certificate.key,
      BENCH_TLS_CERT: certificate.cert,
    },
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const ports = JSON.parse(chunk.toString('utf8')) as Ports;
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
const round3 = (n: number): number => Math.round(n * 1000) / 1000;
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
  const certificate = selfSigned();
  const server = await startServer(certificate);
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
    // As the runner Function sets it: the engine traces its own requests.
    POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
  });
  const { Agent, request } = await import('undici');
  const { createEmfWriter, stdoutSink } = await import('../functions/commons/metrics');
  const { runChecks } = await import('../functions/synthetics/engine');
  const { createXrayDaemonTracing, publishCheckMetrics } = await import('../functions/synthetics/adapters');

  const baseUrl = `http://127.0.0.1:${server.http}`;
  const loadBefore = loadavg()[0] as number;
  const sides = bundleSides();
  const engineSide = await startSide(sides.files.engine, 'engine', baseUrl);
  const floorSide = await startSide(sides.files.floor, 'floor', baseUrl);
  let failures = 0;
  const engine: SideRound[] = [];
  const floor: SideRound[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Interleaved, the floor first, one side at a time: neither runs while the other is measured.
    const f = await floorSide.round();
    const e = await engineSide.round();
    floor.push(f);
    engine.push(e);
    failures += f.failures + e.failures;
    emit({
      bench: 'runner',
      round,
      engineMs: round2(e.wallMs),
      floorMs: round2(f.wallMs),
      engineCpuMsPerCheck: round3(e.cpuMs / CHECKS),
      floorCpuMsPerCheck: round3(f.cpuMs / CHECKS),
      loadAverage: round2(loadavg()[0] as number),
    });
  }
  const engineRssKb = await engineSide.end();
  const floorRssKb = await floorSide.end();
  // Kept beside a profile (its source maps), removed otherwise.
  if (!process.env.VIGIL_BENCH_CPU_PROF) rmSync(sides.dir, { recursive: true, force: true });

  // The network rows run in this process, against the bare Node calls, with the same engine parts.
  // As the runner handler: the engine's spans straight to the daemon, no X-Ray SDK in the process.
  const tracing = createXrayDaemonTracing();
  const metrics = createEmfWriter({
    namespace: 'Vigil/Bench',
    defaultDimensions: { service: 'vigil-bench' },
    sink: stdoutSink,
  });
  const template = httpCheckTemplate();
  const network = await networkRows(server, certificate.cert, template, {
    tracing,
    metrics,
    publishCheckMetrics,
    runChecks,
  });
  const dispatcher = new Agent({ connections: 1 });
  const segments = Number(await (await request(`${baseUrl}/segments`, { dispatcher })).body.text());
  await dispatcher.close();
  clearTimeout(killer);
  server.child.stdin?.end();
  server.child.kill();
  if (failures + network.failures > 0)
    throw new Error(`${failures + network.failures} requests or checks failed during the benchmark`);
  for (const row of network.rows) emit(row);
  const engineCpu = median(engine.map((r) => r.cpuMs)) / CHECKS;
  const floorCpu = median(floor.map((r) => r.cpuMs)) / CHECKS;
  const engineMs = median(engine.map((r) => r.wallMs));
  const floorMs = median(floor.map((r) => r.wallMs));
  emit({ bench: 'runner', metric: 'xray_segments_received', value: segments, unit: 'count' });
  emit({
    bench: 'runner',
    metric: 'wall_time_ratio',
    value: round2(engineMs / floorMs),
    unit: 'ratio',
    baseline: round2(floorMs),
    ratio: round2(engineMs / floorMs),
    engineMs: round2(engineMs),
  });
  emit({
    bench: 'runner',
    metric: 'peak_rss_ratio',
    value: round2(engineRssKb / floorRssKb),
    unit: 'ratio',
    baseline: round2(floorRssKb / 1024),
    ratio: round2(engineRssKb / floorRssKb),
    engineMb: round2(engineRssKb / 1024),
    floorMb: round2(floorRssKb / 1024),
  });
  const ratio = round2(engineCpu / floorCpu);
  emit({
    bench: 'runner',
    metric: 'cpu_ms_per_check_ratio',
    value: ratio,
    unit: 'ratio',
    baseline: round3(floorCpu),
    ratio,
    engineCpuMsPerCheck: round3(engineCpu),
    engineRssMb: round2(engineRssKb / 1024),
    floorRssMb: round2(floorRssKb / 1024),
    rssRatio: round2(engineRssKb / floorRssKb),
    loadAverage: { before: round2(loadBefore), after: round2(loadavg()[0] as number) },
  });
};

/** A side process (see `_runner-side.ts`), driven one round at a time. */
interface Side {
  round(): Promise<SideRound>;
  /** Ends the side; resolves with its peak RSS in KiB. */
  end(): Promise<number>;
}

/**
 * Each side (`_runner-side-engine.ts`, `_runner-side-floor.ts`) bundled as a Vigil Lambda's code is
 * (esbuild, minified, CJS, node24, with a source map), so both run plain JavaScript of their own code
 * only, as in Lambda. Run through `tsx`, the engine side paid for transforming the engine's TypeScript
 * (its peak RSS 103–148 MB from run to run, by the transform cache's state) while the floor's `undici` is
 * JavaScript already.
 */
const bundleSides = (): { dir: string; files: Record<SideInit['side'], string> } => {
  const dir = mkdtempSync(join(process.env.VIGIL_BENCH_CPU_PROF ?? tmpdir(), 'vigil-bench-sides-'));
  const bundle = (side: SideInit['side']): string =>
    bundleAsLambda(join(__dirname, `_runner-side-${side}.ts`), join(dir, `${side}.js`));
  return { dir, files: { engine: bundle('engine'), floor: bundle('floor') } };
};

const startSide = async (file: string, side: SideInit['side'], baseUrl: string): Promise<Side> => {
  // stdout discarded: the EMF documents go there, as to the Lambda log stream.
  const child = fork(file, [], {
    // VIGIL_BENCH_CPU_PROF=<dir> writes a `--cpu-prof` profile of the engine side there (of the minified
    // bundle, which stays in a `vigil-bench-sides-*` directory there with its source map). Without
    // `--enable-source-maps`, which the Functions set: it makes each side hold its bundle's map, and the
    // floor's (undici's, 1.9 MB) costs it 30 MB of peak RSS, the engine's (0.9 MB) about nothing, which
    // says nothing of either side's checks.
    execArgv: [
      ...(side === 'engine' && process.env.VIGIL_BENCH_CPU_PROF
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.VIGIL_BENCH_CPU_PROF]
        : []),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = async <T>(type: string): Promise<T> => {
    for (;;) {
      const [message] = (await once(child, 'message')) as [{ type: string }];
      if (message.type === type) return message as T;
    }
  };
  const init: SideInit = {
    type: 'init',
    side,
    baseUrl,
    checks: CHECKS,
    concurrency: CONCURRENCY,
    maxResponseMs: MAX_RESPONSE_MS,
  };
  const ready = next('ready');
  child.send(init);
  await ready;
  return {
    round: () => {
      const answer = next<SideRound>('round');
      child.send({ type: 'round' });
      return answer;
    },
    end: async () => {
      const answer = next<SideEnd>('end');
      child.send({ type: 'end' });
      return (await answer).maxRssKb;
    },
  };
};

/** The template the network rows derive their checks from (their probe replaces the steps). */
const httpCheckTemplate = (): ResolvedCheck => benchCheck('template', []);

/** What the network rows reuse from the HTTP part: the same engine, tracing and EMF publishing. */
interface EngineParts {
  readonly tracing: import('../functions/synthetics/types/ports').Tracing;
  readonly metrics: import('../functions/commons/metrics').EmfWriter;
  readonly publishCheckMetrics: typeof import('../functions/synthetics/adapters').publishCheckMetrics;
  readonly runChecks: typeof import('../functions/synthetics/engine').runChecks;
}

/**
 * One row per network kind: the engine's `tcp`, `dns` and `tls` checks vs the bare Node call, interleaved
 * rounds, medians compared.
 */
const networkRows = async (
  ports: Ports,
  trusted: string,
  template: ResolvedCheck,
  parts: EngineParts,
): Promise<{ rows: Record<string, unknown>[]; failures: number }> => {
  const net = await import('node:net');
  const tls = await import('node:tls');
  const { promises: dns } = await import('node:dns');
  let failures = 0;
  const trustedCertificates = [trusted];
  // Built once, as the engine does (a context per connection would make the baseline pay for parsing), and
  // with the store the checks verify against: Node's roots plus the bench's CA. `tls.connect` then verifies
  // the chain and the host name (127.0.0.1 against the certificate's IP SAN), as a `tls` check must.
  const bareContext = tls.createSecureContext({ ca: [...tls.rootCertificates, ...trustedCertificates] });
  const probes: Record<'tcp' | 'dns' | 'tls', { probe: ResolvedProbe; bare: () => Promise<boolean> }> = {
    tcp: {
      probe: {
        type: 'tcp',
        host: '127.0.0.1',
        port: ports.tcp,
        tls: false,
        expect: { op: 'contains', value: '220 ' },
        connectTimeoutMs: 5_000,
        timeoutMs: 5_000,
      },
      bare: () =>
        new Promise<boolean>((done) => {
          const socket = net.connect({ host: '127.0.0.1', port: ports.tcp });
          let text = '';
          socket.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            if (text.includes('220 ')) {
              socket.destroy();
              done(true);
            }
          });
          socket.on('error', () => done(false));
          socket.on('close', () => done(text.includes('220 ')));
        }),
    },
    dns: {
      probe: {
        type: 'dns',
        query: 'shop.example',
        recordType: 'A',
        resolvers: [`127.0.0.1:${ports.dns}`],
        assert: [{ type: 'answer', op: 'contains', value: '192.0.2.10' }],
        timeoutMs: 5_000,
      },
      bare: async () => {
        const resolver = new dns.Resolver({ timeout: 5_000, tries: 1 });
        resolver.setServers([`127.0.0.1:${ports.dns}`]);
        const answers = await resolver.resolve4('shop.example', { ttl: true });
        return answers.some((answer) => answer.address === '192.0.2.10');
      },
    },
    tls: {
      probe: {
        type: 'tls',
        host: '127.0.0.1',
        port: ports.tls,
        warningDays: 7,
        criticalDays: 1,
        connectTimeoutMs: 5_000,
        timeoutMs: 5_000,
      },
      bare: () =>
        new Promise<boolean>((done) => {
          const socket = tls.connect({ host: '127.0.0.1', port: ports.tls, secureContext: bareContext });
          socket.once('secureConnect', () => {
            const ok = socket.authorized && socket.getPeerCertificate().valid_to !== undefined;
            socket.destroy();
            done(ok);
          });
          socket.on('error', () => done(false));
        }),
    },
  };
  const rows: Record<string, unknown>[] = [];
  for (const [kind, { probe, bare }] of Object.entries(probes)) {
    const checks: ResolvedCheck[] = Array.from({ length: CHECKS }, (_, i) => ({
      ...template,
      name: `${kind}-${i}`,
      type: probe.type,
      steps: [],
      probe,
    }));
    const engineRun = async (): Promise<void> => {
      const write = process.stdout.write;
      process.stdout.write = (() => true) as typeof process.stdout.write; // the discarded EMF sink
      try {
        const results = await parts.runChecks(checks, {
          baseUrl: 'http://127.0.0.1',
          concurrency: CONCURRENCY,
          tracing: parts.tracing,
          trustedCertificates,
          onResult: (result) => parts.publishCheckMetrics(parts.metrics, result, 'essential'),
        });
        failures += results.filter((result) => result.status !== 'passed').length;
      } finally {
        process.stdout.write = write;
      }
    };
    const bareRun = async (): Promise<void> => {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < CHECKS) {
          next += 1;
          if (!(await bare())) failures += 1;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    };
    await bareRun(); // warm-up
    await engineRun();
    const engine: { wallMs: number; cpuMs: number }[] = [];
    const baseline: { wallMs: number; cpuMs: number }[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      baseline.push(await measure(bareRun));
      engine.push(await measure(engineRun));
    }
    const engineMs = median(engine.map((r) => r.wallMs));
    const baselineMs = median(baseline.map((r) => r.wallMs));
    rows.push({
      bench: 'runner',
      metric: `${kind}_wall_time_ratio`,
      value: round2(engineMs / baselineMs),
      unit: 'ratio',
      baseline: round2(baselineMs),
      ratio: round2(engineMs / baselineMs),
      engineMs: round2(engineMs),
      cpuMsPerCheck: round2(median(engine.map((r) => r.cpuMs)) / CHECKS),
      baselineCpuMsPerCall: round2(median(baseline.map((r) => r.cpuMs)) / CHECKS),
    });
  }
  return { rows, failures };
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
