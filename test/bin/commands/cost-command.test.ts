import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costCommand } from '../../../bin/commands/cost-command';
import { loadConfig } from '../../../functions/commons/config/load-config';
import { synthCostSummary } from '../../../functions/cost/config-cost';

const run = async (argv: string[], cwd = join(__dirname, '../../..')) => {
  let stdout = '';
  let stderr = '';
  const code = await costCommand.run(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env: {},
  });
  return { code, stdout, stderr };
};

describe('vigil cost', () => {
  it('prints the JSON estimate of the demo config', async () => {
    // Act
    const { code, stdout } = await run(['--json']);
    // Assess
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['monthlyUsd', 'checksMonthlyUsd', 'breakdown', 'canaryEquivalentUsd', 'ratio']),
    );
    expect(json.ratio).toBeGreaterThanOrEqual(20);
  });

  it('prints a readable table', async () => {
    const { code, stdout } = await run([]);
    expect(code).toBe(0);
    expect(stdout).toContain('check metrics');
    expect(stdout).toMatch(/Same checks as canaries: \$\d+\.\d\d\/month/);
  });

  it('exits 2 on an invalid config, naming the problem', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cost-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        app: 'x',
        environments: { p: { baseUrl: 'https://x.example.com' } },
        slos: [{ name: 's', source: { check: 'nope' }, target: 99 }],
      }),
    );
    // Act
    const { code, stderr } = await run(['--config', file], dir);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain("slos[0].source.check: unknown or disabled check 'nope'");
  });

  it('summarises the estimate in one line for cdk synth', () => {
    const line = synthCostSummary(loadConfig(join(__dirname, '../../../vigil.config.ts')).config);
    expect(line).toMatch(
      /^Vigil cost estimate: \$\d+\.\d\d\/month \(checks \$\d+\.\d\d vs \$\d+\.\d\d as Synthetics canaries: [\d.]+x cheaper/,
    );
    expect(line.split('\n')).toHaveLength(1);
  });
});
