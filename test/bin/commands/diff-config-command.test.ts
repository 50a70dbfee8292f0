import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffConfigCommand } from '../../../bin/commands/diff-config-command';
import { demoEscalation } from '../../../examples/demo-escalation';

const run = async (argv: string[], cwd: string) => {
  let stdout = '';
  let stderr = '';
  const code = await diffConfigCommand.run(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
    env: {},
  });
  return { code, stdout, stderr };
};

const BEFORE = {
  app: 'shop',
  environments: { prod: { baseUrl: 'https://shop.example.com' } },
  checks: [
    { type: 'health', name: 'live', url: '{{baseUrl}}/health', schedule: '1m' },
    { type: 'health', name: 'legacy', url: '{{baseUrl}}/old', schedule: '5m' },
  ],
  ...demoEscalation,
};

const AFTER = {
  ...BEFORE,
  checks: [
    { type: 'health', name: 'live', url: '{{baseUrl}}/health', schedule: '5m', severity: 'info' },
    { type: 'health', name: 'ready', url: '{{baseUrl}}/ready', schedule: '1m' },
  ],
  checkAlarms: { failuresToAlarm: 3 },
  escalation: {
    ...demoEscalation.escalation,
    critical: { levels: [{ after: '0m', channels: ['oncall-slack'] }] },
  },
};

const files = (before: unknown, after: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-diff-config-'));
  writeFileSync(join(dir, 'old.json'), JSON.stringify(before));
  writeFileSync(join(dir, 'new.json'), JSON.stringify(after));
  return dir;
};

describe('vigil diff-config', () => {
  it('says in words which checks, alarms and policies are added, removed and changed', async () => {
    // Prepare
    const dir = files(BEFORE, AFTER);
    // Act
    const { code, stdout } = await run(['old.json', 'new.json'], dir);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain(
      [
        'Checks:',
        "  - check 'legacy' removed: removes its alarms; its metrics stop",
        // The app-wide failuresToAlarm is what the check's resolved failWhen inherits: its alarm changes too
        "  ~ check 'live' changed: failWhen; schedule; severity: warning → info",
        "  + check 'ready' added: adds its failure alarm and runner schedule",
        'Alarms:',
        '  ~ check alarm settings changed: failuresToAlarm: 2 → 3',
        'Policies:',
        "  ~ escalation policy 'critical' changed: levels",
      ].join('\n'),
    );
    expect(stdout).toContain('1 added, 1 removed, 3 changed.');
  });

  it('sees no change when a default is spelled out', async () => {
    // Prepare
    const dir = files(BEFORE, { ...BEFORE, checkAlarms: { failuresToAlarm: 2 } });
    // Act
    const { code, stdout } = await run(['old.json', 'new.json'], dir);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('No change to checks, alarms or policies.\n');
  });

  it('lists the changes as JSON with --json', async () => {
    // Prepare
    const dir = files(BEFORE, AFTER);
    // Act
    const { code, stdout } = await run(['old.json', 'new.json', '--json'], dir);
    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toContainEqual({
      area: 'checks',
      noun: 'check',
      name: 'ready',
      kind: 'added',
      fields: [],
      effect: 'adds its failure alarm and runner schedule',
    });
  });

  it('exits 2 with the problems when a config is invalid', async () => {
    // Prepare
    const dir = files(BEFORE, { ...AFTER, checks: [{ type: 'health', name: 'live', schedule: '1m' }] });
    // Act
    const { code, stderr } = await run(['old.json', 'new.json'], dir);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain(`${join(dir, 'new.json')} is invalid:`);
    expect(stderr).toContain('  checks[0].url: ');
  });

  it('exits 2 unless given exactly two configs', async () => {
    // Act
    const { code, stderr } = await run(['old.json'], tmpdir());
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('give two config files: OLD and NEW');
  });
});
