#!/usr/bin/env node
// `npm start`: builds, sets up the offline VS Code host if needed, writes the sample deployment into
// .tmp/sample-workspace (once; delete the folder to start over), starts VS Code on 127.0.0.1 with the
// extension loaded and prints the URL to open. Ctrl+C stops it.
'use strict';
const path = require('node:path');
const { ensureDependencies, run, root } = require('./bootstrap');
const { ensureSampleWorkspace } = require('./sample-workspace');

async function main() {
  ensureDependencies();
  if (run(process.execPath, ['scripts/setup-host.js']) !== 0) throw new Error('Setting up the VS Code host failed (see above).');
  if (run(process.execPath, ['scripts/build.js']) !== 0) throw new Error('The build failed (see above).');
  const workspace = ensureSampleWorkspace();
  const { startCodeServer } = require('./code-server');
  const port = Number(process.env.PORT || 8080);
  const server = await startCodeServer({ workspace, port, logFile: path.join(root, '.tmp', 'code-server.log') });
  const url = server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: root });
  process.stdout.write(`\nSfB Certificates is running in VS Code (sample deployment in ${path.relative(root, workspace)}).\nOpen:\n\n  ${url}\n\nPress Ctrl+C to stop.\n`);
  const stop = async () => { await server.stop(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => undefined, 1 << 30);
}

main().catch((e) => { process.stderr.write(`npm start: ${e.message}\n`); process.exit(1); });
