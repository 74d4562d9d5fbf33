#!/usr/bin/env node
// `npm run bench:host`: the extension measured where a user feels it, inside a real VS Code extension host (the same
// code-server + Chromium harness as the host tests; not part of `npm test`). For each deployment size (the sample,
// 1,008 and 12,000 servers) it starts fresh hosts, runs test/bench/host/index.ts in each, and prints medians, their
// ratio to a reference measured in the same host (200 round trips of an empty command, timed together) and PASS/MISS against issue #18's
// targets. Also the production bundle's and the VSIX's size. Options: --runs N (default 5; 3 for 12,000 servers),
// --sizes sample,1k,12k, --only tree,globalSet,save,webviews (activation and those parts only; webviews: the
// wizard's and the timeline's first paint, each also as a ratio to an empty webview opened the same way).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureDependencies, run, root } = require('./bootstrap');
const { runSuiteInBrowserHost } = require('./code-server');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', 5));
const SIZES = arg('sizes', 'sample,1k,12k').split(',');
const ONLY = arg('only', '');
const KB = 1024;

/** Targets of issue #18, per size: [figure, limit in ms, what it says]. */
const TARGETS = {
  sample: [['activateLoaded', 50, 'activation (deployment loaded)'], ['globalSetVisible', 100, 'global Set visible in tree + Problems'], ['wizard', 300, 'wizard command → first page'], ['timeline', 300, 'timeline command → first view (#17)']],
  '1k': [['activateLoaded', 300, 'activation (deployment loaded)'], ['globalSetStall', 100, 'global assign: longest host stall'], ['globalSetVisible', 300, 'global assign visible everywhere']],
  '12k': [['activateLoaded', 1000, 'activation (deployment loaded)'], ['activateStall', 50, 'activation: longest host stall'], ['treeOpen', 500, 'opening the tree'], ['globalSetVisible', 500, 'global Set visible in tree + Problems'], ['saveStall', 50, 'longest host stall during a save'], ['timeline', 1000, 'timeline command → first view (#17)']],
};
const FIGURES = [
  ['reference', 'reference: 200 empty-command round trips'],
  ['activate', 'activate() returns'],
  ['activateLoaded', 'activate() → deployment loaded'],
  ['activateStall', '  longest host stall meanwhile'],
  ['phaseHost', '  of which: VS Code, until the bundle runs'],
  ['phaseBundle', '  of which: the bundle\'s modules evaluated'],
  ['phaseActivate', '  of which: activate() (views, commands registered)'],
  ['phaseRead', '  of which: the file read (in the reading worker)'],
  ['phaseParse', '  of which: decoded, parsed, checked (in the worker), taken over in steps'],
  ['phaseEvaluate', '  of which: the rules over every server (in steps)'],
  ['phaseViews', '  of which: the rest (views told, the host\'s turns between steps)'],
  ['treeOpen', 'view opened → its rows resolved'],
  ['treeOpenStall', '  longest host stall meanwhile'],
  ['globalSetTree', 'global Set → tree re-reads the slot'],
  ['globalSetProblems', 'global Set → Problems updated'],
  ['globalSetVisible', 'global Set → visible (tree + status bar + Problems)'],
  ['saved', 'global Set → saved'],
  ['globalSetStall', '  longest host stall meanwhile'],
  ['save', 'one-server change → saved'],
  ['saveStall', '  longest host stall during that save'],
  ['webviewFirst', 'the window\'s first webview: empty, command → ready'],
  ['webviewEmpty', 'reference for the webviews: an empty one, command → ready'],
  ['wizard', 'wizard command → its first page drawn (webview ready)'],
  ['wizardCreated', '  of which: command → panel made (feature loaded, page built)'],
  ['wizardStall', '  longest host stall meanwhile'],
  ['timeline', 'timeline command → its first view drawn (webview ready)'],
  ['timelineCreated', '  of which: command → panel made (feature loaded, layout built)'],
  ['timelineStall', '  longest host stall meanwhile'],
];
/** Figures compared with the empty webview (webviewEmpty) rather than with the empty command. */
const WEBVIEW_FIGURES = new Set(['webviewFirst', 'wizard', 'timeline']);

function median(values) {
  const v = values.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : undefined;
}

/** The deployment files, made once per bench run (the sample through the CLI, the large ones by the bench generator). */
function makeDeployments(dir) {
  const out = {};
  for (const size of SIZES) {
    const d = path.join(dir, size);
    fs.mkdirSync(d, { recursive: true });
    const file = path.join(d, 'sfb-deployment.json');
    if (size === 'sample') {
      execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'sample', '--out', file], { stdio: 'pipe' });
    } else {
      const servers = size === '1k' ? 1008 : 12000;
      execFileSync(process.execPath, ['-e', `
        const fs = require('node:fs');
        const { serializeDeployment } = require(${JSON.stringify(path.join(root, 'out', 'src', 'core', 'index.js'))});
        const { largeDeployment } = require(${JSON.stringify(path.join(root, 'out', 'test', 'bench', 'largeDeployment.js'))});
        fs.writeFileSync(${JSON.stringify(file)}, serializeDeployment(largeDeployment(${servers})));
      `], { stdio: 'inherit' });
    }
    out[size] = file;
  }
  return out;
}

async function measure(size, deployment, index) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-bench-ws-'));
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-bench-result-')), 'result.json');
  try {
    const code = await runSuiteInBrowserHost({
      workspace, extensionDevelopmentPath: root, extensionTestsPath: path.join(root, 'out', 'test', 'bench', 'host', 'index.js'),
      env: { SFB_BENCH_RESULT: resultFile, SFB_BENCH_DEPLOYMENT: deployment, ...(ONLY ? { SFB_BENCH_ONLY: ONLY } : {}) }, timeoutMs: 20 * 60 * 1000,
    });
    const result = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : { error: `no result (exit ${code})` };
    const figures = FIGURES.filter(([key]) => typeof result[key] === 'number').map(([key]) => `${key} ${fmt(result[key])}`).join(', ');
    process.stdout.write(`  ${size} run ${index + 1}: ${result.error ? `FAILED ${result.error.split('\n')[0]}` : figures}\n`);
    if (result.error) process.stdout.write(`${result.error}\n`);
    return result;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(path.dirname(resultFile), { recursive: true, force: true });
  }
}

function fmt(ms) {
  return ms === undefined ? '—' : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

function sizes() {
  // The production bundle, as the VSIX ships it; the grammar's .wasm files are counted apart.
  if (run(process.execPath, [path.join(root, 'scripts', 'build.js'), '--production']) !== 0) throw new Error('production build failed');
  const bundle = fs.statSync(path.join(root, 'dist', 'extension.js')).size;
  // The features and libraries loaded on first use (scripts/build.js LAZY and VENDOR): not loaded at activation, so not in the bundle's figure.
  const lazy = ['wizard-host.js', 'timeline-host.js', 'powershell-host.js', 'forge.js', 'fast-xml-parser.js', 'web-tree-sitter.js'].map((f) => `${f} ${Math.round(fs.statSync(path.join(root, 'dist', f)).size / KB)} KB`);
  const vsixDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-bench-vsix-'));
  const vsix = path.join(vsixDir, 'sfb-certificates.vsix');
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: root, stdio: 'pipe' });
    // unzip -lv: length, method, compressed size, …, name. What the grammar's .wasm files take in the VSIX is their
    // compressed size; the README's screenshots (media/screenshots/) are counted apart too, as they are not code.
    const listing = execFileSync('unzip', ['-lv', vsix], { encoding: 'utf8' });
    const compressed = (test) => listing.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => /^\d+$/.test(p[0]) && p.length >= 8 && test(p.at(-1))).reduce((n, p) => n + Number(p[2]), 0);
    const wasm = compressed((name) => name.endsWith('.wasm'));
    const screenshots = compressed((name) => name.includes('/media/screenshots/'));
    const size = fs.statSync(vsix).size;
    return { bundle, lazy, vsix: size, wasm, screenshots, largest: listing.split('\n').filter((l) => /^\s*\d+\s/.test(l)).map((l) => l.trim().split(/\s+/)).sort((a, b) => Number(b[0]) - Number(a[0])).slice(0, 5).map((p) => `${p.at(-1)} ${Math.round(Number(p[0]) / KB)} KB`) };
  } finally {
    fs.rmSync(vsixDir, { recursive: true, force: true });
    run(process.execPath, [path.join(root, 'scripts', 'build.js')]); // back to the development build the tests use
  }
}

async function main() {
  ensureDependencies();
  if (run(process.execPath, ['scripts/setup-host.js']) !== 0) throw new Error('Setting up the VS Code test host failed.');
  const size = sizes();
  if (run(process.execPath, [path.join(root, 'scripts', 'build.js'), '--production']) !== 0) throw new Error('production build failed');
  if (run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json']) !== 0) throw new Error('type errors');
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-bench-deployments-'));
  const lines = [];
  const verdicts = [];
  try {
    const deployments = makeDeployments(cache);
    const results = {};
    for (const s of SIZES) {
      results[s] = [];
      const runs = s === '12k' ? Math.min(RUNS, 3) : RUNS;
      for (let i = 0; i < runs; i++) results[s].push(await measure(s, deployments[s], i));
    }
    const med = {};
    for (const s of SIZES) {
      med[s] = {};
      for (const [key] of FIGURES) med[s][key] = median(results[s].filter((r) => !r.error).map((r) => r[key]));
    }
    lines.push('', `Extension host, code-server ${require('./host-paths').codeServerVersion}; medians of ${RUNS} fresh hosts (3 for 12,000 servers); ×ref = ratio to 200 empty-command round trips timed together in the same hosts (for the webviews' lines: to the empty webview)`, '');
    lines.push(`| | ${SIZES.map((s) => `${s} | ×ref`).join(' | ')} |`, `|---|${SIZES.map(() => '---|---').join('|')}|`);
    for (const [key, label] of FIGURES.filter(([k]) => SIZES.some((s) => med[s][k] !== undefined))) {
      lines.push(`| ${label} | ${SIZES.map((s) => { const v = med[s][key]; const r = WEBVIEW_FIGURES.has(key) ? med[s].webviewEmpty : med[s].reference; return `${fmt(v)} | ${v !== undefined && r ? (v / r).toFixed(1) : '—'}`; }).join(' | ')} |`);
    }
    for (const s of SIZES) {
      for (const [key, limit, what] of TARGETS[s] ?? []) {
        const v = med[s][key];
        if (v === undefined && ONLY) continue; // a part --only left out
        const empty = WEBVIEW_FIGURES.has(key) && med[s].webviewEmpty;
        verdicts.push(`${v !== undefined && v <= limit ? 'PASS' : 'MISS'}  ${s}: ${what} ${fmt(v)} (target ≤ ${fmt(limit)})${v !== undefined && empty ? `; ${(v / empty).toFixed(2)}× an empty webview (${fmt(empty)}), ${v >= empty ? `${fmt(v - empty)} more` : `${fmt(empty - v)} less`}` : ''}`);
      }
    }
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
    run(process.execPath, [path.join(root, 'scripts', 'build.js')]);
  }
  verdicts.push(`${size.bundle < 400 * KB ? 'PASS' : 'MISS'}  extension bundle (minified) ${Math.round(size.bundle / KB)} KB (target < 400 KB); loaded on first use, apart: ${size.lazy.join(', ')}`);
  const vsixLessWasm = size.vsix - size.wasm;
  verdicts.push(`${vsixLessWasm < 1024 * KB ? 'PASS' : 'MISS'}  VSIX ${Math.round(size.vsix / KB)} KB, ${Math.round(vsixLessWasm / KB)} KB without the grammar's .wasm (target < 1 MB), of which the README's screenshots ${Math.round(size.screenshots / KB)} KB; largest files: ${size.largest.join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n\n${verdicts.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`The host bench could not run: ${e.stack || e.message}\n`);
  process.exitCode = 1;
});
