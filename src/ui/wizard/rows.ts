// What the wizard reads from the deployment: the Certificate Wizard's rows (uses) per kind of computer, the slots
// and certificates behind a row, and the rules' verdict on a certificate for a row. Shared by the pages.
import {
  checkCertificateForUse, defaultComputer, edgeExternalUses, findServer, isGlobalUse, receivesGlobalCertificates, serverUses, serverVersion,
  type CertUse, type Deployment, type Finding, type Pool, type PoolKind, type ProductVersion, type Server, type ServerLocation, type Severity, type Slot, type StoredCertificate,
} from '../../core';
import { USE_ROW_IDS, type StatusTone, type UseRowId } from '../../shared/protocol';
import type { RuleTime, WizardContext, WizardUi } from './state';

export const ROW_LABELS: Record<UseRowId, string> = {
  Default: 'Default',
  WebServicesInternal: 'WebServicesInternal',
  WebServicesExternal: 'WebServicesExternal',
  OAuthTokenIssuer: 'OAuthTokenIssuer',
  EdgeInternal: 'Edge internal',
  EdgeExternal: 'Edge external',
};

/**
 * The uses a row assigns together in this product version. The Edge external row is the Edge's uses without Internal
 * from the core's per-version lists (topology.ts): 2015's carries XMPPServer [S17] (reference C11), 2019's does not [S53].
 */
export function rowUses(row: UseRowId, version: ProductVersion): readonly CertUse[] {
  switch (row) {
    case 'EdgeInternal': return ['Internal'];
    case 'EdgeExternal': return edgeExternalUses(version);
    default: return [row];
  }
}

/** The uses a row assigns on this server: its own product version's (the core's serverVersion). */
export function usesAt(state: Deployment, server: Server, row: UseRowId): CertUse[] {
  return [...rowUses(row, serverVersion(state, server).version)];
}

const ROLE_NAME: Record<PoolKind, string> = {
  FrontEndEnterprise: 'Front End',
  StandardEdition: 'Standard Edition',
  Director: 'Director',
  Mediation: 'Mediation',
  Edge: 'Edge',
};

export function roleName(pool: Pool): string {
  return ROLE_NAME[pool.kind];
}

export function locate(ui: WizardUi, ctx: WizardContext): ServerLocation | undefined {
  return ctx.state && ui.serverFqdn ? findServer(ctx.state, ui.serverFqdn) : undefined;
}

/** The server the wizard starts on: the computer a cmdlet runs on by default (the core's defaultComputer), else the first server. */
export function defaultServer(state: Deployment): string | undefined {
  return (defaultComputer(state)?.server ?? state.pools.find((p) => p.servers.length)?.servers[0])?.fqdn;
}

/** The Certificate Wizard's rows on a server: those whose uses its pool kind holds in its version (the core's serverUses). */
export function rowsOf(state: Deployment, at: Pick<ServerLocation, 'pool' | 'server'>): UseRowId[] {
  const version = serverVersion(state, at.server).version;
  const held = serverUses(at.pool.kind, version);
  return USE_ROW_IDS.filter((row) => rowUses(row, version).every((use) => held.includes(use)));
}

/** The OAuthTokenIssuer row: its use is global in every version. */
export function isGlobalRow(row: UseRowId): boolean {
  return rowUses(row, '2019').every(isGlobalUse);
}

/** The Front End, Standard Edition and Director servers: where replication deploys the global certificate. */
export function frontEndNames(state: Deployment): string[] {
  return state.pools.filter(receivesGlobalCertificates).flatMap((p) => p.servers.map((s) => s.fqdn));
}

/**
 * The slots a row shows. OAuthTokenIssuer: the Central Management store's slot once a global assignment was ever
 * made, else the computer's own (the manual MMC path [S7]).
 */
export function rowSlots(state: Deployment, server: Server, row: UseRowId): (Slot | undefined)[] {
  if (isGlobalRow(row) && state.cms.assignments.OAuthTokenIssuer) return [state.cms.assignments.OAuthTokenIssuer];
  return usesAt(state, server, row).map((u) => server.assignments[u]);
}

export function lookupFor(state: Deployment, server: Server, row: UseRowId): (thumbprint: string) => StoredCertificate | undefined {
  const stores = isGlobalRow(row) ? [state.cms.certificates, server.certificates] : [server.certificates];
  return (thumbprint) => stores.map((s) => s.find((c) => c.thumbprint === thumbprint)).find(Boolean);
}

export function storeCertificate(server: Server, thumbprint: string | undefined): StoredCertificate | undefined {
  return thumbprint === undefined ? undefined : server.certificates.find((c) => c.thumbprint === thumbprint);
}

export function currentThumbprint(state: Deployment, at: ServerLocation, row: UseRowId): string | undefined {
  return rowSlots(state, at.server, row)[0]?.current?.thumbprint;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };
export const TONE_OF: Record<Severity, StatusTone> = { info: 'info', warning: 'warning', error: 'error' };

export function worst(findings: readonly Finding[]): Finding | undefined {
  return findings.reduce<Finding | undefined>((w, f) => (!w || SEVERITY_RANK[f.severity] > SEVERITY_RANK[w.severity] ? f : w), undefined);
}

/** The rules' verdict on a store certificate for a row: errors refuse it, warnings need an explicit override. */
export function verdict(state: Deployment, server: Server, cert: StoredCertificate, row: UseRowId, at: RuleTime): Finding[] {
  // Several uses (Edge external) repeat the same checks: keep one finding per rule.
  const out: Finding[] = [];
  for (const f of usesAt(state, server, row).flatMap((use) => checkCertificateForUse(cert, use, state.sipDomains, at.now, { expiryWarningDays: at.expiryWarningDays }))) {
    if (!out.some((o) => o.rule === f.rule)) out.push(f);
  }
  return out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

export function refusedFor(state: Deployment, server: Server, cert: StoredCertificate, row: UseRowId, at: RuleTime): boolean {
  return verdict(state, server, cert, row, at).some((f) => f.severity === 'error');
}
