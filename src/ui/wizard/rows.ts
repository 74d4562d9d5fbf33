// What the wizard reads from the deployment: the Certificate Wizard's rows (uses) per kind of computer, the slots
// and certificates behind a row, and the rules' verdict on a certificate for a row. Shared by the pages.
import {
  SERVER_USES, checkCertificateForUse, defaultComputer, findServer, isGlobalUse, receivesGlobalCertificates,
  type CertUse, type Deployment, type Finding, type Pool, type PoolKind, type Server, type ServerLocation, type Severity, type Slot, type StoredCertificate,
} from '../../core';
import { USE_ROW_IDS, type StatusTone, type UseRowId } from '../../shared/protocol';
import type { RuleTime, WizardContext, WizardUi } from './state';

interface RowFacts {
  label: string;
  uses: CertUse[];
}

export const ROW_FACTS: Record<UseRowId, RowFacts> = {
  Default: { label: 'Default', uses: ['Default'] },
  WebServicesInternal: { label: 'WebServicesInternal', uses: ['WebServicesInternal'] },
  WebServicesExternal: { label: 'WebServicesExternal', uses: ['WebServicesExternal'] },
  OAuthTokenIssuer: { label: 'OAuthTokenIssuer', uses: ['OAuthTokenIssuer'] },
  EdgeInternal: { label: 'Edge internal', uses: ['Internal'] },
  // The uses the wizard assigns together on an Edge (SfB 2019: no XMPP) [S17].
  EdgeExternal: { label: 'Edge external', uses: ['AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication'] },
};

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

/** The Certificate Wizard's rows on a server: those whose uses its pool kind holds (the core's SERVER_USES). */
export function rowsOf(pool: Pool): UseRowId[] {
  return USE_ROW_IDS.filter((row) => ROW_FACTS[row].uses.every((use) => SERVER_USES[pool.kind].includes(use)));
}

export function isGlobalRow(row: UseRowId): boolean {
  return ROW_FACTS[row].uses.every(isGlobalUse);
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
  return ROW_FACTS[row].uses.map((u) => server.assignments[u]);
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
export function verdict(state: Deployment, cert: StoredCertificate, row: UseRowId, at: RuleTime): Finding[] {
  // Several uses (Edge external) repeat the same checks: keep one finding per rule.
  const out: Finding[] = [];
  for (const f of ROW_FACTS[row].uses.flatMap((use) => checkCertificateForUse(cert, use, state.sipDomains, at.now, { expiryWarningDays: at.expiryWarningDays }))) {
    if (!out.some((o) => o.rule === f.rule)) out.push(f);
  }
  return out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

export function refusedFor(state: Deployment, cert: StoredCertificate, row: UseRowId, at: RuleTime): boolean {
  return verdict(state, cert, row, at).some((f) => f.severity === 'error');
}
