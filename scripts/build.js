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

// The extension's features loaded on first use (src/ui/lazy.ts): [what lazy.ts requires, the file in dist/, its entry].
// Each is bundled apart from dist/extension.js, and every module the extension's bundle already holds is taken from
// it at run time instead of being bundled twice: the extension's bundle publishes those modules' namespaces (on a
// global symbol, when src/ui/lazy.ts is evaluated) and the feature's bundle reads them there. So there is one copy of
// each module (one WizardPanel.current, one SfbError class), and the extension's bundle holds only what activation
// needs plus what the features share with it. A module two features use and activation does not goes into the
// extension's bundle too. The build refuses a module bundled twice.
const LAZY = [
  ['./wizard/panel', 'wizard-host.js', 'src/ui/wizard/panel.ts'],
  ['./timeline/panel', 'timeline-host.js', 'src/ui/timeline/panel.ts'],
  ['./powershellFeatures', 'powershell-host.js', 'src/ui/powershellFeatures.ts'],
];
const LAZY_LOADER = path.join(root, 'src/ui/lazy.ts');
const SHARED_KEY = 'sfbCertificates.sharedModules';
const rel = (file) => path.relative(root, file).split(path.sep).join('/');

/** In the extension's bundle: lazy.ts's requires stay requires of the feature files, and lazy.ts publishes `shared`. */
function lazyLoader(shared) {
  return {
    name: 'lazy-loader',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.importer !== LAZY_LOADER || args.kind !== 'require-call') return undefined;
        const entry = LAZY.find(([request]) => request === args.path);
        return entry && { path: `./${entry[1]}`, external: true };
      });
      build.onLoad({ filter: /[\\/]src[\\/]ui[\\/]lazy\.ts$/ }, (args) => {
        const files = [...shared].sort();
        const imports = files.map((file, i) => `import * as __shared${i} from ${JSON.stringify(file)};`).join('\n');
        const table = files.map((file, i) => `${JSON.stringify(rel(file))}: __shared${i}`).join(', ');
        return { loader: 'ts', contents: `${fs.readFileSync(args.path, 'utf8')}\n${imports}\n(globalThis as Record<symbol, unknown>)[Symbol.for(${JSON.stringify(SHARED_KEY)})] = { ${table} };\n` };
      });
    },
  };
}

/** In a feature's bundle: a module the extension's bundle holds is read from what it published. */
function fromExtension(inMain, used) {
  return {
    name: 'from-extension',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'from-extension' || args.kind === 'entry-point') return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'from-extension' });
        if (r.errors.length || r.external || !inMain.has(r.path)) return r.errors.length ? undefined : r;
        used.add(r.path);
        return { path: r.path, namespace: 'from-extension' };
      });
      build.onLoad({ filter: /.*/, namespace: 'from-extension' }, (args) => ({
        loader: 'js', contents: `module.exports = globalThis[Symbol.for(${JSON.stringify(SHARED_KEY)})][${JSON.stringify(rel(args.path))}];`,
      }));
    },
  };
}

/** The files of a build's output that put code in it (a module tree-shaken away, or only re-exporting, does not count). */
function bundled(metafile) {
  const out = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) if (bytesInOutput > 0 && !/^[\w-]+:/.test(file)) out.add(path.resolve(root, file)); // not from-extension:…
  }
  return out;
}

/**
 * Builds dist/extension.js and the features' files. Which modules they share is found by building until it no longer
 * changes: publishing a module's namespace keeps all of its exports, which can bring more modules into the extension.
 */
async function buildExtension() {
  // The banner's mark (with those of activate() in src/extension.ts and of each load in src/ui/live.ts, all named sfb:…) let the host bench split activation into its phases.
  const extension = { ...host, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], metafile: true, banner: { js: "performance.mark('sfb:bundle');" } };
  const shared = new Set([path.join(root, 'src/core/index.ts')]); // the core's one public entry, whole
  for (let round = 0; ; round++) {
    const main = await esbuild.build({ ...extension, plugins: [vendorExternal, lazyLoader(shared)], write: false });
    const inMain = new Set([...bundled(main.metafile), ...shared]);
    const used = new Set();
    const features = [];
    for (const [, file, entry] of LAZY) {
      const b = await esbuild.build({ ...host, entryPoints: [entry], outfile: `dist/${file}`, external: ['vscode'], metafile: true, write: false, plugins: [vendorExternal, fromExtension(inMain, used)] });
      features.push([file, b]);
    }
    // A module in two features' bundles goes into the extension's.
    const seen = new Map();
    const twice = [];
    for (const [file, b] of features) for (const m of bundled(b.metafile)) { if (seen.has(m)) twice.push(m); else seen.set(m, file); }
    const before = shared.size;
    for (const m of [...used, ...twice]) shared.add(m);
    if (shared.size === before) {
      for (const [file, b] of features) for (const m of bundled(b.metafile)) if (bundled(main.metafile).has(m)) throw new Error(`${rel(m)} is bundled in both dist/extension.js and dist/${file}`);
      for (const b of [main, ...features.map(([, x]) => x)]) for (const o of b.outputFiles) { fs.mkdirSync(path.dirname(o.path), { recursive: true }); fs.writeFileSync(o.path, o.contents); }
      return;
    }
    if (round > 5) throw new Error('the modules shared by the extension and its lazily loaded features did not settle');
  }
}

const builds = [
  { ...host, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }, // the core reads JSON positions with jsonc-parser too
  // The worker thread that reads the deployment file off the extension host's thread (src/ui/deploymentReader.ts).
  { ...host, entryPoints: ['src/node/deploymentWorker.ts'], outfile: 'dist/deployment-worker.js' },
  { ...common, entryPoints: ['media/wizard/main.ts'], outfile: 'dist/wizard.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The certificate timeline: d3-scale, d3-time and d3-selection bundled in (no network in a webview).
  { ...common, entryPoints: ['media/timeline/main.ts'], outfile: 'dist/timeline.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The Dry Run view (no library: it only shows what the host sends).
  { ...common, entryPoints: ['media/dryrun/main.ts'], outfile: 'dist/dryrun.js', platform: 'browser', format: 'iife', target: 'es2022' },
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
  fs.copyFileSync(path.join(root, 'media/dryrun/dryrun.css'), path.join(root, 'dist/dryrun.css'));
  for (const [from, to] of WASM) fs.copyFileSync(path.join(root, from), path.join(root, to));
}

async function main() {
  const present = builds.filter((b) => fs.existsSync(path.join(root, b.entryPoints[0])));
  if (watch) {
    for (const b of present) (await esbuild.context(b)).watch();
    // The extension and its features are rebuilt together when a source file changes.
    let timer;
    fs.watch(path.join(root, 'src'), { recursive: true }, () => { clearTimeout(timer); timer = setTimeout(() => buildExtension().catch((e) => console.error(e.message || e)), 100); });
    await buildExtension();
    copyStatic();
    return;
  }
  // A production build starts from an empty dist/ so no stale source map ends up in the VSIX.
  if (production) fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  await Promise.all([buildExtension(), ...present.map((b) => esbuild.build(b))]);
  if (fs.existsSync(path.join(root, 'dist/cli.js'))) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
  copyStatic();
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
