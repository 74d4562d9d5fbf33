// Requirement checks: each rule's id, severity, wording, fix and JSON path.
import * as assert from 'node:assert/strict';
import type { Deployment, Finding, Server, Slot, StoredCertificate } from '../../src/core/model';
import { checkCertificateForUse, checkOAuthCandidate, checkPendingRoll } from '../../src/core/certificateChecks';
import { evaluateRules } from '../../src/core/rules';
import { nameCovers, roleNameRule } from '../../src/core/roleNames';
import { DAY, deployment, pool, server as buildServer, slotEntry, storedCertificate } from '../fixtures/builders';

const NOW = new Date('2026-03-01T12:00:00Z');
const iso = (offsetDays: number) => new Date(NOW.getTime() + offsetDays * DAY).toISOString();
const SIP = [{ name: 'contoso.com', isDefault: true }, { name: 'fabrikam.com', isDefault: false }];

const cert = (thumbprint: string, over: Partial<StoredCertificate> = {}) => storedCertificate(NOW, thumbprint, over);

const DEFAULT_CERT = cert('DEF1', {
  subject: 'CN=pool01.contoso.com',
  subjectAlternativeNames: ['pool01.contoso.com', 'fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'sip.contoso.com', 'sip.fabrikam.com'].map((value) => ({ type: 'dns' as const, value })),
});
/** The Standard Edition server's own Default certificate: its Subject and alternative names are its FQDN. */
const SE_DEFAULT_CERT = cert('DEF2', { subject: 'CN=se01.contoso.com', subjectAlternativeNames: [{ type: 'dns', value: 'se01.contoso.com' }] });

const entry = (thumbprint: string, at = iso(-10)) => slotEntry(thumbprint, at);

const server = (fqdn: string, over: Partial<Server> = {}) =>
  buildServer(fqdn, { certificates: [DEFAULT_CERT], assignments: { Default: { current: entry('DEF1') } }, replica: { appliedVersion: 5, unreachable: false, productVersion: '7.0.2046.0' }, ...over });

/** A deployment whose three Front Ends and Standard Edition server all hold the global OAuth certificate AAAA. */
function healthy(): Deployment {
  const oauth = cert('AAAA');
  const slot: Slot = { current: entry('AAAA') };
  const fe = (fqdn: string, def = DEFAULT_CERT) => server(fqdn, { certificates: [def, oauth], assignments: { Default: { current: entry(def.thumbprint) }, OAuthTokenIssuer: slot } });
  const d = deployment({
    name: 'rules', sipDomains: SIP,
    pools: [
      pool('pool01.contoso.com', 'FrontEndEnterprise', [fe('fe01.contoso.com'), fe('fe02.contoso.com'), fe('fe03.contoso.com')], { hostsCms: true }),
      pool('se01.contoso.com', 'StandardEdition', [fe('se01.contoso.com', SE_DEFAULT_CERT)], { siteId: 'd' }),
      pool('edgepool.contoso.com', 'Edge', [server('edge01.contoso.com', { roles: ['Edge'], certificates: [], assignments: {} })]),
    ],
    cms: { version: 5, versionCreated: iso(-10), certificates: [oauth], assignments: { OAuthTokenIssuer: slot } },
  });
  // Every replica has applied the CMS's version 5.
  return { ...d, pools: d.pools.map((p) => ({ ...p, servers: p.servers.map((s) => ({ ...s, replica: { ...s.replica, appliedVersion: 5 } })) })) };
}

function only(findings: Finding[], rule: string): Finding {
  const hits = findings.filter((f) => f.rule === rule);
  assert.equal(hits.length, 1, `${rule} in ${JSON.stringify(findings.map((f) => f.rule))}`);
  return hits[0];
}

function rules(findings: Finding[]): string[] {
  return findings.map((f) => f.rule);
}

describe('rules', () => {
  it('a healthy deployment has no findings', () => {
    assert.deepEqual(evaluateRules(healthy(), NOW), []);
  });

  it('a Director without the global OAuthTokenIssuer certificate is flagged like a Front End (issue #14 point 1, C5)', () => {
    const d = healthy();
    const dir = server('dir01.contoso.com', { roles: ['Registrar', 'Director', 'WebServices'], replica: { appliedVersion: 4, unreachable: false, productVersion: '7.0.2046.0' } });
    const withDirector: Deployment = { ...d, pools: [...d.pools, pool('dir01.contoso.com', 'Director', [dir])] };
    const f = only(evaluateRules(withDirector, NOW), 'oauth.replication-pending');
    assert.equal(f.where.serverFqdn, 'dir01.contoso.com');
    assert.equal(f.where.path, 'pools[3].servers[0].assignments.OAuthTokenIssuer');
  });

  it('warns that the OAuthTokenIssuer certificate is near expiry only while no roll is staged before it expires (issue #16)', () => {
    const d = healthy();
    const soon = cert('AAAA', { notAfter: iso(10) });
    const expiring: Deployment = { ...d, cms: { ...d.cms, certificates: [soon] } };
    only(evaluateRules(expiring, NOW), 'oauth.expiring');
    const next = cert('BBBB');
    const staged = (at: string): Deployment => ({ ...d, cms: { ...d.cms, certificates: [soon, next], assignments: { OAuthTokenIssuer: { current: entry('AAAA'), pending: entry('BBBB', at) } } } });
    assert.ok(!rules(evaluateRules(staged(iso(5)), NOW)).includes('oauth.expiring'));
    // A roll that would take effect only after the expiry does not answer it.
    only(evaluateRules(staged(iso(20)), NOW), 'oauth.expiring');
  });

  describe('no OAuthTokenIssuer certificate', () => {
    it('quotes Microsoft\'s diagnostic wording and gives the PowerShell to assign one', () => {
      const d = healthy();
      const none: Deployment = { ...d, cms: { ...d.cms, assignments: {} }, pools: d.pools.map((p) => ({ ...p, servers: p.servers.map((s) => ({ ...s, assignments: { Default: s.assignments.Default! } })) })) };
      const f = only(evaluateRules(none, NOW), 'oauth.missing');
      assert.equal(f.severity, 'error');
      assert.match(f.message, /^"Unable to locate a OAuthTokenIssuer certificate"/);
      assert.match(f.fix!, /Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint \$x/);
      assert.match(f.fix!, /Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path ".*" -Password \$pfxPassword/);
      assert.equal(f.where.path, 'cms.assignments.OAuthTokenIssuer');
    });

    it('also when a global assignment was removed', () => {
      const d = healthy();
      const f = only(evaluateRules({ ...d, cms: { ...d.cms, assignments: { OAuthTokenIssuer: {} } } }, NOW), 'oauth.missing');
      assert.match(f.message, /Unable to locate/);
    });

    it('"The OAuthTokenIssuer does not have a valid thumbprint" when the CMS does not hold the assigned certificate', () => {
      const d = healthy();
      const f = only(evaluateRules({ ...d, cms: { ...d.cms, certificates: [] } }, NOW), 'oauth.thumbprint-not-found');
      assert.match(f.message, /^"The OAuthTokenIssuer does not have a valid thumbprint"/);
      assert.equal(f.where.path, 'cms.assignments.OAuthTokenIssuer.current');
    });
  });

  describe('checkOAuthCandidate', () => {
    it('accepts a 2048-bit RSA web server certificate with the SIP domain in its Subject', () => {
      assert.deepEqual(checkOAuthCandidate(cert('AAAA'), SIP, NOW), []);
    });

    it('accepts the Default certificate (pool FQDN Subject, sip.<domain> names, §6.1)', () => {
      assert.deepEqual(checkOAuthCandidate(DEFAULT_CERT, SIP, NOW), []);
    });

    it('refuses a key under 2048 bits, and a non-RSA key as the extension\'s own rule', () => {
      const small = only(checkOAuthCandidate(cert('SMALL', { keySize: 1024 }), SIP, NOW), 'oauth.key');
      assert.equal(small.severity, 'error');
      assert.match(small.message, /at least 2048 bits; SMALL has 1024/);
      // Issue #14 point 7 (C6): the refusal is the tool's check, and says so.
      assert.equal(small.source, 'extension-rule');
      assert.match(small.message, /no cmdlet is documented to refuse a shorter key.*\(SfB Certificates' rule/);
      const ec = only(checkOAuthCandidate(cert('EC', { keyAlgorithm: 'EC', keySize: 256, keyCurve: 'prime256v1' }), SIP, NOW), 'oauth.key');
      assert.equal(ec.source, 'extension-rule');
      assert.match(ec.message, /\(SfB Certificates' rule; the product's exact behaviour is unconfirmed\)$/);
    });

    it('warns, with the source, about a missing Server Authentication EKU and an RSASSA-PSS signature (issue #14 point 11, C10)', () => {
      assert.deepEqual(checkOAuthCandidate(cert('FINE'), SIP, NOW).filter((f) => f.rule.startsWith('cert.')), []);
      const eku = only(checkOAuthCandidate(cert('NOEKU', { enhancedKeyUsages: [{ oid: '1.3.6.1.5.5.7.3.2', name: 'Client Authentication' }] }), SIP, NOW), 'cert.server-eku');
      assert.equal(eku.severity, 'warning');
      assert.match(eku.message, /Server Authentication .*Skype for Business Server 2019 system requirements/);
      const pss = only(checkOAuthCandidate(cert('PSS', { signatureAlgorithm: 'RSASSA-PSS' }), SIP, NOW), 'cert.rsassa-pss');
      assert.equal(pss.severity, 'warning');
      assert.match(pss.message, /RSASSA-PSS .*unsupported/);
    });

    it('refuses a certificate without its private key, an expired one and a not yet valid one', () => {
      assert.equal(only(checkOAuthCandidate(cert('NOKEY', { hasPrivateKey: false }), SIP, NOW), 'oauth.no-private-key').severity, 'error');
      const expired = only(checkOAuthCandidate(cert('OLD', { notAfter: iso(-1) }), SIP, NOW), 'oauth.expired');
      assert.match(expired.message, /^"The OAuthTokenIssuer certificate has expired"/);
      assert.equal(expired.severity, 'error');
      const early = only(checkOAuthCandidate(cert('EARLY', { notBefore: iso(2) }), SIP, NOW), 'oauth.not-yet-valid');
      assert.equal(early.source, 'extension-rule');
      assert.match(early.fix!, /-Roll/);
    });

    it('warns when the SIP domain is in neither Subject nor SANs; notes missing additional SIP domains', () => {
      const f = checkOAuthCandidate(cert('WEB', { subject: 'CN=web.litwareinc.com', subjectAlternativeNames: [{ type: 'dns', value: 'web.litwareinc.com' }] }), SIP, NOW);
      const sip = only(f, 'oauth.sip-domain');
      assert.equal(sip.severity, 'warning');
      assert.match(sip.message, /contoso\.com/);
      assert.match(sip.message, /sip\.contoso\.com/, 'says what the Default certificate would carry');
      assert.equal(only(f, 'oauth.additional-sip-domains').severity, 'info');
      const partial = checkOAuthCandidate(cert('C', { subjectAlternativeNames: [] }), SIP, NOW);
      assert.deepEqual(rules(partial), ['oauth.additional-sip-domains']);
      assert.match(partial[0].message, /fabrikam\.com/);
    });

    it('for a roll, checks validity at the effective date instead of now', () => {
      const future = cert('NEXT', { notBefore: iso(10), notAfter: iso(400) });
      assert.deepEqual(rules(checkOAuthCandidate(future, SIP, NOW, { effectiveDate: new Date(iso(20)) })), []);
      const f = only(checkOAuthCandidate(future, SIP, NOW, { effectiveDate: new Date(iso(5)) }), 'roll.not-valid-at-effective-date');
      assert.match(f.message, /not valid before/);
    });

    it('warns of expiry within 45 days by default (Microsoft\'s threshold), or the configured window', () => {
      const soon = cert('SOON', { notAfter: iso(30) });
      const f = only(checkOAuthCandidate(soon, SIP, NOW), 'oauth.expiring');
      assert.match(f.message, /^"The following certificate\(s\) are near expiry: SOON"/);
      assert.match(f.message, /in 30 days/);
      assert.deepEqual(checkOAuthCandidate(soon, SIP, NOW, { expiryWarningDays: 20 }), []);
    });
  });

  describe('Front Ends and the global certificate', () => {
    function withFe(d: Deployment, fqdn: string, update: (s: Server) => Server): Deployment {
      return { ...d, pools: d.pools.map((p) => ({ ...p, servers: p.servers.map((s) => (s.fqdn === fqdn ? update(s) : s)) })) };
    }

    it('replication pending: a warning on the Front End, with the Invoke line', () => {
      const d = withFe(healthy(), 'fe02.contoso.com', (s) => ({ ...s, assignments: { Default: s.assignments.Default! }, replica: { ...s.replica, appliedVersion: 4 } }));
      const f = only(evaluateRules(d, NOW), 'oauth.replication-pending');
      assert.equal(f.severity, 'warning');
      assert.equal(f.where.path, 'pools[0].servers[1].assignments.OAuthTokenIssuer');
      assert.equal(f.where.serverFqdn, 'fe02.contoso.com');
      assert.match(f.message, /version 4 of 5/);
      assert.equal(f.fix, 'Invoke-CsManagementStoreReplication -ReplicaFqdn "fe02.contoso.com"');
    });

    it('replication failing (unreachable replica): an error', () => {
      const d = withFe(healthy(), 'se01.contoso.com', (s) => ({ ...s, assignments: {}, replica: { ...s.replica, appliedVersion: 4, unreachable: true } }));
      const f = only(evaluateRules(d, NOW), 'oauth.replication-failed');
      assert.equal(f.severity, 'error');
      assert.equal(f.where.path, 'pools[1].servers[0].assignments.OAuthTokenIssuer');
    });

    it('a Front End up to date with another certificate: mismatch', () => {
      const d = withFe(healthy(), 'fe03.contoso.com', (s) => ({ ...s, assignments: { ...s.assignments, OAuthTokenIssuer: { current: entry('DEF1') } } }));
      const f = only(evaluateRules(d, NOW), 'oauth.fe-mismatch');
      assert.match(f.message, /fe03\.contoso\.com still uses DEF1/);
    });

    it('a Front End whose store lacks the private key', () => {
      const d = withFe(healthy(), 'fe01.contoso.com', (s) => ({ ...s, certificates: s.certificates.map((c) => (c.thumbprint === 'AAAA' ? { ...c, hasPrivateKey: false } : c)) }));
      assert.equal(only(evaluateRules(d, NOW), 'oauth.fe-no-private-key').where.serverFqdn, 'fe01.contoso.com');
    });

    it('the manual MMC path: a Front End without the certificate, another with a different one', () => {
      const d0 = healthy();
      let d: Deployment = { ...d0, cms: { ...d0.cms, certificates: [], assignments: {} } };
      d = withFe(d, 'fe03.contoso.com', (s) => ({ ...s, assignments: { Default: s.assignments.Default! } }));
      d = withFe(d, 'se01.contoso.com', (s) => ({ ...s, assignments: { ...s.assignments, OAuthTokenIssuer: { current: entry('DEF1') } } }));
      const findings = evaluateRules(d, NOW);
      const local = only(findings, 'oauth.local-assignment');
      assert.equal(local.source, 'extension-rule');
      assert.match(local.fix!, /Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint AAAA/);
      const missing = only(findings, 'oauth.fe-missing');
      assert.equal(missing.where.path, 'pools[0].servers[2].assignments.OAuthTokenIssuer');
      assert.match(missing.message, /fe03\.contoso\.com has no OAuthTokenIssuer certificate, while fe01\.contoso\.com, fe02\.contoso\.com use AAAA/);
      const mismatch = only(findings, 'oauth.fe-mismatch');
      assert.equal(mismatch.where.serverFqdn, 'se01.contoso.com');
      assert.ok(!rules(findings).includes('oauth.missing'));
    });
  });

  describe('rolls and previous certificates', () => {
    const lookupOf = (...certs: StoredCertificate[]) => (t: string) => certs.find((c) => c.thumbprint === t);

    it('the new certificate must be valid at the effective date', () => {
      const slot: Slot = { current: entry('OLD'), pending: entry('NEW', iso(10)) };
      const f = checkPendingRoll(slot, 'OAuthTokenIssuer', lookupOf(cert('OLD'), cert('NEW', { notBefore: iso(20) })), 'cms.assignments.OAuthTokenIssuer');
      assert.deepEqual(rules(f), ['roll.not-valid-at-effective-date']);
      assert.equal(f[0].where.path, 'cms.assignments.OAuthTokenIssuer.pending');
    });

    it('a gap: the current certificate expires before the effective date', () => {
      const slot: Slot = { current: entry('OLD'), pending: entry('NEW', iso(10)) };
      const f = only(checkPendingRoll(slot, 'OAuthTokenIssuer', lookupOf(cert('OLD', { notAfter: iso(5) }), cert('NEW')), 'p'), 'roll.gap');
      assert.equal(f.severity, 'error');
    });

    it('less than 24 hours before the current OAuth certificate expires: a warning (8 hours for A/V)', () => {
      const at = iso(10);
      const expiresIn = (hours: number) => new Date(Date.parse(at) + hours * 3_600_000).toISOString();
      const slot: Slot = { current: entry('OLD'), pending: entry('NEW', at) };
      const oauth = only(checkPendingRoll(slot, 'OAuthTokenIssuer', lookupOf(cert('OLD', { notAfter: expiresIn(12) }), cert('NEW')), 'p'), 'roll.lead-time');
      assert.match(oauth.message, /24 hours/);
      assert.match(oauth.message, /Exchange/);
      assert.deepEqual(checkPendingRoll(slot, 'OAuthTokenIssuer', lookupOf(cert('OLD', { notAfter: expiresIn(25) }), cert('NEW')), 'p'), []);
      assert.deepEqual(checkPendingRoll(slot, 'AudioVideoAuthentication', lookupOf(cert('OLD', { notAfter: expiresIn(12) }), cert('NEW')), 'p'), []);
      assert.match(only(checkPendingRoll(slot, 'AudioVideoAuthentication', lookupOf(cert('OLD', { notAfter: expiresIn(6) }), cert('NEW')), 'p'), 'roll.lead-time').message, /8 hours/);
      assert.deepEqual(checkPendingRoll(slot, 'Default', lookupOf(cert('OLD', { notAfter: expiresIn(1) }), cert('NEW')), 'p'), [], 'no coexistence window for Default');
    });

    it('an expired previous certificate still kept: remove it with the docs\' command', () => {
      const d = healthy();
      const old = cert('OLD', { notAfter: iso(-3) });
      const slot: Slot = { current: entry('AAAA'), previous: entry('OLD', iso(-200)) };
      const next: Deployment = { ...d, cms: { ...d.cms, certificates: [...d.cms.certificates, old], assignments: { OAuthTokenIssuer: slot } } };
      const withSlots: Deployment = { ...next, pools: next.pools.map((p) => ({ ...p, servers: p.servers.map((s) => (s.assignments.OAuthTokenIssuer ? { ...s, assignments: { ...s.assignments, OAuthTokenIssuer: slot } } : s)) })) };
      const f = only(evaluateRules(withSlots, NOW), 'previous.expired');
      assert.equal(f.fix, 'Remove-CsCertificate -Type OAuthTokenIssuer -Previous');
      assert.equal(f.where.path, 'cms.assignments.OAuthTokenIssuer.previous');
    });
  });

  describe('per-computer certificates', () => {
    it('expired, expiring, without private key, not in the store — pointing at the certificate or the slot', () => {
      const d = healthy();
      const fe = d.pools[0].servers[0];
      const web = cert('WEB1', { notAfter: iso(10) });
      const expired = cert('EXP1', { notAfter: iso(-1) });
      const nokey = cert('NOKEY', { hasPrivateKey: false });
      const servers = [{
        ...fe,
        certificates: [...fe.certificates, web, expired, nokey],
        assignments: { ...fe.assignments, WebServicesInternal: { current: entry('WEB1') }, WebServicesExternal: { current: entry('EXP1') }, AudioVideoAuthentication: { current: entry('NOKEY') }, Internal: { current: entry('GONE') } },
      }, ...d.pools[0].servers.slice(1)];
      const findings = evaluateRules({ ...d, pools: [{ ...d.pools[0], servers }, ...d.pools.slice(1)] }, NOW);
      assert.equal(only(findings, 'cert.expiring').where.path, 'pools[0].servers[0].certificates[2]');
      assert.equal(only(findings, 'cert.expired').where.path, 'pools[0].servers[0].certificates[3]');
      assert.equal(only(findings, 'cert.no-private-key').where.path, 'pools[0].servers[0].certificates[4]');
      assert.equal(only(findings, 'cert.not-in-store').where.path, 'pools[0].servers[0].assignments.Internal.current');
    });

    it('one finding per certificate, however many uses it serves; a 1024-bit key is only an info', () => {
      const legacy = cert('LEG', { keySize: 1024, notAfter: iso(5), subject: 'CN=pool01.contoso.com', subjectAlternativeNames: ['pool01.contoso.com', 'fe01.contoso.com'].map((value) => ({ type: 'dns' as const, value })) });
      const f = checkCertificateForUse(legacy, 'Default', SIP, NOW, { where: { path: 'x', serverFqdn: 'fe01.contoso.com' } });
      assert.deepEqual(rules(f), ['cert.expiring', 'cert.key-size']);
      assert.equal(f[1].severity, 'info');
      const d = healthy();
      const fe = d.pools[0].servers[0];
      const servers = [{ ...fe, certificates: [legacy], assignments: { Default: { current: entry('LEG') }, WebServicesInternal: { current: entry('LEG') }, WebServicesExternal: { current: entry('LEG') } } }];
      const findings = evaluateRules({ ...d, pools: [{ ...d.pools[0], servers }] }, NOW).filter((x) => x.rule.startsWith('cert.'));
      assert.deepEqual(rules(findings), ['cert.expiring', 'cert.key-size']);
    });
  });

  describe('per-role names (Default, web services, Edge) [S26]', () => {
    const sans = (...names: string[]) => names.map((value) => ({ type: 'dns' as const, value }));
    const d = healthy();
    const fePool = d.pools[0];
    const fe01 = fePool.servers[0];
    const selfSigned = cert('SELF', { subject: 'CN=contoso.com', subjectAlternativeNames: sans('contoso.com') });

    it('a contoso.com-only certificate as WebServicesInternal on a Front End: a warning naming what is missing and what the role needs', () => {
      const f = checkCertificateForUse(selfSigned, 'WebServicesInternal', SIP, NOW, { where: { path: 'x', serverFqdn: fe01.fqdn }, server: fe01, pool: fePool });
      const hit = only(f, 'cert.role-names');
      assert.equal(hit.severity, 'warning');
      assert.match(hit.message, /alternative names lack pool01\.contoso\.com, fe01\.contoso\.com/);
      assert.match(hit.message, /not checked: the simple URLs/);
      assert.equal(hit.source, 'product', 'a requirement of the planning tables, not the extension\'s own');
    });

    it('Default needs the pool FQDN as Subject and pool and server FQDNs as alternative names; a wildcard covers one label', () => {
      const f = checkCertificateForUse(selfSigned, 'Default', SIP, NOW, { where: { path: 'x' }, server: fe01, pool: fePool });
      assert.match(only(f, 'cert.role-names').message, /Subject \(CN=contoso\.com\) is not CN=pool01\.contoso\.com; its alternative names lack pool01\.contoso\.com, fe01\.contoso\.com/);
      const wildcard = cert('WILD', { subject: 'CN=pool01.contoso.com', subjectAlternativeNames: sans('*.contoso.com') });
      assert.deepEqual(rules(checkCertificateForUse(wildcard, 'Default', SIP, NOW, { server: fe01, pool: fePool })), []);
      assert.equal(nameCovers('*.contoso.com', 'a.b.contoso.com'), false);
      assert.equal(nameCovers('*.contoso.com', 'contoso.com'), false);
    });

    it('Edge external uses need sip.<domain> for every SIP domain; the internal interface\'s FQDN is the model\'s stand-in, labelled', () => {
      const edgePool = d.pools[2];
      const edge = edgePool.servers[0];
      const ext = cert('EXT', { subject: 'CN=sip.contoso.com', subjectAlternativeNames: sans('sip.contoso.com') });
      const f = checkCertificateForUse(ext, 'AccessEdgeExternal', SIP, NOW, { server: edge, pool: edgePool });
      assert.match(only(f, 'cert.role-names').message, /lack sip\.fabrikam\.com/);
      const internal = checkCertificateForUse(selfSigned, 'Internal', SIP, NOW, { server: edge, pool: edgePool });
      assert.equal(only(internal, 'cert.role-names').source, 'extension-rule');
      assert.match(only(internal, 'cert.role-names').message, /SfB Certificates' rule/);
    });

    it('evaluateRules judges each per-computer assignment by its role; Web external only when the topology names its FQDN', () => {
      const withSelf = { ...d, pools: [{ ...fePool, servers: [{ ...fe01, certificates: [...fe01.certificates, selfSigned], assignments: { ...fe01.assignments, WebServicesInternal: { current: entry('SELF') }, WebServicesExternal: { current: entry('SELF') } } }, ...fePool.servers.slice(1)] }, ...d.pools.slice(1)] };
      const found = evaluateRules(withSelf, NOW).filter((f) => f.rule === 'cert.role-names');
      assert.deepEqual(found.map((f) => f.where.use), ['WebServicesInternal']);
      assert.equal(roleNameRule('WebServicesExternal', fe01, fePool, SIP), undefined);
      assert.deepEqual(roleNameRule('WebServicesExternal', fe01, { ...fePool, externalWebFqdn: 'webext.contoso.com' }, SIP)?.sans, ['webext.contoso.com']);
    });
  });
});
