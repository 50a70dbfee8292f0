#!/usr/bin/env node
// `npx vigil` entry. tsx is registered so a user's vigil.config.ts loads without a build step. In this
// repository the TypeScript CLI runs from source; in the installed package (no bin/vigil.ts) the compiled one.
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
