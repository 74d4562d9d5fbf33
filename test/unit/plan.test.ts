// The plan export: a rehearsal's history as a .ps1, and the round trip — the exported plan, run by the Management
// Shell on the deployment as it was before the rehearsal (answering its password prompt), gives the same model.
import * as assert from 'node:assert/strict';
import { ExpectedError, SEED_PFX, createSampleDeployment, type SampleDeployment } from '../../src/core';
import { exportPlanScript } from '../../src/powershell';
import { firstError, loadParser, parseScript } from '../../src/powershell/grammar';
import { TestShell } from './shellHarness';

const NOW = new Date('2015-06-01T08:00:00Z');

/** A rehearsal on fe01: import and assign globally, replicate, reuse the Default certificate, stage a roll, replicate. */
const REHEARSAL = [
  `Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\${SEED_PFX.path.replace('/', '\\')} -Password "${SEED_PFX.password}"`,
  'Invoke-CsManagementStoreReplication',
  '$x = (Get-CsCertificate -Type Default).Thumbprint',
  'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x',
  'Invoke-CsManagementStoreReplication',
  'Remove-CsCertificate -Identity global -Type OAuthTokenIssuer -Previous -Force',
];

describe('Plan export (Export Plan as PowerShell)', function () {
  this.timeout(60_000);
  let sample: SampleDeployment;
  let rehearsed: TestShell;
  let plan: string;
  before(async () => {
    sample = await createSampleDeployment(NOW);
    rehearsed = await TestShell.create(sample.deployment, sample.files, { now: () => NOW, computer: 'fe01.contoso.com' });
    for (const line of REHEARSAL) assert.equal((await rehearsed.run(line)).err, '', line);
    plan = await exportPlanScript(rehearsed.session.state, { now: NOW });
  });

  it('writes a header, stops at the first error, and never writes the password', () => {
    assert.match(plan, /^# Plan exported by SfB Certificates from the rehearsal of the deployment "/);
    assert.match(plan, /history entries 1–5 of 5/);
    assert.match(plan, /on fe01\.contoso\.com\./);
    assert.match(plan, /^\$ErrorActionPreference = "Stop"$/m);
    assert.ok(!plan.includes(SEED_PFX.password), 'the PFX password is not in the plan');
    assert.match(plan, /^\$pfxPassword = Read-Host "Password of C:\\Certificates\\ServerToServerAuth\.pfx" -AsSecureString$/m);
    for (const line of plan.split('\n').filter((l) => /^(Import|Set|Remove|Invoke)-Cs/.test(l))) assert.match(line, / -ErrorAction Stop$/, line);
  });

  it('checks the state each step expects and verifies it after', () => {
    assert.match(plan, /if \(-not \(Test-Path -LiteralPath "C:\\Certificates\\ServerToServerAuth\.pfx"\)\) \{ throw "Step 1 of 5 stopped: the certificate file/);
    assert.match(plan, /if \(-not \(Test-Path -LiteralPath "Cert:\\LocalMachine\\My\\[0-9A-F]{40}"\)\) \{ throw "Step 3 of 5 stopped: the certificate [0-9A-F]{40} is not in the Personal store/);
    assert.match(plan, /Where-Object \{ \$_\.Thumbprint -eq "[0-9A-F]{40}" \}\)\) \{ throw "Step 3 of 5 stopped: Get-CsCertificate does not show/);
    assert.match(plan, /while \(@\(Get-CsManagementStoreReplicationStatus \| Where-Object \{ -not \$_\.UpToDate \}\)\.Count -gt 0\) \{\n {2}if \(\$waited -ge 1800\) \{ throw "Step 2 of 5 stopped: replication did not finish within 30 minutes/);
    assert.match(plan, /if \(\$env:COMPUTERNAME -ne "FE01"\)/);
  });

  it('parses without errors in the PowerShell grammar', async () => {
    const parsed = parseScript(await loadParser(), plan)!;
    try {
      assert.equal(firstError(parsed.tree.rootNode)?.text, undefined);
    } finally {
      parsed.tree.delete();
    }
  });

  it('round trip: run on the deployment as it was before the rehearsal, it gives the same model', async () => {
    const replay = await TestShell.create(sample.deployment, sample.files, { now: () => NOW, computer: 'fe01.contoso.com' });
    // The password prompt, then Remove-CsCertificate's own confirmation: the plan keeps it (a removal on the real
    // servers is confirmed by whoever runs the plan), whatever the rehearsal typed.
    replay.answers.push(SEED_PFX.password, 'Y');
    const r = await replay.run(plan);
    assert.equal(r.err, '');
    assert.deepEqual(replay.prompts.map((p) => p.prompt), ['Password of C:\\Certificates\\ServerToServerAuth.pfx: ', '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): ']);
    assert.match(r.out, /Plan complete: 5 steps\./);
    assert.deepEqual(replay.session.state, rehearsed.session.state);
  });

  it('stops at the first failed check with its message: steps after it do not run', async () => {
    const elsewhere = await TestShell.create(sample.deployment, sample.files, { now: () => NOW, computer: 'fe02.contoso.com' });
    elsewhere.answers.push(SEED_PFX.password);
    const r = await elsewhere.run(plan);
    assert.match(r.err, /^Step 3 of 5 stopped: this step was rehearsed on fe01\.contoso\.com; run it there\.\n/);
    assert.ok(!r.out.includes('Step 4 of 5') && !r.out.includes('Plan complete'), r.out);
    assert.deepEqual(elsewhere.session.state.history.map((h) => h.cmdlet), ['Import-CsCertificate', 'Invoke-CsManagementStoreReplication']);
  });

  it('without an answer to the password prompt, nothing runs past it', async () => {
    const cancelled = await TestShell.create(sample.deployment, sample.files, { now: () => NOW, computer: 'fe01.contoso.com' });
    const r = await cancelled.run(plan);
    assert.equal(r.err, '');
    assert.equal(cancelled.session.state, sample.deployment);
  });

  it('a chosen range, and refusals for an empty history or a range outside it', async () => {
    const part = await exportPlanScript(rehearsed.session.state, { from: 2, to: 3, now: NOW });
    assert.match(part, /history entries 2–3 of 5/);
    assert.match(part, /# Step 1 of 2: /);
    assert.ok(!part.includes('Import-CsCertificate'));
    await assert.rejects(exportPlanScript(rehearsed.session.state, { from: 4, to: 9 }), (e: unknown) => e instanceof ExpectedError && /1–5/.test(e.error.fix ?? ''));
    await assert.rejects(exportPlanScript(sample.deployment), (e: unknown) => e instanceof ExpectedError && e.error.code === 'plan-empty');
  });
});

describe('Management Shell: the flow a plan uses (if, while, break, throw, -ErrorAction Stop)', function () {
  this.timeout(60_000);
  let sample: SampleDeployment;
  before(async () => {
    sample = await createSampleDeployment(NOW);
  });
  const shell = () => TestShell.create(sample.deployment, sample.files, { now: () => NOW, computer: 'fe01.contoso.com' });

  it('if / elseif / else picks one block', async () => {
    const t = await shell();
    assert.equal((await t.run('$n = 2\nif ($n -eq 1) { "one" } elseif ($n -eq 2) { "two" } else { "other" }')).out, 'two\n');
    assert.equal((await t.run('if (Test-Path -LiteralPath "C:\\nowhere.pfx") { "yes" } else { "no" }')).out, 'no\n');
  });

  it('while runs until its condition is false or break', async () => {
    const t = await shell();
    assert.equal((await t.run('$i = 0\nwhile ($i -lt 3) { $i = $i + 1 }\n$i')).out, '3\n');
    assert.equal((await t.run('$i = 0\nwhile ($true) { $i = $i + 1; if ($i -ge 5) { break } }\n$i')).out, '5\n');
  });

  it('throw ends the input with its message; without -ErrorAction Stop an error ends only its statement', async () => {
    const t = await shell();
    const thrown = await t.run('throw "Stopped here."\n"after"');
    assert.match(thrown.err, /^Stopped here\.\n/);
    assert.equal(thrown.out, '');
    const goesOn = await t.run('Get-ChildItem C:\\nowhere\n"after"');
    assert.equal(goesOn.out, 'after\n');
    const stops = await t.run('Get-ChildItem C:\\nowhere -ErrorAction Stop\n"after"');
    assert.match(stops.err, /Cannot find path/);
    assert.equal(stops.out, '');
    const preference = await t.run('$ErrorActionPreference = "Stop"\nGet-ChildItem C:\\nowhere\n"after"');
    assert.equal(preference.out, '');
  });
});

describe('Plan export: a hand-edited history', () => {
  it('a recorded line with a second statement or a line break is written as a comment, not run', async function () {
    this.timeout(30_000);
    const sample = await createSampleDeployment(NOW);
    const at = NOW.toISOString();
    const history = [
      { at, cmdlet: 'Set-CsCertificate', powershell: 'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint AB; Remove-Item C:\\x', summary: 's1' },
      { at, cmdlet: 'Set-CsCertificate', powershell: 'Set-CsCertificate -Type Default -Thumbprint AB\nRemove-Item C:\\x', summary: 's2' },
    ];
    const plan = await exportPlanScript({ ...sample.deployment, history }, { now: NOW });
    assert.ok(!/^Remove-Item/m.test(plan) && !/^Set-CsCertificate/m.test(plan), plan);
    assert.match(plan, /# Not a cmdlet: Set-CsCertificate -Type Default -Thumbprint AB\\u000ARemove-Item C:\\x/);
  });
});
