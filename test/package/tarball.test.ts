import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type FlightApi, startFlightApi } from '../../examples/flight-api';
import { cfnLint } from '../helpers/synth-vigil';

const ROOT = join(__dirname, '../..');
const MINUTES = 60_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in `cwd` (the registry is its only network); resolves with its exit code and output. */
const sh = async (cwd: string, command: string, args: readonly string[]): Promise<Run> => {
  const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(command, [...args], {
      cwd,
      env: { ...env, CI: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? '',
    };
  }
};

const ok = (run: Run): Run => {
  if (run.code !== 0) throw new Error(`exit ${run.code}\n${run.stdout}\n${run.stderr}`);
  return run;
};

/**
 * The package as a team gets it: `npm pack` (which builds dist/), the tarball installed into an empty
 * directory, `vigil init` there, and the scaffolded project used as its workflow would.
 */
describe('the packed @vigil-oss/vigil in an empty project', () => {
  let api: FlightApi;
  let project: string;

  beforeAll(async () => {
    // Prepare: the demo flight API to check, the tarball, an empty project with it installed, then init
    api = await startFlightApi({ port: 0 });
    const packDir = mkdtempSync(join(tmpdir(), 'vigil-pack-'));
    ok(await sh(ROOT, 'npm', ['pack', '--pack-destination', packDir, '--loglevel=error']));
    const tarball = join(
      packDir,
      readdirSync(packDir).find((file) => file.endsWith('.tgz')) ?? 'missing.tgz',
    );
    project = mkdtempSync(join(tmpdir(), 'vigil-project-'));
    writeFileSync(join(project, 'package.json'), '{ "name": "empty", "private": true }\n');
    ok(await sh(project, 'npm', ['install', '--loglevel=error', tarball]));
    ok(
      await sh(project, 'npx', [
        'vigil',
        'init',
        '--yes',
        '--force',
        '--app',
        'shop',
        '--url',
        `${api.url}/health/live`,
      ]),
    );
    // The scaffold depends on the published version; here the tarball stands in for it.
    ok(await sh(project, 'npm', ['pkg', 'set', `dependencies.@vigil-oss/vigil=file:${tarball}`]));
    ok(await sh(project, 'npm', ['install', '--loglevel=error']));
  }, 20 * MINUTES);

  afterAll(async () => {
    await api?.close();
  });

  it(
    'synthesizes every stack from node_modules, cdk-nag and cfn-lint clean, with the pre-bundled handlers',
    async () => {
      // Act
      const synth = await sh(project, 'npx', ['cdk', 'synth', '--quiet', '--output', 'cdk.out']);
      // Assess: cdk-nag errors fail synth (bin/app.ts adds AwsSolutionsChecks)
      expect(synth.code).toBe(0);
      const out = join(project, 'cdk.out');
      const templates = readdirSync(out).filter((file) => file.endsWith('.template.json'));
      expect(templates).toEqual(
        expect.arrayContaining(['shop-synthetics-us-east-1.template.json', 'shop-escalation.template.json']),
      );
      const runnerAssets = readdirSync(out)
        .filter((dir) => dir.startsWith('asset.'))
        .filter((dir) => readdirSync(join(out, dir)).includes('runner-config.json'));
      expect(runnerAssets).toHaveLength(1);
      expect(readdirSync(join(out, runnerAssets[0] ?? ''))).toEqual([
        'index.js',
        'index.js.map',
        'runner-config.json',
      ]);
      const lint = await cfnLint(templates.map((file) => join(out, file)));
      expect(lint.output).toBe('');
      expect(lint.code).toBe(0);
    },
    10 * MINUTES,
  );

  it(
    'type-checks the scaffolded project against the package’s .d.ts',
    async () => {
      // Act
      const tsc = await sh(project, 'npx', ['tsc', '--noEmit']);
      // Assess
      expect(tsc.stdout).toBe('');
      expect(tsc.code).toBe(0);
    },
    5 * MINUTES,
  );

  it(
    'runs the health check against the demo flight API with the compiled CLI',
    async () => {
      // Act
      const check = await sh(project, 'npx', ['vigil', 'check', '--env', 'staging', '--json']);
      // Assess
      expect(check.code).toBe(0);
      const { results } = JSON.parse(check.stdout) as { results: { name: string; status: string }[] };
      expect(results).toEqual([expect.objectContaining({ name: 'health', status: 'passed' })]);
    },
    2 * MINUTES,
  );

  it(
    'validates a broken config with every problem and its path, exit 2',
    async () => {
      // Prepare
      writeFileSync(
        join(project, 'broken.json'),
        JSON.stringify({
          app: 'shop',
          environments: {},
          checks: [{ type: 'health', name: 'live', schedule: '1m' }],
        }),
      );
      // Act
      const validate = await sh(project, 'npx', ['vigil', 'validate', '--config', 'broken.json']);
      // Assess
      expect(validate.code).toBe(2);
      expect(validate.stderr).toContain('  checks[0].url: ');
      expect(validate.stderr).toContain('  environments: define at least one environment');
    },
    2 * MINUTES,
  );

  it(
    'serves CommonJS and ES module consumers from the exports map',
    async () => {
      // Act
      const cjs = await sh(project, 'node', [
        '-e',
        "const { defineConfig } = require('@vigil-oss/vigil'); const { addVigil } = require('@vigil-oss/vigil/cdk'); console.log(typeof defineConfig, typeof addVigil)",
      ]);
      const esm = await sh(project, 'node', [
        '--input-type=module',
        '-e',
        "import { defineConfig, ConfigValidationError } from '@vigil-oss/vigil'; import { addVigil } from '@vigil-oss/vigil/cdk'; console.log(typeof defineConfig, typeof addVigil, typeof ConfigValidationError)",
      ]);
      // Assess
      expect(cjs.stdout).toBe('function function\n');
      expect(esm.stdout).toBe('function function function\n');
    },
    2 * MINUTES,
  );
});
