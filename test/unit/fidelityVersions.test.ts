// Issue #14 points 1, 2, 3 and the #16 leftover: the product version (2015 / 2019) and its use lists, the CRL
// distribution point requirement, the two private-key facts, and the "replica has not applied the latest CMS version"
// finding for every replica.
import * as assert from 'node:assert/strict';
import {
  createSampleDeployment, deploymentVersion, evaluateRules, generateCertificate, productVersionOf, recordFromDer, runOperation, serverUses,
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
      assert.match(f.message, /has no CRL distribution point, which the Skype for Business Server 2019 system requirements ask/);
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
