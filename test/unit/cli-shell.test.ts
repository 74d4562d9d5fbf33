// `sfb-cert shell`: the seed's lines from a file and from stdin against a sample deployment on disk; exit codes,
// stdout/stderr, saving and --dry-run.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDeployment } from '../../src/core';
import { CLI, ensureBuilt, sampleOnDisk } from './cliBuild';

describe('sfb-cert shell', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  const cli = (args: string[], input = '') => spawnSync(process.execPath, [CLI, 'shell', ...args], { cwd: dir, input, encoding: 'utf8' });
  const oauth = () => {
    const loaded = parseDeployment(fs.readFileSync(file, 'utf8'));
    assert.ok(loaded.ok);
    return loaded.deployment.cms.assignments.OAuthTokenIssuer?.current?.thumbprint;
  };

  before(async () => {
    ensureBuilt();
    ({ dir, file } = await sampleOnDisk('sfb-shell-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--dry-run runs the seed\'s Import line as printed and leaves the file alone; exit 0', () => {
    fs.writeFileSync(path.join(dir, 'seed.ps1'), 'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certificates\\ServerToServerAuth.pfx  -Password "P@ssw0rd"\nGet-CsCertificate -Identity global -Type OAuthTokenIssuer | Select-Object Use\n');
    const r = cli([file, '--file', 'seed.ps1', '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Use\n---\nOAuthTokenIssuer/);
    assert.equal(oauth(), undefined);
  });

  it('statements from stdin change and save the deployment', () => {
    const r = cli([file], '$x = (Get-CsCertificate -Type Default).Thumbprint\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x\n$x\n');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(oauth(), r.stdout.trim());
  });

  it('an error record goes to stderr and exits 1; --computer picks this computer', () => {
    const r = cli([file, '--computer', 'fe02.contoso.com'], 'Write-Output $env:COMPUTERNAME\nSet-CsCertificate -Type Default -Thumbprint 00\n');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'FE02\n');
    assert.match(r.stderr, /^Set-CsCertificate : .*\nAt line:2 char:1\n/);
  });

  it('exit 2 for a bad invocation or a deployment that does not load', () => {
    assert.equal(cli([]).status, 2);
    assert.match(cli([file, '--nope']).stderr, /Unknown option '--nope'/);
    assert.match(cli([file, '--computer', 'x.contoso.com']).stderr, /No computer named x\.contoso\.com/);
    fs.writeFileSync(path.join(dir, 'broken.json'), '{');
    const broken = cli([path.join(dir, 'broken.json')]);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /does not load/);
  });
});
