import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { buildSync } from 'esbuild';
import type { RunnerConfig } from '../../functions/synthetics/types/runner-config';

const ROOT = join(__dirname, '../..');
const RECORDER = join(__dirname, '../helpers/record-loaded-modules.cjs');

/** Bundles a Lambda entry as VigilFunction does (minified CJS for Node 24, the AWS SDK left to the runtime). */
const bundleLikeVigilFunction = (entry: string, output: { outfile: string } | { write: false }) =>
  buildSync({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'silent',
    ...output,
  });

/** The packages a Lambda entry bundles, as VigilFunction bundles it (AWS SDK external). */
const bundledPackages = (entry: string): Set<string> => {
  const { metafile } = bundleLikeVigilFunction(join(ROOT, 'functions', entry), { write: false });
  return new Set(
    Object.keys(metafile.inputs).flatMap((input) => {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      return match ? [match[1]!] : [];
    }),
  );
};

describe('Lambda bundles', () => {
  it.each([['kpi/kpi-runner-handler.ts'], ['escalation/notify.ts']])(
    '%s gets Powertools Logger and Metrics through the shared middy chain (zod only as zod/mini: handler-bundles.test.ts)',
    (entry) => {
      // Act
      const packages = bundledPackages(entry);

      // Assess
      expect(packages.has('@aws-lambda-powertools/logger')).toBe(true);
      expect(packages.has('@middy/core')).toBe(true);
      expect(packages.has('@aws-lambda-powertools/metrics')).toBe(true);
    },
  );

  it('synthetics runner: never imports @aws-sdk/client-dynamodb, and loads no AWS SDK package at init', () => {
    // Prepare: the runner bundled as VigilFunction bundles it (minified CJS, the AWS SDK left to the runtime)
    const dir = mkdtempSync(join(tmpdir(), 'vigil-runner-init-'));
    try {
      const bundle = join(dir, 'index.js');
      const { metafile } = bundleLikeVigilFunction(
        join(ROOT, 'functions/synthetics/synthetics-runner-handler.ts'),
        { outfile: bundle },
      );
      const config: RunnerConfig = {
        app: 'bundle-test',
        environment: 'prod',
        baseUrl: 'https://api.example.com',
        variables: {},
        concurrency: 1,
        metrics: 'essential',
        connections: 'reuse',
        location: 'us-east-1',
        secrets: {},
        checks: [],
      };
      writeFileSync(join(dir, 'runner-config.json'), JSON.stringify(config));
      const loadedFile = join(dir, 'loaded.txt');

      // Act: load it in a fresh Node process with what Lambda gives it (the SDK on NODE_PATH, credentials)
      execFileSync(process.execPath, ['--require', RECORDER, '-e', `require(${JSON.stringify(bundle)})`], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_PATH: join(ROOT, 'node_modules'),
          VIGIL_TEST_LOADED_MODULES: loadedFile,
          RUN_LEASE_TABLE: 'bundle-test-leases',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'bundle-test-secret',
          AWS_SESSION_TOKEN: 'bundle-test-token',
          POWERTOOLS_SERVICE_NAME: 'bundle-test',
        },
        stdio: 'pipe',
      });

      // Assess: no import of the DynamoDB client at all, and no AWS SDK package required at init (the
      // Secrets Manager and SSM clients are imported on first use)
      const [output] = Object.values(metafile.outputs).filter((file) => file.entryPoint !== undefined);
      const sdkImports = (output?.imports ?? []).filter((entry) => entry.path.startsWith('@aws-sdk/'));
      expect(sdkImports.filter((entry) => entry.path === '@aws-sdk/client-dynamodb')).toEqual([]);
      expect(sdkImports.filter((entry) => entry.kind !== 'dynamic-import')).toEqual([]);
      const loaded = readFileSync(loadedFile, 'utf8')
        .split('\n')
        .map((file) => file.split(sep).join('/'))
        .filter((file) => /node_modules\/@(aws-sdk|smithy)\//.test(file));
      expect(loaded).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the synthetics runner gets Powertools Logger through the shared middy chain, without the X-Ray SDK nor Powertools Tracer and Metrics', () => {
    // Act
    const packages = bundledPackages('synthetics/synthetics-runner-handler.ts');

    // Assess: its spans go straight to the X-Ray daemon, its metrics through Vigil's EMF writer
    expect(packages.has('@aws-lambda-powertools/logger')).toBe(true);
    expect(packages.has('@middy/core')).toBe(true);
    expect(
      ['@aws-lambda-powertools/tracer', 'aws-xray-sdk-core', '@aws-lambda-powertools/metrics'].filter(
        (name) => packages.has(name),
      ),
    ).toEqual([]);
  });
});
