import { join } from 'node:path';
import { costCommand } from '../../../bin/commands/cost-command';

const run = async (argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await costCommand.run(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: join(__dirname, '../../..'),
    env: {},
  });
  return { code, stdout, stderr };
};

describe('vigil cost: paging people', () => {
  it('adds SMS, voice and email for the demo’s people, per --incidents-per-month, with the price sources', async () => {
    // Act
    const ten = JSON.parse((await run(['--json'])).stdout);
    const fifty = JSON.parse((await run(['--json', '--incidents-per-month', '50'])).stdout);
    const table = await run(['--incidents-per-month=50']);
    // Assess
    expect(ten.paging).toMatchObject({ incidentsPerMonth: 10, pricesAsOf: expect.any(String) });
    expect(ten.paging.lines.map((line: { unit: string }) => line.unit)).toEqual([
      'parts',
      'minutes',
      'numbers',
      'emails',
    ]);
    expect(fifty.paging.monthlyUsd).toBeGreaterThan(ten.paging.monthlyUsd);
    expect(table.stdout).toContain('Paging people (50 critical incidents/month, --incidents-per-month N):');
    expect(table.stdout).toContain('https://aws.amazon.com/end-user-messaging/pricing/');
    expect(table.stdout).toContain('https://aws.amazon.com/ses/pricing/');
  });

  it('exits 2 naming the flag when the incident count is not a whole number', async () => {
    const { code, stderr } = await run(['--incidents-per-month', 'many']);
    expect(code).toBe(2);
    expect(stderr).toContain("--incidents-per-month: expected a whole number from 0 to 1000000, got 'many'");
  });
});
