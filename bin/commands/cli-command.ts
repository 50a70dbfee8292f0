/** Where a command writes. Tests pass buffers; the CLI passes process streams. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Environment variables the command may read (the CLI passes process.env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C; long-running commands stop cleanly. */
  readonly signal?: AbortSignal;
}

/** Exit codes shared by every command. */
export const EXIT = {
  /** Nothing failed. */
  ok: 0,
  /** A check/KPI failed or breached, or a runtime error. */
  failed: 1,
  /** Invalid config or usage. */
  invalid: 2,
} as const;

/** One `vigil <name>` sub-command (its name and summary are listed in `bin/vigil.ts`). */
export interface CliCommand {
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}
