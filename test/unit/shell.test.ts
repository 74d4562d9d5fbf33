// The SfB Management Shell: the seed's six command lines typed verbatim, in order, over the sample deployment,
// and the error records PowerShell writes for the documented failures.
import * as assert from 'node:assert/strict';
import { createSampleDeployment, findServer, type SampleDeployment } from '../../src/core';
import { TestShell } from './shellHarness';

const NOW = new Date('2015-06-01T08:00:00Z');
const FRONT_ENDS = ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'se01.dublin.contoso.com'];

/** The seed's six command lines, verbatim (two spaces before -Password included). */
const SEED = [
  'Get-CsCertificate -Type OAuthTokenIssuer',
  'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certificates\\ServerToServerAuth.pfx  -Password "P@ssw0rd"',
  '$x = (Get-CsCertificate -Type Default).Thumbprint',
  'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x',
  '$x = (Get-CsCertificate -Type Default).Thumbprint',
  'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -EffectiveDate "7/1/2015" -Roll',
];

describe('SfB Management Shell', function () {
  this.timeout(60_000);
  let sample: SampleDeployment;
  before(async () => {
    sample = await createSampleDeployment(NOW);
  });
  const shell = (computer?: string) => TestShell.create(sample.deployment, sample.files, { now: () => NOW, computer });

  describe('the seed procedure, typed verbatim', () => {
    let t: TestShell;
    before(async () => {
      t = await shell();
    });
    const oauth = () => t.session.state.cms.assignments.OAuthTokenIssuer;
    const deployedOn = (fqdn: string) => findServer(t.session.state, fqdn)!.server.assignments.OAuthTokenIssuer?.current?.thumbprint;

    it('1. Get-CsCertificate -Type OAuthTokenIssuer prints nothing at all: none is assigned', async () => {
      assert.equal(t.shell.prompt, 'PS C:\\Users\\Administrator> ');
      const r = await t.run(SEED[0]);
      assert.deepEqual([r.out, r.err, r.warn, r.hadError], ['', '', '', false]);
    });

    it('2. Import-CsCertificate -Identity global … -Path C:\\Certificates\\ServerToServerAuth.pfx -Password "P@ssw0rd" imports and assigns it globally; replication deploys it to every Front End', async () => {
      const r = await t.run(SEED[1]);
      assert.deepEqual([r.out, r.err, r.hadError], ['', '', false]);
      const imported = oauth()?.current?.thumbprint;
      const candidate = findServer(t.session.state, 'fe01.contoso.com')!.server.certificates.find((c) => c.sourceFile === 'sample-certificates/contoso-oauth.pfx')!;
      assert.equal(imported, candidate.thumbprint);
      assert.equal(t.session.state.cms.certificates.find((c) => c.thumbprint === imported)?.sourceFile, 'Certificates/ServerToServerAuth.pfx');
      assert.equal(t.session.state.history.at(-1)?.powershell, 'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path "C:\\Certificates\\ServerToServerAuth.pfx" -Password $pfxPassword');
      // The Master Replicator's part: the model replicates when asked.
      const status = await t.run('Get-CsManagementStoreReplicationStatus | Where-Object {$_.UpToDate -eq $False} | Select-Object -ExpandProperty ReplicaFqdn');
      assert.ok(FRONT_ENDS.every((fqdn) => status.out.includes(fqdn)), status.out);
      assert.equal((await t.run('Invoke-CsManagementStoreReplication')).hadError, false);
      for (const fqdn of FRONT_ENDS) assert.equal(deployedOn(fqdn), imported, fqdn);
      const again = await t.run(SEED[0]);
      assert.match(again.out, new RegExp(`Thumbprint\\s+: ${imported}\\nUse\\s+: OAuthTokenIssuer`));
    });

    it('3–4. $x = (Get-CsCertificate -Type Default).Thumbprint; Set-CsCertificate -Identity global … -Thumbprint $x makes the Default certificate current, the imported one previous', async () => {
      const before = oauth()!.current!.thumbprint;
      assert.equal((await t.run(SEED[2])).out, '');
      const x = (await t.run('$x')).out.trim();
      assert.equal(x, findServer(t.session.state, 'fe01.contoso.com')!.server.assignments.Default!.current!.thumbprint);
      const r = await t.run(SEED[3]);
      assert.deepEqual([r.out, r.err], ['', '']);
      assert.equal(oauth()!.current!.thumbprint, x);
      assert.equal(oauth()!.previous!.thumbprint, before);
      await t.run('Invoke-CsManagementStoreReplication');
      for (const fqdn of FRONT_ENDS) assert.equal(deployedOn(fqdn), x, fqdn);
    });

    it('5–6. on another Front End, the same two lines with -EffectiveDate "7/1/2015" -Roll stage its Default certificate; the current one is kept until then', async () => {
      const current = oauth()!.current!.thumbprint;
      await t.run('Enter-PSSession -ComputerName fe02.contoso.com');
      assert.equal(t.shell.prompt, '[fe02.contoso.com]: PS C:\\Users\\Administrator\\Documents> ');
      await t.run(SEED[4]);
      const r = await t.run(SEED[5]);
      assert.deepEqual([r.out, r.err], ['', '']);
      const fe02Default = findServer(t.session.state, 'fe02.contoso.com')!.server.assignments.Default!.current!.thumbprint;
      assert.equal(oauth()!.pending?.thumbprint, fe02Default);
      assert.equal(oauth()!.pending?.effectiveDate, '2015-07-01T00:00:00.000Z');
      assert.equal(oauth()!.current!.thumbprint, current, 'the current certificate stays until the effective date');
      await t.run('Exit-PSSession');
      assert.equal(t.shell.prompt, 'PS C:\\Users\\Administrator> ');
    });

    it('the changes are the session\'s: undo reverts the last one', () => {
      assert.ok(t.session.canUndo);
      t.session.undo();
      assert.equal(t.session.state.cms.assignments.OAuthTokenIssuer?.pending, undefined);
    });
  });

  describe('error records', () => {
    let t: TestShell;
    before(async () => {
      t = await shell();
    });

    it('-Roll without -EffectiveDate fails and changes nothing', async () => {
      const before = t.session.state;
      await t.run('$x = (Get-CsCertificate -Type Default).Thumbprint');
      const r = await t.run('Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Roll');
      assert.ok(r.hadError);
      assert.equal(t.session.state, before);
      const lines = r.err.split('\n');
      assert.match(lines[0], /^Set-CsCertificate : .*-EffectiveDate.*\(SfB Certificates' rule; the product's exact behaviour is unconfirmed\)$/);
      assert.equal(lines[1], 'At line:1 char:1');
      assert.equal(lines[2], '+ Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Roll');
      assert.equal(lines[3], `+ ${'~'.repeat(lines[2].length - 2)}`);
      assert.match(lines[4], /^ {4}\+ CategoryInfo {10}: InvalidOperation: \(:\) \[Set-CsCertificate\], /);
      assert.match(lines[5], /^ {4}\+ FullyQualifiedErrorId : [a-z-]+,Set-CsCertificate$/);
    });

    it('an unknown thumbprint', async () => {
      const r = await t.run('Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint 0123456789ABCDEF0123456789ABCDEF01234567');
      assert.match(r.err, /^Set-CsCertificate : No certificate with thumbprint 0123456789ABCDEF0123456789ABCDEF01234567 is in the Central Management store/);
      assert.match(r.err, /FullyQualifiedErrorId : thumbprint-not-found,Set-CsCertificate/);
    });

    it('an unknown parameter: PowerShell\'s own text, pointing at it', async () => {
      const r = await t.run('Get-CsCertificate -Type Default -Thumb x');
      assert.equal(r.err.split('\n').slice(0, 4).join('\n'), [
        "Get-CsCertificate : A parameter cannot be found that matches parameter name 'Thumb'.",
        'At line:1 char:33',
        '+ Get-CsCertificate -Type Default -Thumb x',
        '+                                 ~~~~~~',
      ].join('\n'));
      assert.match(r.err, /FullyQualifiedErrorId : NamedParameterNotFound,Get-CsCertificate/);
    });

    it('an unknown cmdlet: the not-recognized record', async () => {
      const r = await t.run('Export-CsCertificate -Type OAuthTokenIssuer');
      assert.equal(r.err, [
        "Export-CsCertificate : The term 'Export-CsCertificate' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
        'At line:1 char:1',
        '+ Export-CsCertificate -Type OAuthTokenIssuer',
        '+ ~~~~~~~~~~~~~~~~~~~~',
        '    + CategoryInfo          : ObjectNotFound: (Export-CsCertificate:String) [], CommandNotFoundException',
        '    + FullyQualifiedErrorId : CommandNotFoundException',
        '', '',
      ].join('\n'));
    });

    it('an error ends its statement only: the next one runs', async () => {
      const r = await t.run('Foo; Write-Output after');
      assert.ok(r.hadError);
      assert.equal(r.out, 'after\n');
    });

    it('a bad -Type value names the valid ones', async () => {
      const r = await t.run('Get-CsCertificate -Type OAuth');
      assert.match(r.err, /Cannot convert value "OAuth" to type "Microsoft\.Rtc\.Management\.Deployment\.CertType"/);
    });

    it('a missing file behaves as PowerShell: Cannot find path', async () => {
      const r = await t.run('Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path .\\missing.pfx -Password "x"');
      assert.match(r.err, /Cannot find path 'C:\\Users\\Administrator\\missing\.pfx' because it does not exist\./);
    });

    it('a construct outside the subset is named, not run', async () => {
      const r = await t.run('foreach ($c in 1) { Get-CsCertificate }');
      assert.match(r.err, /does not support foreach loops \('foreach \(\$c in 1\) \{ Get-CsCertificate \}'\)/);
    });
  });

  describe('the language', () => {
    let t: TestShell;
    before(async () => {
      t = await shell();
    });

    it('parameters by unambiguous prefix in any case; an ambiguous one is refused', async () => {
      assert.match((await t.run('get-cscertificate -ty default')).out, /Use\s+: Default/);
      assert.match((await t.run('Set-CsCertificate -T Default')).err, /parameter name 'T' is ambiguous\. Possible matches include: -Thumbprint -Type/);
    });

    it('bare-word comma lists, with and without spaces, and quoted ones', async () => {
      for (const list of ['Default,WebServicesInternal', 'Default, WebServicesInternal', '"Default","WebServicesInternal"', 'Default ,WebServicesInternal', 'Default , WebServicesInternal', 'Default\t,  WebServicesInternal']) {
        const r = await t.run(`Get-CsCertificate -Type ${list} | Select-Object Use`);
        assert.deepEqual(r.out.trim().split('\n').slice(2).map((l) => l.trim()), ['Default', 'WebServicesInternal'], list);
      }
      const two = await t.run('Get-CsCertificate | fl Thumbprint , Use\nGet-CsCertificate -Type Default | Measure-Object');
      assert.match(two.out, /Count {4}: 1\n/);
    });

    it('-Confirm:$false, -WhatIf changes nothing', async () => {
      const before = t.session.state;
      const r = await t.run('$x = (Get-CsCertificate -Type Default).Thumbprint; Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -WhatIf -Confirm:$false');
      assert.match(r.out, /^What if: Performing the operation "Set-CsCertificate" on target "Assigned .*global OAuthTokenIssuer/);
      assert.equal(t.session.state, before);
    });

    it('strings: expansion, escapes, $env:COMPUTERNAME, sub-expressions; comments and backtick continuation', async () => {
      const r = await t.run(['$n = "fe"  # a comment', 'Write-Output "On $env:COMPUTERNAME`t$($n.Length) \'q\' `"d`""  \'$n\' `', '  "end"'].join('\n'));
      assert.equal(r.out, 'On FE01\t2 \'q\' "d"\n$n\nend\n');
    });

    it('Where-Object -Property/-EQ and the simplified syntax; ForEach-Object member access', async () => {
      const a = await t.run('Get-CsCertificate | Where-Object -Property Use -EQ -Value WebServicesExternal | ForEach-Object { $_.Use }');
      const b = await t.run('Get-CsCertificate | ? Use -eq WebServicesExternal | % Use');
      assert.equal(a.out, 'WebServicesExternal\n');
      assert.equal(b.out, a.out);
    });

    it('Read-Host -AsSecureString and ConvertTo-SecureString -AsPlainText -Force give passwords; without -Force PowerShell refuses', async () => {
      t.answers.push('P@ssw0rd');
      const r = await t.run('$p = Read-Host "PFX password" -AsSecureString; $p');
      assert.deepEqual(t.prompts.at(-1), { prompt: 'PFX password: ', secure: true });
      assert.equal(r.out, 'System.Security.SecureString\n');
      assert.match((await t.run('ConvertTo-SecureString "P@ssw0rd" -AsPlainText')).err, /specifying the Force parameter/);
      assert.equal((await t.run('$q = ConvertTo-SecureString "P@ssw0rd" -AsPlainText -Force; $q')).out, 'System.Security.SecureString\n');
    });

    it('the MMC path: Export-PfxCertificate on one server, Import-PfxCertificate on another, nothing replicated', async () => {
      const candidate = findServer(t.session.state, 'fe01.contoso.com')!.server.certificates.find((c) => c.sourceFile === 'sample-certificates/contoso-oauth.pfx')!;
      const listed = await t.run('Get-ChildItem Cert:\\LocalMachine\\My');
      assert.match(listed.out, /PSParentPath: Microsoft\.PowerShell\.Security\\Certificate::LocalMachine\\My/);
      assert.ok(listed.out.includes(candidate.thumbprint));
      const exported = await t.run(`$p = ConvertTo-SecureString "Mmc-1" -AsPlainText -Force; Get-ChildItem Cert:\\LocalMachine\\My\\${candidate.thumbprint} | Export-PfxCertificate -FilePath C:/Temp/oauth.pfx -Password $p`);
      assert.equal(exported.err, '');
      assert.ok(t.files.files.has('Temp/oauth.pfx'));
      await t.run('Enter-PSSession fe02');
      const imported = await t.run('Import-PfxCertificate -FilePath C:\\Temp\\oauth.pfx -CertStoreLocation Cert:\\LocalMachine\\My -Password $p -Exportable');
      assert.ok(imported.out.includes(candidate.thumbprint), imported.err);
      await t.run('exit');
      assert.ok(findServer(t.session.state, 'fe02.contoso.com')!.server.certificates.some((c) => c.thumbprint === candidate.thumbprint));
      assert.ok(!findServer(t.session.state, 'fe03.contoso.com')!.server.certificates.some((c) => c.thumbprint === candidate.thumbprint));
    });

    it('objects with more than four properties print as a list, fewer as a table', async () => {
      const r = await t.run('Get-CsManagementStoreReplicationStatus -ReplicaFqdn fe01.contoso.com; Test-CsCertificateConfiguration');
      assert.match(r.out, /UpToDate\s+: True\nReplicaFqdn\s+: fe01\.contoso\.com/);
      assert.match(r.out, /Thumbprint\s+Use\n----------\s+---\n[0-9A-F]{40} Default/);
    });

    it('isIncomplete: open brace, string, pipe, backtick', () => {
      for (const text of ['Get-CsCertificate | Where-Object {', '"abc', 'Get-CsCertificate |', 'Get-CsCertificate `']) assert.ok(t.shell.isIncomplete(text), text);
      for (const text of ['Get-CsCertificate', 'Get-CsCertificate | fl *', '$x = 1']) assert.ok(!t.shell.isIncomplete(text), text);
    });

    it('Tab completion: cmdlets, parameters, -Type values, files', async () => {
      assert.deepEqual((await t.shell.complete('Get-CsCert', 10)).candidates, ['Get-CsCertificate']);
      assert.deepEqual((await t.shell.complete('Set-CsCertificate -Ro', 21)).candidates, ['-Roll']);
      assert.deepEqual((await t.shell.complete('Get-CsCertificate -Type Default,WebS', 36)), { start: 32, end: 36, candidates: ['WebServicesInternal', 'WebServicesExternal'] });
      assert.deepEqual((await t.shell.complete('Import-CsCertificate -Path C:\\Certificates\\S', 44)).candidates, ['C:\\Certificates\\ServerToServerAuth.pfx']);
    });

    it('exit closes the shell', async () => {
      assert.equal((await t.run('exit')).exit, true);
    });
  });
  describe('issue #12 leftovers: confirmation, simplified shapes, escaping', () => {
    const CHOICES = '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): ';
    const withGlobal = async (options: { interactive?: boolean } = {}) => {
      const t = await TestShell.create(sample.deployment, sample.files, { now: () => NOW, ...options });
      await t.run(SEED[1]);
      assert.ok(t.session.state.cms.assignments.OAuthTokenIssuer?.current);
      return t;
    };
    const REMOVE = 'Remove-CsCertificate -Identity global -Type OAuthTokenIssuer';

    it('Remove-CsCertificate asks as PowerShell does; N keeps the assignment, ? explains (with the own-rule label), Y removes', async () => {
      const t = await withGlobal();
      const before = t.session.state;
      t.answers.push('n');
      const no = await t.run(REMOVE);
      assert.match(no.out, /^\nConfirm\nAre you sure you want to perform this action\?\nPerforming the operation "Remove-CsCertificate" on target ".+"\.\n$/);
      assert.deepEqual(t.prompts.map((p) => p.prompt), [CHOICES]);
      assert.equal(no.hadError, false);
      assert.equal(t.session.state, before, 'N changes nothing');
      t.answers.push('?', 'maybe', 'y');
      const yes = await t.run(REMOVE);
      assert.match(yes.out, /Y - Continue with only the next step of the operation\./);
      assert.match(yes.out, /SfB Certificates asks for every removal.*\(SfB Certificates' rule; the product's exact behaviour is unconfirmed\)/);
      assert.equal(t.prompts.length, 4, 'asked again after ? and after an answer it does not know');
      assert.equal(t.session.state.cms.assignments.OAuthTokenIssuer?.current, undefined, 'Y removes');
    });

    it('-Force, -Confirm:$false and -WhatIf do not ask; Ctrl+C at the prompt cancels without an error record', async () => {
      for (const extra of [' -Force', ' -Confirm:$false']) {
        const t = await withGlobal();
        const r = await t.run(REMOVE + extra);
        assert.deepEqual([r.out, r.err, t.prompts.length], ['', '', 0], extra);
        assert.equal(t.session.state.cms.assignments.OAuthTokenIssuer?.current, undefined, extra);
      }
      const t = await withGlobal();
      const before = t.session.state;
      const whatIf = await t.run(`${REMOVE} -WhatIf`);
      assert.match(whatIf.out, /^What if: Performing the operation "Remove-CsCertificate"/);
      const cancelled = await t.run(REMOVE); // no answer queued: Ctrl+C
      assert.deepEqual([cancelled.err, cancelled.hadError], ['', false]);
      assert.equal(t.session.state, before);
      // An explicit -Confirm asks even with -Force.
      t.answers.push('n');
      await t.run(`${REMOVE} -Force -Confirm`);
      assert.equal(t.prompts.length, 2);
    });

    it('non-interactive (sfb-cert shell): an error record that says to add -Force or -Confirm:$false', async () => {
      const t = await withGlobal({ interactive: false });
      const before = t.session.state;
      const r = await t.run(REMOVE);
      assert.equal(r.hadError, true);
      assert.match(r.err, /^Remove-CsCertificate : Remove-CsCertificate asks for confirmation .*non-interactively.*Add -Force \(or -Confirm:\$false\)/);
      assert.match(r.err, /FullyQualifiedErrorId : ConfirmationNotPossible,Remove-CsCertificate/);
      assert.equal(t.prompts.length, 0);
      assert.equal(t.session.state, before);
      assert.equal((await t.run(`${REMOVE} -Force`)).hadError, false);
    });

    it('Get-CsTopology, Get-CsPool and Get-CsComputer say their objects are the extension\'s simplified shape', async () => {
      const t = await shell();
      for (const cmd of ['Get-CsTopology', 'Get-CsPool', 'Get-CsComputer']) {
        const r = await t.run(cmd);
        assert.match(r.warn, new RegExp(`^WARNING: ${cmd} shows a simplified object of SfB Certificates \\(.+\\), not every property the product's object has \\(SfB Certificates' rule`), cmd);
        assert.ok(r.out.length > 0, cmd);
      }
    });

    it('every string it prints goes through the presenter\'s escaping: names, subjects, file names, error text', async () => {
      const evil = 'evil\u001b]0;pwned\u0007\u202Etxt.pfx';
      const fe01 = findServer(sample.deployment, 'fe01.contoso.com')!;
      const hostile = {
        ...sample.deployment,
        pools: sample.deployment.pools.map((p, i) => (i !== fe01.poolIndex ? p : {
          ...p, servers: p.servers.map((s, j) => (j !== fe01.serverIndex ? s : { ...s, certificates: s.certificates.map((c, k) => (k === 0 ? { ...c, friendlyName: evil, subject: `CN=${evil}` } : c)) })),
        })),
      };
      const t = await TestShell.create(hostile, sample.files, { now: () => NOW, computer: 'fe01.contoso.com' });
      const scalar = await t.run('(Get-ChildItem Cert:\\LocalMachine\\My)[0].FriendlyName; (Get-ChildItem Cert:\\LocalMachine\\My)[0].Subject; Write-Output "bell`a"');
      const missing = await t.run(`Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path "C:\\${evil.split('\u001b').join('$([char]27)')}" -Password "x"`);
      const all = [scalar.out, missing.err, ...t.writes.map((w) => w.text)].join('');
      // eslint-disable-next-line no-control-regex -- looking for control characters is the point
      assert.doesNotMatch(all, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      assert.match(scalar.out, /evil\\u001B\]0;pwned\\u0007\\u202Etxt\.pfx/);
      assert.match(scalar.out, /bell\\u0007/);
      assert.match(missing.err, /\\u202Etxt\.pfx/);
    });
  });
});
