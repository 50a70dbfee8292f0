#!/usr/bin/env node
// `npx vigil` entry: registers tsx so the TypeScript CLI (and a vigil.config.ts) load without a build step.
require('tsx/cjs/api').register();
require('./vigil.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
