import { join } from 'node:path';
import { build } from 'esbuild';
import { handlerModules, REPO_ROOT } from '../helpers/handler-modules';

describe('Lambda handler bundles', () => {
  it.each(handlerModules())('%s bundles zod only through zod/mini (no locales)', async (module) => {
    // Act: bundle as VigilFunction does (minified CJS for Node 24, the AWS SDK left to the runtime)
    const result = await build({
      entryPoints: [join(REPO_ROOT, module)],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      external: ['@aws-sdk/*'],
      write: false,
      metafile: true,
      outdir: join(REPO_ROOT, 'cdk.out', 'handler-bundles-test'),
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
