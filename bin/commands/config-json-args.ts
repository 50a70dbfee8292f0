import { parseArgs } from 'node:util';
import type { CliIO } from './cli-command';

/** The options of a command that reads one config and prints a table or JSON. */
export interface ConfigJsonArgs {
  /** `--config F`: the config file; unset, the usual lookup. */
  readonly config?: string;
  /** `--json`: machine-readable output. */
  readonly json: boolean;
}

/**
 * Parses `[--config F] [--json]`, strictly and with no positionals. A bad argument is written to stderr with the
 * command's usage and `undefined` is returned, so the command exits with `EXIT.invalid`.
 */
export const parseConfigJsonArgs = (
  argv: readonly string[],
  io: CliIO,
  usage: string,
): ConfigJsonArgs | undefined => {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    });
    return { ...(values.config !== undefined ? { config: values.config } : {}), json: values.json };
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${usage}\n`);
    return undefined;
  }
};
