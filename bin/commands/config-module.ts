import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { buildSync } from 'esbuild';
import * as vigil from '../../lib/index';

/** The package's name (package.json `name`), as a config imports it. */
const packageName = '@vigil-oss/vigil';

/**
 * Loads a `vigil.config.ts` (or `.js`) for the compiled CLI: esbuild bundles the file and its relative imports
 * in one call (packages stay `require`d from the config's directory), and the result runs in this process.
 * The package's own entry (`@vigil-oss/vigil`) is this CLI's copy, so the config and the CLI share one set
 * of schemas and error classes. A TypeScript config needs no loader hook and no build step.
 *
 * @returns the module's exports
 * @throws what esbuild or the module throws (a syntax error names the file and line)
 */
export const requireConfigModule = (file: string): unknown => {
  const { outputFiles } = buildSync({
    entryPoints: [file],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    packages: 'external',
    external: [packageName, `${packageName}/*`],
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const code = outputFiles[0]?.text ?? '';
  const fromConfig = createRequire(file);
  const requireFromConfig = (id: string): unknown => (id === packageName ? vigil : fromConfig(id));
  const module = { exports: {} as unknown };
  new Function('exports', 'require', 'module', '__filename', '__dirname', `${code}\n//# sourceURL=${file}`)(
    module.exports,
    requireFromConfig,
    module,
    file,
    dirname(file),
  );
  return module.exports;
};
