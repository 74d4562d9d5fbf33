// ESLint 9 flat config: `npm run lint` (also the first step of `npm test`).
// - typescript-eslint, type-aware where it catches real bugs (a promise nobody awaits or handles).
// - The house boundaries: only src/core/index.ts is the core's public entry; nothing in the core (nor in code the
//   CLI or the webview also loads) imports 'vscode'.
// - No import cycles anywhere in src/ or media/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

// Any import path that names a core module other than the public entry: '../core/model', '../../src/core/rules',
// 'core/pfx/read'. '../core' and '../core/index' stay allowed.
const CORE_INTERNAL = {
  regex: '(^|/)core/(?!index$).+',
  message: 'Import the core only through its public entry (src/core/index.ts); add an export there if you need one.',
};
// The same, but allowing the pure leaf src/core/topology.ts (for src/shared/protocol.ts only; see its block below).
const CORE_INTERNAL_BUT_TOPOLOGY = {
  regex: '(^|/)core/(?!index$)(?!topology$).+',
  message: 'protocol.ts may import from the core only the pure leaf core/topology (the webview bundles it).',
};
// The Node globals the CommonJS scripts use (ESLint has no built-in environments any more).
const NODE_GLOBALS = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'URL',
    'URLSearchParams',
  ].map((g) => [g, 'readonly']),
);
const NO_VSCODE = {
  name: 'vscode',
  message: "This layer must run outside VS Code (CLI, webview, unit tests): keep 'vscode' in src/ui.",
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', '.tmp/', 'test/ui/screenshots/'] },

  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },

  // No import cycles between modules (import-x follows value imports; it skips `import type`).
  {
    files: ['src/**/*.ts', 'media/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },

  // The import boundaries (one block per group: a later block's no-restricted-imports would replace an earlier one's).
  // The core itself: no 'vscode'.
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE] }] } },
  // Layers that also run outside VS Code (CLI, webview, shell): only the core's public entry, and no 'vscode'.
  {
    files: ['src/shared/**/*.ts', 'src/present/**/*.ts', 'src/powershell/**/*.ts', 'src/cli/**/*.ts', 'media/**/*.ts'],
    ignores: ['src/shared/protocol/check.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [CORE_INTERNAL] }] },
  },
  // The one exception: the webviews bundle src/shared/protocol/, and the core's public entry would pull the whole
  // core (node:crypto and all) into their bundles. So protocol/check.ts may import the pure leaf src/core/topology.ts
  // (the FQDN rule, whose one home it is) and nothing else of the core.
  {
    files: ['src/shared/protocol/check.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [CORE_INTERNAL_BUT_TOPOLOGY] }] },
  },
  // The extension host side and the tests that drive it: only the core's public entry.
  {
    files: ['src/extension.ts', 'src/ui/**/*.ts', 'test/host/**/*.ts', 'test/ui/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CORE_INTERNAL] }] },
  },

  // Tests build deliberately malformed input (a deployment missing a field, a wrong type) by casting through any.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },

  // Build and test scripts: CommonJS for Node, no type information.
  {
    files: ['scripts/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: NODE_GLOBALS } },
);
