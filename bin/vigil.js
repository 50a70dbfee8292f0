#!/usr/bin/env node
// `npx vigil` entry: runs the compiled CLI. In the installed package that is dist/bin/vigil.js (tsc); in this
// repository (bin/vigil.ts present) an esbuild bundle of the sources, rebuilt when they change
// (scripts/source-cli.js). A user's vigil.config.ts is compiled by esbuild when a command loads it
// (bin/commands/config-module.ts), so no TypeScript loader is registered. Stack traces point into the
// TypeScript sources with NODE_OPTIONS=--enable-source-maps.
// Vigil needs Node 22+ (Lambda runs 24): say so plainly instead of failing deep inside a dependency.
if (Number(process.versions.node.split('.')[0]) < 22) {
  console.error(`vigil needs Node.js 22 or newer (the Lambda runtime is 24); this is ${process.version}`);
  process.exit(2);
}
// V8's code cache on disk (os.tmpdir()/node-compile-cache): later runs skip compiling the CLI and its packages.
require('node:module').enableCompileCache?.();
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = async () => {
  if (!existsSync(join(__dirname, 'vigil.ts'))) return join(__dirname, '../dist/bin/vigil.js');
  return require('../scripts/source-cli.js').sourceCli();
};

compiled()
  .then((file) => require(file).main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
