/**
 * `heartbeat` benchmark: the ping endpoint as a job sees it. One HTTP server on 127.0.0.1 serves pings with
 * either the ping handler core (URL parsing, all tokens loaded, constant-time token check, run output
 * redacted and truncated, the ping recorded in the in-memory store, run duration published to a discarded
 * EMF sink) or a bare handler that only parses the URL, in the same process; a keep-alive client sends
 * 5,000 pings per round at concurrency 8 to 200 heartbeats (every third a `/start`, the others success, so
 * most successes end a timed run; every 10th a POST with 2 KB of output). After two warm-up rounds of each,
 * 9 rounds alternate; medians are compared. Also measured in-process without HTTP: the core's and the bare
 * handler's µs per ping (GET only, and the rounds' mix with its POSTs), one `HeartbeatDuration` record
 * through the EMF writer, and the token check's time for an unknown id vs a wrong token (they must match).
 *
 * Prints one JSON line per round, then the summary:
 * `{"bench":"heartbeat","metric":"pings_per_s_ratio","value":…,"unit":"ratio","baseline":<bare pings/s>,"ratio":…}`
 * where ratio = bare pings/s ÷ core pings/s, and `p99Ratio` = core ÷ bare p99 over all measured pings of each
 * side (the median of the rounds' own p99s beside it). Goal: ratio ≤ 1.2 (and p99 within the same factor).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { realClock } from '../functions/commons/clock';
import { createEmfWriter } from '../functions/commons/metrics/emf-writer';
import { MemoryHeartbeatStore } from '../functions/heartbeats/adapters/memory-heartbeat-store';
import {
  createPingCore,
  PING_RESPONSES,
  type PingInput,
  type PingResponse,
} from '../functions/heartbeats/handle-ping';
import { HEARTBEAT_DIMENSION, HEARTBEAT_METRICS } from '../functions/heartbeats/heartbeat-metrics';
import { parsePingRequest } from '../functions/heartbeats/ping-request';
import { newPingToken } from '../functions/heartbeats/ping-token';
import { emit, median, percentile, round } from './_report';

const HEARTBEATS = 200;
const PINGS = 5_000;
const CONCURRENCY = 8;
const ROUNDS = 9;
const IN_PROCESS_PINGS = 50_000;
const HARD_LIMIT_MS = 5 * 60_000;

type Handler = (input: PingInput) => Promise<PingResponse>;

const tokens = new Map(Array.from({ length: HEARTBEATS }, (_, i) => [`job_${i}`, newPingToken()]));
const names = [...tokens.keys()];
const paths = Array.from({ length: PINGS }, (_, i) => {
  const name = names[i % HEARTBEATS]!;
  return `/ping/${name}/${tokens.get(name)}${i % 3 === 0 ? '/start' : ''}`;
});
const OUTPUT = `exported 1234 rows; password=hunter2\n${'row ok\n'.repeat(290)}`;

const emf = createEmfWriter({
  namespace: 'Vigil',
  defaultDimensions: { service: 'bench' },
  sink: () => undefined,
});
const core: Handler = createPingCore({
  // Loaded, as in a warm Lambda: the Secrets Manager port hands out the loaded map itself.
  tokens: () => tokens,
  store: new MemoryHeartbeatStore(),
  clock: realClock,
  metrics: emf,
});
const bare: Handler = async (input) =>
  parsePingRequest(input.method, input.path) !== undefined ? PING_RESPONSES.ok : PING_RESPONSES.notFound;

const main = async () => {
  const killer = setTimeout(() => {
    console.error('heartbeat bench exceeded its hard limit');
    process.exit(1);
  }, HARD_LIMIT_MS);
  let handler: Handler = bare;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handler({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: Buffer.concat(chunks).toString('utf8'),
      }).then(
        (response) => res.writeHead(response.statusCode).end(response.body),
        () => res.writeHead(503).end(),
      );
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dispatcher = new Agent({ connections: CONCURRENCY });
  let failures = 0;

  const round_ = async (which: Handler) => {
    handler = which;
    const latencies: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < PINGS) {
        const index = next;
        next += 1;
        const post = index % 10 === 0;
        const started = process.hrtime.bigint();
        const response = await request(`${origin}${paths[index]}`, {
          dispatcher,
          method: post ? 'POST' : 'GET',
          ...(post ? { body: OUTPUT } : {}),
        });
        await response.body.text();
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (response.statusCode !== 200) failures += 1;
      }
    };
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { pingsPerS: PINGS / seconds, p99Ms: percentile(latencies, 99), latencies };
  };

  // Warm-up (JIT, connections, the store's records): two rounds of each.
  for (const which of [bare, core, bare, core]) await round_(which);
  const coreRounds: { pingsPerS: number; p99Ms: number; latencies: number[] }[] = [];
  const bareRounds: { pingsPerS: number; p99Ms: number; latencies: number[] }[] = [];
  for (let round1 = 1; round1 <= ROUNDS; round1 += 1) {
    const b = await round_(bare);
    const c = await round_(core);
    bareRounds.push(b);
    coreRounds.push(c);
    emit({
      bench: 'heartbeat',
      round: round1,
      corePingsPerS: round(c.pingsPerS, 0),
      barePingsPerS: round(b.pingsPerS, 0),
      coreP99Ms: round(c.p99Ms),
      bareP99Ms: round(b.p99Ms),
    });
  }
  await dispatcher.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (failures > 0) throw new Error(`${failures} pings were not accepted during the benchmark`);

  // In-process, without HTTP: what the core itself costs, and whether an unknown id costs what a wrong token does.
  const perPingUs = async (which: Handler, path: (i: number) => string, mix = false) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < IN_PROCESS_PINGS; i += 1) {
      const post = mix && (i % PINGS) % 10 === 0;
      await which(post ? { method: 'POST', path: path(i), body: OUTPUT } : { method: 'GET', path: path(i) });
    }
    return Number(process.hrtime.bigint() - started) / 1e3 / IN_PROCESS_PINGS;
  };
  const emfPublishUs = () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < IN_PROCESS_PINGS; i += 1) {
      emf.publish({
        dimensionSets: [{ [HEARTBEAT_DIMENSION]: names[i % HEARTBEATS]! }],
        metrics: [{ name: HEARTBEAT_METRICS.duration, unit: 'Milliseconds', value: i % 1000 }],
        timestamp: Date.now(),
      });
    }
    return Number(process.hrtime.bigint() - started) / 1e3 / IN_PROCESS_PINGS;
  };
  const valid = (i: number) => paths[i % PINGS]!;
  const wrongToken = (i: number) => `/ping/${names[i % HEARTBEATS]}/${newPingTokenLike(i)}`;
  const unknownId = (i: number) => `/ping/nobody_${i % HEARTBEATS}/${newPingTokenLike(i)}`;
  await perPingUs(core, wrongToken); // warm-up
  await perPingUs(core, unknownId);
  const inProcess = {
    coreUs: await perPingUs(core, valid),
    bareUs: await perPingUs(bare, valid),
    coreMixUs: await perPingUs(core, valid, true),
    bareMixUs: await perPingUs(bare, valid, true),
    emfPublishUs: emfPublishUs(),
    wrongTokenUs: median([
      await perPingUs(core, wrongToken),
      await perPingUs(core, wrongToken),
      await perPingUs(core, wrongToken),
    ]),
    unknownIdUs: median([
      await perPingUs(core, unknownId),
      await perPingUs(core, unknownId),
      await perPingUs(core, unknownId),
    ]),
  };
  emit({
    bench: 'heartbeat',
    metric: 'in_process_us_per_ping',
    coreUs: round(inProcess.coreUs),
    bareUs: round(inProcess.bareUs),
    coreMixUs: round(inProcess.coreMixUs),
    bareMixUs: round(inProcess.bareMixUs),
    emfPublishUs: round(inProcess.emfPublishUs),
    wrongTokenUs: round(inProcess.wrongTokenUs),
    unknownIdUs: round(inProcess.unknownIdUs),
  });

  const corePingsPerS = median(coreRounds.map((r) => r.pingsPerS));
  const barePingsPerS = median(bareRounds.map((r) => r.pingsPerS));
  const ratio = round(barePingsPerS / corePingsPerS, 2);
  clearTimeout(killer);
  emit({
    bench: 'heartbeat',
    metric: 'pings_per_s_ratio',
    value: ratio,
    unit: 'ratio',
    baseline: round(barePingsPerS, 0),
    ratio,
    corePingsPerS: round(corePingsPerS, 0),
    // p99 of every measured ping of a side (45,000): one round's p99 is its 50th slowest ping, which a single
    // stall of the machine moves; the median of the rounds' p99s is kept beside it.
    coreP99Ms: round(pooledP99(coreRounds)),
    bareP99Ms: round(pooledP99(bareRounds)),
    p99Ratio: round(pooledP99(coreRounds) / pooledP99(bareRounds), 2),
    coreRoundP99Ms: round(median(coreRounds.map((r) => r.p99Ms))),
    bareRoundP99Ms: round(median(bareRounds.map((r) => r.p99Ms))),
  });
};

/** The p99 latency of all the measured rounds' pings together. */
const pooledP99 = (rounds: readonly { latencies: readonly number[] }[]): number =>
  percentile(
    rounds.flatMap((r) => r.latencies),
    99,
  );

/** A token-shaped string that matches no heartbeat's token. */
const newPingTokenLike = (i: number): string => `x${String(i).padStart(31, '0')}`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
