'use strict';
// One place for where the offline VS Code host lives.
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const codeServerVersion = '4.100.3'; // = VS Code 1.100.3; needs Node 20
const installDir = path.join(root, '.vscode-test', `code-server-${codeServerVersion}`);
module.exports = {
  root,
  codeServerVersion,
  installDir,
  entryJs: path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  completeMarker: path.join(installDir, '.complete'),
  chromiumPath: process.env.SFB_CHROMIUM || '/usr/bin/chromium',
};
