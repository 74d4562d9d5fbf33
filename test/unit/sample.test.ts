// The sample deployment: topology, real certificates (§6.1 names), PFX files, and no OAuth certificate yet.
import * as assert from 'node:assert/strict';
import { readCertificateFile, recordFromDer } from '../../src/core';
import { fixedClock } from '../../src/core/clock';
import type { Deployment, Server } from '../../src/core/model';
import { getCertificate, getReplicationStatus } from '../../src/core/operations';
import { findServer } from '../../src/core/topology';
import { checkOAuthCandidate } from '../../src/core/certificateChecks';
import { evaluateRules } from '../../src/core/rules';
import { createSampleDeployment, SAMPLE_CA, SAMPLE_PASSWORD, SEED_PFX, type SampleDeployment } from '../../src/core/sample';
import { parseDeployment, serializeDeployment } from '../../src/core/deploymentFile';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('sample deployment', () => {
  let sample: SampleDeployment;
  let d: Deployment;
  const server = (fqdn: string): Server => findServer(d, fqdn)!.server;
  const dnsNames = (s: Server, thumbprint: string) => s.certificates.find((c) => c.thumbprint === thumbprint)!.subjectAlternativeNames.map((n) => n.value);

  before(async function () {
    this.timeout(60_000); // real certificates: RSA key generation
    sample = await createSampleDeployment(NOW);
    d = sample.deployment;
  });

  it('is Contoso: two SIP domains, two sites, an EE pool hosting the CMS, a Standard Edition server, an Edge pool', () => {
    assert.deepEqual(d.sipDomains, [{ name: 'contoso.com', isDefault: true }, { name: 'fabrikam.com', isDefault: false }]);
    assert.deepEqual(d.sites.map((s) => [s.name, s.kind]), [['Redmond', 'central'], ['Dublin', 'central']]);
    assert.deepEqual(d.pools.map((p) => [p.fqdn, p.kind, p.siteId, p.servers.map((s) => s.fqdn)]), [
      ['pool01.contoso.com', 'FrontEndEnterprise', 'redmond', ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com']],
      ['se01.dublin.contoso.com', 'StandardEdition', 'dublin', ['se01.dublin.contoso.com']],
      ['edgepool.contoso.com', 'Edge', 'redmond', ['edge01.contoso.com', 'edge02.contoso.com']],
    ]);
    assert.deepEqual(d.pools.map((p) => p.hostsCms), [true, false, false]);
    assert.deepEqual(JSON.parse(JSON.stringify(d)), d, 'plain JSON data');
    const loaded = parseDeployment(serializeDeployment(d));
    assert.ok(loaded.ok, loaded.ok ? '' : JSON.stringify(loaded.errors));
    assert.deepEqual(loaded.warnings, []);
    const status = getReplicationStatus(d, {}, fixedClock(NOW));
    assert.ok(status.ok && status.result.every((r) => r.UpToDate));
  });

  it('has no OAuthTokenIssuer certificate: Get-CsCertificate -Type OAuthTokenIssuer returns nothing, the only problem the rules see', () => {
    const get = getCertificate(d, { type: ['OAuthTokenIssuer'] }, fixedClock(NOW));
    assert.ok(get.ok);
    assert.deepEqual(get.result, []);
    assert.deepEqual(d.cms.assignments, {});
    assert.deepEqual(evaluateRules(d, NOW).map((f) => [f.rule, f.severity]), [['oauth.missing', 'error']]);
  });

  it('gives each Front End Default, Web internal and Web external certificates named after §6.1', () => {
    for (const host of ['fe01', 'fe02', 'fe03']) {
      const s = server(`${host}.contoso.com`);
      const { Default, WebServicesInternal, WebServicesExternal } = s.assignments;
      const def = s.certificates.find((c) => c.thumbprint === Default?.current?.thumbprint)!;
      assert.match(def.subject, /(^|, )CN=pool01\.contoso\.com(,|$)/);
      for (const name of ['pool01.contoso.com', `${host}.contoso.com`, 'sip.contoso.com', 'sip.fabrikam.com', 'lyncdiscoverinternal.contoso.com']) assert.ok(dnsNames(s, def.thumbprint).includes(name), `${host} Default lacks ${name}`);
      assert.ok(dnsNames(s, WebServicesInternal!.current!.thumbprint).includes('meet.contoso.com'));
      assert.ok(dnsNames(s, WebServicesExternal!.current!.thumbprint).includes('lyncdiscover.contoso.com'));
      assert.equal(new Set([Default, WebServicesInternal, WebServicesExternal].map((e) => e?.current?.thumbprint)).size, 3);
      assert.equal(def.keySize, 2048);
      assert.match(def.issuer, /Contoso Issuing CA/);
    }
    const se = server('se01.dublin.contoso.com');
    assert.equal(new Set(['Default', 'WebServicesInternal', 'WebServicesExternal'].map((u) => se.assignments[u as 'Default']?.current?.thumbprint)).size, 1, 'one certificate for three uses');
    const edges = [server('edge01.contoso.com'), server('edge02.contoso.com')];
    assert.equal(edges[0].assignments.AudioVideoAuthentication?.current?.thumbprint, edges[1].assignments.AudioVideoAuthentication?.current?.thumbprint, 'one external certificate for the Edge pool');
    assert.notEqual(edges[0].assignments.Internal?.current?.thumbprint, edges[1].assignments.Internal?.current?.thumbprint);
  });

  it('offers a good OAuth candidate (CN=contoso.com) and a 1024-bit certificate that the key rule refuses', () => {
    const fe01 = server('fe01.contoso.com');
    const candidate = fe01.certificates.find((c) => /(^|, )CN=contoso\.com(,|$)/.test(c.subject))!;
    assert.deepEqual(checkOAuthCandidate(candidate, d.sipDomains, NOW), []);
    const legacy = fe01.certificates.find((c) => c.keySize === 1024)!;
    assert.deepEqual(checkOAuthCandidate(legacy, d.sipDomains, NOW).filter((f) => f.severity === 'error').map((f) => f.rule), ['oauth.key']);
  });

  it('holds real certificates, each with its PFX file (sample password) named by sourceFile', () => {
    const paths = new Map(sample.files.map((f) => [f.path, f.bytes]));
    assert.equal(sample.password, SAMPLE_PASSWORD);
    const all = d.pools.flatMap((p) => p.servers.flatMap((s) => s.certificates));
    for (const cert of all) {
      assert.equal(recordFromDer(Buffer.from(cert.derBase64, 'base64'), { hasPrivateKey: true }).thumbprint, cert.thumbprint);
      assert.match(cert.sourceFile ?? '', /^sample-certificates\/[a-z0-9-]+\.pfx$/);
      assert.ok(paths.has(cert.sourceFile!), `${cert.sourceFile} is among the files`);
      assert.equal(cert.hasPrivateKey && cert.exportable, true);
    }
    for (const file of sample.files.filter((f) => f.path !== SEED_PFX.path && f.path !== SAMPLE_CA.path)) {
      assert.equal(file.password, undefined, file.path);
      const read = readCertificateFile(file.bytes, { password: SAMPLE_PASSWORD, fileName: file.path });
      assert.ok(read.ok, file.path);
      assert.ok(read.record.hasPrivateKey);
      assert.ok(all.some((c) => c.thumbprint === read.record.thumbprint && c.sourceFile === file.path));
    }
  });

  it('has its test CA as a PFX with its key (for the Request flow in a lab), in no store', () => {
    const file = sample.files.find((f) => f.path === SAMPLE_CA.path)!;
    const read = readCertificateFile(file.bytes, { password: SAMPLE_PASSWORD, fileName: file.path });
    assert.ok(read.ok && read.record.hasPrivateKey && read.record.isCA);
    assert.equal(read.record.subject, `CN=${SAMPLE_CA.name}`);
    assert.ok(!d.pools.some((p) => p.servers.some((s) => s.certificates.some((c) => c.thumbprint === read.record.thumbprint))));
  });

  it('has the seed\'s C:\\Certificates\\ServerToServerAuth.pfx with the password P@ssw0rd: the OAuth candidate, with its key', () => {
    const seed = sample.files.find((f) => f.path === 'Certificates/ServerToServerAuth.pfx')!;
    assert.equal(seed.password, 'P@ssw0rd');
    const read = readCertificateFile(seed.bytes, { password: 'P@ssw0rd', fileName: seed.path });
    assert.ok(read.ok && read.record.hasPrivateKey);
    assert.equal(read.record.thumbprint, server('fe01.contoso.com').certificates.find((c) => c.sourceFile === 'sample-certificates/contoso-oauth.pfx')!.thumbprint);
  });
});
