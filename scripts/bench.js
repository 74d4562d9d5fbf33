#!/usr/bin/env node
// `npm run bench`: builds the TypeScript, then runs every test/bench/*.bench.ts in its own Node process.
// Each bench prints its own table: times as medians, and targets as ratios against a reference measured in
// the same run (never absolute times, never asserted in tests).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ensureDependencies, run, root } = require('./bootstrap');

ensureDependencies();
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (run(process.execPath, [tsc, '-p', 'tsconfig.test.json']) !== 0) process.exit(1);
const dir = path.join(root, 'out', 'test', 'bench');
const only = process.argv.slice(2);
let failed = 0;
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.bench.js')).sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  process.stdout.write(`\n===== ${f.replace('.bench.js', '')} =====\n`);
  if (run(process.execPath, ['--expose-gc', path.join(dir, f)]) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
