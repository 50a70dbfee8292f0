import { buildSync } from 'esbuild';

/**
 * Bundles `entry` into `outfile` as VigilFunction bundles a Lambda's code (esbuild, minified, CJS, node24,
 * with a source map). `external`: module patterns left out, as the Function leaves out the AWS SDK
 * (`@aws-sdk/*`, in the runtime). @returns `outfile`
 */
export const bundleAsLambda = (entry: string, outfile: string, external: readonly string[] = []): string => {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: [...external],
    logLevel: 'error',
  });
  return outfile;
};
