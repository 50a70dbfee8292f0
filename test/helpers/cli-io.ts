import type { CliIO } from '../../bin/commands/cli-command';

/** A CliIO that records output, for command tests. */
export const recordingIO = (overrides: Partial<CliIO> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    cwd: process.cwd(),
    env: {},
    ...overrides,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
};
