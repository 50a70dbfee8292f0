import type { CliCommand, CliIO } from './commands/cli-command';
import { EXIT } from './commands/cli-command';

/** One `vigil <name>` entry: what help lists, and how to load the command when it runs. */
interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /**
   * Loads the command's module only when it runs, so a command loads what it uses and nothing else
   * (`vigil check` never loads the CDK, PGlite or aws-local-stepfunctions; test/bin/cli-start.test.ts).
   */
  readonly load: () => Promise<CliCommand>;
}

const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    summary: 'run the synthetic checks once, locally',
    load: async () => (await import('./commands/check-command')).checkCommand,
  },
  {
    name: 'kpi',
    summary: 'Run the business KPIs once (embedded demo data unless --database-url)',
    load: async () => (await import('./commands/kpi-command')).kpiCommand,
  },
  {
    name: 'simulate',
    summary: 'Simulate an alarm escalation locally and print the timeline',
    load: async () => (await import('./commands/simulate-command')).simulateCommand,
  },
  {
    name: 'incidents',
    summary: "List escalation incidents, or show one's timeline and audit trail",
    load: async () => (await import('./commands/incidents-command')).incidentsCommand,
  },
  {
    name: 'cost',
    summary: 'estimate the monthly AWS cost, compared with Synthetics canaries',
    load: async () => (await import('./commands/cost-command')).costCommand,
  },
  {
    name: 'oncall',
    summary: 'Who is on call now and next; overrides; iCalendar export and calendar subscription URLs',
    load: async () => (await import('./commands/oncall-command')).oncallCommand,
  },
  {
    name: 'validate',
    summary: 'validate the config alone: every problem with its path (exit 2)',
    load: async () => (await import('./commands/validate-command')).validateCommand,
  },
  {
    name: 'diff-config',
    summary: 'what a config change does to checks, alarms and policies',
    load: async () => (await import('./commands/diff-config-command')).diffConfigCommand,
  },
  {
    name: 'init',
    summary: 'scaffold a project that deploys Vigil from your own repository',
    load: async () => (await import('./commands/init-command')).initCommand,
  },
  {
    name: 'plan',
    summary: "show how each schedule's checks are split into shards that fit their period",
    load: async () => (await import('./commands/plan-command')).planCommand,
  },
  {
    name: 'heartbeat',
    summary: "print a heartbeat's ping URL for a crontab, or ping it",
    load: async () => (await import('./commands/heartbeat-command')).heartbeatCommand,
  },
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
    const entry = COMMANDS.find((candidate) => candidate.name === name);
    if (!entry) {
      fullIO.stderr(`unknown command '${name}'\n\n${help()}\n`);
      return EXIT.invalid;
    }
    const command = await entry.load();
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
