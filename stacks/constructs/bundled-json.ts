import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/** {@link bundledJson}'s hooks, with the files they place (by name) for a pre-bundled handler to copy. */
export interface BundledJsonHooks extends ICommandHooks {
  /** Source path of each file, by the name it takes next to `index.js`. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Bundling hooks that place `data` as `fileName` next to a Lambda's `index.js`. Validated config travels
 * this way rather than through environment variables (4 KB limit, visible in the console) or esbuild
 * `define` (one command-line argument, 128 KB limit). The asset hash covers the file, so a config change
 * redeploys the function.
 *
 * @example
 * new VigilFunction(this, 'Runner', { ..., bundling: { commandHooks: bundledJson('runner-config.json', data) } });
 */
export const bundledJson = (fileName: string, data: unknown): BundledJsonHooks => {
  const text = JSON.stringify(data);
  const dir = join(
    tmpdir(),
    'vigil-bundled-json',
    createHash('sha256').update(text).digest('hex').slice(0, 16),
  );
  mkdirSync(dir, { recursive: true });
  const source = join(dir, fileName);
  writeFileSync(source, text);
  return {
    files: { [fileName]: source },
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => [
      `cp "${source}" "${join(outputDir, fileName)}"`,
    ],
  };
};
