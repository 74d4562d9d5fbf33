// What would change between two states of a deployment (a dry run's before and after): certificate assignments per
// use and scope (the global OAuthTokenIssuer slot and each server's slots: current, previous, staged roll), the
// certificates added to or removed from each store (the Central Management store's too), the CMS version, and the
// replicas that would be behind it. Also the OAuthTokenIssuer certificate each Front End would end with once
// replication has reached every replica it can: the cross-statement check of a script compares those. Pure.
import type { CertUse, Deployment, Pool, Slot, StoredCertificate } from './model';
import { isUpToDate, usesGlobalOAuth } from './replication';
import { receivesGlobalCertificates } from './topology';

export type SlotPart = 'current' | 'previous' | 'pending';

export interface AssignmentChange {
  /** 'global' (the Central Management store's slot) or a server's FQDN. */
  scope: string;
  use: CertUse;
  part: SlotPart;
  /** Thumbprints; absent: none. */
  before?: string;
  after?: string;
  /** The staged roll's effective date after (ISO), for 'pending'. */
  effectiveDate?: string;
}

export interface StoreChange {
  /** A server's FQDN, or 'Central Management store'. */
  store: string;
  added: StoredCertificate[];
  removed: StoredCertificate[];
}

export interface ReplicaBehind {
  fqdn: string;
  appliedVersion: number;
  unreachable: boolean;
}

export interface DeploymentDiff {
  assignments: AssignmentChange[];
  stores: StoreChange[];
  cmsVersion: { before: number; after: number };
  /** Replicas not at the CMS version after the change (all of them, not only the ones the change put behind). */
  replicasBehind: ReplicaBehind[];
  /** How many of them were up to date before. */
  newlyBehind: number;
  /** The operations recorded in the history by the change. */
  history: string[];
  /** Nothing differs apart from the history (e.g. a script that only reads). */
  unchanged: boolean;
}

export const CMS_STORE_NAME = 'Central Management store';
const PARTS: readonly SlotPart[] = ['current', 'previous', 'pending'];

function slotChanges(scope: string, use: CertUse, before: Slot | undefined, after: Slot | undefined, out: AssignmentChange[]): void {
  if (before === after) return;
  for (const part of PARTS) {
    const was = before?.[part]?.thumbprint;
    const is = after?.[part]?.thumbprint;
    const movedDate = part === 'pending' && was && was === is && before?.pending?.effectiveDate !== after?.pending?.effectiveDate;
    if (was === is && !movedDate) continue;
    out.push({ scope, use, part, ...(was ? { before: was } : {}), ...(is ? { after: is } : {}), ...(part === 'pending' && after?.pending ? { effectiveDate: after.pending.effectiveDate } : {}) });
  }
}

function storeChange(store: string, before: readonly StoredCertificate[], after: readonly StoredCertificate[]): StoreChange | undefined {
  if (before === after) return undefined;
  const had = new Set(before.map((c) => c.thumbprint));
  const has = new Set(after.map((c) => c.thumbprint));
  const added = after.filter((c) => !had.has(c.thumbprint));
  const removed = before.filter((c) => !has.has(c.thumbprint));
  return added.length || removed.length ? { store, added, removed } : undefined;
}

/** The differences from `before` to `after` (servers matched by FQDN, case-insensitively). */
export function diffDeployments(before: Deployment, after: Deployment): DeploymentDiff {
  const assignments: AssignmentChange[] = [];
  const stores: StoreChange[] = [];
  const globalUses = new Set([...Object.keys(before.cms.assignments), ...Object.keys(after.cms.assignments)]) as Set<CertUse>;
  for (const use of globalUses) slotChanges('global', use, before.cms.assignments[use], after.cms.assignments[use], assignments);
  const cmsStore = storeChange(CMS_STORE_NAME, before.cms.certificates, after.cms.certificates);
  if (cmsStore) stores.push(cmsStore);
  const old = new Map(before.pools.flatMap((p) => p.servers.map((s) => [s.fqdn.toLowerCase(), s] as const)));
  const replicasBehind: ReplicaBehind[] = [];
  let newlyBehind = 0;
  for (const pool of after.pools) for (const server of pool.servers) {
    const was = old.get(server.fqdn.toLowerCase());
    if (!isUpToDate(server.replica, after.cms)) {
      replicasBehind.push({ fqdn: server.fqdn, appliedVersion: server.replica.appliedVersion, unreachable: server.replica.unreachable });
      if (!was || isUpToDate(was.replica, before.cms)) newlyBehind++;
    }
    if (was === server) continue;
    const uses = new Set([...Object.keys(was?.assignments ?? {}), ...Object.keys(server.assignments)]) as Set<CertUse>;
    for (const use of uses) slotChanges(server.fqdn, use, was?.assignments[use], server.assignments[use], assignments);
    const change = storeChange(server.fqdn, was?.certificates ?? [], server.certificates);
    if (change) stores.push(change);
  }
  const history = after.history.slice(before.history.length).map((h) => h.summary);
  const unchanged = !assignments.length && !stores.length && before.cms.version === after.cms.version;
  return { assignments, stores, cmsVersion: { before: before.cms.version, after: after.cms.version }, replicasBehind, newlyBehind, history, unchanged };
}

/**
 * The OAuthTokenIssuer certificate (current, and a staged roll) each Front End and Director would use once
 * replication has reached every replica it can: with a global slot, the slot's, except on an unreachable replica
 * (it keeps its own); without one, its own (the manual MMC path). Keyed by FQDN; '' for none.
 */
export function oauthEndState(state: Deployment): Map<string, string> {
  const out = new Map<string, string>();
  forEachOAuthRun(state, (key, fqdns) => {
    for (const fqdn of fqdns) out.set(fqdn, key);
  });
  return out;
}

/** Front Ends grouped by the OAuth certificate they would end with; more than one group: they disagree. */
export function oauthGroups(state: Deployment): { key: string; servers: string[] }[] {
  const groups = new Map<string, string[]>();
  forEachOAuthRun(state, (key, fqdns) => {
    const list = groups.get(key);
    if (list) for (const fqdn of fqdns) list.push(fqdn);
    else groups.set(key, fqdns.slice());
  });
  return [...groups].map(([key, servers]) => ({ key, servers })).sort((a, b) => b.servers.length - a.servers.length);
}

function slotKey(slot: Slot | undefined): string {
  return `${slot?.current?.thumbprint ?? ''}${slot?.pending ? ` → ${slot.pending.thumbprint} on ${slot.pending.effectiveDate}` : ''}`;
}

/**
 * A pool's Front Ends in order, as runs of neighbours that end with the same certificate: `global` (undefined key)
 * for a reachable replica under a global slot, else the server's own slot's key. Remembered per pool object (states
 * share the pools an operation did not touch), so a dry run that checks agreement after every statement of a long
 * script does not walk 12,000 servers each time.
 */
interface PoolRuns {
  withGlobal: { key: string | undefined; fqdns: string[] }[];
  own: { key: string; fqdns: string[] }[];
}

const POOL_RUNS = new WeakMap<Pool, PoolRuns | null>();

function poolRuns(pool: Pool): PoolRuns | null {
  let runs = POOL_RUNS.get(pool);
  if (runs !== undefined) return runs;
  runs = null;
  if (receivesGlobalCertificates(pool)) {
    const withGlobal: PoolRuns['withGlobal'] = [];
    const own: PoolRuns['own'] = [];
    for (const server of pool.servers) {
      const key = slotKey(server.assignments.OAuthTokenIssuer);
      const globalKey = server.replica.unreachable ? key : undefined;
      const lastGlobal = withGlobal[withGlobal.length - 1];
      if (lastGlobal && lastGlobal.key === globalKey) lastGlobal.fqdns.push(server.fqdn);
      else withGlobal.push({ key: globalKey, fqdns: [server.fqdn] });
      const lastOwn = own[own.length - 1];
      if (lastOwn && lastOwn.key === key) lastOwn.fqdns.push(server.fqdn);
      else own.push({ key, fqdns: [server.fqdn] });
    }
    runs = { withGlobal, own };
  }
  POOL_RUNS.set(pool, runs);
  return runs;
}

/** Calls `each` with the end-state key of runs of Front Ends, in the order of the pools and servers. */
function forEachOAuthRun(state: Deployment, each: (key: string, fqdns: readonly string[]) => void): void {
  const global = usesGlobalOAuth(state) ? slotKey(state.cms.assignments.OAuthTokenIssuer) : undefined;
  for (const pool of state.pools) {
    const runs = poolRuns(pool);
    if (!runs) continue;
    if (global === undefined) for (const run of runs.own) each(run.key, run.fqdns);
    else for (const run of runs.withGlobal) each(run.key ?? global, run.fqdns);
  }
}
