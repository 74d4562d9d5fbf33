// Import Inventory: one or more inventory files (several for the collector's -LocalOnly runs, one per server) into a
// deployment. The topology inside builds the model (the same hardened import as Import Topology); each server's store
// is filled from its certificates' public DER, read with the certificate reader, so every rule runs on real data; its
// assignments come from what Get-CsCertificate showed on it; the global OAuthTokenIssuer slot from what the Front Ends
// showed as global. Over an existing deployment, what the inventory cannot tell (an unreachable server, one missing
// from every file) is left as it was, and the result says so.
//
// How Get-CsCertificate shows a pending roll and the previous certificate is not documented: a result whose
// EffectiveDate is after the collection time is read as the staged roll, and PreviousThumbprint as the previous
// certificate (SfB Certificates' rule; `ownRules` says so).
import { CERT_USES } from '../cmdlets';
import { failure, UNCONFIRMED_RULE, type Result } from '../errors';
import type { CertificateRecord, CertUse, Deployment, HistoryEntry, Server, Slot, SlotEntry, StoredCertificate } from '../model';
import { recordFromDer } from '../certificates/x509';
import { checkDeployment, formatProblem } from '../deploymentFile';
import { receivesGlobalCertificates } from '../topology';
import { importTopologySteps, TOPOLOGY_MAX_BYTES } from '../topologyImport';
import { parseInventorySteps } from './read';
import type { Inventory, InventoryComputer, InventoryCsCertificate } from './shape';

export interface InventoryFile {
  /** The file's name, for messages. */
  name: string;
  bytes: string | Uint8Array;
}

export interface InventoryImported {
  deployment: Deployment;
  /** Problems with the data that did not stop the import (unknown uses, servers not in the topology, …). */
  warnings: string[];
  /** What the inventory could not tell, and what was done instead (left as it was, or assumed). */
  untold: string[];
  /** Counts, for the message after the import. */
  counts: { files: number; servers: number; read: number; failed: number; certificates: number };
}

export type InventoryImport = Result<InventoryImported>;

const KNOWN_USES = new Set<string>(CERT_USES.map((f) => f.use));
const RUN_AGAIN = 'Run Get-SfbCertificateInventory.ps1 again and import the file it writes, unedited.';

class Problem extends Error {
  constructor(readonly code: string, message: string, readonly fix = RUN_AGAIN) {
    super(message);
  }
}

/** Strict base64 (what X509Certificate2.RawData converts to): decodes, and encodes back to the same text. */
function decodeBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

const time = (iso: string | undefined): number => (iso === undefined ? NaN : Date.parse(iso));
const iso = (ms: number): string => new Date(ms).toISOString();

interface Collected {
  inventory: Inventory;
  file: string;
  computer: InventoryComputer;
}

/** Each server's newest readable entry across the files (an entry with an error never hides a readable one). */
function latestPerComputer(files: { inventory: Inventory; file: string }[]): Map<string, Collected> {
  const out = new Map<string, Collected>();
  for (const { inventory, file } of files) {
    for (const computer of inventory.computers) {
      const key = computer.fqdn.toLowerCase();
      const had = out.get(key);
      const better = !had || (had.computer.error !== undefined && computer.error === undefined)
        || ((had.computer.error === undefined) === (computer.error === undefined) && time(inventory.collectedAt) > time(had.inventory.collectedAt));
      if (better) out.set(key, { inventory, file, computer });
    }
  }
  return out;
}

/** Certificates already read in this import, by their RawData (the global OAuth certificate is on every Front End). */
type RecordCache = Map<string, CertificateRecord>;

function storeOf(c: Collected, untold: string[], cache: RecordCache): StoredCertificate[] {
  const out: StoredCertificate[] = [];
  const seen = new Set<string>();
  c.computer.store.forEach((entry, i) => {
    const at = `${c.file}: computers[${c.inventory.computers.indexOf(c.computer)}].store[${i}]`;
    let parsed = cache.get(entry.RawData);
    if (!parsed) {
      const der = decodeBase64(entry.RawData);
      if (!der) throw new Problem('inventory-bad-base64', `${at}.RawData is not valid base64 (${c.computer.fqdn}, ${entry.Thumbprint}).`);
      try {
        parsed = recordFromDer(der);
      } catch (e) {
        throw new Problem('inventory-bad-certificate', `${at}.RawData is not a certificate SfB Certificates can read (${c.computer.fqdn}, ${entry.Thumbprint}): ${(e as Error).message}`);
      }
      cache.set(entry.RawData, parsed);
    }
    const { friendlyName: _none, ...fields } = parsed;
    const record: CertificateRecord = { ...fields, hasPrivateKey: entry.HasPrivateKey, ...(entry.FriendlyName === undefined ? {} : { friendlyName: entry.FriendlyName }) };
    if (record.thumbprint !== entry.Thumbprint) {
      throw new Problem('inventory-thumbprint-mismatch', `${at}: Thumbprint says ${entry.Thumbprint}, but the certificate in RawData is ${record.thumbprint} (${c.computer.fqdn}). The file was altered or damaged.`);
    }
    if (seen.has(record.thumbprint)) return;
    seen.add(record.thumbprint);
    if (entry.HasPrivateKey && entry.PrivateKeyExportable === undefined) {
      untold.push(`${c.computer.fqdn}: whether the private key of ${record.thumbprint} is exportable could not be read (a CNG key?); it is shown as not exportable.`);
    }
    out.push({ ...record, exportable: entry.HasPrivateKey && entry.PrivateKeyExportable === true, source: 'inventory', addedAt: c.inventory.collectedAt });
  });
  return out;
}

/** The slot one use shows on one computer: current (effective by collection time), pending (effective later), previous. */
function slotOf(results: InventoryCsCertificate[], collectedAt: string, store: StoredCertificate[]): Slot {
  const at = time(collectedAt);
  const effective = (r: InventoryCsCertificate): number => (r.EffectiveDate === undefined ? -Infinity : time(r.EffectiveDate));
  const byDate = [...results].sort((a, b) => effective(a) - effective(b));
  const current = byDate.filter((r) => effective(r) <= at).at(-1);
  const pending = byDate.filter((r) => effective(r) > at).at(-1);
  const entry = (r: InventoryCsCertificate): SlotEntry => {
    const since = r.EffectiveDate ?? store.find((s) => s.thumbprint === r.Thumbprint)?.notBefore ?? collectedAt;
    return { thumbprint: r.Thumbprint, effectiveDate: since, updateTime: since };
  };
  const slot: Slot = {};
  if (current) slot.current = entry(current);
  if (pending) slot.pending = { thumbprint: pending.Thumbprint, effectiveDate: pending.EffectiveDate!, updateTime: collectedAt };
  const previous = current?.PreviousThumbprint ?? pending?.PreviousThumbprint;
  if (previous && previous !== slot.current?.thumbprint) {
    const since = store.find((s) => s.thumbprint === previous)?.notBefore ?? slot.current?.effectiveDate ?? collectedAt;
    slot.previous = { thumbprint: previous, effectiveDate: since, updateTime: slot.current?.effectiveDate ?? collectedAt };
  }
  return slot;
}

interface ServerView {
  server: Server;
  /** Get-CsCertificate showed its OAuthTokenIssuer with SourceScope Global. */
  globalOAuth?: Slot;
}

function readServer(base: Server, c: Collected, warnings: string[], untold: string[], cache: RecordCache): ServerView {
  const certificates = storeOf(c, untold, cache);
  const byUse = new Map<CertUse, InventoryCsCertificate[]>();
  let global = false;
  for (const r of c.computer.csCertificates) {
    if (!KNOWN_USES.has(r.Use)) {
      warnings.push(`${c.computer.fqdn}: Get-CsCertificate showed the use "${r.Use}", which SfB Certificates does not model; it is left out.`);
      continue;
    }
    const use = r.Use as CertUse;
    byUse.set(use, [...(byUse.get(use) ?? []), r]);
    if (use === 'OAuthTokenIssuer' && r.SourceScope?.toLowerCase() === 'global') global = true;
  }
  const server: Server = { ...base, certificates, assignments: {} };
  for (const [use, results] of byUse) server.assignments[use] = slotOf(results, c.inventory.collectedAt, certificates);
  return { server, globalOAuth: global ? server.assignments.OAuthTokenIssuer : undefined };
}

function sameSlot(a: Slot | undefined, b: Slot | undefined): boolean {
  return a?.current?.thumbprint === b?.current?.thumbprint && a?.pending?.thumbprint === b?.pending?.thumbprint && a?.previous?.thumbprint === b?.previous?.thumbprint;
}

/** The global slot as the Front Ends see it: the collecting computer's view when it is a Front End, else the most common one. */
function globalSlotFrom(views: { fqdn: string; slot: Slot }[], collectedOn: string[]): Slot | undefined {
  if (!views.length) return undefined;
  const own = views.find((v) => collectedOn.includes(v.fqdn.toLowerCase()));
  if (own) return own.slot;
  const counts = views.map((v) => views.filter((w) => sameSlot(v.slot, w.slot)).length);
  return views[counts.indexOf(Math.max(...counts))].slot;
}

/** Reads the inventory files; `previous` is the deployment they update (what they cannot tell is kept from it). */
export function importInventories(files: InventoryFile[], options: { previous?: Deployment; now?: Date } = {}): InventoryImport {
  const steps = importInventoriesSteps(files, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Where an import in steps is: the phase, and how far into it (files read, servers filled). */
export interface InventoryImportProgress {
  phase: 'read' | 'topology' | 'servers' | 'check';
  done: number;
  total: number;
}

/** Servers filled between two steps of importInventoriesSteps (their certificates are read from DER). */
const SERVERS_PER_STEP = 10;

/**
 * importInventories in steps: it yields where it is after each slice of work (a pass over one file, each phase of the
 * topology's import, ten servers, each pass of the final check), so that a caller that must not block (the extension
 * host) can report progress, do other work and stop in between. It changes nothing: the result is a new deployment.
 */
export function* importInventoriesSteps(files: InventoryFile[], options: { previous?: Deployment; now?: Date } = {}): Generator<InventoryImportProgress, InventoryImport, void> {
  const now = options.now ?? new Date();
  const previous = options.previous;
  if (!files.length) return failure('inventory-none', 'No inventory file was given.', 'Choose the JSON file(s) Get-SfbCertificateInventory.ps1 wrote.');
  const warnings: string[] = [];
  const untold: string[] = [];
  const read: { inventory: Inventory; file: string }[] = [];
  for (const [i, f] of files.entries()) {
    const steps = parseInventorySteps(f.bytes, f.name);
    let one = steps.next();
    for (; !one.done; one = steps.next()) yield { phase: 'read', done: i, total: files.length };
    if (!one.value.ok) return one.value;
    warnings.push(...one.value.warnings);
    read.push({ inventory: one.value.inventory, file: f.name });
  }
  try {
    return { ok: true, ...(yield* build(read, previous, now, warnings, untold)) };
  } catch (e) {
    if (e instanceof Problem) return failure(e.code, e.message, e.fix);
    throw e;
  }
}

function* topologyOf(read: { inventory: Inventory; file: string }[], previous: Deployment | undefined, now: Date, warnings: string[], untold: string[]): Generator<InventoryImportProgress, Deployment, void> {
  const withTopology = read.filter((r) => r.inventory.topologyXml !== undefined).sort((a, b) => time(b.inventory.collectedAt) - time(a.inventory.collectedAt));
  for (const r of read) if (r.inventory.topologyError) warnings.push(`${r.file}: the topology could not be read on ${r.inventory.collectedOn}: ${r.inventory.topologyError}`);
  const newest = withTopology[0];
  if (!newest) {
    if (previous) {
      untold.push('No file holds the topology (topologyXml): the sites, pools and servers are left as they were.');
      return previous;
    }
    throw new Problem('inventory-no-topology', `${read.map((r) => r.file).join(', ')} ${read.length === 1 ? 'holds' : 'hold'} no topology (topologyXml), so there is no deployment to fill.`,
      'Run the collector once without -LocalOnly (on a Front End, where Get-CsTopology works), and import that file with the others.');
  }
  const xml = newest.inventory.topologyXml!;
  if (xml.length > TOPOLOGY_MAX_BYTES) throw new Problem('inventory-topology-too-large', `${newest.file}: topologyXml is larger than ${TOPOLOGY_MAX_BYTES / 1048576} MB, so it is not a topology.`);
  if (withTopology.some((r) => r.inventory.topologyXml !== xml)) warnings.push(`The files hold different topologies; the newest one (${newest.file}, collected ${newest.inventory.collectedAt}) is used.`);
  const steps = importTopologySteps(xml, `${newest.file} (topologyXml)`, now); // decode, parse, build: a step each
  let step = steps.next();
  for (; !step.done; step = steps.next()) yield { phase: 'topology', done: 0, total: 1 };
  const topology = step.value;
  if (!topology.ok) throw new Problem(topology.error.code, topology.error.message, topology.error.fix);
  warnings.push(...topology.warnings.map((w) => `${newest.file} (topologyXml): ${w}`));
  return topology.deployment;
}

function* build(read: { inventory: Inventory; file: string }[], previous: Deployment | undefined, now: Date, warnings: string[], untold: string[]): Generator<InventoryImportProgress, InventoryImported, void> {
  const topology = yield* topologyOf(read, previous, now, warnings, untold);
  const computers = latestPerComputer(read);
  const replicas = new Map<string, { row: Inventory['replication'][number]; collectedAt: string }>();
  for (const r of [...read].sort((a, b) => time(a.inventory.collectedAt) - time(b.inventory.collectedAt))) {
    if (r.inventory.replicationError) warnings.push(`${r.file}: the replication status could not be read on ${r.inventory.collectedOn}: ${r.inventory.replicationError}`);
    for (const row of r.inventory.replication) replicas.set(row.ReplicaFqdn.toLowerCase(), { row, collectedAt: r.inventory.collectedAt });
  }
  // Replicas: the status says only up to date or not. The model's CMS is at version 2 when one is behind (at 1).
  const behind = [...replicas.values()].some((r) => !r.row.UpToDate);
  const version = behind ? 2 : 1;
  const created = [...replicas.values()].map((r) => time(r.row.LastUpdateCreation)).filter((t) => !Number.isNaN(t));
  const newestCollection = Math.max(...read.map((r) => time(r.inventory.collectedAt)));

  const previousServers = new Map<string, Server>();
  for (const pool of previous?.pools ?? []) for (const s of pool.servers) previousServers.set(s.fqdn.toLowerCase(), s);
  const views: { fqdn: string; slot: Slot }[] = [];
  const used = new Set<string>();
  let readCount = 0;
  let failed = 0;
  let certificates = 0;
  let serverCount = 0;
  const noReplicaRow: string[] = [];
  const cache: RecordCache = new Map();
  const total = topology.pools.reduce((n, p) => n + p.servers.length, 0);
  const serverOf = (pool: Deployment['pools'][number], base: Server): Server => {
    serverCount++;
    const key = base.fqdn.toLowerCase();
    const before = previousServers.get(key);
    const collected = computers.get(key);
    used.add(key);
    const replicaRow = replicas.get(key);
    const replica = replicaRow
      ? {
        appliedVersion: replicaRow.row.UpToDate ? version : version - 1, unreachable: false, productVersion: replicaRow.row.ProductVersion ?? '',
        ...(replicaRow.row.LastStatusReport ? { lastStatusReport: replicaRow.row.LastStatusReport } : {}),
        ...(replicaRow.row.LastUpdateCreation ? { lastUpdateCreation: replicaRow.row.LastUpdateCreation } : {}),
      }
      : { ...(before?.replica ?? base.replica), appliedVersion: version, unreachable: false };
    if (!replicaRow) noReplicaRow.push(base.fqdn);
    let server: Server = { ...base, replica };
    if (!collected || collected.computer.error !== undefined) {
      if (collected) failed++;
      const why = collected ? `could not be read (${collected.computer.error})` : 'is in no inventory file';
      if (before) {
        server = { ...server, certificates: before.certificates, assignments: before.assignments, setup: before.setup };
        untold.push(`${base.fqdn} ${why}: its certificates and assignments are left as they were.`);
      } else untold.push(`${base.fqdn} ${why}: its store and assignments are unknown and shown empty.`);
      return server;
    }
    readCount++;
    const view = readServer(server, collected, warnings, untold, cache);
    certificates += view.server.certificates.length;
    if (view.globalOAuth && receivesGlobalCertificates(pool)) views.push({ fqdn: base.fqdn, slot: view.globalOAuth });
    return view.server;
  };
  const pools: Deployment['pools'] = [];
  for (const pool of topology.pools) {
    const servers: Server[] = [];
    for (const base of pool.servers) {
      if (serverCount % SERVERS_PER_STEP === 0) yield { phase: 'servers', done: serverCount, total };
      servers.push(serverOf(pool, base));
    }
    pools.push({ ...pool, servers });
  }
  for (const [key, c] of computers) if (!used.has(key)) warnings.push(`${c.file}: ${c.computer.fqdn} is not a server of the topology; what was collected from it is left out.`);
  if (noReplicaRow.length) {
    untold.push(`No replication status for ${noReplicaRow.length > 5 ? `${noReplicaRow.slice(0, 5).join(', ')} and ${noReplicaRow.length - 5} more` : noReplicaRow.join(', ')}: shown as up to date.`);
  }

  // The Central Management store's global OAuthTokenIssuer, as the Front Ends see it.
  const collectedOn = read.map((r) => r.inventory.collectedOn.toLowerCase());
  let cms = { version, versionCreated: iso(created.length ? Math.max(...created) : newestCollection), certificates: [] as StoredCertificate[], assignments: {} as Deployment['cms']['assignments'] };
  const globalSlot = globalSlotFrom(views, collectedOn);
  if (globalSlot) {
    cms.assignments.OAuthTokenIssuer = globalSlot;
    const wanted = [globalSlot.current, globalSlot.pending, globalSlot.previous].flatMap((e) => (e ? [e.thumbprint] : []));
    for (const thumbprint of wanted) {
      const copies = pools.flatMap((p) => p.servers.flatMap((s) => s.certificates.filter((c) => c.thumbprint === thumbprint)));
      const copy = copies.find((c) => c.hasPrivateKey) ?? copies[0];
      if (copy) cms.certificates.push({ ...copy, source: 'inventory' });
      else untold.push(`The global OAuthTokenIssuer slot names ${thumbprint}, which is in no collected store: the Central Management store's copy of it is unknown.`);
    }
  } else if (previous && !readCount) {
    cms = { ...cms, certificates: previous.cms.certificates, assignments: previous.cms.assignments };
    untold.push('No Front End could be read: the global OAuthTokenIssuer assignment is left as it was.');
  }

  const slots = [...pools.flatMap((p) => p.servers.flatMap((s) => Object.values(s.assignments))), cms.assignments.OAuthTokenIssuer];
  if (readCount && slots.some((slot) => slot?.pending || slot?.previous)) {
    untold.push(`A Get-CsCertificate result whose EffectiveDate is after the collection time is shown as a staged roll, and PreviousThumbprint as the previous certificate ${UNCONFIRMED_RULE}.`);
  }

  const history: HistoryEntry[] = [...(previous?.history ?? []), {
    at: now.toISOString(), cmdlet: 'Get-SfbCertificateInventory.ps1', powershell: '.\\Get-SfbCertificateInventory.ps1',
    summary: `Imported the inventory ${read.map((r) => r.file).join(', ')} (collected ${iso(newestCollection)}): ${readCount} server(s) read, ${failed} could not be read.`,
  }];
  const deployment: Deployment = {
    ...topology, pools, cms, history, name: previous?.name ?? topology.name,
    ...(previous?.simulatedNow ? { simulatedNow: previous.simulatedNow } : {}),
    ...(previous?.productVersion ? { productVersion: previous.productVersion } : {}),
  };
  if (topology === previous) deployment.sites = previous.sites;
  yield { phase: 'check', done: 0, total: 3 };
  const text = JSON.stringify(deployment);
  yield { phase: 'check', done: 1, total: 3 };
  const stored: unknown = JSON.parse(text);
  yield { phase: 'check', done: 2, total: 3 };
  const checked = checkDeployment(stored);
  if (!checked.ok) {
    throw new Problem('inventory-invalid-model', `The inventory does not make a valid deployment: ${checked.errors.slice(0, 3).map(formatProblem).join('; ')}.`);
  }
  return { deployment, warnings, untold, counts: { files: read.length, servers: serverCount, read: readCount, failed, certificates } };
}
