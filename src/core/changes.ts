// What an operation touched, read from the states before and after it. Operations never change a deployment in
// place: they copy what they change and share the rest, so comparing object identities tells which servers and
// whether the CMS changed, in one pass of pointer comparisons (a few microseconds per thousand servers).
import type { Deployment, Pool } from './model';

export interface DeploymentChange {
  /** Anything may have changed (first load, another file, the topology, the SIP domains or the clock): refresh all. */
  all: boolean;
  /** The Central Management Store changed (its version, certificates or global assignments). */
  cms: boolean;
  /** FQDNs of the servers that changed (their store, assignments or replica state). Empty when `all`. */
  servers: string[];
}

export const EVERYTHING_CHANGED: DeploymentChange = Object.freeze({ all: true, cms: true, servers: [] as string[] }) as DeploymentChange;

/** The same pool apart from its servers (a pool copied only to hold changed servers). */
function samePoolApartFromServers(a: Pool, b: Pool): boolean {
  if (a.servers.length !== b.servers.length) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (k !== 'servers' && a[k as keyof Pool] !== b[k as keyof Pool]) return false;
  return true;
}

/** What differs between two versions of a deployment (undefined: none loaded). */
export function changeBetween(before: Deployment | undefined, after: Deployment | undefined): DeploymentChange {
  if (!before || !after) return EVERYTHING_CHANGED;
  if (before === after) return { all: false, cms: false, servers: [] };
  if (before.sites !== after.sites || before.sipDomains !== after.sipDomains || before.simulatedNow !== after.simulatedNow || before.productVersion !== after.productVersion
    || before.pools.length !== after.pools.length || before.schemaVersion !== after.schemaVersion || before.name !== after.name) return EVERYTHING_CHANGED;
  const servers: string[] = [];
  for (let p = 0; p < after.pools.length; p++) {
    const a = before.pools[p];
    const b = after.pools[p];
    if (a === b) continue;
    if (!samePoolApartFromServers(a, b)) return EVERYTHING_CHANGED;
    for (let s = 0; s < b.servers.length; s++) {
      if (a.servers[s] === b.servers[s]) continue;
      if (a.servers[s].fqdn !== b.servers[s].fqdn) return EVERYTHING_CHANGED;
      servers.push(b.servers[s].fqdn);
    }
  }
  return { all: false, cms: before.cms !== after.cms, servers };
}
