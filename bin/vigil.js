#!/usr/bin/env node
// `npx vigil` entry. tsx is registered so a user's vigil.config.ts loads without a build step. In this
// repository the TypeScript CLI runs from source; in the installed package (no bin/vigil.ts) the compiled one.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
require('tsx/cjs/api').register();
const source = join(__dirname, 'vigil.ts');
require(existsSync(source) ? source : join(__dirname, '../dist/bin/vigil.js'))
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
