import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../helpers/http/test-server';

const ROOT = join(__dirname, '../..');
const RECORDER = join(__dirname, '../helpers/record-loaded-modules.cjs');

/** Packages a command that does not synthesize, simulate or query a database must never load. */
const HEAVY_PACKAGES = [
  'aws-cdk-lib',
  'constructs',
  'cdk-nag',
  '@electric-sql/pglite',
  'aws-local-stepfunctions',
  '@aws-sdk',
  'pg',
  'tsx',
];

/** The installed packages (node_modules/<name>) among the files a process loaded. */
const packagesOf = (files: readonly string[]): Set<string> =>
  new Set(
    files.flatMap((file) => {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.split(sep).join('/'));
      return match?.[1] !== undefined ? [match[1]] : [];
    }),
  );

describe('the vigil bin', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ '/health/live': { status: 200, body: { status: 'ok' } } });
  });

  afterAll(async () => {
    await server.close();
  });

  it('runs `vigil check` on the demo config without loading the CDK, PGlite, aws-local-stepfunctions or the AWS SDK', async () => {
    // Prepare: a recorder of every module the process resolves, by require or import
    const loadedFile = join(mkdtempSync(join(tmpdir(), 'vigil-loaded-')), 'modules.txt');
    const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
    // Act
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--require',
        RECORDER,
        join(ROOT, 'bin/vigil.js'),
        'check',
        '--config',
        join(ROOT, 'vigil.config.ts'),
        '--base-url',
        server.url,
        '--only',
        'health_live',
        '--json',
      ],
      { cwd: tmpdir(), env: { ...env, VIGIL_TEST_LOADED_MODULES: loadedFile } },
    );
    // Assess: the check reached the server and passed, and the recorder saw the packages it did use
    expect(JSON.parse(stdout).results).toEqual([
      expect.objectContaining({ name: 'health_live', status: 'passed' }),
    ]);
    expect(server.requests.map((request) => request.url)).toContain('/health/live');
    const packages = packagesOf(readFileSync(loadedFile, 'utf8').split('\n'));
    expect(packages).toContain('zod');
    expect(
      HEAVY_PACKAGES.filter((name) =>
        [...packages].some((loaded) => loaded === name || loaded.startsWith(`${name}/`)),
      ),
    ).toEqual([]);
  });
});
