#!/usr/bin/env node
// Runs compiled mocha suites in plain Node (unit and UI tiers) and ends with "N passed, N failed".
// usage: node scripts/run-mocha.js <folder under out/test> [--grep text]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const root = path.resolve(__dirname, '..');
const folder = path.join(root, 'out', 'test', process.argv[2] || 'unit');
const grepAt = process.argv.indexOf('--grep');
const timeout = Number(process.env.SFB_MOCHA_TIMEOUT_MS || (process.argv[2] === 'ui' ? 180000 : 20000));

const mocha = new Mocha({ ui: 'bdd', timeout, reporter: 'spec', color: process.stdout.isTTY });
if (grepAt > 0) mocha.grep(process.argv[grepAt + 1]);
if (!fs.existsSync(folder)) {
  console.log(`No compiled tests in ${path.relative(root, folder)}: compile first (npm test does).`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
for (const f of fs.readdirSync(folder).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(folder, f));
let passed = 0, failed = 0, pending = 0;
const runner = mocha.run(() => {
  if (passed + failed + pending === 0) {
    console.log('No test ran.');
    failed = Math.max(failed, 1);
  }
  console.log(`${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failed ? 1 : 0;
});
runner.on('pass', () => passed++);
runner.on('fail', () => failed++);
runner.on('pending', () => pending++);
