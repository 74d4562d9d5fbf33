#!/usr/bin/env node
// Writes the sample deployment into .tmp/sample-workspace once (delete the folder to start over) and prints its
// path. Used by `npm start` and by the F5 launch configuration (.vscode/launch.json). Needs dist/cli.js (build first).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { run, root } = require('./bootstrap');

const sampleWorkspace = path.join(root, '.tmp', 'sample-workspace');

function ensureSampleWorkspace() {
  if (fs.existsSync(path.join(sampleWorkspace, 'sfb-deployment.json'))) return sampleWorkspace;
  fs.mkdirSync(sampleWorkspace, { recursive: true });
  if (
    run(process.execPath, ['dist/cli.js', 'sample', '--out', path.join(sampleWorkspace, 'sfb-deployment.json')]) !== 0
  ) {
    throw new Error('Writing the sample deployment failed (see above).');
  }
  return sampleWorkspace;
}

module.exports = { ensureSampleWorkspace, sampleWorkspace };

if (require.main === module) {
  try {
    process.stdout.write(`${path.relative(root, ensureSampleWorkspace())}\n`);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
