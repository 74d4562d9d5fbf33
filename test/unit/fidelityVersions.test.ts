// Issue #14 points 1, 2, 3 and the #16 leftover: the product version (2015 / 2019) and its use lists, the CRL
// distribution point requirement, the two private-key facts, and the "replica has not applied the latest CMS version"
// finding for every replica.
import * as assert from 'node:assert/strict';
import {
  IncrementalRules, createSampleDeployment, deploymentVersion, evaluateRules, generateCertificate, productVersionOf, recordFromDer, runOperation, serverUses,
  serverVersion, testCaCrlUrl, useMissingFromVersion, writePfx, createTestCA, checkOAuthCandidate, type Deployment, type Finding, type Server,
} from '../../src/core';
import { lintScript } from '../../src/powershell/lint';
import { GROUP_OVER, problemEntries } from '../../src/ui/findingGroups';
import { deployment, pool, server } from '../fixtures/builders';

const NOW = new Date('2026-06-01T08:00:00Z');
const clock = { now: () => NOW };
const B2015 = '6.0.9319.0';
const B2019 = '7.0.2046.0';

function withBuild(d: Deployment, build: string): Deployment {
  return { ...d, pools: d.pools.map((p) => ({ ...p, servers: p.servers.map((s) => ({ ...s, replica: { ...s.replica, productVersion: build } })) })) };
}

function topology(build: string, edgeReplica: Partial<Server['replica']> = {}): Deployment {
  const replica = { appliedVersion: 3, unreachable: false, productVersion: build };
  return deployment({
    pools: [
      pool('pool01.contoso.com', 'FrontEndEnterprise', [server('fe01.contoso.com', { replica })], { hostsCms: true }),
      pool('edgepool.contoso.com', 'Edge', [server('edge01.contoso.com', { roles: ['Edge'], replica: { ...replica, ...edgeReplica } })]),
      pool('med01.contoso.com', 'Mediation', [server('med01.contoso.com', { roles: ['Mediation'], replica })]),
    ],
    cms: { version: 3, versionCreated: NOW.toISOString(), certificates: [], assignments: {} },
  });
}

describe('fidelity: product version, CRL distribution points, key facts, replicas (#14, #16)', function () {
  this.timeout(60_000);

  describe('point 12: the product version and its use lists', () => {
    it('reads 2015 / 2019 from the replicas\' ProductVersion; unknown builds leave it assumed (labelled)', () => {
      assert.equal(productVersionOf(B2015), '2015');
      assert.equal(productVersionOf('6.0.9319.885'), '2015');
      assert.equal(productVersionOf(B2019), '2019');
      assert.equal(productVersionOf('5.0.8308.0'), undefined, 'Lync Server 2013');
      assert.equal(productVersionOf(''), undefined);
      const d2015 = topology(B2015);
      assert.deepEqual([deploymentVersion(d2015).version, deploymentVersion(d2015).known], ['2015', true]);
      assert.match(deploymentVersion(d2015).basis, /ProductVersion of 3 replicas \(e\.g\. 6\.0\.9319\.0\)/);
      const unknown = deploymentVersion(topology(''));
      assert.deepEqual([unknown.version, unknown.known], ['2019', false]);
      assert.match(unknown.basis, /SfB Certificates' rule/);
      // Coexistence: a 2015 Edge beside 2019 Front Ends follows its own replica.
      const mixed = topology(B2019, { productVersion: B2015 });
      assert.equal(deploymentVersion(mixed).version, '2019');
      assert.match(deploymentVersion(mixed).basis, /1 replica report 2015/);
      assert.equal(serverVersion(mixed, mixed.pools[1].servers[0]).version, '2015');
      assert.equal(serverVersion(mixed, mixed.pools[0].servers[0]).version, '2019');
    });

    it('the Edge external interface carries XMPPServer in 2015 only (C11); the other roles are the same', () => {
      assert.deepEqual(serverUses('Edge', '2015'), ['Internal', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication', 'XMPPServer']);
      assert.deepEqual(serverUses('Edge', '2019'), ['Internal', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication']);
      assert.deepEqual(serverUses('FrontEndEnterprise', '2015'), serverUses('FrontEndEnterprise', '2019'));
      assert.equal(useMissingFromVersion('XMPPServer', '2015'), undefined);
      assert.match(useMissingFromVersion('XMPPServer', '2019')!, /XMPP .* no longer available in Skype for Business Server 2019/);
      assert.equal(useMissingFromVersion('Default', '2019'), undefined);
    });

    it('Set-CsCertificate -Type XmppServer: accepted on a 2015 Edge, refused on a 2019 one (product), refused as the extension\'s rule when the version is unknown', () => {
      const set = (d: Deployment) => runOperation(d, { cmdlet: 'Set-CsCertificate', computer: 'edge01.contoso.com', type: ['XMPPServer'], thumbprint: 'AB'.repeat(20) }, clock);
      const on2015 = set(topology(B2015));
      assert.ok(on2015.ok || on2015.error.code !== 'type-not-in-version', on2015.ok ? '' : on2015.error.message);
      const on2019 = set(topology(B2019));
      assert.ok(!on2019.ok);
      assert.equal(on2019.error.code, 'type-not-in-version');
      assert.equal(on2019.error.source, 'product');
      assert.match(on2019.error.message, /edge01\.contoso\.com runs Skype for Business Server 2019 .*-Type XMPPServer does not exist there/);
      assert.match(on2019.error.fix!, /Internal, AccessEdgeExternal, DataEdgeExternal, AudioVideoAuthentication/);
      const unknown = set(topology(''));
      assert.ok(!unknown.ok);
      assert.equal(unknown.error.source, 'extension-rule');
    });

    it('the .ps1 checker flags -Type XmppServer in a 2019 deployment, not in a 2015 one', async () => {
      const line = 'Set-CsCertificate -Type AccessEdgeExternal,XmppServer -Thumbprint $x';
      const in2019 = (await lintScript(line, topology(B2019), { now: NOW })).filter((d) => d.code === 'type-not-in-version');
      assert.equal(in2019.length, 1);
      assert.equal(line.slice(in2019[0].start, in2019[0].end), 'AccessEdgeExternal,XmppServer');
      assert.match(in2019[0].message, /-Type XMPPServer does not exist in Skype for Business Server 2019/);
      assert.deepEqual((await lintScript(line, topology(B2015), { now: NOW })).filter((d) => d.code === 'type-not-in-version'), []);
    });

    it('the sample deployment is Skype for Business Server 2019', async () => {
      const sample = await createSampleDeployment(NOW);
      assert.deepEqual([deploymentVersion(sample.deployment).version, deploymentVersion(sample.deployment).known], ['2019', true]);
      assert.deepEqual(deploymentVersion(withBuild(sample.deployment, B2015)).version, '2015');
    });
  });

  describe('point 11: the CRL distribution point (C10)', () => {
    const ca = createTestCA('Contoso Issuing CA');
    const make = (crl?: string[]) => generateCertificate({ subject: { CN: 'contoso.com', O: 'Contoso' }, dnsNames: ['contoso.com'], issuer: ca, notBefore: new Date(NOW.getTime() - 86_400_000), notAfter: new Date(NOW.getTime() + 400 * 86_400_000), crlDistributionPoints: crl });

    it('reads the extension\'s URLs into the record; none is []', () => {
      const url = testCaCrlUrl('Contoso Issuing CA');
      assert.deepEqual(recordFromDer(make([url, 'http://backup.contoso.com/ca.crl']).der).crlDistributionPoints, [`URL=${url}`, 'URL=http://backup.contoso.com/ca.crl']);
      assert.deepEqual(recordFromDer(make().der).crlDistributionPoints, []);
    });

    it('warns when the OAuthTokenIssuer candidate has none, with the source; not when it has one, nor for a record read before the field existed', () => {
      const sip = [{ name: 'contoso.com', isDefault: true }];
      const rule = (fs: Finding[]) => fs.filter((f) => f.rule === 'cert.crl-distribution-point');
      const without = { ...recordFromDer(make().der, { hasPrivateKey: true }) };
      const [f] = rule(checkOAuthCandidate(without, sip, NOW));
      assert.equal(f.severity, 'warning');
      assert.equal(f.source, 'product');
      assert.match(f.message, /has no CRL distribution point, which the Skype for Business Server 2015 and 2019 certificate requirements ask/);
      assert.deepEqual(rule(checkOAuthCandidate(recordFromDer(make([testCaCrlUrl('x')]).der, { hasPrivateKey: true }), sip, NOW)), []);
      const older = { ...without };
      delete older.crlDistributionPoints;
      assert.deepEqual(rule(checkOAuthCandidate(older, sip, NOW)), []);
    });

    it('Import-CsCertificate -Identity global of a certificate without one: imported, with the warning', () => {
      const cert = make();
      const bytes = writePfx(cert, 'pw', { chain: [ca] });
      const out = runOperation(topology(B2019), { cmdlet: 'Import-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], path: 'C:\\Certificates\\oauth.pfx', bytes, password: 'pw' }, clock);
      assert.ok(out.ok, out.ok ? '' : out.error.message);
      assert.deepEqual(out.findings.filter((x) => x.rule === 'cert.crl-distribution-point').length, 1);
    });
  });

  describe('leftovers: an XMPPServer assignment on 2019, the version set by hand, the CRL distribution point of every assigned certificate', () => {
    const ca = createTestCA('Contoso Issuing CA');
    const tp = 'AB'.repeat(20);
    /** The topology with edge01 assigned `cert` to the 2015 external uses, XMPPServer included. */
    const withXmpp = (build: string): Deployment => {
      const d = topology(build);
      const cert = { ...recordFromDer(generateCertificate({ subject: { CN: 'sip.contoso.com' }, dnsNames: ['sip.contoso.com'], issuer: ca, crlDistributionPoints: [testCaCrlUrl('Contoso Issuing CA')], notBefore: new Date(NOW.getTime() - 86_400_000), notAfter: new Date(NOW.getTime() + 400 * 86_400_000) }).der, { hasPrivateKey: true }), thumbprint: tp, exportable: true, source: 'sample' as const, addedAt: NOW.toISOString() };
      const entry = { current: { thumbprint: tp, effectiveDate: NOW.toISOString(), updateTime: NOW.toISOString() } };
      const edge = d.pools[1].servers[0];
      return { ...d, pools: [d.pools[0], { ...d.pools[1], servers: [{ ...edge, certificates: [cert], assignments: { AccessEdgeExternal: entry, DataEdgeExternal: entry, AudioVideoAuthentication: entry, XMPPServer: entry } }] }, d.pools[2]] };
    };
    const xmpp = (d: Deployment) => evaluateRules(d, NOW).filter((f) => f.rule === 'use.not-in-version');

    it('point 2: an XMPPServer assignment on a 2019 Edge is a finding (source S53) with the Remove-CsCertificate line, which works; none on 2015', () => {
      const d = withXmpp(B2019);
      const [f, ...more] = xmpp(d);
      assert.equal(more.length, 0);
      assert.deepEqual([f.severity, f.source, f.where.path, f.where.serverFqdn, f.where.use], ['warning', 'product', 'pools[1].servers[0].assignments.XMPPServer', 'edge01.contoso.com', 'XMPPServer']);
      assert.match(f.message, /edge01\.contoso\.com has a certificate assigned to XMPPServer, but it runs Skype for Business Server 2019 .*XMPP .* no longer available in Skype for Business Server 2019/);
      assert.equal(f.fix, 'Remove the assignment: on edge01.contoso.com, Remove-CsCertificate -Type XMPPServer');
      const removed = runOperation(d, { cmdlet: 'Remove-CsCertificate', computer: 'edge01.contoso.com', type: ['XMPPServer'] }, clock);
      assert.ok(removed.ok, removed.ok ? '' : removed.error.message);
      assert.deepEqual(xmpp(removed.state), []);
      assert.deepEqual(xmpp(withXmpp(B2015)), []);
      // Unknown version (2019 assumed): the same finding, labelled as the extension's rule.
      const assumed = xmpp(withXmpp(''));
      assert.equal(assumed[0].source, 'extension-rule');
      // The incremental evaluation agrees, also after the version is set by hand (no server changed).
      const rules = new IncrementalRules();
      const unknown = withXmpp('');
      assert.equal(rules.evaluate(unknown, NOW).filter((x) => x.rule === 'use.not-in-version').length, 1);
      assert.equal(rules.evaluate({ ...unknown, productVersion: '2015' }, NOW).filter((x) => x.rule === 'use.not-in-version').length, 0);
    });

    it('the .ps1 checker accepts Remove-CsCertificate -Type XmppServer on 2019 (the fix), still flags Set-CsCertificate', async () => {
      const codes = async (line: string) => (await lintScript(line, topology(B2019), { now: NOW })).filter((x) => x.code === 'type-not-in-version').length;
      assert.equal(await codes('Remove-CsCertificate -Type XmppServer'), 0);
      assert.equal(await codes('Set-CsCertificate -Type XmppServer -Thumbprint $x'), 1);
    });

    it('point 3: Set-ProductVersion sets 2015 or 2019 where no replica reports one; refuses anything else and a version the replicas report', () => {
      const unknown = topology('');
      const set = runOperation(unknown, { cmdlet: 'Set-ProductVersion', version: '2015' }, clock);
      assert.ok(set.ok, set.ok ? '' : set.error.message);
      assert.deepEqual(set.result, { version: '2015', before: '2019' });
      assert.equal(set.state.productVersion, '2015');
      assert.equal(set.powershell, '# SfB Certificates (not a cmdlet): Skype for Business Server 2015');
      assert.equal(set.state.history.at(-1)!.cmdlet, 'Set-ProductVersion');
      const reading = deploymentVersion(set.state);
      assert.deepEqual([reading.version, reading.known, reading.from], ['2015', true, 'set-by-hand']);
      assert.match(reading.basis, /set by hand with Set Product Version/);
      assert.deepEqual(serverUses('Edge', serverVersion(set.state, set.state.pools[1].servers[0]).version).includes('XMPPServer'), true);
      assert.match(set.notes.join(' '), /XMPPServer/);

      const bad = runOperation(unknown, { cmdlet: 'Set-ProductVersion', version: '2013' }, clock);
      assert.ok(!bad.ok);
      assert.equal(bad.error.code, 'product-version-unknown');
      assert.match(bad.error.message, /"2013" is not a product version SfB Certificates models.*2015 and 2019/);
      assert.equal(bad.error.source, 'extension-rule');

      const read = runOperation(topology(B2019), { cmdlet: 'Set-ProductVersion', version: '2015' }, clock);
      assert.ok(!read.ok);
      assert.equal(read.error.code, 'product-version-read');
      assert.match(read.error.message, /read from the replicas: Skype for Business Server 2019/);
      // A version set by hand yields to the replicas once they report one (an inventory import).
      assert.equal(deploymentVersion({ ...topology(B2019), productVersion: '2015' }).version, '2019');
    });

    it('point 4: every assigned certificate without a CRL distribution point is a finding, in 2015 and 2019; hundreds are one Problems entry', () => {
      const made = [false, true].map((crl) => recordFromDer(generateCertificate({ subject: { CN: 'pool01.contoso.com' }, dnsNames: ['pool01.contoso.com', 'fe01.contoso.com'], issuer: ca, crlDistributionPoints: crl ? [testCaCrlUrl('Contoso Issuing CA')] : undefined, notBefore: new Date(NOW.getTime() - 86_400_000), notAfter: new Date(NOW.getTime() + 400 * 86_400_000) }).der, { hasPrivateKey: true }));
      // One key pair each (RSA generation is slow); each server's copy gets its own thumbprint.
      const make = (crl: boolean, i: number) => ({ ...made[crl ? 1 : 0], thumbprint: i.toString(16).toUpperCase().padStart(40, '0') });
      const entry = (t: string) => ({ current: { thumbprint: t, effectiveDate: NOW.toISOString(), updateTime: NOW.toISOString() } });
      const fes = (n: number, crl: boolean, build: string) => Array.from({ length: n }, (_, i) => {
        const c = { ...make(crl, i), exportable: true, source: 'sample' as const, addedAt: NOW.toISOString() };
        return server(`fe${i}.contoso.com`, { certificates: [c], assignments: { Default: entry(c.thumbprint), WebServicesInternal: entry(c.thumbprint) }, replica: { appliedVersion: 1, unreachable: false, productVersion: build } });
      });
      const at = (n: number, crl: boolean, build: string) => deployment({ pools: [pool('pool01.contoso.com', 'FrontEndEnterprise', fes(n, crl, build), { hostsCms: true })], cms: { version: 1, versionCreated: NOW.toISOString(), certificates: [], assignments: {} } });
      const crl = (d: Deployment) => evaluateRules(d, NOW).filter((f) => f.rule === 'cert.crl-distribution-point');
      for (const build of [B2019, B2015]) {
        const [f, ...more] = crl(at(1, false, build));
        assert.equal(more.length, 0, 'one finding per certificate, however many uses it serves');
        assert.deepEqual([f.severity, f.source, f.where.path, f.where.serverFqdn], ['warning', 'product', 'pools[0].servers[0].certificates[0]', 'fe0.contoso.com']);
        assert.match(f.message, /^The Default certificate [0-9A-F]{40} on fe0\.contoso\.com has no CRL distribution point, which the Skype for Business Server 2015 and 2019 certificate requirements ask of every server certificate/);
        assert.deepEqual(crl(at(1, true, build)), []);
      }
      const entries = problemEntries(evaluateRules(at(30, false, B2019), NOW)).filter((e) => e.rule === 'cert.crl-distribution-point');
      assert.deepEqual(entries.map((e) => e.count), [30]);
      assert.match(entries[0].message, /^30 alike \(cert\.crl-distribution-point\)/);
    });
  });

  describe('point 8: the two private-key facts (C8)', () => {
    const ca = createTestCA('Contoso Issuing CA');
    const pfx = writePfx(generateCertificate({
      subject: { CN: 'contoso.com' }, dnsNames: ['contoso.com'], issuer: ca, crlDistributionPoints: [testCaCrlUrl('Contoso Issuing CA')],
      notBefore: new Date(NOW.getTime() - 86_400_000), notAfter: new Date(NOW.getTime() + 400 * 86_400_000),
    }), 'pw');

    it('Import-CsCertificate -PrivateKeyExportable: Network Service may read the key (documented) and, in the model, it is exportable; without it neither', () => {
      const local = (flag?: boolean) => {
        const out = runOperation(topology(B2019), { cmdlet: 'Import-CsCertificate', computer: 'fe01.contoso.com', path: 'C:\\Certificates\\web.pfx', bytes: pfx, password: 'pw', privateKeyExportable: flag }, clock);
        assert.ok(out.ok, out.ok ? '' : out.error.message);
        return out.state.pools[0].servers[0].certificates[0];
      };
      assert.deepEqual([local(true).networkServiceCanReadKey, local(true).exportable], [true, true]);
      assert.deepEqual([local(undefined).networkServiceCanReadKey, local(undefined).exportable], [false, false]);
    });

    it('Import-CsCertificate -Identity global: the key came in a PFX, so it is exportable (labelled the extension\'s reading), and no not-exportable warning', () => {
      const out = runOperation(topology(B2019), { cmdlet: 'Import-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], path: 'C:\\Certificates\\oauth.pfx', bytes: pfx, password: 'pw' }, clock);
      assert.ok(out.ok, out.ok ? '' : out.error.message);
      assert.equal(out.state.cms.certificates[0].exportable, true);
      assert.equal(out.state.cms.certificates[0].networkServiceCanReadKey, undefined);
      assert.ok(out.notes.some((n) => /counts it as exportable \(SfB Certificates' rule/.test(n)), out.notes.join('\n'));
      assert.deepEqual(out.findings.filter((f) => f.rule === 'oauth.key-not-exportable'), []);
    });
  });

  describe('#16 leftover: every replica that has not applied the latest CMS version', () => {
    it('Edge and Mediation replicas behind or unreachable are findings, with the Invoke line and the source model', () => {
      const d = topology(B2019);
      const behind: Deployment = {
        ...d,
        pools: d.pools.map((p) => ({
          ...p, servers: p.servers.map((s) => (s.fqdn === 'edge01.contoso.com' ? { ...s, replica: { ...s.replica, appliedVersion: 2 } } : s.fqdn === 'med01.contoso.com' ? { ...s, replica: { ...s.replica, unreachable: true } } : s)),
        })),
      };
      const findings = evaluateRules(behind, NOW).filter((f) => f.rule.startsWith('replica.'));
      assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.where.serverFqdn, f.where.path, f.source]), [
        ['replica.behind', 'info', 'edge01.contoso.com', 'pools[1].servers[0].replica', 'product'],
        ['replica.unreachable', 'warning', 'med01.contoso.com', 'pools[2].servers[0].replica', 'product'],
      ]);
      assert.match(findings[0].message, /edge01\.contoso\.com \(Edge pool edgepool\.contoso\.com\) has not applied the latest Central Management store version: its replica is at version 2 of 3/);
      assert.equal(findings[0].fix, 'Wait for replication, or force it: Invoke-CsManagementStoreReplication -ReplicaFqdn "edge01.contoso.com"');
      assert.deepEqual(evaluateRules(d, NOW).filter((f) => f.rule.startsWith('replica.')), [], 'all up to date');
    });

    it('a Front End whose lag shows as its OAuthTokenIssuer finding gets no second one; one whose OAuth certificate is right does', () => {
      const d = topology(B2019);
      const fe = d.pools[0].servers[0];
      const global = { current: { thumbprint: 'AA'.repeat(20), effectiveDate: NOW.toISOString(), updateTime: NOW.toISOString() } };
      const lagging = (oauth: boolean): Deployment => ({
        ...d,
        cms: { ...d.cms, assignments: { OAuthTokenIssuer: global } },
        pools: [{ ...d.pools[0], servers: [{ ...fe, replica: { ...fe.replica, appliedVersion: 2 }, assignments: oauth ? { OAuthTokenIssuer: global } : {} }] }, ...d.pools.slice(1)],
      });
      const rules = (x: Deployment) => evaluateRules(x, NOW).filter((f) => f.where.serverFqdn === 'fe01.contoso.com').map((f) => f.rule);
      assert.deepEqual(rules(lagging(false)), ['oauth.replication-pending']);
      assert.deepEqual(rules(lagging(true)).filter((r) => r !== 'oauth.fe-no-private-key'), ['replica.behind']);
    });

    it('a topology import\'s replicas (never seen replicating) are not reported', () => {
      const d = topology(B2019);
      const fresh: Deployment = { ...d, pools: d.pools.map((p) => ({ ...p, servers: p.servers.map((s) => ({ ...s, replica: { appliedVersion: 0, unreachable: false, productVersion: '' } })) })) };
      assert.deepEqual(evaluateRules(fresh, NOW).filter((f) => f.rule.startsWith('replica.')), []);
    });

    it('hundreds of them are one Problems entry per cause', () => {
      const edges = Array.from({ length: 300 }, (_, i) => server(`edge${i}.contoso.com`, { roles: ['Edge'], replica: { appliedVersion: 1, unreachable: i % 10 === 0, productVersion: B2019 } }));
      const d = deployment({ pools: [pool('edgepool.contoso.com', 'Edge', edges)], cms: { version: 2, versionCreated: NOW.toISOString(), certificates: [], assignments: {} } });
      const findings = evaluateRules(d, NOW);
      const entries = problemEntries(findings).filter((e) => e.rule.startsWith('replica.'));
      assert.deepEqual(entries.map((e) => [e.rule, e.count]).sort(), [['replica.behind', 270], ['replica.unreachable', 30]]);
      assert.ok(entries.every((e) => e.count > GROUP_OVER));
      assert.match(entries.find((e) => e.rule === 'replica.behind')!.message, /^270 alike \(replica\.behind\)/);
    });
  });
});
