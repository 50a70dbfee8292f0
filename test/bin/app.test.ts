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
});
