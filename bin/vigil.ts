import { checkCommand } from './commands/check-command';
import type { CliCommand, CliIO } from './commands/cli-command';
import { EXIT } from './commands/cli-command';
import { costCommand } from './commands/cost-command';
import { diffConfigCommand } from './commands/diff-config-command';
import { heartbeatCommand } from './commands/heartbeat-command';
import { incidentsCommand } from './commands/incidents-command';
import { initCommand } from './commands/init-command';
import { kpiCommand } from './commands/kpi-command';
import { oncallCommand } from './commands/oncall-command';
import { planCommand } from './commands/plan-command';
import { simulateCommand } from './commands/simulate-command';
import { validateCommand } from './commands/validate-command';

const COMMANDS: readonly CliCommand[] = [
  checkCommand,
  kpiCommand,
  simulateCommand,
  incidentsCommand,
  costCommand,
  oncallCommand,
  validateCommand,
  diffConfigCommand,
  initCommand,
  planCommand,
  heartbeatCommand,
];

const help = () =>
  [
    'vigil — synthetic checks, KPI monitors and escalation as code',
    '',
    'Usage: vigil <command> [options]',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`),
    '',
    "Run 'vigil <command> --help' for a command's options.",
  ].join('\n');

/** Runs the CLI with the given arguments; resolves to the exit code. */
export const main = async (argv: readonly string[], io?: Partial<CliIO>): Promise<number> => {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const fullIO: CliIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
    ...io,
  };
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      fullIO.stdout(`${help()}\n`);
      return name === undefined ? EXIT.invalid : EXIT.ok;
    }
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (!command) {
      fullIO.stderr(`unknown command '${name}'\n\n${help()}\n`);
      return EXIT.invalid;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      fullIO.stdout(`${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run(rest, fullIO);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
