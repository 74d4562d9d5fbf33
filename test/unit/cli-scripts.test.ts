// `sfb-cert plan` and `sfb-cert lint` on a sample deployment on disk: output, --out, exit codes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSampleDeployment, saveDeployment } from '../../src/core';
import { CLI, ensureBuilt, sampleOnDisk } from './cliBuild';

describe('sfb-cert plan and lint', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  const cli = (args: string[], input = '') => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, input, encoding: 'utf8' });

  before(async () => {
    ensureBuilt();
    ({ dir, file } = await sampleOnDisk('sfb-scripts-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('plan: an empty history is bad input (exit 2, with what to do)', () => {
    const r = cli(['plan', file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^sfb-cert plan: The deployment has no recorded operations to export\..* Rehearse the change first/);
  });

  it('plan: the rehearsed operations on stdout, or in --out; a range outside the history is exit 2', () => {
    const rehearsal = cli(['shell', file], '$x = (Get-CsCertificate -Type Default).Thumbprint\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x\nInvoke-CsManagementStoreReplication\n');
    assert.equal(rehearsal.status, 0, rehearsal.stderr);
    const r = cli(['plan', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^# Plan exported by SfB Certificates/);
    assert.match(r.stdout, /^Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint [0-9A-F]{40} -ErrorAction Stop$/m);
    assert.match(r.stdout, /^Invoke-CsManagementStoreReplication -ErrorAction Stop$/m);
    const out = cli(['plan', file, '--out', 'plan.ps1', '--from', '2']);
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stdout, '');
    const written = fs.readFileSync(path.join(dir, 'plan.ps1'), 'utf8');
    assert.match(written, /history entries 2–2 of 2/);
    assert.ok(!written.includes('Set-CsCertificate -Identity'));
    assert.equal(cli(['plan', file, '--to', '9']).status, 2);
    assert.match(cli(['plan', file, '--from', 'x']).stderr, /--from takes a history entry number/);
    assert.equal(cli(['plan']).status, 2);
  });
});

describe('sfb-cert lint', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  const cli = (args: string[]) => spawnSync(process.execPath, [CLI, 'lint', ...args], { cwd: dir, encoding: 'utf8' });
  before(async () => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-lint-'));
    file = path.join(dir, 'sfb-deployment.json');
    saveDeployment(fs, file, (await createSampleDeployment(new Date())).deployment);
    fs.writeFileSync(path.join(dir, 'good.ps1'), '\uFEFFGet-CsCertificate -Type OAuthTokenIssuer\n');
    fs.writeFileSync(path.join(dir, 'bad.ps1'), 'Get-CsCertificate -Type OAuthTokenIssuer\n  Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Roll\nImport-CsCertificate -Path C:\\a.pfx -Password "secret"\n');
    fs.writeFileSync(path.join(dir, 'info.ps1'), 'Import-CsCertificate -Path C:\\a.pfx -Password "secret"\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exit 0 without problems; file:line:col, severity, code and message; exit 1 with an error, 0 with only information', () => {
    const good = cli(['good.ps1', '--deployment', file]);
    assert.equal(good.status, 0, good.stderr);
    assert.equal(good.stdout, 'No problems found in good.ps1.\n');
    const bad = cli(['bad.ps1', '--deployment', file]);
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /^bad\.ps1:2:76: error roll-needs-effective-date: Set-CsCertificate: -Roll needs -EffectiveDate/m);
    assert.match(bad.stdout, /^bad\.ps1:3:47: info plain-text-password: /m);
    assert.match(bad.stdout, /1 error, 1 other in bad\.ps1\.\n$/);
    assert.equal(cli(['info.ps1', '--deployment', file]).status, 0);
  });

  it('--json: the diagnostics with line, column, offsets and fixes', () => {
    const r = cli(['bad.ps1', '--deployment', file, '--json']);
    assert.equal(r.status, 1);
    const json = JSON.parse(r.stdout) as { diagnostics: { line: number; column: number; code: string; fixes?: { newText: string }[] }[] };
    assert.deepEqual(json.diagnostics.map((d) => [d.line, d.column, d.code]), [[2, 76, 'roll-needs-effective-date'], [3, 47, 'plain-text-password']]);
    assert.equal(json.diagnostics[1].fixes?.[0].newText, '(Read-Host "PFX password" -AsSecureString)');
  });

  it('exit 2 on bad input', () => {
    assert.equal(cli(['bad.ps1']).status, 2);
    assert.match(cli(['bad.ps1']).stderr, /Name the deployment with --deployment/);
    assert.equal(cli(['nope.ps1', '--deployment', file]).status, 2);
    assert.equal(cli(['bad.ps1', '--deployment', 'nope.json']).status, 2);
    assert.equal(cli(['bad.ps1', '--deployment', file, '--fix']).status, 2);
  });
});
