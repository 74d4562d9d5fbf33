#!/usr/bin/env node
// Installs the offline VS Code host: the VS Code server build shipped in the npm package `code-server`,
// plus the Debian packages it and the UI tests need. Idempotent; cached under .vscode-test/.
// See README "How the tests run" for why code-server rather than a desktop VS Code download.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const host = require('./host-paths');

const RIPGREP_PACKAGE_VERSION = '1.15.11'; // @vscode/ripgrep pinned by code-server 4.100.3's lib/vscode
const RIPGREP_BINARY_VERSION = 'v13.0.0-10'; // the VERSION constant in that package's lib/postinstall.js

function log(msg) { process.stdout.write(`[setup-host] ${msg}\n`); }

function has(cmd) { return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0; }

function ensureDebianPackages() {
  const wanted = [];
  if (!has('chromium') && !fs.existsSync(host.chromiumPath)) wanted.push('chromium');
  if (!has('rg')) wanted.push('ripgrep');
  if (!fs.existsSync('/usr/include/krb5.h') && !fs.existsSync('/usr/include/krb5/krb5.h')) wanted.push('libkrb5-dev');
  if (!wanted.length) return;
  const cmd = `apt-get update && apt-get install -y ${wanted.join(' ')}`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`Missing Debian packages: ${wanted.join(', ')}. Run as root: ${cmd}`);
  }
  log(`installing Debian packages: ${wanted.join(' ')}`);
  execFileSync('sh', ['-c', `apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${wanted.join(' ')}`], { stdio: 'inherit' });
}

function ensureCodeServer() {
  if (fs.existsSync(host.completeMarker) && fs.existsSync(host.entryJs)) {
    log(`code-server ${host.codeServerVersion} already installed`);
    return;
  }
  fs.rmSync(host.installDir, { recursive: true, force: true });
  fs.mkdirSync(host.installDir, { recursive: true });
  fs.writeFileSync(path.join(host.installDir, 'package.json'), JSON.stringify({ name: 'sfb-vscode-host', private: true }, null, 2));
  // @vscode/ripgrep's postinstall downloads a binary from GitHub, which this network cannot reach. Its
  // downloader first looks in a cache file under $TMPDIR; we pre-seed that cache with Debian's rg.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-host-setup-'));
  const cacheDir = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const rg = execFileSync('sh', ['-c', 'command -v rg']).toString().trim();
  execFileSync('tar', ['czhf', path.join(cacheDir, `ripgrep-${RIPGREP_BINARY_VERSION}-x86_64-unknown-linux-musl.tar.gz`), '-C', path.dirname(rg), path.basename(rg)]);
  log(`installing code-server ${host.codeServerVersion} into ${path.relative(process.cwd(), host.installDir)} (about a minute)`);
  const env = { ...process.env, TMPDIR: tmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  const r = spawnSync('npm', ['install', '--no-save', `code-server@${host.codeServerVersion}`], { cwd: host.installDir, env, stdio: 'inherit' });
  fs.rmSync(tmp, { recursive: true, force: true });
  if (r.status !== 0 || !fs.existsSync(host.entryJs)) {
    throw new Error(`npm install code-server@${host.codeServerVersion} failed (exit ${r.status}). See the npm output above.`);
  }
  fs.writeFileSync(host.completeMarker, new Date().toISOString() + '\n');
  log('code-server installed');
}

function main() {
  if (process.versions.node.split('.')[0] !== '20') {
    throw new Error(`code-server ${host.codeServerVersion} needs Node 20; this is Node ${process.versions.node}.`);
  }
  ensureDebianPackages();
  ensureCodeServer();
}

if (require.main === module) {
  try { main(); } catch (e) { process.stderr.write(`[setup-host] ${e.message}\n`); process.exit(1); }
}
module.exports = { main };
