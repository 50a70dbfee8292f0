import {
  type ConfigIssue,
  ConfigLoadError,
  ConfigValidationError,
} from '../../functions/commons/config/errors';
import { findConfigFile } from '../../functions/commons/config/load-config';
import { scheduleGaps } from '../../functions/oncall/core/shift-notices';
import { type CliCommand, EXIT } from './cli-command';
import { parseConfigJsonArgs } from './config-json-args';
import { loadCliConfigFile } from './load-cli-config';

const USAGE = `Usage: vigil validate [--config F] [--json]

Validates the config alone (no network, no AWS): every problem, each with its path, at once. For a
pre-commit hook or a CI step before 'cdk synth'.
  --config F  config file (default: vigil.config.ts, .js or .json in the current directory)
  --json      print { "valid", "file", "problems": [{ "path", "message" }], "warnings": [{ "path", "message" }] }
Warnings (exit 0): an on-call schedule with nobody on call in some slot of the next 7 days (config overrides
counted; run-time ones: vigil oncall).
Exit code: 0 when valid, 2 when the config is invalid or cannot be loaded, or on a usage error.`;

/** The outcome of validating one config file. */
export interface ValidationReport {
  readonly valid: boolean;
  /** The config file, when one was found. */
  readonly file?: string;
  /** Every problem; a load failure is one problem at the root path (`''`). */
  readonly problems: readonly ConfigIssue[];
  /** What is valid but worth fixing: empty on-call slots in the next 7 days, each with its schedule's path. */
  readonly warnings: readonly ConfigIssue[];
}

/** Validates a config file into a report; never throws for a bad config. */
export const validateConfigFile = (
  path: string | undefined,
  cwd: string,
  now: number = Date.now(),
): ValidationReport => {
  let file: string | undefined;
  try {
    file = findConfigFile(path, cwd);
    const { config } = loadCliConfigFile(file, cwd);
    const warnings = scheduleGaps(config, {}, now).map((gap) => ({
      path: `schedules.${gap.schedule}`,
      message: gap.text,
    }));
    return { valid: true, file, problems: [], warnings };
  } catch (error) {
    // A config module that validates on import throws the validation error from inside the load.
    const cause = error instanceof ConfigLoadError ? error.cause : undefined;
    const invalid = error instanceof ConfigValidationError ? error : cause;
    if (invalid instanceof ConfigValidationError) {
      return { valid: false, ...(file ? { file } : {}), problems: invalid.issues, warnings: [] };
    }
    if (error instanceof ConfigLoadError) {
      return {
        valid: false,
        ...(file ? { file } : {}),
        problems: [{ path: '', message: error.message }],
        warnings: [],
      };
    }
    throw error;
  }
};

/** `vigil validate`: the config alone, every problem with its path; exit 2 when invalid. */
export const validateCommand: CliCommand = {
  usage: USAGE,
  async run(argv, io) {
    const values = parseConfigJsonArgs(argv, io, USAGE);
    if (!values) return EXIT.invalid;
    const report = validateConfigFile(values.config, io.cwd);
    if (values.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else if (report.valid) {
      io.stdout(`${report.file} is valid\n`);
      for (const warning of report.warnings) io.stderr(`warning: ${warning.path}: ${warning.message}\n`);
    } else {
      const count = `${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`;
      io.stderr(
        `${report.file ?? 'config'} is invalid (${count}):\n${report.problems
          .map((problem) => `  ${problem.path || '(root)'}: ${problem.message}`)
          .join('\n')}\n`,
      );
    }
    return report.valid ? EXIT.ok : EXIT.invalid;
  },
};
