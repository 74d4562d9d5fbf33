// The Management Shell's Request-CsCertificate -New (offline request, the sample's test CA) and the CA's answer
// imported with Import-CsCertificate: the core's one request operation behind the cmdlets.
import * as assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { SAMPLE_CA, createSampleDeployment, findServer, generateCertificate, type SampleDeployment } from '../../src/core';
import { TestShell } from './shellHarness';

const NOW = new Date('2026-06-01T08:00:00Z');

describe('SfB Management Shell: Request-CsCertificate', function () {
  this.timeout(60_000);
  let sample: SampleDeployment;
  before(async () => {
    sample = await createSampleDeployment(NOW);
  });

  it('-New … -Output writes the request and its key under C:\\, keeps a pending request, and Import-CsCertificate of the CA\'s answer pairs it with the key', async () => {
    const t = await TestShell.create(sample.deployment, sample.files, { now: () => NOW, computer: 'fe01.contoso.com' });
    const r = await t.run('Request-CsCertificate -New -Type Default,WebServicesInternal,WebServicesExternal -Output C:\\Certificates\\fe01.req -FriendlyName "fe01 2026" -PrivateKeyExportable $True -AllSipDomain -DomainName "sfb.contoso.com"');
    assert.equal(r.err, '');
    assert.match(r.warn, /private key in C:\\Certificates\\fe01\.key\.pem/);
    const csr = new TextDecoder().decode(await t.files.read('Certificates/fe01.req'));
    assert.match(csr, /BEGIN CERTIFICATE REQUEST/);
    const keyPem = new TextDecoder().decode(await t.files.read('Certificates/fe01.key.pem'));
    const pending = findServer(t.session.state, 'fe01.contoso.com')!.server.pendingRequests!;
    assert.equal(pending.length, 1);
    assert.ok(pending[0].dnsNames.includes('sip.fabrikam.com') && pending[0].dnsNames.includes('sfb.contoso.com'));
    assert.match(t.session.state.history.at(-1)!.powershell, /^Request-CsCertificate -New -Type Default,WebServicesInternal,WebServicesExternal -Output "C:\\Certificates\\fe01.req"/);

    // The CA answers: a certificate for the request's public key.
    const privateKey = createPrivateKey(keyPem);
    const answer = generateCertificate({ subject: { CN: 'pool01.contoso.com' }, dnsNames: pending[0].dnsNames, keyPair: { privateKey, publicKey: createPublicKey(privateKey) } });
    await t.files.write('Certificates/fe01-answer.cer', answer.der);
    const imported = await t.run('Import-CsCertificate -Path C:\\Certificates\\fe01-answer.cer');
    assert.deepEqual([imported.err, imported.hadError], ['', false]);
    const fe01 = findServer(t.session.state, 'fe01.contoso.com')!.server;
    assert.equal(fe01.pendingRequests!.length, 0);
    const cert = fe01.certificates.find((c) => c.friendlyName === 'fe01 2026')!;
    assert.equal(cert.hasPrivateKey && cert.exportable, true);
    const listed = await t.run('Get-ChildItem Cert:\\LocalMachine\\My | Where-Object {$_.FriendlyName -eq "fe01 2026"} | Select-Object -ExpandProperty HasPrivateKey');
    assert.equal(listed.out.trim(), 'True');
  });

  it('-CA names the sample\'s test CA: issued into this computer\'s store at once; no -Output or -CA, a wrong -KeySize or -WhatIf change nothing', async () => {
    const t = await TestShell.create(sample.deployment, sample.files, { now: () => NOW, computer: 'fe02.contoso.com' });
    const before = t.session.state;
    const missing = await t.run('Request-CsCertificate -New -Type OAuthTokenIssuer');
    assert.match(missing.err, /-Output <file> for an offline request, or -CA/);
    const size = await t.run('Request-CsCertificate -New -Type OAuthTokenIssuer -Output C:\\Certificates\\o.req -KeySize 3072');
    assert.match(size.err, /-KeySize 3072 is not one of the documented lengths/);
    assert.equal(await t.files.exists('Certificates/o.req'), false);
    const whatIf = await t.run('Request-CsCertificate -New -Type OAuthTokenIssuer -Output C:\\Certificates\\o.req -WhatIf');
    assert.match(whatIf.out, /What if/);
    assert.equal(await t.files.exists('Certificates/o.req'), false);
    assert.equal(t.session.state, before);

    const r = await t.run(`Request-CsCertificate -New -Type OAuthTokenIssuer -CA "ca01.contoso.com\\${SAMPLE_CA.name}" -FriendlyName "OAuth lab" -KeySize 2048 -PrivateKeyExportable $true -AllSipDomain`);
    assert.deepEqual([r.err, r.hadError], ['', false]);
    const cert = findServer(t.session.state, 'fe02.contoso.com')!.server.certificates.find((c) => c.friendlyName === 'OAuth lab')!;
    assert.equal(cert.issuer, `CN=${SAMPLE_CA.name}`);
    assert.equal(cert.subject, 'CN=contoso.com');
    const set = await t.run(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${cert.thumbprint}`);
    assert.equal(set.err, '');
    assert.equal(t.session.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, cert.thumbprint);
  });
});
