'use strict';
// Starts the offline VS Code host (the VS Code server build from the npm package `code-server`) and Debian's
// Chromium through playwright-core. Used by `npm start`, the in-host test tier and the UI test tier.
// Every run gets its own user-data, extensions, config, browser profile and TMPDIR, all removed on stop.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const hostPaths = require('./host-paths');

const HOST = '127.0.0.1';

/** Settings for a quiet, deterministic workbench. */
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.reduceMotion': 'on',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode !== undefined && res.statusCode < 500); });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => { req.destroy(); resolve(false); });
  });
}

function assertInstalled() {
  if (!fs.existsSync(hostPaths.completeMarker) || !fs.existsSync(hostPaths.entryJs)) {
    throw new Error('The VS Code test host (code-server) is not installed. Run: npm run setup-host');
  }
}

/**
 * @param {{ workspace?: string, settings?: object, env?: object, port?: number, logFile?: string }} options
 */
async function startCodeServer(options = {}) {
  assertInstalled();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-vscode-'));
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const tmpDir = path.join(runDir, 'tmp');
  for (const d of [path.join(userDataDir, 'User'), extensionsDir, tmpDir]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...(options.settings || {}) }, null, 2));
  const configFile = path.join(runDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const logFile = options.logFile || path.join(runDir, 'code-server.log');

  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = options.port || (await freePort());
    const out = fs.openSync(logFile, 'a');
    const args = [
      hostPaths.entryJs, '--auth', 'none', '--bind-addr', `${HOST}:${port}`, '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
      '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', configFile,
    ];
    if (options.workspace) args.push(options.workspace);
    const child = spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, TMPDIR: tmpDir, ...(options.env || {}) },
    });
    fs.closeSync(out);
    let exited = false;
    child.on('exit', () => { exited = true; });
    const deadline = Date.now() + 30000;
    while (!exited && Date.now() < deadline) {
      if (await httpOk(`http://${HOST}:${port}/healthz`)) {
        return makeHandle(child, port, runDir, logFile);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    lastError = new Error(`code-server did not start (attempt ${attempt}); log: ${logFile}\n${tail(logFile)}`);
    killGroup(child);
  }
  throw lastError;
}

function tail(file, lines = 30) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return ''; }
}

function killGroup(child, signal = 'SIGTERM') {
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

function makeHandle(child, port, runDir, logFile) {
  const base = `http://${HOST}:${port}`;
  return {
    port,
    base,
    logFile,
    runDir,
    /** The workbench URL; with extensionDevelopmentPath (and extensionTestsPath) passed the way VS Code's own browser tests do. */
    workbenchUrl({ folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
      const remote = (p) => `vscode-remote://${HOST}:${port}${p}`;
      const payload = [];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      payload.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);
      const q = new URLSearchParams();
      if (folder) q.set('folder', folder);
      q.set('payload', JSON.stringify(payload));
      return `${base}/?${q.toString()}`;
    },
    async stop({ keepRunDir = false } = {}) {
      killGroup(child, 'SIGTERM');
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        try { process.kill(-child.pid, 0); } catch { break; }
        await new Promise((r) => setTimeout(r, 100));
      }
      killGroup(child, 'SIGKILL');
      if (!keepRunDir) fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/** A fresh headless Chromium profile. */
async function launchBrowser({ headless = true, viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = require('playwright-core');
  if (!fs.existsSync(hostPaths.chromiumPath)) {
    throw new Error(`Chromium not found at ${hostPaths.chromiumPath}. Run: npm run setup-host (installs Debian's chromium)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: hostPaths.chromiumPath,
    headless,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/**
 * Runs an extensionTestsPath suite in the VS Code server build, in Chromium: starts both, opens the workbench on
 * `workspace` with the extension under development, forwards the workbench's log lines to `onLog`, and resolves
 * with the exit code the suite reported, or 'timeout' (then a screenshot goes to `timeoutScreenshot`, and the
 * code-server run directory is kept for its log). Used by the host test tier and the host bench.
 */
async function runSuiteInBrowserHost({ workspace, extensionDevelopmentPath, extensionTestsPath, env = {}, timeoutMs, onLog = () => undefined, timeoutScreenshot }) {
  const util = require('node:util');
  const server = await startCodeServer({ workspace, env });
  const browser = await launchBrowser();
  let exitCode;
  try {
    const page = browser.context.pages()[0] || (await browser.context.newPage());
    let resolveExit;
    const exited = new Promise((r) => { resolveExit = r; });
    // Exposed before navigation so a fast suite cannot finish before we listen.
    await browser.context.exposeFunction('codeAutomationLog', (type, args) => {
      let text;
      try { text = util.format(...(Array.isArray(args) ? args : [args])); } catch { return; }
      onLog(text);
    });
    await browser.context.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    // The suite reports through codeAutomationExit; the page's load event can come late on a busy machine.
    await page.goto(server.workbenchUrl({ folder: workspace, extensionDevelopmentPath, extensionTestsPath }), { waitUntil: 'domcontentloaded', timeout: 90000 });
    let timer;
    const timeout = new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
    exitCode = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (exitCode === 'timeout' && timeoutScreenshot) {
      fs.mkdirSync(path.dirname(timeoutScreenshot), { recursive: true });
      await page.screenshot({ path: timeoutScreenshot }).catch(() => undefined);
    }
  } finally {
    await browser.close();
    await server.stop({ keepRunDir: exitCode !== 0 });
  }
  return exitCode;
}

module.exports = { startCodeServer, launchBrowser, runSuiteInBrowserHost, HOST };
