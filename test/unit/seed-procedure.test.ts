// The procedure "Assign a server-to-server authentication certificate to Skype for Business Server", end to end,
// on the sample deployment through a DeploymentSession running on a simulated clock.
import * as assert from 'node:assert/strict';
import { createTestCA, generateCertificate, testCaCrlUrl, writePfx } from '../../src/core/certgen';
import type { CertificateReference } from '../../src/core/cmdlets';
import type { Deployment, Finding } from '../../src/core/model';
import type { GetCertificateArgs, OperationName, OperationRequest } from '../../src/core/operations';
import { evaluateRules } from '../../src/core/rules';
import { createSampleDeployment, SAMPLE_PASSWORD, type SampleDeployment } from '../../src/core/sample';
import { parseDeployment, serializeDeployment } from '../../src/core/deploymentFile';
import { DeploymentSession } from '../../src/core/session';
import { ok } from '../fixtures/outcomes';

const START = '6/1/2015 8:00 AM';
const FRONT_ENDS = ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'se01.dublin.contoso.com'];
const RENEWAL_PASSWORD = 'Renewal-2015!';

function oauthFindings(d: Deployment, now: Date): Finding[] {
  return evaluateRules(d, now).filter((f) => f.rule.startsWith('oauth.'));
}

describe('seed procedure: assign the server-to-server (OAuthTokenIssuer) certificate', () => {
  let sample: SampleDeployment;
  let session: DeploymentSession;
  let renewal: { bytes: Uint8Array; thumbprint: string };
  const file = (name: string) => sample.files.find((f) => f.path === `sample-certificates/${name}.pfx`)!.bytes;
  const run = <N extends OperationName>(request: OperationRequest<N>) => ok(session.run(request));
  const get = (request: GetCertificateArgs): CertificateReference[] => run({ cmdlet: 'Get-CsCertificate', ...request }).result;
  const oauthOn = (fqdn: string) => get({ computer: fqdn, type: ['OAuthTokenIssuer'] }).map((r) => r.Thumbprint);

  before(async function () {
    this.timeout(60_000); // real certificates: RSA key generation
    sample = await createSampleDeployment(new Date('2015-06-01T08:00:00Z'));
    session = new DeploymentSession(sample.deployment);
    run({ cmdlet: 'Set-SimulatedDate', date: START });
    // The replacement certificate, obtained later from the CA: valid from June 15, 2015.
    const renewed = generateCertificate({
      subject: { CN: 'contoso.com', O: 'Contoso' }, dnsNames: ['contoso.com', 'fabrikam.com'], keySize: 2048,
      notBefore: new Date('2015-06-15T00:00:00Z'), notAfter: new Date('2017-06-15T00:00:00Z'), serverAuth: true, issuer: createTestCA('Contoso Issuing CA'), crlDistributionPoints: [testCaCrlUrl('Contoso Issuing CA')],
    });
    renewal = { bytes: new Uint8Array(writePfx(renewed, RENEWAL_PASSWORD, { friendlyName: 'Contoso server-to-server 2015' })), thumbprint: '' };
  });

  it('1. Get-CsCertificate -Type OAuthTokenIssuer returns nothing: one must be assigned', () => {
    const out = run({ cmdlet: 'Get-CsCertificate', computer: 'fe01.contoso.com', type: ['OAuthTokenIssuer'] });
    assert.equal(out.powershell, 'Get-CsCertificate -Type OAuthTokenIssuer');
    assert.deepEqual(out.result, []);
    const missing = oauthFindings(session.state, session.now());
    assert.deepEqual(missing.map((f) => f.rule), ['oauth.missing']);
    assert.match(missing[0].message, /Unable to locate a OAuthTokenIssuer certificate/);
  });

  it('2. Import-CsCertificate -Identity global from a PFX, once; replication deploys it to every Front End', () => {
    const out = run({ cmdlet: 'Import-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], path: 'C:\\Certificates\\ServerToServerAuth.pfx', bytes: file('contoso-oauth'), password: SAMPLE_PASSWORD, sourceFile: 'sample-certificates/contoso-oauth.pfx' });
    assert.equal(out.powershell, 'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path "C:\\Certificates\\ServerToServerAuth.pfx" -Password $pfxPassword');
    const imported = get({ identity: 'global', type: ['OAuthTokenIssuer'] });
    assert.equal(imported.length, 1);
    assert.equal(imported[0].SourceScope, 'Global');
    const thumbprint = imported[0].Thumbprint;

    // Before replication the Front Ends' local stores are behind (the [S23] gotcha) and the rules say so.
    const pending = run({ cmdlet: 'Get-CsCertificate', computer: 'fe02.contoso.com', type: ['OAuthTokenIssuer'] });
    assert.deepEqual(pending.result, []);
    assert.ok(pending.notes.some((n) => /replica is at version 1 of 2/.test(n)));
    assert.deepEqual(oauthFindings(session.state, session.now()).map((f) => [f.rule, f.where.serverFqdn]), FRONT_ENDS.map((fqdn) => ['oauth.replication-pending', fqdn]));

    const replicated = run({ cmdlet: 'Invoke-CsManagementStoreReplication' });
    const results = replicated.result;
    assert.deepEqual(results.filter((r) => r.deployedOAuth).map((r) => r.replicaFqdn), FRONT_ENDS);
    assert.ok(results.every((r) => r.upToDate));
    for (const fqdn of FRONT_ENDS) assert.deepEqual(oauthOn(fqdn), [thumbprint], fqdn);
    assert.deepEqual(oauthOn('edge01.contoso.com'), [], 'Edges do not get it');
    assert.deepEqual(oauthFindings(session.state, session.now()), []);
  });

  it('3. $x = (Get-CsCertificate -Type Default).Thumbprint; Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x', () => {
    const x = get({ computer: 'fe01.contoso.com', type: ['Default'] })[0].Thumbprint;
    const out = run({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: x, computer: 'fe01.contoso.com' });
    assert.equal(out.powershell, `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${x}`);
    assert.ok(out.notes.some((n) => /puts that certificate on every Front End/.test(n)));
    assert.deepEqual(out.findings, []);
    run({ cmdlet: 'Invoke-CsManagementStoreReplication' });
    for (const fqdn of FRONT_ENDS) {
      assert.deepEqual(oauthOn(fqdn), [x], fqdn);
      const server = session.state.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fqdn)!;
      assert.ok(server.certificates.some((c) => c.thumbprint === x && c.hasPrivateKey), `${fqdn} holds the key`);
    }
    assert.deepEqual(oauthFindings(session.state, session.now()), []);
  });

  it('4. Roll a new certificate with -EffectiveDate "7/1/2015" -Roll: at that date current and previous swap', () => {
    const x = get({ identity: 'global', type: ['OAuthTokenIssuer'] })[0].Thumbprint;
    const imported = run({ cmdlet: 'Import-CsCertificate', computer: 'fe01.contoso.com', path: 'C:\\Certificates\\S2S-2015.pfx', bytes: renewal.bytes, password: RENEWAL_PASSWORD, privateKeyExportable: true });
    renewal.thumbprint = imported.result.thumbprint;

    const early = session.run({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: renewal.thumbprint, computer: 'fe01.contoso.com', effectiveDate: '6/10/2015', roll: true });
    assert.ok(!early.ok && /not valid before 6\/15\/2015/.test(early.error.message), 'not yet valid at that date: refused');

    const staged = run({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: renewal.thumbprint, computer: 'fe01.contoso.com', effectiveDate: '7/1/2015', roll: true });
    assert.equal(staged.powershell, `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${renewal.thumbprint} -EffectiveDate "7/1/2015" -Roll`);
    assert.deepEqual(staged.findings, []);
    run({ cmdlet: 'Invoke-CsManagementStoreReplication' });

    run({ cmdlet: 'Set-SimulatedDate', date: '6/30/2015 11:59 PM' });
    assert.deepEqual(get({ identity: 'global', type: ['OAuthTokenIssuer'] }).map((r) => r.Thumbprint), [x], 'not yet');

    const moved = run({ cmdlet: 'Set-SimulatedDate', date: '7/1/2015' });
    assert.ok(moved.notes.some((n) => /OAuthTokenIssuer roll took effect \(global and 4 servers\)/.test(n)));
    const now = get({ identity: 'global', type: ['OAuthTokenIssuer'], includePreviousAndPending: true });
    assert.deepEqual(now.map((r) => [r.slot, r.Thumbprint]), [['current', renewal.thumbprint], ['previous', x]]);
    assert.equal(now[0].PreviousThumbprint, x);
    assert.equal(now[0].EffectiveDate, '2015-07-01T00:00:00.000Z');
    for (const fqdn of FRONT_ENDS) assert.deepEqual(oauthOn(fqdn), [renewal.thumbprint], `${fqdn} rolled too`);
    assert.equal(session.state.history.filter((h) => h.cmdlet === 'Roll').length, 1);

    // Once the old certificate has expired, the rules suggest the docs' cleanup, which works as written.
    run({ cmdlet: 'Set-SimulatedDate', date: '3/10/2017' });
    const stale = evaluateRules(session.state, session.now()).find((f) => f.rule === 'previous.expired')!;
    assert.equal(stale.fix, 'Remove-CsCertificate -Type OAuthTokenIssuer -Previous');
    run({ cmdlet: 'Remove-CsCertificate', computer: 'fe01.contoso.com', type: ['OAuthTokenIssuer'], previous: true });
    assert.deepEqual(get({ identity: 'global', type: ['OAuthTokenIssuer'], includePreviousAndPending: true }).map((r) => r.slot), ['current']);

    const saved = parseDeployment(serializeDeployment(session.state));
    assert.ok(saved.ok, `the store file after the procedure loads cleanly: ${saved.ok ? '' : JSON.stringify(saved.errors)}`);
    assert.ok(!serializeDeployment(session.state).includes(SAMPLE_PASSWORD) && !serializeDeployment(session.state).includes(RENEWAL_PASSWORD), 'no password in the file');
  });

  it('5. The Certificates MMC path is not replicated: a Front End left out is inconsistent, and the rules say so', () => {
    const now = new Date('2015-06-01T08:00:00Z');
    const mmc = new DeploymentSession(sample.deployment, () => now);
    const go = <N extends OperationName>(request: OperationRequest<N>) => ok(mmc.run(request));
    const candidate = sample.deployment.pools[0].servers[0].certificates.find((c) => c.sourceFile === 'sample-certificates/contoso-oauth.pfx')!;
    const exported = go({ cmdlet: 'MMC-Export', computer: 'fe01.contoso.com', thumbprint: candidate.thumbprint, sourceBytes: file('contoso-oauth'), sourcePassword: SAMPLE_PASSWORD, password: 'Mmc-Export-1', path: 'C:\\Temp\\oauth.pfx' });
    assert.match(exported.powershell, /^# Certificates MMC \(not a cmdlet\)/);
    go({ cmdlet: 'MMC-Import', computer: 'fe02.contoso.com', path: 'C:\\Temp\\oauth.pfx', bytes: exported.result.pfx, password: 'Mmc-Export-1' });
    for (const fqdn of ['fe01.contoso.com', 'fe02.contoso.com']) {
      const out = go({ cmdlet: 'Set-CsCertificate', computer: fqdn, type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint });
      assert.equal(out.powershell, `Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint ${candidate.thumbprint}`);
      assert.ok(out.notes.some((n) => /does not replicate it/.test(n)));
    }
    const forgotten = mmc.run({ cmdlet: 'Set-CsCertificate', computer: 'fe03.contoso.com', type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint });
    assert.ok(!forgotten.ok && forgotten.error.code === 'thumbprint-not-found', 'fe03 never got the file');

    const check = () => oauthFindings(mmc.state, now).map((f) => [f.rule, f.where.serverFqdn ?? '']);
    const expected = [['oauth.local-assignment', ''], ['oauth.fe-missing', 'fe03.contoso.com'], ['oauth.fe-missing', 'se01.dublin.contoso.com']];
    assert.deepEqual(check(), expected);
    go({ cmdlet: 'Invoke-CsManagementStoreReplication' });
    assert.deepEqual(check(), expected, 'replication does not help: nothing global was assigned');

    // The documented way out: assign it once, globally, and let replication deploy it.
    go({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: candidate.thumbprint, computer: 'fe01.contoso.com' });
    go({ cmdlet: 'Invoke-CsManagementStoreReplication' });
    assert.deepEqual(check(), []);
  });
});
