// `sfb-cert plan` and `sfb-cert lint` on a sample deployment on disk: output, --out, exit codes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSampleDeployment, saveDeployment } from '../../src/core';
import { CLI, ensureBuilt } from './cliBuild';

describe('sfb-cert plan and lint', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  const cli = (args: string[], input = '') => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, input, encoding: 'utf8' });

  before(async () => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-scripts-'));
    file = path.join(dir, 'sfb-deployment.json');
    const sample = await createSampleDeployment(new Date());
    for (const f of sample.files) {
      fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, f.path), f.bytes);
    }
    saveDeployment(fs, file, sample.deployment);
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
