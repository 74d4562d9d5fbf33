// Topology import: Topology Builder .tbxml and Get-CsTopology -AsXml into a new deployment — sites, pool kinds,
// servers, SIP domains, the CMS pool — and clear errors for what is not a topology.
import * as assert from 'node:assert/strict';
import type { SfbError } from '../../src/core/errors';
import type { Deployment } from '../../src/core/model';
import { parseDeployment, serializeDeployment } from '../../src/core/deploymentFile';
import { importTopology, type TopologyImport } from '../../src/core/topologyImport';
import { CONTOSO, publishedTopology, tbxml, type ClusterSpec, type TopologySpec } from '../fixtures/topologyXml';

const NOW = new Date('2026-03-01T12:00:00Z');

function imported(result: TopologyImport): { deployment: Deployment; warnings: string[] } {
  if (!result.ok) assert.fail(`expected the topology to import: ${result.error.message}`);
  return result;
}

function refused(result: TopologyImport): SfbError {
  assert.equal(result.ok, false, 'expected the topology to be refused');
  if (result.ok) throw new Error('unreachable');
  assert.ok(result.error.fix, 'the error says what to do');
  return result.error;
}

const pools = (d: Deployment) => d.pools.map((p) => [p.fqdn, p.kind, p.siteId, p.servers.map((s) => s.fqdn), p.hostsCms]);

/** Contoso with one cluster replaced or added (in Redmond). */
function withCluster(cluster: ClusterSpec): TopologySpec {
  return { ...CONTOSO, sites: CONTOSO.sites.map((s) => (s.id === 1 ? { ...s, clusters: [cluster] } : s)) };
}

describe('topology import', () => {
  describe('a Topology Builder file (.tbxml)', () => {
    const { deployment: d, warnings } = imported(importTopology(tbxml(CONTOSO), 'contoso.tbxml', NOW));

    it('reads the SIP domains, with the default one first', () => {
      assert.deepEqual(d.sipDomains, [{ name: 'contoso.com', isDefault: true }, { name: 'fabrikam.com', isDefault: false }]);
      assert.equal(d.name, 'contoso.com');
    });

    it('reads the central and branch sites, with their city and country', () => {
      assert.deepEqual(d.sites, [
        { id: 'redmond', name: 'Redmond', kind: 'central', city: 'Redmond', country: 'US' },
        { id: 'dublin', name: 'Dublin', kind: 'central', city: 'Dublin', country: 'IE' },
        { id: 'paris', name: 'Paris', kind: 'branch', city: 'Paris', country: 'FR' },
      ]);
    });

    it('makes a pool of each Front End, Director, Edge and Mediation cluster, with its kind and member servers', () => {
      assert.deepEqual(pools(d), [
        ['pool01.contoso.com', 'FrontEndEnterprise', 'redmond', ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com'], true],
        ['dir01.contoso.com', 'Director', 'redmond', ['dir01.contoso.com'], false],
        ['edgepool.contoso.com', 'Edge', 'redmond', ['edge01.contoso.com', 'edge02.contoso.com'], false],
        ['med01.contoso.com', 'Mediation', 'redmond', ['med01.contoso.com'], false],
        ['se01.dublin.contoso.com', 'StandardEdition', 'dublin', ['se01.dublin.contoso.com'], false],
      ]);
    });

    it('gives each server the roles installed on its pool (collocated Mediation, the CMS)', () => {
      const roles = (fqdn: string) => d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fqdn)!.roles;
      assert.deepEqual(roles('fe02.contoso.com'), ['FrontEnd', 'Registrar', 'UserServices', 'Mediation', 'WebServices', 'CentralManagement']);
      assert.deepEqual(roles('dir01.contoso.com'), ['Registrar', 'Director', 'WebServices']);
      assert.deepEqual(roles('edge01.contoso.com'), ['Edge']);
      assert.deepEqual(roles('med01.contoso.com'), ['Mediation']);
      assert.deepEqual(roles('se01.dublin.contoso.com'), ['FrontEnd', 'Registrar', 'UserServices', 'WebServices']);
    });

    it('reads the web services FQDNs (the internal one defaults to the pool FQDN)', () => {
      const web = d.pools.map((p) => [p.fqdn, p.internalWebFqdn, p.externalWebFqdn]);
      assert.deepEqual(web, [
        ['pool01.contoso.com', 'webint.contoso.com', 'webext.contoso.com'],
        ['dir01.contoso.com', 'dir01.contoso.com', 'webdir.contoso.com'],
        ['edgepool.contoso.com', undefined, undefined],
        ['med01.contoso.com', undefined, undefined],
        ['se01.dublin.contoso.com', 'se01.dublin.contoso.com', undefined],
      ]);
    });

    it('starts every server with an empty store, no assignments, a replica at version 0 of 1, and setup done', () => {
      assert.deepEqual(d.cms, { version: 1, versionCreated: NOW.toISOString(), certificates: [], assignments: {} });
      for (const server of d.pools.flatMap((p) => p.servers)) {
        assert.deepEqual(server.certificates, []);
        assert.deepEqual(server.assignments, {});
        assert.deepEqual(server.replica, { appliedVersion: 0, unreachable: false, productVersion: '' });
        assert.deepEqual(server.setup, { localStoreInstalled: true, componentsInstalled: true, servicesStarted: true });
      }
      assert.deepEqual(d.history, []);
    });

    it('says which clusters it skipped and why', () => {
      assert.deepEqual(warnings, [
        'Skipped sql01.contoso.com: its roles (CentralMgmtStore, UserStore) hold no certificate SfB Certificates manages.',
        'Skipped fs01.contoso.com: its roles (FileStore) hold no certificate SfB Certificates manages.',
        'Skipped gw01.contoso.com: its roles (PstnGateway) hold no certificate SfB Certificates manages.',
        'Skipped sba01.paris.contoso.com: a Registrar that is not a Director (a Survivable Branch Appliance or Server), which SfB Certificates does not model.',
      ]);
    });

    it('makes a deployment the store file loads as it is', () => {
      const loaded = parseDeployment(serializeDeployment(d));
      assert.ok(loaded.ok);
      assert.deepEqual(loaded.deployment, d);
      assert.deepEqual(loaded.warnings, []);
    });
  });

  it('reads the published topology (Get-CsTopology -AsXml) into the same deployment', () => {
    const fromTbxml = imported(importTopology(tbxml(CONTOSO), 'contoso.tbxml', NOW));
    const fromPublished = imported(importTopology(publishedTopology(CONTOSO), 'topology.xml', NOW));
    assert.deepEqual(fromPublished.deployment, fromTbxml.deployment);
    assert.deepEqual(fromPublished.warnings, fromTbxml.warnings);
  });

  it('reads elements written with namespace prefixes (tb:, wt:, t:)', () => {
    const prefixed = tbxml(CONTOSO, { prefixed: true });
    assert.match(prefixed, /<wt:Cluster UniqueId=/);
    assert.deepEqual(imported(importTopology(prefixed, 'contoso.tbxml', NOW)).deployment, imported(importTopology(tbxml(CONTOSO), 'contoso.tbxml', NOW)).deployment);
  });

  it('reads a UTF-16 file (Windows PowerShell\'s Out-File default) from its bytes, and a UTF-8 file with a byte order mark', () => {
    const xml = publishedTopology(CONTOSO);
    const expected = imported(importTopology(xml, 'topology.xml', NOW)).deployment;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    assert.deepEqual(imported(importTopology(utf16, 'topology.xml', NOW)).deployment, expected);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'utf8')]);
    assert.deepEqual(imported(importTopology(utf8, 'topology.xml', NOW)).deployment, expected);
    assert.deepEqual(imported(importTopology(`\uFEFF${xml}`, 'topology.xml', NOW)).deployment, expected);
  });

  it('explains a UTF-16 file that was read as UTF-8 text', () => {
    const garbled = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(publishedTopology(CONTOSO), 'utf16le')]).toString('utf8');
    const error = refused(importTopology(garbled, 'topology.xml', NOW));
    assert.equal(error.code, 'topology-encoding');
    assert.match(error.message, /topology\.xml is saved as UTF-16/);
    assert.match(error.fix!, /Out-File -Encoding utf8/);
  });

  it('ignores elements it does not know, with a warning, and goes on', () => {
    const xml = tbxml(CONTOSO, { extraInPartialTopology: '<TrustedApplications><Pool Fqdn="app.contoso.com" /></TrustedApplications>\n<TrustedApplications />' });
    const { deployment, warnings } = imported(importTopology(xml, 'contoso.tbxml', NOW));
    assert.equal(deployment.pools.length, 5);
    assert.ok(warnings.includes('Ignored 2 × <TrustedApplications> in <PartialTopology>: SfB Certificates does not use it.'), warnings.join('\n'));
  });

  describe('pool kinds', () => {
    const kind = (cluster: ClusterSpec) => imported(importTopology(tbxml(withCluster(cluster)), 't.tbxml', NOW)).deployment.pools[0].kind;
    const fe = [{ role: 'UserServices' as const }, { role: 'Registrar' as const }];

    it('an Enterprise Edition pool of one Front End is still Enterprise (IsSingleMachineOnly="false")', () => {
      assert.equal(kind({ fqdn: 'pool02.contoso.com', machines: ['fe09.contoso.com'], singleMachine: false, services: fe }), 'FrontEndEnterprise');
    });

    it('a single machine that is the pool is a Standard Edition server', () => {
      assert.equal(kind({ fqdn: 'se02.contoso.com', machines: ['se02.contoso.com'], singleMachine: true, services: fe }), 'StandardEdition');
    });

    it('the published topology (no IsSingleMachineOnly): Standard Edition when its one machine has the pool\'s FQDN', () => {
      const published = (cluster: ClusterSpec) => imported(importTopology(publishedTopology(withCluster(cluster)).replace(/ IsSingleMachineOnly="\w+"/g, ''), 't.xml', NOW)).deployment.pools[0].kind;
      assert.equal(published({ fqdn: 'se02.contoso.com', machines: ['se02.contoso.com'], services: fe }), 'StandardEdition');
      assert.equal(published({ fqdn: 'pool02.contoso.com', machines: ['fe09.contoso.com'], services: fe }), 'FrontEndEnterprise');
      assert.equal(published({ fqdn: 'pool02.contoso.com', machines: ['fe08.contoso.com', 'fe09.contoso.com'], services: fe }), 'FrontEndEnterprise');
    });

    it('a Director is a Registrar marked IsDirector="true"; a standalone Mediation pool has no Registrar', () => {
      assert.equal(kind({ fqdn: 'dir02.contoso.com', machines: ['dir02.contoso.com'], services: [{ role: 'Registrar', isDirector: true }] }), 'Director');
      assert.equal(kind({ fqdn: 'med02.contoso.com', machines: ['med02.contoso.com', 'med03.contoso.com'], services: [{ role: 'MediationServer' }] }), 'Mediation');
    });

    it('the CMS pool is the one running CentralMgmt (or holding the CentralMgmtStore, as a Standard Edition server does)', () => {
      const d = imported(importTopology(tbxml(withCluster({
        fqdn: 'se03.contoso.com', machines: [undefined], singleMachine: true, sqlInstance: 'rtc', services: [...fe, { role: 'CentralMgmtStore', onSqlInstance: true }],
      })), 't.tbxml', NOW)).deployment;
      assert.deepEqual(pools(d)[0], ['se03.contoso.com', 'StandardEdition', 'redmond', ['se03.contoso.com'], true]);
      assert.deepEqual(d.pools[0].servers[0].roles, ['FrontEnd', 'Registrar', 'UserServices', 'CentralManagement']);
    });

    it('warns when no pool hosts the Central Management Server', () => {
      const { warnings } = imported(importTopology(tbxml(withCluster({ fqdn: 'edge9.contoso.com', machines: ['edge9.contoso.com'], services: [{ role: 'EdgeServer' }] })), 't.tbxml', NOW));
      assert.ok(warnings.includes('No pool hosts the Central Management Server (no CentralMgmt service in the file).'));
    });
  });

  describe('what is not a topology', () => {
    const cases: [string, string, string, RegExp][] = [
      ['malformed XML', '<TopologyBuilder>\n  <NewTopology>\n</TopologyBuilder>', 'topology-not-xml', /t\.tbxml is not well-formed XML: .*\(line 3, column \d+\)/],
      ['JSON', '{ "schemaVersion": 1 }', 'topology-not-xml', /not well-formed XML/],
      ['an empty file', '  ', 'topology-not-xml', /t\.tbxml is empty/],
      ['another XML document', '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion></project>', 'not-a-topology', /root element is <project>, not <TopologyBuilder> or <NewTopology> .* or <Topology> \(Get-CsTopology -AsXml\)/],
      ['a <Topology> in another namespace', '<Topology xmlns="urn:example:clusters"><Node Name="n1" /></Topology>', 'not-a-topology', /namespace urn:example:clusters, not one of urn:schema:Microsoft\.Rtc\.Management\.Deploy\.\*\.2008\./],
      ['a failover cluster fault domain <Topology> (no namespace)', '<Topology>\n  <Node Name="NMALIWA-VM-1101" Description="" Location=""/>\n</Topology>', 'topology-incomplete', /has no <InternalDomains> in <Topology>/],
      ['a .tbxml without PartialTopology', `<TopologyBuilder xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008"><NewTopology /></TopologyBuilder>`, 'topology-incomplete', /has no <PartialTopology> in <NewTopology>/],
      ['no SIP domain', tbxml(CONTOSO).replace(/<InternalDomain Name="[^"]+"[^>]*\/>/g, '').replace(/ DefaultDomain="[^"]+"/, ''), 'topology-incomplete', /names no SIP domain/],
      ['no sites', tbxml(CONTOSO).replace(/<CentralSites>[\s\S]*<\/CentralSites>/, ''), 'topology-incomplete', /has no <CentralSites> in <PartialTopology>/],
      ['a cluster without its FQDN', tbxml(CONTOSO).replace(' Fqdn="edgepool.contoso.com"', ''), 'topology-incomplete', /a <Cluster> has no Fqdn attribute/],
      ['no Front End, Director, Edge or Mediation pool', tbxml(withCluster({ fqdn: 'sql09.contoso.com', machines: ['sql09.contoso.com'], services: [] })).replace(/<RemoteSites>[\s\S]*<\/RemoteSites>/, '').replace(/<CentralSite SiteId="2">[\s\S]*?<\/CentralSite>/, ''), 'topology-no-pools', /has no Front End, Director, Edge or Mediation pool \(1 cluster\(s\)/],
      ['a server name Skype for Business does not allow', tbxml(CONTOSO).replace(/fe02\.contoso\.com/g, 'fe_02.contoso.com'), 'topology-invalid', /does not make a valid deployment: pools\[0\]\.servers\[1\]\.fqdn: expected a fully qualified domain name/],
      ['a server in two pools', tbxml(CONTOSO).replace(/med01\.contoso\.com/g, 'fe01.contoso.com'), 'topology-invalid', /fe01\.contoso\.com is already listed at pools\[0\]\.servers\[0\]/],
    ];
    for (const [what, xml, code, message] of cases) {
      it(what, () => {
        const error = refused(importTopology(xml, 't.tbxml', NOW));
        assert.equal(error.code, code, error.message);
        assert.match(error.message, message);
      });
    }

    it('names the file as "The topology file" when no name is given', () => {
      assert.match(refused(importTopology('<a>', undefined, NOW)).message, /^The topology file is not well-formed XML/);
    });
  });

  it('warns but reads a topology whose root declares no namespace', () => {
    const xml = publishedTopology(CONTOSO).replace(' xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"', '');
    const { deployment, warnings } = imported(importTopology(xml, 'topology.xml', NOW));
    assert.equal(deployment.pools.length, 5);
    assert.match(warnings[0], /<Topology> declares no namespace; it is read as a Skype for Business topology/);
  });
});
