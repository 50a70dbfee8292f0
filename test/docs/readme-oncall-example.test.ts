import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oncallCommand } from '../../bin/commands/oncall-command';
import { parseConfig } from '../../functions/commons/config/resolve-config';

const ROOT = join(__dirname, '../..');
const MARKER = '<!-- readme:oncall-example';

/** The object literal passed to `defineConfig(...)` in the README's on-call example, evaluated. */
const readmeExample = (): unknown => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(MARKER);
  expect(at).toBeGreaterThan(-1);
  const block = /```ts\n([\s\S]*?)\n```/.exec(readme.slice(at))?.[1] ?? '';
  const literal = /export const config = defineConfig\(([\s\S]*)\);\s*$/.exec(block)?.[1];
  expect(literal).toBeDefined();
  // The example is plain data (no types, no calls): evaluate it as JavaScript.
  return new Function(`return (${literal});`)();
};

describe('README: replacing Opsgenie/PagerDuty schedules', () => {
  it('has a config example that parses: people, a rotation, paging, escalation to the schedule, calendars', () => {
    // Act
    const config = parseConfig(readmeExample());
    // Assess
    expect(Object.keys(config.people)).toEqual(['alice', 'bob']);
    expect(config.schedules['payments-primary']?.layers[0]?.members).toEqual(['alice', 'bob']);
    expect(config.escalation?.critical.levels[0]?.schedules).toEqual(['payments-primary']);
    expect(Object.keys(config.calendars)).toEqual(['alice-phone', 'payments-wall']);
  });

  it('shows with `vigil oncall` the shifts the README prints for that config', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'vigil-readme-oncall-'));
    writeFileSync(join(dir, 'vigil.config.json'), JSON.stringify(readmeExample()));
    let stdout = '';
    // Act
    const code = await oncallCommand.run(['--at', '2027-03-26T12:00Z', '--next', '10d'], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      cwd: dir,
      env: { USER: 'test' },
    });
    // Assess: each line the README shows is what the command prints.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = /\$ npx vigil oncall --at 2027-03-26T12:00Z --next 10d\n([\s\S]*?)\n\s*```/.exec(
      readme,
    )?.[1];
    expect(code).toBe(0);
    expect(shown).toBeDefined();
    for (const line of shown!.split('\n')) expect(stdout).toContain(line.replace(/^ {2}/, ''));
  });
});
