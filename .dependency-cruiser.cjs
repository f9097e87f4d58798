/**
 * Module boundaries (docs/architecture.md « Imports between modules »), checked by `npm test` (test/boundaries.test.ts).
 * A module reaches another only through that module's entry file `src/<module>/index.ts`; its tests and fixtures may
 * also use the other module's fixtures (`src/<module>/testing.ts`, `test-fixtures.ts`) and the whole demo; benchmarks
 * under `src/<module>/bench/` count as tests. The kernel never imports a module
 * (its tests may use a module's fixtures).
 * dependency-cruiser reads the code through swc (it does not support TypeScript 7), which drops type-only imports:
 * scripts/module-entry-imports.js --check, run by the same test, covers those.
 */
const TESTS = '([.]test[.]ts|/testing[.]ts|/test-fixtures[.]ts|/bench/.*)$';
module.exports = {
  forbidden: [
    {
      name: 'kernel-independent',
      comment: 'The kernel reaches modules only through the manifests that src/app.ts passes to it.',
      severity: 'error',
      from: { path: '^src/kernel/', pathNot: TESTS },
      to: { path: '^src/(?!kernel/)[^/]+/' },
    },
    {
      name: 'kernel-tests-use-fixtures-only',
      severity: 'error',
      from: { path: `^src/kernel/.*${TESTS}` },
      to: { path: '^src/(?!kernel/)[^/]+/', pathNot: '^src/[^/]+/(testing|test-fixtures)[.]ts$' },
    },
    {
      name: 'module-entry-file',
      comment:
        'Import another module through its entry file src/<module>/index.ts (node scripts/module-entry-imports.js adds the export there).',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: ['^src/(kernel|cli|demo)/', TESTS] },
      to: { path: '^src/[^/]+/', pathNot: ['^src/($1|kernel)/', '^src/[^/]+/index[.]ts$'] },
    },
    {
      name: 'module-entry-file-in-tests',
      comment: 'A test reaches another module through its entry file, its fixtures (src/<module>/testing.ts) or the demo.',
      severity: 'error',
      from: { path: `^src/([^/]+)/.*${TESTS}`, pathNot: '^src/(kernel|cli|demo)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/($1|kernel|demo)/', '^src/[^/]+/(index|testing|test-fixtures)[.]ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    parser: 'swc',
  },
};
