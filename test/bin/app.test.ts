import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');

/** Runs bin/app.ts the way the CDK CLI does (context through CDK_CONTEXT_JSON, output to CDK_OUTDIR). */
const runApp = async (context: Record<string, string>) => {
  const outdir = mkdtempSync(join(tmpdir(), 'vigil-app-'));
  try {
    await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bin/app.ts')], {
      cwd: ROOT,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    return { code: failure.code ?? 1, stderr: failure.stderr ?? '' };
  }
};

describe('cdk app (bin/app.ts)', () => {
  it('fails synth with exit code 2 and every config problem with its path', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bad-config-'));
    const file = join(dir, 'vigil.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        app: 'shop',
        environments: { prod: { baseUrl: 'https://shop.example.com' } },
        checks: [
          { name: 'a', schedule: '10s', steps: [{ name: 's', request: { url: '{{baseUrl}}/{{nope}}' } }] },
        ],
      }),
    );
    // Act
    const { code, stderr } = await runApp({ config: file });
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('(2 problems)');
    expect(stderr).toContain("checks[0].schedule: invalid schedule '10s'");
    expect(stderr).toContain("checks[0].steps[0].request.url: unknown variable '{{nope}}'");
  });

  it('fails synth with exit code 2 listing problems of every kind at once, including those beside values that do not parse', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bad-config-'));
    const file = join(dir, 'vigil.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        app: 'shop',
        environments: { prod: { baseUrl: 'https://shop.example.com' } },
        deploy: { environment: 'toString' },
        checks: [
          {
            name: 'search',
            schedule: { cron: '99 99 ? 13 MON 1800' },
            timeout: '5s',
            stepTimeout: '8s',
            steps: [
              { name: 'home', request: { url: '{{baseUrl}/ok' } },
              {
                name: 'find',
                request: { url: '{{baseUrl}}/find/{{nope}}' },
                assert: [{ type: 'statusCode', value: 200 }],
              },
            ],
          },
          { name: 'ping', type: 'health', url: 'not a url', timeout: 0 },
        ],
        channels: { pager: { type: 'slack', webhook: { secretsManager: 'x' }, fallback: 'constructor' } },
        escalation: {
          critical: { levels: [{ after: '0s', channels: ['constructor'] }] },
          warning: { levels: [{ after: 'soon', channels: ['pager'] }] },
          info: { levels: [{ after: '0s', channels: ['pager'] }] },
        },
      }),
    );
    // Act
    const { code, stderr } = await runApp({ config: file });
    // Assess
    const problems = stderr.split('\n').filter((line) => line.startsWith('  '));
    expect(code).toBe(2);
    expect(stderr).toContain(`(${problems.length} problems)`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("checks[0].steps[0].request.url: unbalanced braces in '{{baseUrl}/ok'"),
        expect.stringContaining('checks[0].steps[1].assert[0].type: '),
        expect.stringContaining("checks[0].steps[1].request.url: unknown variable '{{nope}}'"),
        expect.stringContaining(
          "checks[0].schedule: invalid cron '99 99 ? 13 MON 1800': minutes '99' is not in 0-59",
        ),
        expect.stringContaining('checks[0].stepTimeout: stepTimeout 8s is above timeout 5s'),
        expect.stringContaining("checks[1].url: 'not a url' is not an absolute URL"),
        expect.stringContaining('checks[1].timeout: must be longer than 0'),
        expect.stringContaining("deploy.environment: unknown environment 'toString'"),
        expect.stringContaining("channels.pager.fallback: unknown channel 'constructor'"),
        expect.stringContaining("escalation.critical.levels[0].channels[0]: unknown channel 'constructor'"),
        expect.stringContaining("escalation.warning.levels[0].after: invalid duration 'soon'"),
      ]),
    );
    expect(problems).toHaveLength(11);
  });
});
