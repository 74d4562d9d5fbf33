#!/usr/bin/env node
// Bundles the extension host code (node, cjs, `vscode` external), the command-line tool and the wizard's
// browser front end into dist/. `--production` minifies and drops source maps; `--watch` rebuilds.
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = { bundle: true, minify: production, sourcemap: !production, sourcesContent: false, logLevel: 'warning', absWorkingDir: root };

// Libraries loaded on first use only (src/core/vendor/, src/powershell/grammar.ts): each is a file of its own next to
// the bundles, so neither activation nor the bundle's size pays for them. [what the source imports, the file in dist/,
// what that file is built from].
const VENDOR = [
  [/^\.\/forgeParts$/, 'forge.js', 'src/core/vendor/forgeParts.ts'], // the parts of node-forge used
  [/^fast-xml-parser$/, 'fast-xml-parser.js', 'node_modules/fast-xml-parser/lib/fxp.cjs'],
  // Its CommonJS build: the ESM one reads import.meta.url, which a CommonJS bundle does not have.
  [/^web-tree-sitter$/, 'web-tree-sitter.js', 'node_modules/web-tree-sitter/web-tree-sitter.cjs'],
];
const vendorExternal = {
  name: 'vendor-files',
  setup(build) {
    for (const [filter, file] of VENDOR) build.onResolve({ filter }, () => ({ path: `./${file}`, external: true }));
  },
};
const host = { ...common, platform: 'node', format: 'cjs', target: 'node20', plugins: [vendorExternal], supported: { 'dynamic-import': false }, mainFields: ['module', 'main'] }; // jsonc-parser's UMD main cannot be bundled

const builds = [
  { ...host, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...host, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }, // the core reads JSON positions with jsonc-parser too
  { ...common, entryPoints: ['media/wizard/main.ts'], outfile: 'dist/wizard.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The certificate timeline: d3-scale, d3-time and d3-selection bundled in (no network in a webview).
  { ...common, entryPoints: ['media/timeline/main.ts'], outfile: 'dist/timeline.js', platform: 'browser', format: 'iife', target: 'es2022' },
  ...VENDOR.map(([, file, from]) => ({ ...common, entryPoints: [from], outfile: `dist/${file}`, platform: 'node', format: 'cjs', target: 'node20' })),
];

// The PowerShell grammar (src/powershell/grammar.ts) loads these next to the bundle.
const WASM = [
  ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm'],
  ['node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm', 'dist/tree-sitter-powershell.wasm'],
];

function copyStatic() {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(root, 'media/wizard/wizard.css'), path.join(root, 'dist/wizard.css'));
  fs.copyFileSync(path.join(root, 'media/timeline/timeline.css'), path.join(root, 'dist/timeline.css'));
  for (const [from, to] of WASM) fs.copyFileSync(path.join(root, from), path.join(root, to));
}

async function main() {
  const present = builds.filter((b) => fs.existsSync(path.join(root, b.entryPoints[0])));
  if (watch) {
    for (const b of present) (await esbuild.context(b)).watch();
    copyStatic();
    return;
  }
  // A production build starts from an empty dist/ so no stale source map ends up in the VSIX.
  if (production) fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  await Promise.all(present.map((b) => esbuild.build(b)));
  if (fs.existsSync(path.join(root, 'dist/cli.js'))) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
  copyStatic();
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
