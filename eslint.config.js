// ESLint for our JavaScript: ESLint's recommended rules everywhere, and each folder gets the globals of
// where its code runs. `npm run lint` allows no warning. Formatting is Prettier's job (.prettierrc.json),
// so no rule here is about layout.
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    // Built or fetched, not written here (node_modules is ignored by ESLint itself, bench/'s included).
    ignores: ['dist/', 'build/', 'web/generated/', 'test-results/', 'bench/node_modules/'],
  },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    // The site: runs in the page.
    files: ['web/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Module workers (the training engine): no window or document, self and postMessage instead.
    files: ['web/**/*worker*.js', 'web/**/workers/**'],
    languageOptions: { globals: globals.worker },
  },
  {
    // The JS API over the wasm core runs in pages, workers and Node alike.
    files: ['wasm/**'],
    languageOptions: { globals: globals['shared-node-browser'] },
  },
  {
    // Node: tests, scripts, benchmarks and the tools' own configs.
    files: ['tests/**', 'scripts/**', 'bench/**', '*.js', '*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // Playwright runs these files' page.evaluate / waitForFunction callbacks in the page, so they also
    // name window, document and location.
    files: ['tests/browser/**', 'scripts/browser-soak.mjs', 'scripts/measure-site.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];
