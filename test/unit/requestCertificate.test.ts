// Request-CsCertificate -New and Process Pending Request: the one request operation (offline request → CA's answer;
// the sample's test CA for a lab).
import * as assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as forge from 'node-forge';
import { fixedClock } from '../../src/core/clock';
import { generateCertificate, generateRsaKeyPair, type RsaKeyPair } from '../../src/core/certgen';
import type { Deployment } from '../../src/core/model';
import {
  keyFileFor, pendingRequestFor, requestNames, runOperation, type OfflineRequestArgs, type RequestResult,
} from '../../src/core/operations';
import { findServer } from '../../src/core/topology';
import { parseDeployment, serializeDeployment } from '../../src/core/deploymentFile';
import { createSampleDeployment, SAMPLE_CA, SAMPLE_PASSWORD, type SampleDeployment } from '../../src/core/sample';
import { failure, ok } from '../fixtures/outcomes';

const NOW = new Date('2026-03-01T12:00:00Z');
const clock = { ...fixedClock(NOW), expiryWarningDays: 45 };

describe('Request-CsCertificate (request operation)', function () {
  this.timeout(60_000);
  let sample: SampleDeployment;
  let d: Deployment;
  let key: RsaKeyPair;
  before(async () => {
    sample = await createSampleDeployment(NOW);
    d = sample.deployment;
    key = await generateRsaKeyPair(2048);
  });

  const offline = (extra: Partial<OfflineRequestArgs> = {}): OfflineRequestArgs => ({
    mode: 'offline', computer: 'fe01.contoso.com', type: ['Default', 'WebServicesInternal', 'WebServicesExternal'], keyPair: key,
    output: 'C:\\Certificates\\fe01.req', requestFile: 'Certificates/fe01.req', keyFile: keyFileFor('Certificates/fe01.req'),
    friendlyName: 'fe01 2026', privateKeyExportable: true, organization: 'Contoso', country: 'us', city: 'Redmond', ...extra,
  });

  it('fills Subject and SANs from the topology, with the primary SIP domain by default and the chosen ones', () => {
    const at = findServer(d, 'fe01.contoso.com')!;
    const names = requestNames(d, at, ['Default']);
    assert.equal(names.commonName, 'pool01.contoso.com');
    assert.deepEqual(names.dnsNames.slice(0, 2), ['pool01.contoso.com', 'fe01.contoso.com']);
    assert.deepEqual(names.sipDomainNames, ['sip.contoso.com']);
    assert.deepEqual(requestNames(d, at, ['Default'], ['contoso.com', 'fabrikam.com']).sipDomainNames, ['sip.contoso.com', 'sip.fabrikam.com']);
    assert.equal(requestNames(d, at, ['OAuthTokenIssuer']).commonName, 'contoso.com');
    const web = requestNames(d, at, ['WebServicesExternal']);
    assert.ok(web.dnsNames.includes('webext.contoso.com') && web.dnsNames.includes('lyncdiscover.fabrikam.com'));
    assert.match(web.notes.join(' '), /SfB Certificates' rule/);
    assert.equal(requestNames(d, findServer(d, 'edge01.contoso.com')!, ['Internal']).commonName, 'edge01.contoso.com');
  });

  it('offline: writes a PKCS #10 request with the names and a pending request whose key stays out of the deployment', () => {
    const out = ok(runOperation(d, { cmdlet: 'Request-CsCertificate', ...offline({ allSipDomain: true, domainName: ['sfb.contoso.com'] }) }, clock));
    const r: RequestResult = out.result;
    assert.match(r.requestPem, /BEGIN CERTIFICATE REQUEST/);
    assert.match(r.keyPem, /BEGIN PRIVATE KEY/);
    assert.equal(r.subject, 'CN=pool01.contoso.com, O=Contoso, L=Redmond, C=US');
    for (const name of ['pool01.contoso.com', 'fe01.contoso.com', 'sip.contoso.com', 'sip.fabrikam.com', 'sfb.contoso.com']) assert.ok(r.dnsNames.includes(name), name);
    assert.match(out.powershell, /^Request-CsCertificate -New -Type Default,WebServicesInternal,WebServicesExternal -Output "C:\\Certificates\\fe01.req" -ComputerFqdn "fe01.contoso.com" -FriendlyName "fe01 2026" -KeySize 2048 -PrivateKeyExportable \$True -Organization "Contoso" -Country "us" -City "Redmond" -AllSipDomain -DomainName "sfb.contoso.com"$/);
    const fe01 = findServer(out.state, 'fe01.contoso.com')!.server;
    assert.equal(fe01.pendingRequests?.length, 1);
    assert.equal(fe01.pendingRequests![0].keyFile, 'Certificates/fe01.key.pem');
    assert.ok(out.notes.some((n) => n.includes('Certificates/fe01.key.pem') && /never holds keys/.test(n)));
    assert.equal(out.state.history.at(-1)!.cmdlet, 'Request-CsCertificate');
    // The file round-trips and holds no key.
    const text = serializeDeployment(out.state);
    assert.ok(!text.includes('PRIVATE KEY'));
    assert.ok(parseDeployment(text).ok);
  });

  it('refuses a wrong -KeySize, an unknown SIP domain, a bad SAN and a missing -Type, leaving the state', () => {
    failure(runOperation(d, { cmdlet: 'Request-CsCertificate', ...offline({ keySize: 3072 }) }, clock), 'key-size');
    failure(runOperation(d, { cmdlet: 'Request-CsCertificate', ...offline({ sipDomains: ['example.org'] }) }, clock), 'unknown-sip-domain');
    failure(runOperation(d, { cmdlet: 'Request-CsCertificate', ...offline({ domainName: ['not a name'] }) }, clock), 'bad-domain-name');
    failure(runOperation(d, { cmdlet: 'Request-CsCertificate', ...offline({ type: [] }) }, clock), 'type-required');
    failure(runOperation(d, { cmdlet: 'Request-CsCertificate', ...offline({ computer: 'nope.contoso.com' }) }, clock), 'computer-not-found');
  });

  it('Process Pending Request: the CA\'s answer (.cer or .p7b) is paired with the request\'s key and lands in the store', () => {
    const requested = ok(runOperation(d, { cmdlet: 'Request-CsCertificate', ...offline() }, clock));
    // An answer certifying the request's public key, as a CA would issue it.
    const answer = generateCertificate({ subject: { CN: 'pool01.contoso.com' }, dnsNames: requested.result.dnsNames, keyPair: key });
    const fe01 = findServer(requested.state, 'fe01.contoso.com')!.server;
    assert.equal(pendingRequestFor(fe01, answer.der)?.requestFile, 'Certificates/fe01.req');

    const wrongAnswer = generateCertificate({ subject: { CN: 'other.contoso.com' } });
    const refused = runOperation(requested.state, { cmdlet: 'Process-PendingRequest', computer: 'fe01.contoso.com', path: 'C:\\Certificates\\other.cer', sourceFile: 'Certificates/other.cer', bytes: wrongAnswer.der, keyPem: requested.result.keyPem }, clock);
    const mismatch = failure(refused, 'answer-mismatch');
    assert.match(mismatch.message, /^Certificates\/other\.cer holds /, 'the pairing message names the file chosen');
    assert.equal(!refused.ok && refused.powershell, 'Import-CsCertificate -Path "C:\\Certificates\\other.cer"', 'the line names it on the Front End');
    const otherKey = createPrivateKey(generateCertificate({ subject: { CN: 'x' } }).keyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
    failure(runOperation(requested.state, { cmdlet: 'Process-PendingRequest', computer: 'fe01.contoso.com', path: 'answer.cer', bytes: answer.der, keyPem: otherKey }, clock), 'key-mismatch');
    failure(runOperation(d, { cmdlet: 'Process-PendingRequest', computer: 'fe01.contoso.com', path: 'answer.cer', bytes: answer.der, keyPem: requested.result.keyPem }, clock), 'no-pending-request');

    // The answer as a PKCS #7 bundle (.p7b), as CAs often send it.
    const p7 = forge.pkcs7.createSignedData();
    p7.addCertificate(forge.pki.certificateFromPem(answer.certPem));
    const p7b = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
    const done = ok(runOperation(requested.state, {
      cmdlet: 'Process-PendingRequest', computer: 'fe01.contoso.com', requestFile: 'Certificates/fe01.req', path: 'C:\\Certificates\\answer.p7b', bytes: p7b, keyPem: requested.result.keyPem,
    }, clock));
    assert.equal(done.result.thumbprint, new X509Certificate(answer.der).fingerprint.replace(/:/g, ''));
    const after = findServer(done.state, 'fe01.contoso.com')!.server;
    assert.equal(after.pendingRequests?.length, 0);
    const cert = after.certificates.find((c) => c.thumbprint === done.result.thumbprint)!;
    assert.equal(cert.hasPrivateKey, true);
    assert.equal(cert.exportable, true);
    assert.equal(cert.friendlyName, 'fe01 2026');
    assert.equal(cert.source, 'request');
    assert.equal(done.powershell, 'Import-CsCertificate -Path "C:\\Certificates\\answer.p7b"');
    assert.equal(done.state.history.at(-1)!.cmdlet, 'Process-PendingRequest');
  });

  it('test CA: issues the certificate at once into the computer\'s store; another CA name is refused as the extension\'s rule', () => {
    const caFile = sample.files.find((f) => f.path === SAMPLE_CA.path)!;
    const base = {
      cmdlet: 'Request-CsCertificate' as const, mode: 'test-ca' as const, computer: 'fe02.contoso.com', type: ['OAuthTokenIssuer' as const], keyPair: key,
      keyFile: 'Certificates/oauth.key.pem', certificateFile: 'Certificates/oauth.cer', caFile: { path: SAMPLE_CA.path, bytes: caFile.bytes, password: SAMPLE_PASSWORD },
      privateKeyExportable: true, friendlyName: 'OAuth lab',
    };
    const issued = ok(runOperation(d, { ...base, ca: `ca01.contoso.com\\${SAMPLE_CA.name}` }, clock));
    const fe02 = findServer(issued.state, 'fe02.contoso.com')!.server;
    const cert = fe02.certificates.find((c) => c.thumbprint === issued.result.issued!.thumbprint)!;
    assert.equal(cert.subject, 'CN=contoso.com');
    assert.equal(cert.issuer, `CN=${SAMPLE_CA.name}`);
    assert.equal(cert.hasPrivateKey && cert.exportable, true);
    assert.match(issued.powershell, /-CA "ca01.contoso.com\\Contoso Issuing CA"/);
    const refused = failure(runOperation(d, { ...base, ca: 'ca.fabrikam.com\\Fabrikam CA' }, clock), 'ca-not-available');
    assert.equal(refused.source, 'extension-rule');
  });
});
