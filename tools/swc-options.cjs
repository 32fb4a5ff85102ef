// One SWC configuration for everything that transpiles TypeScript here:
// Jest, the runtime require hook (tools/register.cjs) and the build.
// Type-checking is tsc's job (`npm run typecheck`), never SWC's.
module.exports = function swcOptions({ sourceMaps = 'inline' } = {}) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps,
  };
};
