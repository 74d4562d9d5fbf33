// The Central Management store and its copies: the one slot-update helper (used by Set, Import, roll, Remove and
// replication), copy-on-write edits of servers, CMS versions, and the replication that brings every replica up to
// the CMS version and deploys the global OAuthTokenIssuer certificate onto the Front Ends.
//
// States are immutable: every function returns a new Deployment that shares everything it did not change.
//
// Model choice: the real Master Replicator pushes changes by itself within minutes (and even
// Invoke-CsManagementStoreReplication takes two to three minutes [S5c]). Here a replica changes only when
// replication is invoked, so the user can watch the in-between state (UpToDate False, FEs without the certificate).
import type { ReplicaStatus } from './cmdlets';
import { failure, type Result } from './errors';
import type { Assignments, CentralManagementStore, CertUse, Deployment, Pool, ReplicaState, Server, Slot, StoredCertificate } from './model';
import { findServer, receivesGlobalCertificates, type ServerLocation } from './topology';

// ---------------------------------------------------------------------------------------------
// Slots
// ---------------------------------------------------------------------------------------------

export type SlotChange =
  /** Immediately current (Set/Import without -Roll). */
  | { kind: 'assign'; thumbprint: string; at: string }
  /** Staged with -Roll -EffectiveDate; replaces a roll already pending. */
  | { kind: 'stage'; thumbprint: string; effectiveDate: string; at: string }
  /** The pending roll's effective date has come: current → previous, pending → current. */
  | { kind: 'roll' }
  | { kind: 'remove-current' }
  | { kind: 'remove-previous' }
  /** Replication: the slot becomes a copy of the CMS's. */
  | { kind: 'mirror'; slot: Slot };

/**
 * The one place slots change. A slot emptied by Remove stays as `{}`: it records that the use was assigned and
 * then removed, which replication needs to propagate the removal.
 *
 * Immediate assignment keeps the replaced certificate as previous. The docs only say SfB keeps a current and a
 * previous certificate [S7]; what an immediate Set does to the previous slot is unconfirmed (the operation says so).
 */
export function updateSlot(assignments: Assignments, use: CertUse, change: SlotChange): Assignments {
  const slot: Slot = assignments[use] ?? {};
  let next: Slot;
  switch (change.kind) {
    case 'assign': {
      const entry = { thumbprint: change.thumbprint, effectiveDate: change.at, updateTime: change.at };
      const sameAsCurrent = slot.current?.thumbprint === change.thumbprint;
      next = {
        current: sameAsCurrent ? { ...slot.current!, updateTime: change.at } : entry,
        previous: sameAsCurrent ? slot.previous : slot.current ?? slot.previous,
        pending: slot.pending?.thumbprint === change.thumbprint ? undefined : slot.pending,
      };
      break;
    }
    case 'stage':
      next = { ...slot, pending: { thumbprint: change.thumbprint, effectiveDate: change.effectiveDate, updateTime: change.at } };
      break;
    case 'roll': {
      if (!slot.pending) return assignments;
      const { thumbprint, effectiveDate, updateTime } = slot.pending;
      next = { current: { thumbprint, effectiveDate, updateTime }, previous: slot.current ?? slot.previous };
      break;
    }
    case 'remove-current':
      next = { ...slot, current: undefined };
      break;
    case 'remove-previous':
      next = { ...slot, previous: undefined };
      break;
    case 'mirror':
      next = change.slot;
      break;
  }
  return { ...assignments, [use]: withoutUndefined(next) };
}

/** Keeps the stored JSON free of `"pending": undefined` noise (JSON drops it, but deepEqual and spreads do not). */
function withoutUndefined(slot: Slot): Slot {
  const out: Slot = {};
  if (slot.current) out.current = slot.current;
  if (slot.previous) out.previous = slot.previous;
  if (slot.pending) out.pending = slot.pending;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Editing servers copy-on-write (finding them: topology.ts)
// ---------------------------------------------------------------------------------------------

export function withServer(state: Deployment, at: { poolIndex: number; serverIndex: number }, update: (server: Server) => Server): Deployment {
  const pool = state.pools[at.poolIndex];
  const servers = pool.servers.slice();
  servers[at.serverIndex] = update(servers[at.serverIndex]);
  const pools = state.pools.slice();
  pools[at.poolIndex] = { ...pool, servers };
  return { ...state, pools };
}

/** Applies `update` to every server; returns the same state object when no server changed. */
export function mapServers(state: Deployment, update: (server: Server, pool: Pool) => Server, visit?: (pool: Pool) => boolean): Deployment {
  let pools: Pool[] | undefined;
  state.pools.forEach((pool, poolIndex) => {
    if (visit && !visit(pool)) return;
    let servers: Server[] | undefined;
    pool.servers.forEach((server, serverIndex) => {
      const next = update(server, pool);
      if (next === server) return;
      servers ??= pool.servers.slice();
      servers[serverIndex] = next;
    });
    if (!servers) return;
    pools ??= state.pools.slice();
    pools[poolIndex] = { ...pool, servers };
  });
  return pools ? { ...state, pools } : state;
}

/**
 * The deployment assigns OAuthTokenIssuer globally: the CMS has the slot, even emptied by Remove. Then the Front
 * Ends' slots are replicas of it. Without it, a Front End's slot is its own (the manual MMC path [S7]).
 */
export function usesGlobalOAuth(state: Deployment): boolean {
  return state.cms.assignments.OAuthTokenIssuer !== undefined;
}

// ---------------------------------------------------------------------------------------------
// CMS versions and replica status
// ---------------------------------------------------------------------------------------------

/** Every global change creates a new CMS version; replicas catch up to it. */
export function bumpCmsVersion(cms: CentralManagementStore, now: Date): CentralManagementStore {
  return { ...cms, version: cms.version + 1, versionCreated: now.toISOString() };
}

export function isUpToDate(replica: ReplicaState, cms: CentralManagementStore): boolean {
  return !replica.unreachable && replica.appliedVersion === cms.version;
}

export type Targets = Result<{ targets: ServerLocation[] }>;

/** All replicas, or the one named by -ReplicaFqdn. */
export function replicaTargets(state: Deployment, replicaFqdn?: string): Targets {
  if (replicaFqdn === undefined) {
    return { ok: true, targets: state.pools.flatMap((pool, poolIndex) => pool.servers.map((server, serverIndex) => ({ server, pool, poolIndex, serverIndex }))) };
  }
  const found = findServer(state, replicaFqdn);
  if (!found) {
    return failure('replica-not-found', `No computer named ${replicaFqdn} is in the topology, so it has no replica of the Central Management store.`,
      'Check the FQDN (Get-CsManagementStoreReplicationStatus lists every replica), or leave out -ReplicaFqdn to address all of them.');
  }
  return { ok: true, targets: [found] };
}

/**
 * Get-CsManagementStoreReplicationStatus rows. A failing Edge shows empty LastStatusReport and ProductVersion, as
 * the community reports [S21]; internal servers keep their last values.
 */
export function replicaStatus(state: Deployment, targets: ServerLocation[]): ReplicaStatus[] {
  return targets.map(({ server, pool }) => {
    const r = server.replica;
    const silentEdge = pool.kind === 'Edge' && r.unreachable;
    return {
      UpToDate: isUpToDate(r, state.cms),
      ReplicaFqdn: server.fqdn,
      LastStatusReport: silentEdge ? '' : r.lastStatusReport ?? '',
      LastUpdateCreation: r.lastUpdateCreation ?? '',
      ProductVersion: silentEdge ? '' : r.productVersion,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Replication
// ---------------------------------------------------------------------------------------------

export interface ReplicationResult {
  replicaFqdn: string;
  /** UpToDate after this run. */
  upToDate: boolean;
  /** The global OAuthTokenIssuer slot (and its certificates) was deployed to this server. */
  deployedOAuth: boolean;
  /** Why replication to this replica failed. */
  error?: string;
}

/** Where replication to this replica goes, and what fails when it cannot get there [S20][S27][S28]. */
function unreachableReason(server: Server, pool: Pool): string {
  const host = server.fqdn.split('.')[0];
  return pool.kind === 'Edge'
    ? `${server.fqdn} is unreachable (simulated outage). Edge replicas are reached over HTTPS, TCP 4443, on the Edge internal interface; check that port and the certificates used for MTLS (events 1017 "Https destination unavailable", 1015).`
    : `${server.fqdn} is unreachable (simulated outage). Internal replicas are reached over SMB (\\\\${host}\\xds-replica, TCP 445); check the share and its permissions (event 1034 "Access denied").`;
}

/**
 * Replicates the CMS to the target replicas. Reachable ones apply the current CMS version; Front End and
 * Standard Edition servers also get the global OAuthTokenIssuer slot mirrored into their local assignments and
 * its certificates (with private key, from the CMS copy) added to their store: the scheduled tasks that "decrypt
 * and deploy the certificate to all your Front End Servers" [S7]. Unreachable replicas fail and keep their state.
 *
 * When the CMS has never held an OAuthTokenIssuer slot, a Front End's own (manual MMC path) assignment is left
 * alone; once the CMS has one, even an emptied one, it wins — the extension's rule, the product's exact
 * behaviour is unconfirmed.
 */
export function replicate(state: Deployment, targets: ServerLocation[], now: Date): { state: Deployment; results: ReplicationResult[] } {
  const at = now.toISOString();
  const { cms } = state;
  const globalSlot = cms.assignments.OAuthTokenIssuer;
  const deployable = globalSlot ? deployableCertificates(cms, globalSlot, at) : [];
  const wanted = new Set(targets.map((t) => t.server));
  const results: ReplicationResult[] = [];
  const next = mapServers(state, (server, pool) => {
    if (!wanted.has(server)) return server;
    if (server.replica.unreachable) {
      results.push({ replicaFqdn: server.fqdn, upToDate: false, deployedOAuth: false, error: unreachableReason(server, pool) });
      return server;
    }
    const replica: ReplicaState = { ...server.replica, appliedVersion: cms.version, lastStatusReport: at, lastUpdateCreation: cms.versionCreated };
    const deploy = globalSlot !== undefined && receivesGlobalCertificates(pool);
    results.push({ replicaFqdn: server.fqdn, upToDate: true, deployedOAuth: deploy });
    if (!deploy) return { ...server, replica };
    return {
      ...server,
      replica,
      assignments: server.assignments.OAuthTokenIssuer === globalSlot ? server.assignments : updateSlot(server.assignments, 'OAuthTokenIssuer', { kind: 'mirror', slot: globalSlot }),
      certificates: withDeployed(server.certificates, deployable),
    };
  });
  return { state: next, results };
}

/** The CMS's copies of the slot's certificates as they land on a Front End (one shared object per certificate). */
function deployableCertificates(cms: CentralManagementStore, slot: Slot, at: string): StoredCertificate[] {
  const thumbprints = [slot.current, slot.previous, slot.pending].flatMap((e) => (e ? [e.thumbprint] : []));
  return cms.certificates
    .filter((c) => thumbprints.includes(c.thumbprint))
    .map((c) => ({ ...c, source: 'replication' as const, addedAt: at }));
}

/** Adds the deployed certificates a store lacks; one the store holds without its private key gets the deployed copy. */
function withDeployed(store: StoredCertificate[], deployed: StoredCertificate[]): StoredCertificate[] {
  let out: StoredCertificate[] | undefined;
  for (const cert of deployed) {
    const list = out ?? store;
    const i = list.findIndex((c) => c.thumbprint === cert.thumbprint);
    if (i >= 0 && (list[i].hasPrivateKey || !cert.hasPrivateKey)) continue;
    out ??= store.slice();
    if (i >= 0) out[i] = cert;
    else out.push(cert);
  }
  return out ?? store;
}

/** Simulated outage on or off for one replica. */
export function withReachability(state: Deployment, at: ServerLocation, reachable: boolean): Deployment {
  return withServer(state, at, (server) => ({ ...server, replica: { ...server.replica, unreachable: !reachable } }));
}
