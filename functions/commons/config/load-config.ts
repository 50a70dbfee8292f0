import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ConfigLoadError } from './errors';
import { parseConfig } from './resolve-config';
import type { VigilConfig } from './schema';

/** Config files looked for, in order, when no path is given. */
export const DEFAULT_CONFIG_FILES = ['vigil.config.ts', 'vigil.config.js', 'vigil.config.json'] as const;

/** Finds the config file: the given path, else the first default file in `cwd`. */
export const findConfigFile = (path: string | undefined, cwd = process.cwd()): string => {
  if (path !== undefined) {
    const absolute = resolve(cwd, path);
    if (!existsSync(absolute)) throw new ConfigLoadError(`config file not found: ${absolute}`);
    return absolute;
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const candidate = resolve(cwd, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new ConfigLoadError(`no config found in ${cwd}: create vigil.config.ts or pass --config <file>`);
};

/** Loads a `.ts`/`.js` config module and returns its exports. */
export type ConfigModuleLoader = (file: string) => unknown;

/**
 * Loads and validates a config file. `.json` is parsed; `.ts`/`.js` modules are loaded by `loadModule`
 * (by default `require`: the CDK app runs under tsx; the CLI passes its esbuild loader) and must export
 * `config` (or a default export).
 *
 * @throws {ConfigLoadError} when the file is missing or cannot be read
 * @throws {ConfigValidationError} listing every problem
 */
export const loadConfig = (
  path?: string,
  cwd?: string,
  loadModule: ConfigModuleLoader = require,
): { config: VigilConfig; file: string } => {
  const file = findConfigFile(path, cwd);
  let raw: unknown;
  try {
    if (extname(file) === '.json') {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } else {
      const module = loadModule(file) as { config?: unknown; default?: unknown };
      raw = module.config ?? module.default;
      if (raw === undefined)
        throw new ConfigLoadError(`${file} must export 'config' (export const config = defineConfig({...}))`);
    }
  } catch (error) {
    if (error instanceof ConfigLoadError) throw error;
    throw new ConfigLoadError(`cannot load ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { config: parseConfig(raw, file), file };
};
