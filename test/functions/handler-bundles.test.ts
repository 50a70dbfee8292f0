import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..');

/** Every Lambda entry point under functions/: a file that exports `handler`. */
const handlerModules = (): string[] => {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && /^export const handler\b/m.test(readFileSync(path, 'utf8')))
        found.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'functions'));
  return found.sort();
};

describe('Lambda handler bundles', () => {
  it.each(handlerModules())('%s bundles zod only through zod/mini (no locales)', async (module) => {
    // Act: bundle as VigilFunction does (minified CJS for Node 24, the AWS SDK left to the runtime)
    const result = await build({
      entryPoints: [join(ROOT, module)],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      external: ['@aws-sdk/*'],
      write: false,
      metafile: true,
      outdir: join(ROOT, 'cdk.out', 'handler-bundles-test'),
      logLevel: 'silent',
    });
    // Assess
    // What reaches the bundle (a module esbuild tree-shook away is listed with 0 bytes).
    const [output] = Object.values(result.metafile.outputs).filter((file) => file.entryPoint !== undefined);
    const inputs = Object.entries(output?.inputs ?? {})
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input);
    expect(inputs.filter((input) => /node_modules\/zod\/(v4\/locales|v4\/classic)\//.test(input))).toEqual(
      [],
    );
    expect(inputs.some((input) => input.includes('node_modules/@middy/core/'))).toBe(true);
  });
});
