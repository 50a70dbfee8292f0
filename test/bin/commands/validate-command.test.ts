import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateCommand } from '../../../bin/commands/validate-command';

const ROOT = join(__dirname, '../../..');

const run = async (argv: string[], cwd = ROOT) => {
  let stdout = '';
  let stderr = '';
  const code = await validateCommand.run(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
    env: {},
  });
  return { code, stdout, stderr };
};

const configFile = (config: unknown, name = 'vigil.config.json'): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-validate-'));
  const file = join(dir, name);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
};

const BROKEN = {
  app: 'shop',
  environments: { prod: { baseUrl: 'https://shop.example.com' } },
  checks: [
    { type: 'health', name: 'live', url: '{{baseUrl}}/health', schedule: 'every so often' },
    { type: 'health', name: 'ready', url: '{{baseUrl}}/ready', schedule: '1m', locations: [] },
  ],
  slos: [{ name: 'availability', source: { check: 'nope' }, target: 99 }],
};

describe('vigil validate', () => {
  it('accepts the demo config (a vigil.config.ts) and exits 0', async () => {
    // Act
    const { code, stdout } = await run([]);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe(`${join(ROOT, 'vigil.config.ts')} is valid\n`);
  });

  it('warns about an on-call schedule with an empty slot in the next 7 days, naming it and the slot in its zone, and exits 0', async () => {
    // Prepare: the only layer starts in 2099 and there is no fallback.
    const file = configFile({
      app: 'shop',
      environments: { prod: { baseUrl: 'https://shop.example.com' } },
      people: {
        alice: { name: 'Alice', timezone: 'Europe/London', contact: { email: 'alice@example.com' } },
      },
      schedules: {
        'payments-primary': {
          timezone: 'Asia/Kolkata',
          layers: [{ members: ['alice'], start: '2099-01-05T09:00', rotation: 'weekly' }],
        },
      },
    });
    // Act
    const { code, stdout, stderr } = await run(['--config', file]);
    const json = JSON.parse((await run(['--config', file, '--json'])).stdout);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe(`${file} is valid\n`);
    expect(stderr).toMatch(
      /^warning: schedules\.payments-primary: schedule 'payments-primary' has nobody on call from \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2} to \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2} Asia\/Kolkata \(no layer, override or fallback covers it\)\n$/,
    );
    expect(json.warnings).toEqual([{ path: 'schedules.payments-primary', message: expect.any(String) }]);
  });

  it('lists every problem with its path at once and exits 2', async () => {
    // Prepare
    const file = configFile(BROKEN);
    // Act
    const { code, stderr } = await run(['--config', file]);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain(`${file} is invalid (`);
    expect(stderr).toMatch(/ {2}checks\[0\]\.schedule: /);
    expect(stderr).toMatch(/ {2}checks\[1\]\.locations: /);
    expect(stderr).toContain("  slos[0].source.check: unknown or disabled check 'nope'");
  });

  it('reports the problems as JSON with --json', async () => {
    // Prepare
    const file = configFile(BROKEN);
    // Act
    const { code, stdout } = await run(['--config', file, '--json']);
    // Assess
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as { valid: boolean; file: string; problems: { path: string }[] };
    expect(report.valid).toBe(false);
    expect(report.file).toBe(file);
    expect(report.problems.map((problem) => problem.path)).toEqual(
      expect.arrayContaining(['checks[0].schedule', 'checks[1].locations', 'slos[0].source.check']),
    );
  });

  it('exits 2 naming the file when the config cannot be loaded', async () => {
    // Prepare
    const file = configFile('{ not json', 'broken.json');
    // Act
    const { code, stderr } = await run(['--config', file]);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain(`(root): cannot load ${file}`);
  });

  it('exits 2 when no config is found', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'vigil-validate-empty-'));
    // Act
    const { code, stdout } = await run(['--json'], dir);
    // Assess
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({
      valid: false,
      problems: [{ path: '', message: expect.stringContaining(`no config found in ${dir}`) }],
      warnings: [],
    });
  });

  it('loads the demo config, which imports the package by name, from any working directory', () => {
    // Act
    const stdout = execFileSync(
      process.execPath,
      [join(ROOT, 'bin/vigil.js'), 'validate', '--config', join(ROOT, 'vigil.config.ts')],
      { cwd: tmpdir(), encoding: 'utf8' },
    );
    // Assess
    expect(stdout).toBe(`${join(ROOT, 'vigil.config.ts')} is valid\n`);
  });

  it('is a command of the vigil CLI, with diff-config', () => {
    // Act
    const stdout = execFileSync(process.execPath, [join(ROOT, 'bin/vigil.js'), '--help'], {
      encoding: 'utf8',
    });
    // Assess
    expect(stdout).toMatch(/ {2}validate +validate the config alone/);
    expect(stdout).toMatch(/ {2}diff-config +what a config change does/);
  });
});
