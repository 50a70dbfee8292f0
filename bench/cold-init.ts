import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../functions/commons/config/load-config';
import { resolveChecks } from '../functions/commons/config/resolve-config';
import type { RunnerConfig } from '../functions/synthetics/types/runner-config';
import { bundleAsLambda } from './_lambda-bundle';
import { emit, median, round } from './_report';

const RUNS = Number(process.env.VIGIL_BENCH_RUNS ?? 21);
const BUNDLE_GOAL_BYTES = 400 * 1024;

/** Bundles an entry exactly as VigilFunction does (AWS SDK external). */
const bundle = (entry: string, outdir: string): string =>
  bundleAsLambda(entry, join(outdir, 'index.js'), ['@aws-sdk/*']);

/** Module init time of one fresh node process requiring the bundle, in ms. */
const initOnce = (file: string): number => {
  const script = `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`;
  const env = {
    PATH: process.env.PATH ?? '',
    // The AWS SDK is left out of the bundle, as the Function leaves it to the runtime, which puts it on
    // NODE_PATH (/var/runtime/node_modules); here it is the project's copy.
    NODE_PATH: join(__dirname, '../node_modules'),
    POWERTOOLS_SERVICE_NAME: 'bench',
    POWERTOOLS_METRICS_NAMESPACE: 'Vigil',
    VIGIL_APP: 'bench',
    // The runner's run lease table (named at init; nothing is called before an invocation).
    RUN_LEASE_TABLE: 'bench-run-leases',
    // What Lambda sets in every function's environment (the lease's DynamoDB client reads them at init).
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_SESSION_TOKEN: 'bench-token',
  };
  return Number(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }));
};

const main = () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-cold-init-'));
  const runnerDir = join(root, 'runner');
  const baselineDir = join(root, 'baseline');
  const runner = bundle(join(__dirname, '../functions/synthetics/synthetics-runner-handler.ts'), runnerDir);
  const baseline = bundle(join(__dirname, 'fixtures/powertools-only.ts'), baselineDir);
  const { config } = loadConfig(join(__dirname, '../vigil.config.ts'));
  const runnerConfig: RunnerConfig = {
    app: config.app,
    environment: 'prod',
    baseUrl: 'https://api.example.com',
    variables: {},
    concurrency: config.runner.concurrency,
    metrics: config.runner.metrics,
    connections: config.runner.connections,
    location: 'us-east-1',
    secrets: config.secrets,
    checks: resolveChecks(config),
  };
  writeFileSync(join(runnerDir, 'runner-config.json'), JSON.stringify(runnerConfig));

  const runnerTimes: number[] = [];
  const baselineTimes: number[] = [];
  initOnce(runner);
  initOnce(baseline);
  for (let i = 0; i < RUNS; i++) {
    // Interleaved so machine noise hits both alike.
    runnerTimes.push(initOnce(runner));
    baselineTimes.push(initOnce(baseline));
  }
  const runnerBytes = statSync(runner).size;
  const baselineBytes = statSync(baseline).size;
  const runnerMs = median(runnerTimes);
  const baselineMs = median(baselineTimes);
  emit({
    bench: 'cold-init',
    metric: 'bundle_bytes',
    value: runnerBytes,
    unit: 'bytes',
    baseline: baselineBytes,
    goal: BUNDLE_GOAL_BYTES,
  });
  emit({ bench: 'cold-init', metric: 'runner_init_ms', value: round(runnerMs), unit: 'ms', runs: RUNS });
  emit({
    bench: 'cold-init',
    metric: 'powertools_only_init_ms',
    value: round(baselineMs),
    unit: 'ms',
    runs: RUNS,
  });
  emit({
    bench: 'cold-init',
    metric: 'module_init_ratio',
    value: round(runnerMs / baselineMs),
    unit: 'ratio',
    baseline: round(baselineMs),
    ratio: round(runnerMs / baselineMs),
    bundleBytes: runnerBytes,
    runs: RUNS,
  });
};

if (require.main === module) main();
