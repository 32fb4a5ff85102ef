// Require hook that runs TypeScript sources directly (dev, tests, tools):
//   node --require ./tools/register.cjs some/file.ts
// Workspace packages (`@shop/*`) point their `main` at src/index.ts, so
// imports between projects resolve to sources and are compiled here too.
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const swcOptions = require('./swc-options.cjs');

const options = swcOptions();
Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...options, filename });
  module._compile(code, filename);
};
process.setSourceMapsEnabled(true);
