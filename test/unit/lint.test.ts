// The script checker: each diagnostic on the SfB certificate cmdlets (positive and negative), its quick fixes, and
// the incremental re-check giving the same diagnostics as a fresh check.
import * as assert from 'node:assert/strict';
import { DeploymentSession, createSampleDeployment, findServer, type Deployment, type SampleDeployment } from '../../src/core';
import { ScriptChecker, lintScript, type ScriptDiagnostic } from '../../src/powershell/lint';

const NOW = new Date('2015-06-01T08:00:00Z');

describe('Script checker (lint)', function () {
  this.timeout(60_000);
  let sample: SampleDeployment;
  let fe01: (name: string) => string;
  before(async () => {
    sample = await createSampleDeployment(NOW);
    fe01 = (name) => findServer(sample.deployment, 'fe01.contoso.com')!.server.certificates.find((c) => c.friendlyName === name)!.thumbprint;
  });
  const lint = (text: string, state: Deployment = sample.deployment, now = NOW) => lintScript(text, state, { now });
  const codes = (ds: ScriptDiagnostic[]) => ds.map((d) => d.code);
  const at = (text: string, d: ScriptDiagnostic) => text.slice(d.start, d.end);
  const apply = (text: string, d: ScriptDiagnostic) => {
    const f = d.fixes![0];
    return text.slice(0, f.start) + f.newText + text.slice(f.end);
  };

  it('a correct script (the seed\'s lines, comma lists, pipes) has no diagnostics', async () => {
    const text = [
      'Get-CsCertificate -Type OAuthTokenIssuer',
      'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certificates\\ServerToServerAuth.pfx -Password (Read-Host "PFX" -AsSecureString)',
      '$x = (Get-CsCertificate -Type Default).Thumbprint',
      'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -EffectiveDate "7/1/2015" -Roll',
      `Set-CsCertificate -Type Default, WebServicesInternal -Thumbprint ${fe01('fe01 Default')}`,
      'Get-CsCertificate -Type Default | Set-CsCertificate -Type WebServicesExternal',
      'Remove-CsCertificate -Identity global -Type OAuthTokenIssuer -Previous',
      'Write-Host "done" -NoNewline; Get-ChildItem -Bogus',
    ].join('\n');
    assert.deepEqual(await lint(text), []);
  });

  it('unknown parameter and ambiguous prefix, at the parameter', async () => {
    const text = 'Get-CsCertificate -Type Default -Thumb x\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -E "7/1/2015" -Roll';
    const ds = await lint(text);
    assert.deepEqual(codes(ds), ['NamedParameterNotFound', 'AmbiguousParameter']);
    assert.equal(at(text, ds[0]), '-Thumb');
    assert.match(ds[0].message, /A parameter cannot be found that matches parameter name 'Thumb'\. Check the spelling; the parameters of Get-CsCertificate are -Type, -Identity/);
    assert.equal(at(text, ds[1]), '-E');
    assert.match(ds[1].message, /ambiguous\. Possible matches include: -EffectiveDate -ErrorAction/);
  });

  it('missing mandatory parameter, missing value, and parameters of two parameter sets', async () => {
    const text = 'Import-CsCertificate -Identity global -Type OAuthTokenIssuer\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint\nSet-CsCertificate -Thumbprint $x -Path C:\\a.pfx -Type Default';
    const ds = await lint(text);
    assert.deepEqual(codes(ds), ['MissingMandatoryParameter', 'MissingArgument', 'AmbiguousParameterSet']);
    assert.match(ds[0].message, /missing mandatory parameters: Path\. Add the parameter/);
    assert.equal(at(text, ds[1]), '-Thumbprint');
  });

  it('-Roll without -EffectiveDate; a date the cmdlet would not parse', async () => {
    const text = 'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Roll\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -EffectiveDate "13/45/2015" -Roll';
    const ds = await lint(text);
    assert.deepEqual(codes(ds), ['roll-needs-effective-date', 'bad-date']);
    assert.equal(at(text, ds[0]), '-Roll');
    assert.equal(at(text, ds[1]), '"13/45/2015"');
    assert.equal(ds[1].severity, 'error');
  });

  it('a -Type value that does not exist', async () => {
    const text = 'Set-CsCertificate -Identity global -Type OAuthTokenIssuer,WebServices -Thumbprint $x';
    const ds = await lint(text);
    assert.deepEqual(codes(ds), ['unknown-type']);
    assert.match(ds[0].message, /"WebServices" is not a -Type value/);
    // XMPPServer exists in Skype for Business Server 2015 only; the sample is 2019 (its replicas' ProductVersion).
    const in2015 = { ...sample.deployment, pools: sample.deployment.pools.map((p) => ({ ...p, servers: p.servers.map((s) => ({ ...s, replica: { ...s.replica, productVersion: '6.0.9319.0' } })) })) };
    assert.deepEqual(await lint('Get-CsCertificate -Type xmppserver', in2015), [], 'any case, and the XmppServer spelling');
    assert.deepEqual(codes(await lint('Get-CsCertificate -Type xmppserver')), ['type-not-in-version']);
  });

  it('-Identity other than global (error, fix to global) and OAuthTokenIssuer without -Identity (the extension\'s rule, fix adds it)', async () => {
    const text = 'Set-CsCertificate -Identity fe01.contoso.com -Type OAuthTokenIssuer -Thumbprint $x';
    const [d] = await lint(text);
    assert.equal(d.code, 'identity-not-global');
    assert.equal(d.source, 'extension-rule');
    assert.match(d.message, /\(SfB Certificates' rule; the product's exact behaviour is unconfirmed\)$/);
    assert.deepEqual(await lint(apply(text, d)), []);
    const missing = 'Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint $x';
    const [m] = await lint(missing);
    assert.equal(m.code, 'oauth-without-global');
    assert.equal(m.severity, 'warning');
    assert.match(m.message, /different OAuth certificates/);
    assert.equal(apply(missing, m), 'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x');
    assert.deepEqual(await lint(apply(missing, m)), []);
  });

  it('a thumbprint in no modelled store; the U+200E mark MMC copies carry, with a quick fix that removes it', async () => {
    const unknown = await lint('Set-CsCertificate -Type Default -Thumbprint 0123456789ABCDEF0123456789ABCDEF01234567');
    assert.deepEqual(codes(unknown), ['thumbprint-not-found']);
    const text = `Set-CsCertificate -Type Default -Thumbprint "\u200E${fe01('fe01 Default').toLowerCase()}"`;
    const ds = await lint(text);
    assert.deepEqual(codes(ds), ['invisible-mark']);
    assert.match(ds[0].message, /U\+200E/);
    assert.equal(apply(text, ds[0]), `Set-CsCertificate -Type Default -Thumbprint ${fe01('fe01 Default')}`);
    assert.deepEqual(await lint(apply(text, ds[0])), []);
    assert.deepEqual(codes(await lint('Set-CsCertificate -Type Default -Thumbprint 12345')), ['bad-thumbprint']);
  });

  it('an OAuth candidate that breaks a requirement: key < 2048, no SIP domain, no exportable key, expired at the effective date', async () => {
    const legacy = await lint(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${fe01('Legacy web (1024-bit)')}`);
    assert.ok(codes(legacy).includes('oauth.key'), codes(legacy).join());
    assert.match(legacy.find((d) => d.code === 'oauth.key')!.message, /at least 2048 bits.*held by fe01\.contoso\.com/);
    const good = fe01('Contoso server-to-server (web server)');
    const elsewhere: Deployment = structuredClone(sample.deployment);
    const renamed = findServer(elsewhere, 'fe01.contoso.com')!.server.certificates.find((c) => c.thumbprint === good)!;
    renamed.subject = 'CN=web.example.net';
    renamed.subjectAlternativeNames = [{ type: 'dns', value: 'web.example.net' }];
    renamed.derBase64 = '';
    const noSip = await lint(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${good}`, elsewhere);
    assert.ok(noSip.some((d) => /SIP domain/i.test(d.message)), JSON.stringify(noSip));
    assert.deepEqual(await lint(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${good}`), []);
    const expired = await lint(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${good} -EffectiveDate "1/1/2030" -Roll`);
    assert.deepEqual(expired.map((d) => [d.severity, d.code]), [['error', 'roll.not-valid-at-effective-date']]);
    assert.match(expired[0].message, /but it expires on/);
    const locked: Deployment = structuredClone(sample.deployment);
    findServer(locked, 'fe01.contoso.com')!.server.certificates.find((c) => c.thumbprint === good)!.exportable = false;
    assert.deepEqual(codes(await lint(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${good}`, locked)), ['oauth.key-not-exportable']);
  });

  it('a roll staged less than 24 hours before the current OAuth certificate expires', async () => {
    const session = new DeploymentSession(sample.deployment, () => NOW);
    const current = fe01('fe01 Default');
    assert.ok(session.run({ cmdlet: 'Set-CsCertificate', identity: 'global', computer: 'fe01.contoso.com', type: ['OAuthTokenIssuer'], thumbprint: current }).ok);
    const expiry = new Date(findServer(session.state, 'fe01.contoso.com')!.server.certificates.find((c) => c.thumbprint === current)!.notAfter);
    const late = new Date(expiry.getTime() - 2 * 3600_000);
    const date = `${late.getUTCMonth() + 1}/${late.getUTCDate()}/${late.getUTCFullYear()} ${late.getUTCHours() % 12 || 12}:${String(late.getUTCMinutes()).padStart(2, '0')}:00 ${late.getUTCHours() < 12 ? 'AM' : 'PM'}`;
    const good = fe01('Contoso server-to-server (web server)');
    const ds = await lint(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${good} -EffectiveDate "${date}" -Roll`, session.state);
    assert.ok(ds.some((d) => /24/.test(d.message)), JSON.stringify(ds));
    const early = await lint(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${good} -EffectiveDate "7/1/2015" -Roll`, session.state);
    assert.ok(!early.some((d) => /24/.test(d.message)), JSON.stringify(early));
  });

  it('a plain-text -Password (information) with a quick fix to Read-Host -AsSecureString', async () => {
    const text = 'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certificates\\ServerToServerAuth.pfx -Password "P@ssw0rd"';
    const ds = await lint(text);
    assert.deepEqual(codes(ds), ['plain-text-password']);
    assert.equal(ds[0].severity, 'info');
    assert.equal(at(text, ds[0]), '"P@ssw0rd"');
    assert.ok(!ds[0].message.includes('P@ssw0rd'));
    const fixed = apply(text, ds[0]);
    assert.match(fixed, /-Password \(Read-Host "PFX password" -AsSecureString\)$/);
    assert.deepEqual(await lint(fixed), []);
    assert.deepEqual(await lint('Import-CsCertificate -Path C:\\a.pfx -Password $pfxPassword'), []);
  });

  it('incremental: after edits, the same diagnostics as a fresh check, positions moved', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Roll' : `Get-CsCertificate -Type Default, WebServicesInternal # ${i}`));
    let text = lines.join('\n');
    const checker = await ScriptChecker.create(sample.deployment, { now: NOW });
    try {
      assert.deepEqual(checker.check(text), await lint(text));
      const edits: [number, number, string][] = [[0, 0, 'X'], [0, 1, ''], [text.indexOf('# 7'), text.indexOf('# 7'), '\nGet-CsCertificate -Thumb y\n'], [text.length, text.length, '\nSet-CsCertificate -Type Bogus, Default -Thumbprint $x'], [10, 40, '']];
      for (const [from, to, insert] of edits) {
        text = text.slice(0, from) + insert + text.slice(to);
        assert.deepEqual(checker.check(text), await lint(text), `after inserting ${JSON.stringify(insert)} at ${from}`);
      }
    } finally {
      checker.dispose();
    }
  });

  describe('parse errors', () => {
    it('an unclosed bracket: an Error at the bracket, naming what the grammar expected and where', async () => {
      const text = 'Get-CsCertificate -Type Default\n$x = (Get-CsCertificate -Type Default\nGet-CsCertificate';
      const ds = (await lint(text)).filter((d) => d.severity === 'error');
      assert.equal(ds.length, 1, JSON.stringify(ds));
      assert.equal(ds[0].code, 'MissingEndParenthesisInExpression');
      assert.equal(at(text, ds[0]), '(');
      assert.match(ds[0].message, /Missing closing '\)' in expression: the '\(' at line 2, column 6 is never closed\. Add '\)'/);
    });

    it('an unterminated string, a stray closing bracket and an empty pipe element', async () => {
      const str = 'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint "ABC';
      const s = await lint(str);
      assert.deepEqual(codes(s).filter((c) => c === 'TerminatorExpectedAtEndOfString'), ['TerminatorExpectedAtEndOfString']);
      assert.equal(at(str, s.find((d) => d.code === 'TerminatorExpectedAtEndOfString')!), '"');
      const stray = 'Get-CsCertificate -Type Default)';
      const t = await lint(stray);
      assert.deepEqual(codes(t), ['UnexpectedToken']);
      assert.equal(at(stray, t[0]), ')');
      assert.match(t[0].message, /Unexpected '\)': no opening bracket/);
      const pipe = 'Get-CsCertificate -Type Default | | Format-List';
      const p = await lint(pipe);
      assert.deepEqual(codes(p), ['EmptyPipeElement']);
      assert.match(p[0].message, /expected a command after the '\|' at line 1, column 33/);
    });

    it('no parse error for what the grammar reads differently but PowerShell accepts: bare-word comma lists', async () => {
      const text = [
        `Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint ${fe01('fe01 Default')}`,
        `Set-CsCertificate -Type Default, WebServicesInternal -Thumbprint ${fe01('fe01 Default')}`,
        'Get-CsCertificate | Select-Object Thumbprint, NotAfter',
        'Get-CsCertificate | fl Thumbprint, Use',
        'Get-CsCertificate -Type Default , WebServicesInternal , WebServicesExternal | fl Thumbprint , Use',
        'Get-CsCertificate -Type Default,',
        '  WebServicesInternal',
      ].join('\n');
      assert.deepEqual(await lint(text), []);
    });

    it('a comma that PowerShell does not read as a list separator stays a parse error (first on its line, after a parameter name)', async () => {
      for (const line of ['Get-CsCertificate -Type , Default', 'Get-CsCertificate -Type Default\n, WebServicesInternal']) {
        assert.ok((await lint(line)).some((d) => d.severity === 'error'), line);
      }
    });

    it('incremental: a parse error appears as the bracket is deleted and goes when it is typed back', async () => {
      const good = '$x = (Get-CsCertificate -Type Default).Thumbprint\nGet-CsCertificate -Type OAuthTokenIssuer';
      const checker = await ScriptChecker.create(sample.deployment, { now: NOW });
      try {
        assert.deepEqual(checker.check(good), []);
        const broken = good.replace(').', '.');
        assert.deepEqual(codes(checker.check(broken)), codes(await lint(broken)));
        assert.ok(checker.check(broken).some((d) => d.code === 'MissingEndParenthesisInExpression'));
        assert.deepEqual(checker.check(good), []);
      } finally {
        checker.dispose();
      }
    });
  });
});
