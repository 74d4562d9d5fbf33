#!/usr/bin/env node
// `npm test`: builds, type-checks, lints (eslint.config.mjs), then runs the three tiers and sums them.
//   unit — mocha in plain Node (test/unit)
//   host — mocha inside a real VS Code extension host (test/host)
//   ui   — playwright-core driving the real workbench in Chromium (test/ui)
// `npm test -- unit host` runs only those tiers. The last line is "N passed, N failed" over all tiers.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureDependencies, run, root } = require('./bootstrap');

const ALL_TIERS = ['unit', 'host', 'ui'];

function runTier(tier) {
  const script = tier === 'host' ? ['scripts/run-host-tests.js'] : ['scripts/run-mocha.js', tier];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, script, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let last = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      last = (last + chunk.toString()).slice(-4000);
    });
    child.on('close', (code) => {
      const lines = last.trim().split('\n').reverse();
      const summary = lines.map((l) => /^(\d+) passed, (\d+) failed/.exec(l.trim())).find(Boolean);
      const passed = summary ? Number(summary[1]) : 0;
      let failed = summary ? Number(summary[2]) : 1;
      if (code !== 0 && failed === 0) failed = 1; // a non-zero exit is never a pass
      resolve({ tier, passed, failed });
    });
  });
}

async function main() {
  const wanted = process.argv.slice(2).filter((a) => ALL_TIERS.includes(a));
  const tiers = wanted.length ? wanted : ALL_TIERS;
  ensureDependencies();
  if (tiers.some((t) => t !== 'unit')) {
    if (run(process.execPath, ['scripts/setup-host.js']) !== 0) throw new Error('Setting up the VS Code test host failed (see above).');
  }
  if (run(process.execPath, ['scripts/build.js']) !== 0) throw new Error('The build failed (see above).');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // Compiled tests of deleted or renamed sources would otherwise linger in out/ and run against new code.
  fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
  if (run(process.execPath, [tsc, '-p', 'tsconfig.test.json']) !== 0) throw new Error('Type errors in src/ or test/ (see above).');
  if (run(process.execPath, [tsc, '-p', 'media/wizard/tsconfig.json']) !== 0) throw new Error('Type errors in media/wizard (see above).');
  if (run(process.execPath, [tsc, '-p', 'media/dryrun/tsconfig.json']) !== 0) throw new Error('Type errors in media/dryrun (see above).');
  process.stdout.write('Linting (npm run lint)…\n');
  if (run('npm', ['run', '--silent', 'lint']) !== 0) {
    throw new Error('Lint found problems (listed above): fix them, or run `npm run lint -- --fix` for the fixable ones. The tiers did not run.');
  }

  const results = [];
  for (const tier of tiers) {
    process.stdout.write(`\n===== ${tier} tests =====\n`);
    results.push(await runTier(tier));
  }
  process.stdout.write('\n===== summary =====\n');
  for (const r of results) process.stdout.write(`${r.tier}: ${r.passed} passed, ${r.failed} failed\n`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 && results.every((r) => r.passed > 0) ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`npm test: ${e.message}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exitCode = 1;
});
