import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');
const SOURCE_DIRS = ['bin', 'lib', 'functions', 'stacks', 'bench', 'test', 'scripts', 'examples'];

/** One relative import: the importing file and the imported path, both relative to the repository. */
interface Edge {
  readonly from: string;
  readonly to: string;
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === '__snapshots__' ? [] : sourceFiles(path);
    return /\.(ts|js|cjs|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });

/**
 * Every relative import of the sources, as the TypeScript compiler reads them: `import`/`export ... from`,
 * type-only imports, `import()` and `require()`.
 */
const edges = (): Edge[] =>
  SOURCE_DIRS.flatMap(sourceFiles).flatMap((from) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, from), 'utf8'), true, true);
    return importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({
        from,
        to: relative(ROOT, resolve(ROOT, dirname(from), specifier))
          .split(sep)
          .join('/'),
      }));
  });

const under = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);

/** The functions/ area of a path (`functions/kpi/x.ts` -> `kpi`), or undefined outside functions/. */
const areaOf = (path: string): string | undefined =>
  under(path, 'functions') ? path.split('/')[1] : undefined;

/** The import rules (README, Architecture): imports point down (bin -> stacks -> functions -> commons). */
const RULES: readonly { readonly rule: string; readonly breaks: (edge: Edge) => boolean }[] = [
  {
    rule: 'functions/** never imports stacks/** or bin/**',
    breaks: ({ from, to }) => under(from, 'functions') && (under(to, 'stacks') || under(to, 'bin')),
  },
  {
    rule: 'stacks/** never imports bin/**',
    breaks: ({ from, to }) => under(from, 'stacks') && under(to, 'bin'),
  },
  {
    rule: 'functions/commons/** never imports another functions/<area>',
    breaks: ({ from, to }) =>
      under(from, 'functions/commons') && areaOf(to) !== undefined && areaOf(to) !== 'commons',
  },
  {
    rule: 'bin/app.ts (the CDK app) never imports a CLI command (bin/commands/**)',
    breaks: ({ from, to }) => from === 'bin/app.ts' && under(to, 'bin/commands'),
  },
  {
    rule: 'test/** never imports bench/**',
    breaks: ({ from, to }) => under(from, 'test') && under(to, 'bench'),
  },
  {
    rule: 'bench/** imports from test/ only the shared fixtures of test/helpers/**',
    breaks: ({ from, to }) => under(from, 'bench') && under(to, 'test') && !under(to, 'test/helpers'),
  },
];

describe('import direction', () => {
  const all = edges();

  it('reads the imports of the sources (static, type-only, dynamic and require)', () => {
    // Assess: a few imports known to exist, one of each kind, so an empty scan cannot pass the rules below
    expect(all).toEqual(
      expect.arrayContaining([
        { from: 'bin/app.ts', to: 'stacks/vigil-stacks' },
        { from: 'bin/vigil.ts', to: 'bin/commands/check-command' },
        { from: 'bin/vigil.js', to: 'scripts/source-cli.js' },
      ]),
    );
  });

  it.each(RULES.map((rule) => [rule.rule, rule] as const))('%s', (_name, { breaks }) => {
    // Act
    const broken = all.filter(breaks).map(({ from, to }) => `${from} -> ${to}`);
    // Assess
    expect(broken).toEqual([]);
  });

  it('only Lambda bundles import a Lambda entry module (one that wraps a handler with the handler chain)', () => {
    // Prepare: the entry modules pull in middy (ESM only) and Powertools at module load, which the CDK app,
    // the CLI and the package's CommonJS entry cannot require
    const entries = new Set(
      all
        .filter(({ to }) =>
          ['functions/commons/instrument-handler', 'functions/commons/handler-chain'].includes(to),
        )
        .map(({ from }) => from.replace(/\.ts$/, '')),
    );
    // Act
    const broken = all
      .filter(({ from, to }) => entries.has(to) && ['stacks', 'bin', 'lib'].some((dir) => under(from, dir)))
      .map(({ from, to }) => `${from} -> ${to}`);
    // Assess
    expect(entries.size).toBeGreaterThan(5);
    expect(broken).toEqual([]);
  });
});
