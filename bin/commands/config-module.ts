import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as vigil from '../../lib/index';

/** The package's name (package.json `name`), as a config imports it. */
const packageName = '@vigil-oss/vigil';

/** A compiled config and the files (with their mtimes) it was compiled from. */
interface CompiledConfig {
  readonly code: string;
  readonly inputs: Readonly<Record<string, number>>;
}

/** Where the compiled config is kept: the project's node_modules/.cache/vigil/, when it has a node_modules. */
const cacheFileOf = (file: string): string | undefined => {
  const modules = join(dirname(file), 'node_modules');
  if (!existsSync(modules)) return undefined;
  const key = createHash('sha256').update(file).digest('hex').slice(0, 16);
  return join(modules, '.cache', 'vigil', `config-${key}.json`);
};

const isFresh = (compiled: CompiledConfig): boolean =>
  Object.entries(compiled.inputs).every(([input, mtime]) => {
    try {
      return statSync(input).mtimeMs === mtime;
    } catch {
      return false;
    }
  });

const readCache = (cacheFile: string | undefined): CompiledConfig | undefined => {
  if (cacheFile === undefined) return undefined;
  try {
    const compiled = JSON.parse(readFileSync(cacheFile, 'utf8')) as CompiledConfig;
    return isFresh(compiled) ? compiled : undefined;
  } catch {
    return undefined;
  }
};

const writeCache = (cacheFile: string | undefined, compiled: CompiledConfig): void => {
  if (cacheFile === undefined) return;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    // Written aside and renamed, so a concurrent run never reads half of it.
    writeFileSync(`${cacheFile}.${process.pid}.tmp`, JSON.stringify(compiled));
    renameSync(`${cacheFile}.${process.pid}.tmp`, cacheFile);
  } catch {
    // A cache that cannot be written only costs the next run a compile.
  }
};

/** Bundles the config and its relative imports with esbuild (packages stay `require`d). */
const compile = (file: string): CompiledConfig => {
  // Loaded here: a run whose compiled config is cached never starts esbuild.
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const workingDir = dirname(file);
  const { outputFiles, metafile } = buildSync({
    absWorkingDir: workingDir,
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    packages: 'external',
    external: [packageName, `${packageName}/*`],
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  // tsconfig.json `paths` can change what an import resolves to.
  const sources = [...Object.keys(metafile.inputs).map((input) => resolve(workingDir, input))];
  const tsconfig = join(workingDir, 'tsconfig.json');
  if (existsSync(tsconfig)) sources.push(tsconfig);
  return {
    code: outputFiles[0]?.text ?? '',
    inputs: Object.fromEntries(sources.map((source) => [source, statSync(source).mtimeMs])),
  };
};

/**
 * Loads a `vigil.config.ts` (or `.js`) for the compiled CLI: esbuild bundles the file and its relative imports
 * in one call (packages stay `require`d from the config's directory), and the result runs in this process.
 * The compiled config is kept in the project's `node_modules/.cache/vigil/` until one of its files changes,
 * so a repeated run starts no esbuild at all. The package's own entry (`@vigil-oss/vigil`) is this CLI's copy,
 * so the config and the CLI share one set of schemas and error classes. A TypeScript config needs no loader
 * hook and no build step.
 *
 * @returns the module's exports
 * @throws what esbuild or the module throws (a syntax error names the file and line)
 */
export const requireConfigModule = (file: string): unknown => {
  const cacheFile = cacheFileOf(file);
  let compiled = readCache(cacheFile);
  if (compiled === undefined) {
    compiled = compile(file);
    writeCache(cacheFile, compiled);
  }
  const fromConfig = createRequire(file);
  const requireFromConfig = (id: string): unknown => (id === packageName ? vigil : fromConfig(id));
  const module = { exports: {} as unknown };
  new Function(
    'exports',
    'require',
    'module',
    '__filename',
    '__dirname',
    `${compiled.code}\n//# sourceURL=${file}`,
  )(module.exports, requireFromConfig, module, file, dirname(file));
  return module.exports;
};
