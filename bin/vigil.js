#!/usr/bin/env node
// `npx vigil` entry. tsx is registered so a user's vigil.config.ts loads without a build step. In this
// repository the TypeScript CLI runs from source; in the installed package (no bin/vigil.ts) the compiled one.
// Vigil needs Node 22+ (Lambda runs 24): say so plainly instead of failing deep inside a dependency.
if (Number(process.versions.node.split('.')[0]) < 22) {
  console.error(`vigil needs Node.js 22 or newer (the Lambda runtime is 24); this is ${process.version}`);
  process.exit(2);
}
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const source = join(__dirname, 'vigil.ts');
// From source, the package's own name resolves through tsconfig.json `paths`, whatever the working directory.
if (existsSync(source)) process.env.TSX_TSCONFIG_PATH ??= join(__dirname, '../tsconfig.json');
require('tsx/cjs/api').register();
require(existsSync(source) ? source : join(__dirname, '../dist/bin/vigil.js'))
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
