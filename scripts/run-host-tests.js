#!/usr/bin/env node
// Runs test/host (compiled to out/test/host) with mocha INSIDE a real VS Code extension host.
// With a desktop VS Code on disk (SFB_VSCODE_EXECUTABLE, or a pre-seeded .vscode-test/vscode-*), it uses
// @vscode/test-electron; otherwise the VS Code server build from `code-server`, driven by Chromium.
// Pass = the workbench reported exit code 0 AND the suite wrote its result file AND failed = 0 AND tests ran
// (the workbench reports 0 when the extension host crashes, so the result file is required).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runSuiteInBrowserHost } = require('./code-server');
const hostPaths = require('./host-paths');

const root = hostPaths.root;
const testsEntry = path.join(root, 'out', 'test', 'host', 'index.js');
const TIMEOUT_MS = Number(process.env.SFB_HOST_TEST_TIMEOUT_MS || 300000);
/** Workbench log lines that only say this machine is offline or that the workbench is starting. */
const OFFLINE_NOISE = [/open-vsx\.org/, /ENOTFOUND/, /^\s+at /, /^Creating a socket/, /Service Worker/, /vsda/, /ChatSessionStore/, /builtin extensions cache/];

function desktopVsCode() {
  if (process.env.SFB_VSCODE_EXECUTABLE && fs.existsSync(process.env.SFB_VSCODE_EXECUTABLE)) return process.env.SFB_VSCODE_EXECUTABLE;
  const cache = path.join(root, '.vscode-test');
  if (!fs.existsSync(cache)) return undefined;
  for (const d of fs.readdirSync(cache)) {
    if (d.startsWith('vscode-') && fs.existsSync(path.join(cache, d, 'is-complete'))) {
      const exe = path.join(cache, d, 'code');
      if (fs.existsSync(exe)) return exe;
    }
  }
  return undefined;
}

function makeWorkspace() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-host-ws-'));
  fs.writeFileSync(path.join(ws, 'README.txt'), 'Workspace for the SfB Certificates in-host tests.\n');
  return ws;
}

function readResult(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; }
}

async function runWithTestElectron(exe, resultFile, workspace) {
  const { runTests } = require('@vscode/test-electron');
  process.env.EXT_TEST_RESULT_FILE = resultFile;
  try {
    await runTests({ vscodeExecutablePath: exe, extensionDevelopmentPath: root, extensionTestsPath: testsEntry, launchArgs: [workspace, '--disable-extensions'] });
    return 0;
  } catch {
    return 1;
  }
}

async function runWithCodeServer(resultFile, workspace) {
  const exitCode = await runSuiteInBrowserHost({
    workspace, extensionDevelopmentPath: root, extensionTestsPath: testsEntry, env: { EXT_TEST_RESULT_FILE: resultFile }, timeoutMs: TIMEOUT_MS,
    onLog: (text) => { if (!OFFLINE_NOISE.some((re) => re.test(text))) process.stdout.write(text + '\n'); },
    timeoutScreenshot: path.join(root, 'test', 'ui', 'screenshots', 'FAILED-host-timeout.png'),
  });
  if (exitCode === 'timeout') {
    process.stdout.write(`In-host tests timed out after ${TIMEOUT_MS / 1000} s (screenshot: test/ui/screenshots/FAILED-host-timeout.png)\n`);
    return 2;
  }
  return exitCode;
}

async function main() {
  if (!fs.existsSync(testsEntry)) throw new Error(`${path.relative(root, testsEntry)} is missing: compile the tests first (npm test does).`);
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build first.');
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-host-result-')), 'result.json');
  const workspace = makeWorkspace();
  const exe = desktopVsCode();
  process.stdout.write(exe ? `In-host tests: desktop VS Code at ${exe}\n` : `In-host tests: VS Code server (code-server ${hostPaths.codeServerVersion}) in Chromium\n`);
  const exitCode = exe ? await runWithTestElectron(exe, resultFile, workspace) : await runWithCodeServer(resultFile, workspace);
  const result = readResult(resultFile);
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.rmSync(path.dirname(resultFile), { recursive: true, force: true });
  if (!result) {
    process.stdout.write(`The extension host exited (code ${exitCode}) without writing a test result: it crashed or the suite did not load.\n`);
    process.stdout.write('0 passed, 1 failed\n');
    return 1;
  }
  for (const f of result.failures || []) process.stdout.write(`  FAILED ${f.title}\n    ${f.message}\n`);
  const failed = result.failed + (exitCode !== 0 && result.failed === 0 ? 1 : 0);
  if (result.passed + result.pending === 0) {
    process.stdout.write('The in-host suite ran no test.\n');
    process.stdout.write(`0 passed, ${Math.max(failed, 1)} failed\n`);
    return 1;
  }
  process.stdout.write(`${result.passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`In-host tests could not run: ${e.message}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exitCode = 1;
});
