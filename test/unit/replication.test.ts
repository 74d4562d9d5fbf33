// CMS versions, replica status and the deployment of the global OAuthTokenIssuer certificate to Front Ends.
import * as assert from 'node:assert/strict';
import type { Deployment, PoolKind, Server, Slot, StoredCertificate } from '../../src/core/model';
import {
  bumpCmsVersion, isUpToDate, mapServers, replicaStatus, replicaTargets, replicate, updateSlot, withReachability,
} from '../../src/core/replication';
import { findServer, serverPath } from '../../src/core/topology';
import { assigned, deployment as buildDeployment, pool as buildPool, server as buildServer, slotEntry, storedCertificate } from '../fixtures/builders';

const NOW = new Date('2026-03-01T10:00:00Z');
const T0 = '2026-01-01T00:00:00.000Z';

const cert = (thumbprint: string, over: Partial<StoredCertificate> = {}) =>
  storedCertificate(NOW, thumbprint, { subject: 'CN=contoso.com', subjectAlternativeNames: [], enhancedKeyUsages: [], exportable: false, source: 'import', ...over });

const server = (fqdn: string, over: Partial<Server> = {}) =>
  buildServer(fqdn, { replica: { appliedVersion: 1, unreachable: false, productVersion: '7.0.2046.0', lastStatusReport: T0, lastUpdateCreation: T0 }, ...over });

const pool = (fqdn: string, kind: PoolKind, servers: Server[]) => buildPool(fqdn, kind, servers, { siteId: 'redmond', hostsCms: kind === 'FrontEndEnterprise' });

const OAUTH: Slot = assigned('AAAA', T0);

function deployment(): Deployment {
  return buildDeployment({
    name: 'replication',
    pools: [
      pool('pool01.contoso.com', 'FrontEndEnterprise', [server('fe01.contoso.com'), server('fe02.contoso.com'), server('fe03.contoso.com')]),
      pool('se01.contoso.com', 'StandardEdition', [server('se01.contoso.com')]),
      pool('dir01.contoso.com', 'Director', [server('dir01.contoso.com', { roles: ['Director'] })]),
      pool('edgepool.contoso.com', 'Edge', [server('edge01.contoso.com', { roles: ['Edge'] }), server('edge02.contoso.com', { roles: ['Edge'] })]),
    ],
    cms: { version: 2, versionCreated: '2026-02-01T00:00:00.000Z', certificates: [cert('AAAA', { sourceFile: 'certs/oauth.pfx' })], assignments: { OAuthTokenIssuer: OAUTH } },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function all(d: Deployment) {
  const targets = replicaTargets(d);
  assert.ok(targets.ok);
  return targets.targets;
}

describe('replication', () => {
  describe('updateSlot (the one helper every slot change goes through)', () => {
    const e = (thumbprint: string, at = T0) => slotEntry(thumbprint, at);

    it('assign: the new certificate is current at once, the replaced one becomes previous', () => {
      const a = updateSlot({ OAuthTokenIssuer: { current: e('OLD'), previous: e('OLDER') } }, 'OAuthTokenIssuer', { kind: 'assign', thumbprint: 'NEW', at: '2026-02-01T00:00:00.000Z' });
      assert.deepEqual(a.OAuthTokenIssuer, { current: e('NEW', '2026-02-01T00:00:00.000Z'), previous: e('OLD') });
    });

    it('assign of the current certificate again only refreshes its update time and keeps previous', () => {
      const a = updateSlot({ Default: { current: e('SAME'), previous: e('OLD') } }, 'Default', { kind: 'assign', thumbprint: 'SAME', at: '2026-02-01T00:00:00.000Z' });
      assert.deepEqual(a.Default, { current: { thumbprint: 'SAME', effectiveDate: T0, updateTime: '2026-02-01T00:00:00.000Z' }, previous: e('OLD') });
    });

    it('assign of the staged certificate clears the now pointless pending roll', () => {
      const a = updateSlot({ OAuthTokenIssuer: { current: e('OLD'), pending: e('NEW', '2026-06-01T00:00:00.000Z') } }, 'OAuthTokenIssuer', { kind: 'assign', thumbprint: 'NEW', at: T0 });
      assert.equal(a.OAuthTokenIssuer?.pending, undefined);
      assert.equal('pending' in a.OAuthTokenIssuer!, false, 'no undefined keys in the stored JSON');
    });

    it('stage, roll, remove-previous, remove-current; an emptied slot stays as {}', () => {
      let a = updateSlot({}, 'AudioVideoAuthentication', { kind: 'assign', thumbprint: 'ONE', at: T0 });
      a = updateSlot(a, 'AudioVideoAuthentication', { kind: 'stage', thumbprint: 'TWO', effectiveDate: '2026-06-01T00:00:00.000Z', at: '2026-02-01T00:00:00.000Z' });
      assert.deepEqual(a.AudioVideoAuthentication?.pending, { thumbprint: 'TWO', effectiveDate: '2026-06-01T00:00:00.000Z', updateTime: '2026-02-01T00:00:00.000Z' });
      a = updateSlot(a, 'AudioVideoAuthentication', { kind: 'roll' });
      assert.deepEqual(a.AudioVideoAuthentication, { current: { thumbprint: 'TWO', effectiveDate: '2026-06-01T00:00:00.000Z', updateTime: '2026-02-01T00:00:00.000Z' }, previous: e('ONE') });
      a = updateSlot(a, 'AudioVideoAuthentication', { kind: 'remove-previous' });
      a = updateSlot(a, 'AudioVideoAuthentication', { kind: 'remove-current' });
      assert.deepEqual(a.AudioVideoAuthentication, {});
      const unchanged = updateSlot(a, 'AudioVideoAuthentication', { kind: 'roll' });
      assert.equal(unchanged, a, 'a roll with nothing pending changes nothing');
    });
  });

  describe('servers', () => {
    it('finds servers case-insensitively and names their JSON path', () => {
      const found = findServer(deployment(), ' FE02.Contoso.com ');
      assert.equal(found?.server.fqdn, 'fe02.contoso.com');
      assert.equal(serverPath(found!), 'pools[0].servers[1]');
      assert.equal(findServer(deployment(), 'nope.contoso.com'), undefined);
    });

    it('mapServers returns the same state when nothing changed, and copies only changed pools', () => {
      const d = deployment();
      assert.equal(mapServers(d, (s) => s), d);
      const next = mapServers(d, (s) => (s.fqdn === 'se01.contoso.com' ? { ...s, roles: ['FrontEnd', 'Registrar'] } : s));
      assert.equal(next.pools[0], d.pools[0]);
      assert.notEqual(next.pools[1], d.pools[1]);
    });
  });

  describe('versions and status', () => {
    it('every global change bumps the CMS version; UpToDate is derived', () => {
      const d = deployment();
      const cms = bumpCmsVersion(d.cms, NOW);
      assert.equal(cms.version, 3);
      assert.equal(cms.versionCreated, NOW.toISOString());
      assert.equal(isUpToDate({ ...d.pools[0].servers[0].replica, appliedVersion: 3 }, cms), true);
      assert.equal(isUpToDate({ ...d.pools[0].servers[0].replica, appliedVersion: 2 }, cms), false);
      assert.equal(isUpToDate({ ...d.pools[0].servers[0].replica, appliedVersion: 3, unreachable: true }, cms), false);
    });

    it('Get-CsManagementStoreReplicationStatus rows carry the cmdlet\'s properties; a failing Edge shows empty LastStatusReport and ProductVersion', () => {
      let d = deployment();
      d = withReachability(d, findServer(d, 'edge02.contoso.com')!, false);
      d = withReachability(d, findServer(d, 'fe03.contoso.com')!, false);
      const rows = replicaStatus(d, all(d));
      assert.deepEqual(Object.keys(rows[0]), ['UpToDate', 'ReplicaFqdn', 'LastStatusReport', 'LastUpdateCreation', 'ProductVersion']);
      const edge = rows.find((r) => r.ReplicaFqdn === 'edge02.contoso.com')!;
      assert.deepEqual([edge.UpToDate, edge.LastStatusReport, edge.ProductVersion], [false, '', '']);
      const fe = rows.find((r) => r.ReplicaFqdn === 'fe03.contoso.com')!;
      assert.deepEqual([fe.UpToDate, fe.LastStatusReport, fe.ProductVersion], [false, T0, '7.0.2046.0']);
    });

    it('-ReplicaFqdn must name a computer of the topology', () => {
      const t = replicaTargets(deployment(), 'ghost.contoso.com');
      assert.ok(!t.ok);
      assert.equal(t.error.code, 'replica-not-found');
      assert.match(t.error.message, /ghost\.contoso\.com/);
    });
  });

  describe('replicate', () => {
    it('brings every reachable replica to the CMS version and deploys the OAuth slot and certificate (with key) to Front End, Standard Edition and Director servers only (issue #14, C5)', () => {
      const d = deepFreeze(deployment());
      const { state, results } = replicate(d, all(d), NOW);
      for (const s of state.pools.flatMap((p) => p.servers)) {
        assert.equal(s.replica.appliedVersion, 2, s.fqdn);
        assert.equal(s.replica.lastStatusReport, NOW.toISOString());
        assert.equal(s.replica.lastUpdateCreation, '2026-02-01T00:00:00.000Z');
      }
      for (const fqdn of ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'se01.contoso.com', 'dir01.contoso.com']) {
        const s = findServer(state, fqdn)!.server;
        assert.deepEqual(s.assignments.OAuthTokenIssuer, OAUTH, fqdn);
        const deployed = s.certificates.find((c) => c.thumbprint === 'AAAA');
        assert.equal(deployed?.hasPrivateKey, true);
        assert.equal(deployed?.source, 'replication');
        assert.equal(deployed?.sourceFile, 'certs/oauth.pfx');
      }
      for (const fqdn of ['edge01.contoso.com']) {
        const s = findServer(state, fqdn)!.server;
        assert.equal(s.assignments.OAuthTokenIssuer, undefined, fqdn);
        assert.equal(s.certificates.length, 0);
      }
      assert.deepEqual(results.filter((r) => r.deployedOAuth).map((r) => r.replicaFqdn), ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'se01.contoso.com', 'dir01.contoso.com']);
      assert.ok(results.every((r) => r.upToDate && !r.error));
    });

    it('an unreachable replica fails and stays behind; the result says which and why (SMB for internal servers, HTTPS 4443 for Edges)', () => {
      let d = deployment();
      d = withReachability(d, findServer(d, 'fe02.contoso.com')!, false);
      d = withReachability(d, findServer(d, 'edge01.contoso.com')!, false);
      const { state, results } = replicate(d, all(d), NOW);
      const fe02 = findServer(state, 'fe02.contoso.com')!.server;
      assert.equal(fe02, findServer(d, 'fe02.contoso.com')!.server, 'nothing changes on the unreachable replica');
      assert.equal(isUpToDate(fe02.replica, state.cms), false);
      const failed = results.filter((r) => !r.upToDate);
      assert.deepEqual(failed.map((r) => r.replicaFqdn), ['fe02.contoso.com', 'edge01.contoso.com']);
      assert.match(failed[0].error!, /xds-replica.*TCP 445/);
      assert.match(failed[1].error!, /TCP 4443/);
    });

    it('replicates to one replica only when asked', () => {
      const d = deployment();
      const t = replicaTargets(d, 'fe03.contoso.com');
      assert.ok(t.ok);
      const { state, results } = replicate(d, t.targets, NOW);
      assert.deepEqual(results.map((r) => r.replicaFqdn), ['fe03.contoso.com']);
      assert.equal(findServer(state, 'fe01.contoso.com')!.server, d.pools[0].servers[0]);
      assert.deepEqual(findServer(state, 'fe03.contoso.com')!.server.assignments.OAuthTokenIssuer, OAUTH);
    });

    it('a store copy without its private key is replaced by the deployed copy; one with its key is kept', () => {
      const d = deployment();
      const withCopies: Deployment = {
        ...d,
        pools: [{ ...d.pools[0], servers: [
          server('fe01.contoso.com', { certificates: [cert('AAAA', { hasPrivateKey: false, source: 'mmc-import' })] }),
          server('fe02.contoso.com', { certificates: [cert('AAAA', { source: 'sample' })] }),
        ] }, ...d.pools.slice(1)],
      };
      const { state } = replicate(withCopies, all(withCopies), NOW);
      assert.deepEqual(state.pools[0].servers[0].certificates.map((c) => [c.source, c.hasPrivateKey]), [['replication', true]]);
      assert.equal(state.pools[0].servers[1].certificates, withCopies.pools[0].servers[1].certificates);
    });

    it('propagates a removal (the emptied global slot), but never touches a manual assignment when the CMS never had one', () => {
      const manual: Slot = { current: { thumbprint: 'MMC1', effectiveDate: T0, updateTime: T0 } };
      const d = deployment();
      const fe = (x: Deployment) => findServer(x, 'fe01.contoso.com')!.server;
      const withManual = (cmsSlot: Slot | undefined): Deployment => ({
        ...d,
        cms: { ...d.cms, assignments: cmsSlot ? { OAuthTokenIssuer: cmsSlot } : {} },
        pools: [{ ...d.pools[0], servers: [server('fe01.contoso.com', { assignments: { OAuthTokenIssuer: manual } })] }],
      });
      const emptied = withManual({});
      assert.deepEqual(fe(replicate(emptied, all(emptied), NOW).state).assignments.OAuthTokenIssuer, {});
      const never = withManual(undefined);
      assert.deepEqual(fe(replicate(never, all(never), NOW).state).assignments.OAuthTokenIssuer, manual);
    });
  });
});
