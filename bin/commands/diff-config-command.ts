import { parseArgs } from 'node:util';
import { type CliCommand, EXIT } from './cli-command';
import { CONFIG_DIFF_AREAS, describeConfigChange, diffConfigs } from './config-diff';
import { loadCliConfigFile } from './load-cli-config';
import { validateConfigFile } from './validate-command';

const USAGE = `Usage: vigil diff-config OLD NEW [--json]

Says what changing the config from OLD to NEW does to checks, alarms and escalation policies (added,
removed, changed, with the settings that differ), before 'cdk diff' shows resources. Defaults are applied
first, so spelling out a default is no change.
  --json      print the changes as [{ "area", "noun", "name", "kind", "fields", "effect" }]
Exit code: 0, or 2 when a config is invalid or on a usage error.`;

/** `vigil diff-config OLD NEW`: a config change in words. */
export const diffConfigCommand: CliCommand = {
  usage: USAGE,
  async run(argv, io) {
    let values: { json?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: [...argv],
        options: { json: { type: 'boolean', default: false } },
        strict: true,
        allowPositionals: true,
      }));
      if (positionals.length !== 2) throw new Error('give two config files: OLD and NEW');
    } catch (error) {
      io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
      return EXIT.invalid;
    }
    const [oldPath, newPath] = positionals as [string, string];
    const reports = [validateConfigFile(oldPath, io.cwd), validateConfigFile(newPath, io.cwd)];
    const bad = reports.filter((report) => !report.valid);
    if (bad.length > 0) {
      for (const report of bad) {
        io.stderr(
          `${report.file ?? 'config'} is invalid:\n${report.problems
            .map((problem) => `  ${problem.path || '(root)'}: ${problem.message}`)
            .join('\n')}\n`,
        );
      }
      return EXIT.invalid;
    }
    const changes = diffConfigs(
      loadCliConfigFile(oldPath, io.cwd).config,
      loadCliConfigFile(newPath, io.cwd).config,
    );
    if (values.json) {
      io.stdout(`${JSON.stringify(changes, null, 2)}\n`);
      return EXIT.ok;
    }
    if (changes.length === 0) {
      io.stdout('No change to checks, alarms or policies.\n');
      return EXIT.ok;
    }
    const lines = CONFIG_DIFF_AREAS.flatMap((area) => {
      const inArea = changes.filter((change) => change.area === area);
      if (inArea.length === 0) return [];
      const mark = { added: '+', removed: '-', changed: '~' } as const;
      return [
        `${area[0]?.toUpperCase()}${area.slice(1)}:`,
        ...inArea.map((c) => `  ${mark[c.kind]} ${describeConfigChange(c)}`),
      ];
    });
    const count = (kind: string) => changes.filter((change) => change.kind === kind).length;
    io.stdout(
      `${lines.join('\n')}\n\n${count('added')} added, ${count('removed')} removed, ${count('changed')} changed.\n`,
    );
    return EXIT.ok;
  },
};
