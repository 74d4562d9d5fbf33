// The one home of each topology fact (issue #10, "one fact, one place"): which pools are Front End pools, which
// receive the global OAuthTokenIssuer certificate (Front Ends and Directors), the certificate uses a server of each
// pool kind holds, what a valid FQDN is, where a server is, and the computer a cmdlet without -Identity runs on.
// Pure, and a leaf: it imports only the model's types (erased at build time), so the wizard's webview bundle
// (src/shared/protocol/) can use the FQDN rule without pulling in the rest of the core.
import type { CertUse, Deployment, Pool, PoolKind, Server } from './model';

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
 * The certificate uses (-Type) a server of each pool kind holds, in the Certificate Wizard's order [S17]; on Front
 * Ends and Directors OAuthTokenIssuer is the replica of the global assignment. Edges as in Skype for Business Server 2019: the
 * external interface's three uses assigned separately (not the combined External), no XMPPServer.
 */
export const SERVER_USES: Readonly<Record<PoolKind, readonly CertUse[]>> = {
  FrontEndEnterprise: ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer'],
  StandardEdition: ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer'],
  Director: ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer'],
  Mediation: ['Default'],
  Edge: ['Internal', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication'],
};

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
