import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createInitCommand } from '../../../bin/commands/init-command';
import { validateConfigFile } from '../../../bin/commands/validate-command';

const ROOT = join(__dirname, '../../..');
const ACTIONLINT = join(ROOT, '.tools/bin/actionlint');

const FILES = [
  'package.json',
  'cdk.json',
  'tsconfig.json',
  'bin/app.ts',
  'vigil.config.ts',
  '.gitignore',
  'README.md',
  '.github/workflows/vigil.yml',
];

const run = async (
  argv: string[],
  cwd: string,
  ask?: (question: string, fallback: string) => Promise<string>,
) => {
  let stdout = '';
  let stderr = '';
  const code = await createInitCommand(ask ? { ask } : {}).run(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
    env: {},
  });
  return { code, stdout, stderr };
};

/** A project directory whose node_modules resolves the package to this repository, as an install would. */
const projectDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-init-'));
  mkdirSync(join(dir, 'node_modules/@vigil-oss'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules/@vigil-oss/vigil'), 'dir');
  return dir;
};

describe('vigil init', () => {
  it('scaffolds a project whose config validates, with a health check on --url, and prints the next commands', async () => {
    // Prepare
    const cwd = projectDir();
    // Act
    const { code, stdout } = await run(
      [
        'shop-monitoring',
        '--yes',
        '--app',
        'shop',
        '--url',
        'http://127.0.0.1:4010',
        '--region',
        'eu-west-1',
      ],
      cwd,
    );
    // Assess
    expect(code).toBe(0);
    const dir = join(cwd, 'shop-monitoring');
    for (const file of FILES) expect(stdout).toContain(`created ${file}\n`);
    expect(stdout).toContain(
      '  cd shop-monitoring && npm install\n  npx vigil check --env staging\n  npx cdk deploy --all -c env=prod\n',
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['@vigil-oss/vigil']).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(manifest.dependencies).toHaveProperty('aws-cdk-lib');
    expect(readFileSync(join(dir, 'bin/app.ts'), 'utf8')).toContain("from '@vigil-oss/vigil/cdk'");
    // The generated config is valid as written: it imports the package and keeps the seeds' matrix
    symlinkSync(join(cwd, 'node_modules'), join(dir, 'node_modules'), 'dir');
    expect(validateConfigFile(undefined, dir)).toEqual({
      valid: true,
      file: join(dir, 'vigil.config.ts'),
      problems: [],
      warnings: [],
    });
    const config = readFileSync(join(dir, 'vigil.config.ts'), 'utf8');
    expect(config).toContain('staging: { baseUrl: "http://127.0.0.1:4010" }');
    expect(config).toContain("{ after: '5m', channels: ['oncall-sms'] }");
  });

  it('writes a CI workflow that actionlint accepts: PR checks, OIDC deploy on main, prod smoke check', async () => {
    // Prepare
    const cwd = projectDir();
    await run(['--yes', '--app', 'shop', '--url', 'https://shop.example.com'], cwd);
    const file = join(cwd, '.github/workflows/vigil.yml');
    // Act
    const lint = await promisify(execFile)(ACTIONLINT, ['-no-color', file]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '' }),
    );
    // Assess
    expect(lint.stdout).toBe('');
    expect(lint.code).toBe(0);
    const workflow = readFileSync(file, 'utf8');
    for (const step of [
      'run: npx vigil validate',
      'run: npx tsc --noEmit',
      'run: npx cdk synth --quiet',
      'run: npx vigil check --env staging',
      'run: npm audit --audit-level=critical',
      'id-token: write',
      'uses: aws-actions/configure-aws-credentials@v4',
      `role-to-assume: \${{ vars.VIGIL_DEPLOY_ROLE_ARN }}`,
      'run: npx cdk deploy --all --require-approval never -c env=prod',
      'run: npx vigil check --env prod',
    ]) {
      expect(workflow).toContain(step);
    }
  });

  it('refuses to overwrite existing files unless --force', async () => {
    // Prepare
    const cwd = projectDir();
    writeFileSync(join(cwd, 'README.md'), 'our own readme\n');
    // Act
    const refused = await run(['--yes'], cwd);
    // Assess
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('  README.md\n');
    expect(readFileSync(join(cwd, 'README.md'), 'utf8')).toBe('our own readme\n');
    expect(() => readFileSync(join(cwd, 'vigil.config.ts'))).toThrow();
    // Act
    const forced = await run(['--yes', '--force'], cwd);
    // Assess
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('overwrote README.md\n');
    expect(readFileSync(join(cwd, 'README.md'), 'utf8')).toContain('monitoring');
  });

  it('asks for the app, URL and region with defaults when not given --yes, and takes flags as given', async () => {
    // Prepare
    const cwd = projectDir();
    const asked: string[] = [];
    const ask = async (question: string, fallback: string) => {
      asked.push(`${question} (${fallback})`);
      return question === 'App name' ? 'payments' : fallback;
    };
    // Act
    const { code } = await run(['--region', 'ap-southeast-2'], cwd, ask);
    // Assess
    expect(code).toBe(0);
    expect(asked).toEqual([
      expect.stringMatching(/^App name \(.+\)$/),
      'URL of the health check (http://127.0.0.1:3000/health)',
    ]);
    const config = readFileSync(join(cwd, 'vigil.config.ts'), 'utf8');
    expect(config).toContain('app: "payments"');
    expect(config).toContain('region: "ap-southeast-2"');
  });

  it('refuses values it cannot use, naming each', async () => {
    // Prepare
    const cwd = projectDir();
    // Act
    const { code, stderr } = await run(
      ['--yes', '--app=bad name', '--url', 'ftp://x', '--region', 'moon'],
      cwd,
    );
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain("--app 'bad name': use 1-64 letters");
    expect(stderr).toContain("--url 'ftp://x': an http(s) URL");
    expect(stderr).toContain("--region 'moon': an AWS region");
  });
});
