// The CLI of a source checkout, compiled: esbuild bundles bin/vigil.ts (our sources; packages stay `require`d
// from node_modules) into node_modules/.cache/vigil/, and rebuilds it only when a file it was built from
// changed, so `npx vigil` in this repository runs compiled JavaScript like the installed package does.
// Plain CommonJS on purpose: it runs before anything could compile TypeScript.
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..');
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'vigil');
const OUT = join(OUT_DIR, 'vigil-cli.js');
const INPUTS = join(OUT_DIR, 'vigil-cli.inputs.json');
/** Files that shape the bundle besides its inputs (resolution through tsconfig `paths`, this builder). */
const EXTRA_INPUTS = ['tsconfig.json', 'scripts/source-cli.js', 'package.json'];

/** mtimes of the files the current bundle was built from, or undefined when one changed or is gone. */
const fresh = () => {
  try {
    const recorded = JSON.parse(readFileSync(INPUTS, 'utf8'));
    for (const [file, mtime] of Object.entries(recorded)) {
      if (statSync(join(ROOT, file)).mtimeMs !== mtime) return false;
    }
    statSync(OUT);
    return true;
  } catch {
    return false;
  }
};

/**
 * A module's own directory and file in place of `__dirname`/`__filename`, which a bundle would otherwise
 * point at the bundle (the stacks find their Lambda entries, `vigil init` its package.json, through them).
 */
const ownPaths = {
  name: 'own-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source
        .replace(/(?<![\w$.'"`])__dirname(?![\w$'"`])/g, JSON.stringify(dirname(args.path)))
        .replace(/(?<![\w$.'"`])__filename(?![\w$'"`])/g, JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

const build = async () => {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'bin', 'vigil.ts')],
    outfile: OUT,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [ownPaths],
  });
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...EXTRA_INPUTS]) {
    inputs[file] = statSync(join(ROOT, file)).mtimeMs;
  }
  // Each file written aside and renamed, so concurrent runs never read half a bundle.
  const files = [...result.outputFiles, { path: INPUTS, contents: JSON.stringify(inputs) }];
  for (const { path, contents } of files) {
    writeFileSync(`${path}.${process.pid}.tmp`, contents);
    renameSync(`${path}.${process.pid}.tmp`, path);
  }
};

/** Path of the compiled CLI of this checkout, built first when missing or stale. */
const sourceCli = async () => {
  if (!fresh()) {
    mkdirSync(OUT_DIR, { recursive: true });
    await build();
  }
  return OUT;
};

module.exports = { sourceCli };
