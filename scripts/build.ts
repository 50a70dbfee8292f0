import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { prebuiltDirOf } from '../stacks/constructs/vigil-function';

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');

/** Every Lambda entry a Vigil stack deploys (`VigilFunction` `entry`), relative to the repository. */
export const LAMBDA_ENTRIES = [
  'functions/synthetics/synthetics-runner-handler.ts',
  'functions/kpi/kpi-runner-handler.ts',
  'functions/escalation/ack.ts',
  'functions/escalation/check-status.ts',
  'functions/escalation/notify.ts',
  'functions/escalation/pagerduty-webhook.ts',
  'functions/escalation/start.ts',
  'functions/oncall/ical-feed-handler.ts',
  'functions/heartbeats/ping-handler.ts',
  'functions/heartbeats/evaluator-handler.ts',
] as const;

/**
 * Builds the package into dist/: the library and CLI compiled by tsc (CommonJS + .d.ts), and each Lambda
 * handler pre-bundled by esbuild with VigilFunction's options (minified CJS for node24, source map, the
 * runtime's `@aws-sdk/*` left out) at `<entry>.lambda/`, where an installed VigilFunction finds it.
 */
export const buildPackage = async (): Promise<void> => {
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    {
      stdio: 'inherit',
    },
  );
  for (const entry of LAMBDA_ENTRIES) {
    await build({
      entryPoints: [join(ROOT, entry)],
      outfile: join(prebuiltDirOf(join(DIST, entry)), 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      minify: true,
      sourcemap: true,
      external: ['@aws-sdk/*', 'pg-native'],
      logLevel: 'warning',
    });
  }
};

if (require.main === module) {
  buildPackage().then(
    () => process.stdout.write(`built ${DIST}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
