// Import a Skype for Business topology into a new deployment: a Topology Builder file (.tbxml) or the published
// topology (Get-CsTopology -AsXml). Sites, pools with their kind, member servers and SIP domains come from the
// file; every server starts with an empty certificate store and no assignments, its replica at version 0 while the
// Central Management store is at version 1 (nothing replicated yet), and Deployment Wizard steps 1, 2 and 4 done.
//
// The two shapes (reference §6; element names as the files use them, any namespace prefix accepted):
//   .tbxml      TopologyBuilder/NewTopology/PartialTopology: InternalDomains; CentralSites/CentralSite (Name,
//               Location, Clusters/Cluster[@UniqueId @Fqdn]/Machines/Machine[@Fqdn], RemoteSites/RemoteSite for
//               branch sites); Services/Service[@RoleName @InstalledOn = a Cluster's (or SqlInstance's) UniqueId].
//   published   Topology: InternalDomains; Sites/CentralSite|BranchSite[@SiteId] (Name); Clusters/Cluster[@Fqdn]
//               with ClusterId[@SiteId @Number] and Machine[@Fqdn]; Services/Service with ServiceId[@RoleName] and
//               InstalledOn/ClusterId (or InstalledOn/SqlInstanceId/ClusterId).
import { failure, sfbError, type Result, type SfbError } from './errors';
import { SCHEMA_VERSION, type Deployment, type Pool, type PoolKind, type Server, type ServerRole, type SipDomain, type Site } from './model';
import { SERVER_ROLES, checkDeployment, formatProblem } from './deploymentFile';
import { TOPOLOGY_MAX_BYTES, TopologyProblem, decodeTopologyBytes, megabytes, parseTopologyXml, tooBig, type XmlElement } from './topologyXml';

export { TOPOLOGY_MAX_BYTES, TOPOLOGY_MAX_DEPTH } from './topologyXml';

export type TopologyImport = Result<{ deployment: Deployment; warnings: string[] }>;

const NAMESPACES = ['TopologyBuilder', 'WritableTopology', 'Topology'].map((n) => `urn:schema:Microsoft.Rtc.Management.Deploy.${n}.2008`);
const NAMESPACE_PATTERN = 'urn:schema:Microsoft.Rtc.Management.Deploy.*.2008';

// ---------------------------------------------------------------------------------------------
// Reading XML elements (fast-xml-parser output, every element as an array, names possibly prefixed)
// ---------------------------------------------------------------------------------------------

const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);
const isAttribute = (key: string): boolean => key.startsWith('@_');
const isNamespaceDeclaration = (key: string): boolean => key === '@_xmlns' || key.startsWith('@_xmlns:');

function childElements(el: XmlElement): [string, XmlElement][] {
  const out: [string, XmlElement][] = [];
  for (const key in el) {
    if (isAttribute(key) || key === '#text' || key === '#cdata') continue;
    for (const child of el[key] as XmlElement[]) out.push([localName(key), child]);
  }
  return out;
}

function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? childElements(el).filter(([n]) => n === name).map(([, c]) => c) : [];
}

function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(el, name)[0];
}

/** An attribute by local name, any case (Windows tools write UniqueId and UniqueID alike); undefined when empty. */
function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const wanted = name.toLowerCase();
  for (const key in el) {
    if (isAttribute(key) && !isNamespaceDeclaration(key) && localName(key.slice(2)).toLowerCase() === wanted) {
      const value = String(el[key]).trim();
      return value || undefined;
    }
  }
  return undefined;
}

function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  const cdata = (el['#cdata'] as XmlElement[] | undefined)?.map((c) => String(c['#text'] ?? '')).join('') ?? '';
  return `${String(el['#text'] ?? '')}${cdata}`.trim();
}

class Reader {
  readonly warnings: string[] = [];
  private readonly ignored = new Map<string, number>();

  constructor(readonly source: string) {}

  need(parent: XmlElement, name: string, where: string): XmlElement {
    const found = child(parent, name);
    if (!found) throw new TopologyProblem('topology-incomplete', `${this.source} has no <${name}> in ${where}, so it is not a complete Skype for Business topology.`);
    return found;
  }

  /** Notes child elements this import does not read (reported once per name, with a count). */
  skipUnknown(el: XmlElement, where: string, known: readonly string[]): void {
    for (const [name] of childElements(el)) {
      const what = `<${name}> in <${where}>`;
      if (!known.includes(name)) this.ignored.set(what, (this.ignored.get(what) ?? 0) + 1);
    }
  }

  finish(): string[] {
    for (const [what, count] of this.ignored) this.warnings.push(`Ignored ${count === 1 ? '' : `${count} × `}${what}: SfB Certificates does not use it.`);
    return this.warnings;
  }
}

// ---------------------------------------------------------------------------------------------
// What both formats give
// ---------------------------------------------------------------------------------------------

interface RawSite { key: string; name: string; kind: Site['kind']; city?: string; country?: string }
interface RawCluster { key: string; siteKey: string; fqdn: string; machines: string[]; singleMachine?: boolean }
interface RawService { role: string; clusterKey?: string; isDirector: boolean; internalWebFqdn?: string; externalWebFqdn?: string }
interface RawTopology { sipDomains: SipDomain[]; sites: RawSite[]; clusters: RawCluster[]; services: RawService[] }

function readSipDomains(r: Reader, parent: XmlElement, where: string): SipDomain[] {
  const domains = r.need(parent, 'InternalDomains', where);
  const names = children(domains, 'InternalDomain').map((d) => attr(d, 'Name')).filter((n): n is string => Boolean(n));
  const stated = attr(domains, 'DefaultDomain');
  if (stated && !names.some((n) => n.toLowerCase() === stated.toLowerCase())) names.unshift(stated);
  if (!names.length) throw new TopologyProblem('topology-incomplete', `${r.source} names no SIP domain (<InternalDomains> has no <InternalDomain Name="…">).`);
  const chosen = stated ?? names[0];
  if (!stated) r.warnings.push(`<InternalDomains> has no DefaultDomain; ${chosen} (the first SIP domain) is taken as the default.`);
  return names.map((name) => ({ name, isDefault: name.toLowerCase() === chosen.toLowerCase() }));
}

function readSite(el: XmlElement, key: string, kind: Site['kind'], r: Reader, where: string): RawSite {
  const name = textOf(child(el, 'Name'));
  if (!name) throw new TopologyProblem('topology-incomplete', `${r.source}: a <${where}> has no <Name>.`);
  const location = child(el, 'Location');
  return { key, name, kind, city: attr(location, 'City'), country: attr(location, 'CountryCode') };
}

/** Details the certificates depend on, from a <Service>'s role-specific element. */
function serviceDetails(service: XmlElement): Pick<RawService, 'isDirector' | 'internalWebFqdn' | 'externalWebFqdn'> {
  const web = child(service, 'WebService');
  return {
    isDirector: attr(child(service, 'RegistrarService'), 'IsDirector')?.toLowerCase() === 'true',
    internalWebFqdn: attr(child(web, 'InternalSettings'), 'Host'),
    externalWebFqdn: attr(child(web, 'ExternalSettings'), 'Host'),
  };
}

function singleMachineFlag(cluster: XmlElement): boolean | undefined {
  const flag = attr(cluster, 'IsSingleMachineOnly')?.toLowerCase();
  return flag === undefined ? undefined : flag === 'true';
}

function clusterFqdn(cluster: XmlElement, r: Reader): string {
  const fqdn = attr(cluster, 'Fqdn');
  if (!fqdn) throw new TopologyProblem('topology-incomplete', `${r.source}: a <Cluster> has no Fqdn attribute (the pool FQDN).`);
  return fqdn;
}

// ---------------------------------------------------------------------------------------------
// Topology Builder (.tbxml)
// ---------------------------------------------------------------------------------------------

function readTopologyBuilder(newTopology: XmlElement, r: Reader): RawTopology {
  r.skipUnknown(newTopology, 'NewTopology', ['PartialTopology']);
  const partial = r.need(newTopology, 'PartialTopology', '<NewTopology>');
  r.skipUnknown(partial, 'PartialTopology', ['InternalDomains', 'CentralSites', 'Services', 'SimpleUrlConfiguration']);
  const sipDomains = readSipDomains(r, partial, '<PartialTopology>');
  const sites: RawSite[] = [];
  const clusters: RawCluster[] = [];
  // Stores (CentralMgmtStore, UserStore, …) are installed on a SQL instance; this maps it to its cluster.
  const clusterOfSqlInstance = new Map<string, string>();

  const readSiteAndClusters = (el: XmlElement, kind: Site['kind'], where: string): void => {
    r.skipUnknown(el, where, ['Name', 'Description', 'Location', 'Clusters', 'RemoteSites']);
    const site = readSite(el, attr(el, 'SiteId') ?? attr(el, 'OriginalSiteId') ?? `#${sites.length + 1}`, kind, r, where);
    sites.push(site);
    for (const c of children(child(el, 'Clusters'), 'Cluster')) {
      r.skipUnknown(c, 'Cluster', ['Machines', 'Machine', 'SqlInstances']);
      const fqdn = clusterFqdn(c, r);
      const key = attr(c, 'UniqueId') ?? fqdn;
      const machines = [...children(child(c, 'Machines'), 'Machine'), ...children(c, 'Machine')];
      for (const sql of children(child(c, 'SqlInstances'), 'SqlInstance')) {
        const id = attr(sql, 'UniqueId');
        if (id) clusterOfSqlInstance.set(id, key);
      }
      clusters.push({ key, siteKey: site.key, fqdn, machines: machines.map((m) => attr(m, 'Fqdn') ?? fqdn), singleMachine: singleMachineFlag(c) });
    }
  };

  const centralSites = r.need(partial, 'CentralSites', '<PartialTopology>');
  for (const central of children(centralSites, 'CentralSite')) {
    readSiteAndClusters(central, 'central', 'CentralSite');
    for (const remote of children(child(central, 'RemoteSites'), 'RemoteSite')) readSiteAndClusters(remote, 'branch', 'RemoteSite');
  }

  const services = children(child(partial, 'Services'), 'Service').map((s): RawService => {
    const on = attr(s, 'InstalledOn');
    return { role: attr(s, 'RoleName') ?? '', clusterKey: on && (clusterOfSqlInstance.get(on) ?? on), ...serviceDetails(s) };
  });
  return { sipDomains, sites, clusters, services };
}

// ---------------------------------------------------------------------------------------------
// Published topology (Get-CsTopology -AsXml)
// ---------------------------------------------------------------------------------------------

function clusterIdKey(id: XmlElement | undefined): string | undefined {
  const site = attr(id, 'SiteId');
  const number = attr(id, 'Number');
  return site && number ? `${site}:${number}` : undefined;
}

function readPublished(topology: XmlElement, r: Reader): RawTopology {
  r.skipUnknown(topology, 'Topology', ['InternalDomains', 'Sites', 'Clusters', 'SqlInstances', 'Services', 'SimpleUrlConfiguration']);
  const sipDomains = readSipDomains(r, topology, '<Topology>');
  const sites: RawSite[] = [];
  const siteList = r.need(topology, 'Sites', '<Topology>');
  r.skipUnknown(siteList, 'Sites', ['CentralSite', 'BranchSite']);
  for (const [name, el] of childElements(siteList)) {
    if (name !== 'CentralSite' && name !== 'BranchSite') continue;
    r.skipUnknown(el, name, ['Name', 'Description', 'Location']);
    const key = attr(el, 'SiteId');
    if (!key) throw new TopologyProblem('topology-incomplete', `${r.source}: a <${name}> has no SiteId attribute.`);
    sites.push(readSite(el, key, name === 'CentralSite' ? 'central' : 'branch', r, name));
  }

  const clusters = children(r.need(topology, 'Clusters', '<Topology>'), 'Cluster').map((c): RawCluster => {
    r.skipUnknown(c, 'Cluster', ['ClusterId', 'Machine']);
    const fqdn = clusterFqdn(c, r);
    const id = child(c, 'ClusterId');
    const key = clusterIdKey(id);
    if (!key) throw new TopologyProblem('topology-incomplete', `${r.source}: cluster ${fqdn} has no <ClusterId SiteId="…" Number="…">.`);
    return { key, siteKey: attr(id, 'SiteId')!, fqdn, machines: children(c, 'Machine').map((m) => attr(m, 'Fqdn') ?? fqdn), singleMachine: singleMachineFlag(c) };
  });

  const services = children(child(topology, 'Services'), 'Service').map((s): RawService => {
    const on = child(s, 'InstalledOn');
    return {
      role: attr(child(s, 'ServiceId'), 'RoleName') ?? '',
      clusterKey: clusterIdKey(child(on, 'ClusterId') ?? child(child(on, 'SqlInstanceId'), 'ClusterId')),
      ...serviceDetails(s),
    };
  });
  return { sipDomains, sites, clusters, services };
}

// ---------------------------------------------------------------------------------------------
// Pools, servers, deployment
// ---------------------------------------------------------------------------------------------

const ROLES_OF_SERVICE: Readonly<Record<string, readonly ServerRole[]>> = {
  UserServices: ['FrontEnd', 'UserServices'],
  Registrar: ['Registrar'],
  WebServices: ['WebServices'],
  EdgeServer: ['Edge'],
  MediationServer: ['Mediation'],
};

/**
 * The pool kind, from the roles (services) installed on the cluster:
 * - UserServices (the Front End role): a Standard Edition server when the cluster is one computer that is the pool
 *   itself (IsSingleMachineOnly="true", or its only machine has the pool's FQDN or none of its own); otherwise an
 *   Enterprise Edition Front End pool (more than one machine, IsSingleMachineOnly="false", or one Front End whose
 *   FQDN differs from the pool's: an Enterprise pool of one).
 * - Registrar without UserServices, marked IsDirector="true": a Director pool. A Registrar not so marked is a
 *   Survivable Branch Appliance or Server.
 * - EdgeServer: an Edge pool. MediationServer without a Front End or Registrar role: a standalone Mediation pool.
 * Anything else (SQL Server back ends, file shares, gateways, Office Web Apps, Survivable Branch Appliances) holds
 * no certificate this extension manages, and is skipped with a warning.
 */
function poolKind(cluster: RawCluster, services: RawService[]): { kind: PoolKind } | { skip: string } {
  const has = (role: string) => services.some((s) => s.role === role);
  if (has('UserServices')) {
    const single = cluster.singleMachine ?? (cluster.machines.length === 1 && cluster.machines[0].toLowerCase() === cluster.fqdn.toLowerCase());
    return { kind: single && cluster.machines.length === 1 ? 'StandardEdition' : 'FrontEndEnterprise' };
  }
  if (services.some((s) => s.role === 'Registrar' && s.isDirector)) return { kind: 'Director' };
  if (has('Registrar')) return { skip: 'a Registrar that is not a Director (a Survivable Branch Appliance or Server), which SfB Certificates does not model' };
  if (has('EdgeServer')) return { kind: 'Edge' };
  if (has('MediationServer')) return { kind: 'Mediation' };
  const roles = [...new Set(services.map((s) => s.role))];
  return { skip: roles.length ? `its roles (${roles.join(', ')}) hold no certificate SfB Certificates manages` : 'no Skype for Business server role is installed on it (a SQL Server back end or a file share, for example)' };
}

function slug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'site';
}

function newServer(fqdn: string, roles: ServerRole[]): Server {
  return {
    fqdn,
    roles,
    certificates: [],
    assignments: {},
    replica: { appliedVersion: 0, unreachable: false, productVersion: '' },
    setup: { localStoreInstalled: true, componentsInstalled: true, servicesStarted: true },
  };
}

function buildDeployment(raw: RawTopology, r: Reader, now: Date): Deployment {
  const siteIds = new Map<string, string>();
  const used = new Set<string>();
  // Central sites first, then branch sites (a .tbxml nests branch sites in their central site; the published
  // topology lists them after), so both formats give the same order.
  const ordered = [...raw.sites.filter((s) => s.kind === 'central'), ...raw.sites.filter((s) => s.kind === 'branch')];
  const sites: Site[] = ordered.map((s) => {
    let id = slug(s.name);
    for (let n = 2; used.has(id); n++) id = `${slug(s.name)}-${n}`;
    used.add(id);
    siteIds.set(s.key, id);
    const site: Site = { id, name: s.name, kind: s.kind };
    if (s.city) site.city = s.city;
    if (s.country) site.country = s.country;
    return site;
  });

  const servicesOf = new Map<string, RawService[]>();
  for (const s of raw.services) {
    if (!s.clusterKey) continue;
    const list = servicesOf.get(s.clusterKey);
    if (list) list.push(s);
    else servicesOf.set(s.clusterKey, [s]);
  }

  const pools: Pool[] = [];
  for (const cluster of raw.clusters) {
    const services = servicesOf.get(cluster.key) ?? [];
    const decided = poolKind(cluster, services);
    if ('skip' in decided) {
      r.warnings.push(`Skipped ${cluster.fqdn}: ${decided.skip}.`);
      continue;
    }
    const siteId = siteIds.get(cluster.siteKey);
    if (!siteId) {
      r.warnings.push(`Skipped ${cluster.fqdn}: it names site ${cluster.siteKey}, which the file does not define.`);
      continue;
    }
    const hostsCms = services.some((s) => s.role === 'CentralMgmt' || s.role === 'CentralMgmtStore');
    const granted = new Set<ServerRole>(services.flatMap((s) => ROLES_OF_SERVICE[s.role] ?? []));
    if (decided.kind === 'Director') granted.add('Director');
    if (hostsCms) granted.add('CentralManagement');
    const roles = SERVER_ROLES.filter((role) => granted.has(role));
    const web = services.find((s) => s.role === 'WebServices');
    const pool: Pool = { fqdn: cluster.fqdn, siteId, kind: decided.kind, servers: cluster.machines.map((m) => newServer(m, roles)), hostsCms };
    // Without an override, the internal web services FQDN is the pool FQDN.
    if (web) pool.internalWebFqdn = web.internalWebFqdn ?? cluster.fqdn;
    if (web?.externalWebFqdn) pool.externalWebFqdn = web.externalWebFqdn;
    pools.push(pool);
  }
  // By site order (a map: thousands of sites must not make this quadratic).
  const siteOrder = new Map(sites.map((s, i) => [s.id, i]));
  pools.sort((a, b) => siteOrder.get(a.siteId)! - siteOrder.get(b.siteId)!);
  if (!pools.length) {
    throw new TopologyProblem('topology-no-pools', `${r.source} has no Front End, Director, Edge or Mediation pool (${raw.clusters.length} cluster(s), none with those roles).`);
  }
  if (!pools.some((p) => p.hostsCms)) r.warnings.push('No pool hosts the Central Management Server (no CentralMgmt service in the file).');

  const defaultDomain = raw.sipDomains.find((d) => d.isDefault)!.name;
  return {
    schemaVersion: SCHEMA_VERSION,
    name: defaultDomain,
    sipDomains: raw.sipDomains,
    sites,
    pools,
    cms: { version: 1, versionCreated: now.toISOString(), certificates: [], assignments: {} },
    history: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/** The document element: its local name, its namespace and the element. */
function documentElement(doc: XmlElement, source: string): { name: string; namespace?: string; el: XmlElement } {
  const [key] = Object.keys(doc);
  if (!key) throw new TopologyProblem('not-a-topology', `${source} has no root element.`);
  const el = (doc[key] as XmlElement[])[0];
  const prefix = key.includes(':') ? key.slice(0, key.indexOf(':')) : undefined;
  const declared = el[prefix ? `@_xmlns:${prefix}` : '@_xmlns'];
  return { name: localName(key), namespace: declared === undefined ? undefined : String(declared), el };
}

/** The error for a topology file of `size` bytes when that is over the cap (checked before reading it), else undefined. */
export function topologySizeProblem(size: number, fileName: string): SfbError | undefined {
  if (size <= TOPOLOGY_MAX_BYTES) return undefined;
  const e = tooBig(fileName, megabytes(size));
  return sfbError(e.code, e.message, e.fix);
}

/** The steps of an import, in order; importTopologySteps yields each before doing it (for progress and cancelling). */
export type TopologyImportPhase = 'decode' | 'parse' | 'build';

/**
 * Reads a topology file (text, or its bytes: then the byte order mark or the XML declaration says the encoding)
 * into a new deployment. `now` stamps the Central Management store's first version. Every problem with the file
 * is a typed error (code, message, fix); an exception means a bug.
 */
export function importTopology(xml: string | Uint8Array, fileName?: string, now: Date = new Date()): TopologyImport {
  const steps = importTopologySteps(xml, fileName, now);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** importTopology, one phase at a time: a caller can report progress and stop between phases. */
export function* importTopologySteps(xml: string | Uint8Array, fileName?: string, now: Date = new Date()): Generator<TopologyImportPhase, TopologyImport, void> {
  const source = fileName ?? 'The topology file';
  try {
    yield 'decode';
    const decoded = typeof xml === 'string' ? { text: xml.replace(/^\uFEFF/, ''), warnings: [] } : decodeTopologyBytes(xml, source);
    yield 'parse';
    const root = documentElement(parseTopologyXml(decoded.text, source), source);
    yield 'build';
    if (!['TopologyBuilder', 'NewTopology', 'Topology'].includes(root.name)) {
      throw new TopologyProblem('not-a-topology',
        `${source} is not a Skype for Business topology: its root element is <${root.name}>, not <TopologyBuilder> or <NewTopology> (a Topology Builder .tbxml file) or <Topology> (Get-CsTopology -AsXml).`);
    }
    if (root.namespace !== undefined && !NAMESPACES.includes(root.namespace)) {
      throw new TopologyProblem('not-a-topology',
        `${source} is not a Skype for Business topology: its <${root.name}> element is in the namespace ${root.namespace}, not one of ${NAMESPACE_PATTERN}.`);
    }
    const r = new Reader(source);
    r.warnings.push(...decoded.warnings);
    if (root.namespace === undefined) r.warnings.push(`<${root.name}> declares no namespace; it is read as a Skype for Business topology (${NAMESPACE_PATTERN}).`);

    let raw: RawTopology;
    if (root.name === 'TopologyBuilder') {
      r.skipUnknown(root.el, 'TopologyBuilder', ['NewTopology']);
      raw = readTopologyBuilder(r.need(root.el, 'NewTopology', '<TopologyBuilder>'), r);
    } else {
      raw = root.name === 'NewTopology' ? readTopologyBuilder(root.el, r) : readPublished(root.el, r);
    }
    const deployment = buildDeployment(raw, r, now);
    const checked = checkDeployment(deployment);
    if (!checked.ok) {
      throw new TopologyProblem('topology-invalid', `${source} does not make a valid deployment: ${checked.errors.slice(0, 3).map(formatProblem).join('; ')}.`,
        'Correct the topology in Topology Builder (names may use only letters, digits and hyphens), then export it again.');
    }
    return { ok: true, deployment, warnings: [...r.finish(), ...checked.warnings] };
  } catch (e) {
    if (e instanceof TopologyProblem) return failure(e.code, e.message, e.fix);
    throw e;
  }
}
