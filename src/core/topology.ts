// The one home of each topology fact (issue #10, "one fact, one place"): which pools are Front End pools, which
// receive the global OAuthTokenIssuer certificate (Front Ends and Directors), the certificate uses a server of each
// pool kind holds, what a valid FQDN is, where a server is, and the computer a cmdlet without -Identity runs on.
// Pure, and a leaf: it imports only the model's types (erased at build time), so the wizard's webview bundle
// (src/shared/protocol/) can use the FQDN rule without pulling in the rest of the core.
import type { CertUse, Deployment, Pool, PoolKind, ProductVersion, Server } from './model';

// ---------------------------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------------------------

/** A Front End pool: an Enterprise Edition Front End pool or a Standard Edition server (where a shell runs by default). */
export function isFrontEndPool(pool: Pick<Pool, 'kind'>): boolean {
  return pool.kind === 'FrontEndEnterprise' || pool.kind === 'StandardEdition';
}

/**
 * The servers that receive the global OAuthTokenIssuer certificate from replication: every Front End ("replicated
 * to, and used by, all your Front End Servers" [S7]) and every Director — the Lync Server 2013 Director certificate
 * summaries list OAuthTokenIssuer as a required certificate on each Director [S12]. No SfB 2015/2019 page says it
 * either way, so for those versions the Director part is SfB Certificates' reading (DIRECTOR_OAUTH_NOTE says so
 * where the UI shows it). Edges and standalone Mediation servers replicate configuration but get no OAuth
 * certificate.
 */
export function receivesGlobalCertificates(pool: Pick<Pool, 'kind'>): boolean {
  return isFrontEndPool(pool) || pool.kind === 'Director';
}

/** The servers receivesGlobalCertificates names, as messages call them. */
export const GLOBAL_CERTIFICATE_RECEIVERS = 'Front End, Standard Edition and Director servers';

/** "3 Front End, Standard Edition and Director servers" / "1 Front End, Standard Edition or Director server". */
export function globalCertificateReceivers(count: number): string {
  return count === 1 ? '1 Front End, Standard Edition or Director server' : `${count} ${GLOBAL_CERTIFICATE_RECEIVERS}`;
}

/** Shown where a Director's OAuthTokenIssuer certificate appears: where that fact comes from [S12]. */
export const DIRECTOR_OAUTH_NOTE =
  'Directors receive the global OAuthTokenIssuer certificate as the Lync Server 2013 Director certificate summaries require; no Skype for Business Server 2015/2019 page says so (SfB Certificates\' reading for those versions).';

// ---------------------------------------------------------------------------------------------
// Certificate uses per pool kind
// ---------------------------------------------------------------------------------------------

/**
 * The certificate uses (-Type) a server of each pool kind holds in Skype for Business Server 2019, in the Certificate
 * Wizard's order [S17]; on Front Ends and Directors OAuthTokenIssuer is the replica of the global assignment. Edges:
 * the external interface's three uses assigned separately (not the combined External), and no XMPPServer: XMPP is no
 * longer available in Skype for Business Server 2019 [S53].
 */
export const SERVER_USES: Readonly<Record<PoolKind, readonly CertUse[]>> = {
  FrontEndEnterprise: ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer'],
  StandardEdition: ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer'],
  Director: ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer'],
  Mediation: ['Default'],
  Edge: ['Internal', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication'],
};

// ---------------------------------------------------------------------------------------------
// Product version (Skype for Business Server 2015 / 2019)
// ---------------------------------------------------------------------------------------------

export const PRODUCT_VERSIONS: readonly ProductVersion[] = ['2015', '2019'];

/** "Skype for Business Server 2015". */
export function productName(version: ProductVersion): string {
  return `Skype for Business Server ${version}`;
}

/**
 * The version a replica's ProductVersion (Get-CsManagementStoreReplicationStatus [S5]) names: builds 6.0.9319.x are
 * Skype for Business Server 2015, 7.0.2046.x are 2019 [S52]. Anything else (empty, a Lync build) → undefined.
 */
export function productVersionOf(build: string | undefined): ProductVersion | undefined {
  const m = /^\s*(\d+)\.(\d+)\.(\d+)/.exec(build ?? '');
  if (!m) return undefined;
  if (m[1] === '6' && m[3] === '9319') return '2015';
  if (m[1] === '7' && m[3] === '2046') return '2019';
  return undefined;
}

/** Which version a deployment (or one server) runs, and where that was read. */
export interface VersionReading {
  version: ProductVersion;
  /** False when nothing in the model says: the model then uses 2019's use lists (SfB Certificates' rule). */
  known: boolean;
  /** For a person: "ProductVersion 7.0.2046.0 of 4 replicas", or why it is assumed. */
  basis: string;
  /** Where it comes from: the replicas' ProductVersion, set by hand (Set Product Version…), or assumed. */
  from: 'replicas' | 'set-by-hand' | 'assumed';
}

export const ASSUMED_VERSION: ProductVersion = '2019';
const ASSUMED_BASIS = `no replica reports a Skype for Business Server 2015 or 2019 ProductVersion, so SfB Certificates uses ${ASSUMED_VERSION}'s certificate uses (SfB Certificates' rule; set it with Set Product Version…)`;
const SET_BY_HAND_BASIS = 'set by hand with Set Product Version… (no replica reports a ProductVersion)';

/**
 * The deployment's product version, from its replicas' ProductVersion: the version most replicas report (ties go to
 * the newer). Where none reports one (a topology import), the version set by hand (Deployment.productVersion), else
 * 2019 assumed. In a coexistence deployment each server follows its own replica (serverVersion).
 */
export function deploymentVersion(state: Pick<Deployment, 'pools' | 'productVersion'>): VersionReading {
  // Deployments are never changed in place: the pools array is the same object while no server changed.
  let reading = versionMemo.get(state.pools);
  if (!reading) {
    reading = readVersion(state.pools);
    versionMemo.set(state.pools, reading);
  }
  if (reading.from === 'assumed' && state.productVersion) return { version: state.productVersion, known: true, basis: SET_BY_HAND_BASIS, from: 'set-by-hand' };
  return reading;
}

/** The replicas' reading alone (what Set Product Version… may not contradict). */
export function replicaVersion(state: Pick<Deployment, 'pools'>): VersionReading {
  return deploymentVersion({ pools: state.pools });
}

const versionMemo = new WeakMap<readonly Pool[], VersionReading>();

function readVersion(pools: readonly Pool[]): VersionReading {
  const counts = new Map<ProductVersion, number>();
  let build = '';
  for (const pool of pools) {
    for (const server of pool.servers) {
      const v = productVersionOf(server.replica.productVersion);
      if (!v) continue;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      build ||= server.replica.productVersion;
    }
  }
  if (!counts.size) return { version: ASSUMED_VERSION, known: false, basis: ASSUMED_BASIS, from: 'assumed' };
  const [version, n] = [...counts.entries()].sort((a, b) => b[1] - a[1] || Number(b[0]) - Number(a[0]))[0];
  const mixed = counts.size > 1 ? `; ${[...counts.entries()].filter(([v]) => v !== version).map(([v, c]) => `${c} replica${c === 1 ? '' : 's'} report ${v}`).join(', ')}` : '';
  return { version, known: true, basis: `ProductVersion of ${n} replica${n === 1 ? '' : 's'} (e.g. ${build.trim()})${mixed}`, from: 'replicas' };
}

/** One server's version: its own replica's ProductVersion, else the deployment's. */
export function serverVersion(state: Pick<Deployment, 'pools' | 'productVersion'>, server: Pick<Server, 'replica'>): VersionReading {
  const own = productVersionOf(server.replica.productVersion);
  return own ? { version: own, known: true, basis: `its replica's ProductVersion ${server.replica.productVersion.trim()}`, from: 'replicas' } : deploymentVersion(state);
}

/**
 * The uses a server of this pool kind holds in this version: 2019's list (SERVER_USES), and in 2015 the Edge's
 * external interface also carries XMPPServer (the 2015 Deployment Wizard's Edge request names it [S17], reference C11).
 */
export function serverUses(kind: PoolKind, version: ProductVersion): readonly CertUse[] {
  return version === '2015' && kind === 'Edge' ? [...SERVER_USES.Edge, 'XMPPServer'] : SERVER_USES[kind];
}

/**
 * The uses of the Edge's external interface, which the Certificate Wizard assigns together (one certificate): 2015's
 * include XMPPServer, 2019's do not (serverUses).
 */
export function edgeExternalUses(version: ProductVersion): readonly CertUse[] {
  return serverUses('Edge', version).filter((use) => use !== 'Internal');
}

/** What changes between the versions, for a person choosing one (Set Product Version…). */
export const VERSION_DIFFERENCES: Readonly<Record<ProductVersion, string>> = {
  2015: 'the Edge external interface also carries XMPPServer (XMPP federation)',
  2019: 'no XMPPServer use: XMPP is no longer available; an XMPPServer assignment is reported',
};

/** Uses that exist only in some versions, and why: XMPPServer is gone from 2019 [S53]. */
const VERSION_ONLY_USES: Partial<Record<CertUse, { versions: readonly ProductVersion[]; why: string }>> = {
  XMPPServer: { versions: ['2015'], why: 'XMPP (the XMPP proxy on the Edge Server) is no longer available in Skype for Business Server 2019' },
};

/** Why `use` does not exist in `version`, or undefined when it does. */
export function useMissingFromVersion(use: CertUse, version: ProductVersion): string | undefined {
  const only = VERSION_ONLY_USES[use];
  return only && !only.versions.includes(version) ? only.why : undefined;
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
/**
 * SfB allows standard characters only in FQDNs: A–Z, a–z, 0–9 and hyphens, dot-separated, at least two labels
 * (reference §6.1). As a pattern string too, for the deployment file's JSON Schema.
 */
export const FQDN_PATTERN = `^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})+$`;
const FQDN = new RegExp(FQDN_PATTERN);

/** A fully qualified domain name as Skype for Business Server accepts it (a server, a pool, a SIP domain). */
export function isFqdn(value: string): boolean {
  return FQDN.test(value);
}

// ---------------------------------------------------------------------------------------------
// Where a server is
// ---------------------------------------------------------------------------------------------

export interface ServerLocation {
  server: Server;
  pool: Pool;
  poolIndex: number;
  serverIndex: number;
}

/** JSON path of a server in the deployment file, e.g. "pools[0].servers[1]". */
export function serverPath(at: { poolIndex: number; serverIndex: number }): string {
  return `pools[${at.poolIndex}].servers[${at.serverIndex}]`;
}

/** FQDNs compare case-insensitively, as DNS names do. */
export function findServer(state: Deployment, fqdn: string): ServerLocation | undefined {
  const wanted = fqdn.trim().toLowerCase();
  for (let poolIndex = 0; poolIndex < state.pools.length; poolIndex++) {
    const pool = state.pools[poolIndex];
    for (let serverIndex = 0; serverIndex < pool.servers.length; serverIndex++) {
      if (pool.servers[serverIndex].fqdn.toLowerCase() === wanted) return { server: pool.servers[serverIndex], pool, poolIndex, serverIndex };
    }
  }
  return undefined;
}

/**
 * The computer an admin's shell runs on when a cmdlet without -Identity names none: the first server of the pool
 * hosting the Central Management store, else of the first Front End pool.
 */
export function defaultComputer(state: Deployment): ServerLocation | undefined {
  const poolIndex = [state.pools.findIndex((p) => p.hostsCms && p.servers.length), state.pools.findIndex((p) => isFrontEndPool(p) && p.servers.length)].find((i) => i >= 0);
  return poolIndex === undefined ? undefined : { server: state.pools[poolIndex].servers[0], pool: state.pools[poolIndex], poolIndex, serverIndex: 0 };
}
