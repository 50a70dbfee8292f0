import { ConfigLoadError, ConfigValidationError } from '../../functions/commons/config/errors';
import { loadConfig } from '../../functions/commons/config/load-config';
import type { VigilConfig } from '../../functions/commons/config/schema';
import { ownValue } from '../../functions/commons/own-value';
import type { CliIO } from './cli-command';
import { requireConfigModule } from './config-module';

/** The config and the environment a local command runs against. */
export interface CliConfig {
  readonly config: VigilConfig;
  readonly file: string;
  readonly environment: string;
  readonly baseUrl: string;
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * Loads and validates a config file as every CLI command does: a TypeScript or JavaScript config through
 * {@link requireConfigModule} (esbuild, no loader hook).
 *
 * @throws {ConfigLoadError} when the file is missing or cannot be read
 * @throws {ConfigValidationError} listing every problem
 */
export const loadCliConfigFile = (
  path: string | undefined,
  cwd: string,
): { config: VigilConfig; file: string } => loadConfig(path, cwd, requireConfigModule);

/**
 * Loads the config for a CLI command and picks the environment (`--env`, else `local`, else the first).
 * Prints config problems to stderr and returns undefined (the caller exits 2).
 */
export const loadCliConfig = (
  io: CliIO,
  path: string | undefined,
  environment: string | undefined,
  baseUrl?: string,
): CliConfig | undefined => {
  try {
    const { config, file } = loadCliConfigFile(path, io.cwd);
    const names = Object.keys(config.environments);
    const name = environment ?? (names.includes('local') ? 'local' : names[0]);
    const env = name !== undefined ? ownValue(config.environments, name) : undefined;
    if (name === undefined || env === undefined) {
      io.stderr(`unknown environment '${environment}': choose one of ${names.join(', ')}\n`);
      return undefined;
    }
    return { config, file, environment: name, baseUrl: baseUrl ?? env.baseUrl, variables: env.variables };
  } catch (error) {
    if (error instanceof ConfigValidationError || error instanceof ConfigLoadError) {
      io.stderr(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
};
