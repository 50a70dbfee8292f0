// Preloaded with `node --require` by tests: records every module the process resolves (CommonJS `require` and
// ES `import`, through module.registerHooks) and writes their paths, one a line, to
// VIGIL_TEST_LOADED_MODULES when the process exits.
const { writeFileSync } = require('node:fs');
const { registerHooks } = require('node:module');
const { fileURLToPath } = require('node:url');

const out = process.env.VIGIL_TEST_LOADED_MODULES;
if (out === undefined)
  throw new Error('record-loaded-modules: set VIGIL_TEST_LOADED_MODULES to an output file');
if (typeof registerHooks !== 'function')
  throw new Error('record-loaded-modules: needs module.registerHooks (Node 22.15+)');
const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    if (result.url.startsWith('file:')) loaded.add(fileURLToPath(result.url));
    return result;
  },
});
process.on('exit', () => writeFileSync(out, [...loaded].join('\n')));
