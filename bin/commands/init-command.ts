import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { AWS_REGION_PATTERN } from '../../functions/commons/aws-identifiers';
import { nameSchema } from '../../functions/commons/config/check-schema';
import { type CliCommand, type CliIO, EXIT } from './cli-command';
import { type InitAnswers, type InitVersions, renderProject } from './init-templates';

const USAGE = `Usage: vigil init [dir] [--app NAME] [--url URL] [--region R] [--yes] [--force]

Scaffolds a project that deploys Vigil from your own repository: package.json, cdk.json, tsconfig.json,
bin/app.ts, vigil.config.ts (a health check against --url and the seeds' escalation matrix), .gitignore,
README.md and .github/workflows/vigil.yml (validate, synth, check on PRs; deploy through OIDC on main).
  dir         where to write (default: the current directory)
  --app NAME  app name, prefixes stacks and alarms (default: the directory's name)
  --url URL   the health check's URL; its origin is the base URL of staging and prod
              (default: http://127.0.0.1:3000/health)
  --region R  AWS region to run checks from and deploy to (default: us-east-1)
  --yes       take the flags and defaults without asking (asking happens only on a terminal)
  --force     overwrite files that already exist
Exit code: 0, or 2 on a usage error, an invalid value or files that exist without --force.`;

const DEFAULT_URL = 'http://127.0.0.1:3000/health';
const DEFAULT_REGION = 'us-east-1';

/** Asks one question; resolves to the answer, or the default when the answer is empty. */
export type Ask = (question: string, fallback: string) => Promise<string>;

/** How `vigil init` talks to a person: undefined when it must not ask (no terminal). */
export interface InitPrompt {
  readonly ask?: Ask;
}

const terminalAsk = (): Ask | undefined => {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  return async (question, fallback) => {
    const readline = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const answer = (await readline.question(`${question} (${fallback}): `)).trim();
      return answer === '' ? fallback : answer;
    } finally {
      readline.close();
    }
  };
};

/** The package's own package.json: two levels up in the sources, three in the compiled dist/. */
const ownManifestFile = (): string => {
  const candidates = [join(__dirname, '../../package.json'), join(__dirname, '../../../package.json')];
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined)
    throw new Error(`init: the package's package.json is not at ${candidates.join(' or ')}`);
  return found;
};

/** The package's own name, version and dependency ranges, for the scaffolded package.json. */
export const ownVersions = (): InitVersions => {
  const manifest = JSON.parse(readFileSync(ownManifestFile(), 'utf8')) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  return {
    packageName: manifest.name,
    packageVersion: manifest.version,
    ranges: { ...manifest.devDependencies, ...manifest.dependencies },
  };
};

const problemsOf = (answers: InitAnswers): string[] => {
  const problems: string[] = [];
  const name = nameSchema.safeParse(answers.app);
  if (!name.success) problems.push(`--app '${answers.app}': ${name.error.issues[0]?.message ?? 'invalid'}`);
  let url: URL | undefined;
  try {
    url = new URL(answers.url);
  } catch {
    url = undefined;
  }
  if (url === undefined || !['http:', 'https:'].includes(url.protocol)) {
    problems.push(`--url '${answers.url}': an http(s) URL, e.g. https://api.example.com`);
  }
  if (!AWS_REGION_PATTERN.test(answers.region)) {
    problems.push(`--region '${answers.region}': an AWS region, e.g. eu-west-1`);
  }
  return problems;
};

/** The app name a directory suggests: its name with characters a name cannot hold replaced. */
const appFromDirectory = (dir: string): string =>
  basename(dir)
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64) || 'my-app';

/**
 * Creates `vigil init`; `prompt.ask` answers its questions (the terminal by default, none without one).
 *
 * @example
 * const init = createInitCommand({ ask: async (_question, fallback) => fallback });
 */
export const createInitCommand = (prompt: InitPrompt = { ask: terminalAsk() }): CliCommand => ({
  usage: USAGE,
  async run(argv: readonly string[], io: CliIO) {
    let values: { app?: string; url?: string; region?: string; yes?: boolean; force?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: [...argv],
        options: {
          app: { type: 'string' },
          url: { type: 'string' },
          region: { type: 'string' },
          yes: { type: 'boolean', short: 'y', default: false },
          force: { type: 'boolean', default: false },
        },
        strict: true,
        allowPositionals: true,
      }));
      if (positionals.length > 1) throw new Error(`one directory at most, got ${positionals.join(' ')}`);
    } catch (error) {
      io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
      return EXIT.invalid;
    }
    const dir = resolve(io.cwd, positionals[0] ?? '.');
    let answers: InitAnswers = {
      app: values.app ?? appFromDirectory(dir),
      url: values.url ?? DEFAULT_URL,
      region: values.region ?? DEFAULT_REGION,
    };
    if (!values.yes && prompt.ask) {
      answers = {
        app: values.app ?? (await prompt.ask('App name', answers.app)),
        url: values.url ?? (await prompt.ask('URL of the health check', answers.url)),
        region: values.region ?? (await prompt.ask('AWS region', answers.region)),
      };
    }
    const problems = problemsOf(answers);
    if (problems.length > 0) {
      io.stderr(`${problems.join('\n')}\n`);
      return EXIT.invalid;
    }
    const files = renderProject(answers, ownVersions());
    const existing = Object.keys(files).filter((file) => existsSync(join(dir, file)));
    if (existing.length > 0 && !values.force) {
      io.stderr(
        `these files exist in ${dir} and are left alone (--force overwrites them):\n${existing
          .map((file) => `  ${file}`)
          .join('\n')}\n`,
      );
      return EXIT.invalid;
    }
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), content);
      io.stdout(`${existing.includes(file) ? 'overwrote' : 'created'} ${file}\n`);
    }
    const where = relative(io.cwd, dir);
    io.stdout(
      [
        '',
        `Vigil project for '${answers.app}' ready. Next:`,
        `  ${where ? `cd ${where} && ` : ''}npm install`,
        '  npx vigil check --env staging',
        '  npx cdk deploy --all -c env=prod',
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  },
});

/** `vigil init`, asking on a terminal. */
export const initCommand: CliCommand = createInitCommand();
