// The deployment tree as plain data: which nodes exist, their stable ids, labels, descriptions, severity and
// contextValue. No 'vscode' here (src/ui/tree.ts turns these into TreeItems), so unit tests can walk it.
import { DIRECTOR_OAUTH_NOTE, POOL_KIND_LABELS, deploymentVersion, displayText, productName, serverUses, serverVersion, type VersionReading, isFrontEndPool, receivesGlobalCertificates, type CertUse, type Deployment, type Finding, type Pool, type Server, type Severity, type Slot, type StoredCertificate } from '../core';
import { certificateFields, certificateName, expiryText, findingText, formatDateTime as usDateTime, issuedTo, shortName, thumbprintPrefix, usDate } from '../present/certificate';
import { contextValue } from './contextValue';

export type TreeNode =
  | { kind: 'cms'; id: string }
  | { kind: 'slot'; id: string; use: CertUse; serverFqdn?: string; path: string }
  | { kind: 'slotEntry'; id: string; role: 'current' | 'previous' | 'pending'; use: CertUse; serverFqdn?: string; thumbprint: string; effectiveDate: string; path: string }
  | { kind: 'site'; id: string; siteId: string }
  | { kind: 'pool'; id: string; poolFqdn: string }
  | { kind: 'server'; id: string; serverFqdn: string }
  | { kind: 'store'; id: string; serverFqdn: string }
  | { kind: 'certificate'; id: string; serverFqdn?: string; thumbprint: string; path: string };

export interface NodeView {
  label: string;
  description?: string;
  /** codicon id */
  icon: string;
  severity?: Severity;
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** What a screen reader says when the row's text is shortened for the sidebar (else label and description). */
  accessibleName?: string;
}

/** Up to this many servers, pools open expanded; beyond, they open collapsed so the view resolves only what is seen. */
export const EXPANDED_POOLS_UP_TO_SERVERS = 50;


const POOL_ICONS: Record<string, string> = {
  FrontEndEnterprise: 'server-environment',
  StandardEdition: 'server',
  Director: 'arrow-swap',
  Edge: 'shield',
  Mediation: 'call-outgoing',
};


const ROLE_LABEL = { current: 'Current', previous: 'Previous', pending: 'Pending roll' } as const;
/** A slot entry's row: the role alone (the description names the certificate), short for a narrow sidebar. */
const ROLE_ROW_LABEL = { current: 'Current', previous: 'Previous', pending: 'Pending' } as const;

const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export interface TreeIndex {
  /** How many servers the deployment has. */
  readonly serverCount: number;
  pool(fqdn: string): { pool: Pool; poolIndex: number } | undefined;
  server(fqdn: string): { server: Server; pool: Pool; poolIndex: number; serverIndex: number } | undefined;
  certificate(thumbprint: string, serverFqdn?: string): StoredCertificate | undefined;
  /** Worst severity among findings whose path starts with this path. */
  severityAt(path: string): Severity | undefined;
  findingsAt(path: string): Finding[];
}

export function buildIndex(d: Deployment, findings: Finding[]): TreeIndex {
  const servers = new Map<string, { server: Server; pool: Pool; poolIndex: number; serverIndex: number }>();
  const pools = new Map<string, { pool: Pool; poolIndex: number }>();
  d.pools.forEach((pool, poolIndex) => pools.set(pool.fqdn, { pool, poolIndex }));
  d.pools.forEach((pool, poolIndex) => pool.servers.forEach((server, serverIndex) => servers.set(server.fqdn.toLowerCase(), { server, pool, poolIndex, serverIndex })));
  // Findings by pool (most are under one), so that a node's findings are a filter over its pool's few, not an index
  // of every ancestor path of every finding built up front (12,000 findings after a global assign on a large
  // deployment); each path's answer is kept once asked.
  const byPool = new Map<number, Finding[]>();
  for (const f of findings) {
    const pool = poolIndexOf(f.where.path);
    if (pool === undefined) continue;
    const list = byPool.get(pool);
    if (list) list.push(f);
    else byPool.set(pool, [f]);
  }
  const byPath = new Map<string, Finding[]>();
  const findingsAt = (path: string): Finding[] => {
    let found = byPath.get(path);
    if (!found) {
      const pool = poolIndexOf(path);
      found = (pool === undefined ? findings : byPool.get(pool) ?? []).filter((f) => isUnder(f.where.path, path));
      byPath.set(path, found);
    }
    return found;
  };
  return {
    serverCount: servers.size,
    pool: (fqdn) => pools.get(fqdn),
    server: (fqdn) => servers.get(fqdn.toLowerCase()),
    certificate(thumbprint, serverFqdn) {
      const local = serverFqdn ? servers.get(serverFqdn.toLowerCase())?.server.certificates.find((c) => c.thumbprint === thumbprint) : undefined;
      return local ?? d.cms.certificates.find((c) => c.thumbprint === thumbprint)
        ?? d.pools.flatMap((p) => p.servers).flatMap((s) => s.certificates).find((c) => c.thumbprint === thumbprint);
    },
    severityAt(path) {
      let worst: Severity | undefined;
      for (const f of findingsAt(path)) if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
      return worst;
    },
    findingsAt,
  };
}

/** The pool index a JSON path starts with (`pools[3]…` → 3), if it does. */
function poolIndexOf(path: string): number | undefined {
  const m = /^pools\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : undefined;
}

/** `path` is `at` or lies under it (`at.x…` or `at[…`). */
function isUnder(path: string, at: string): boolean {
  if (!path.startsWith(at)) return false;
  const next = path.charCodeAt(at.length);
  return Number.isNaN(next) || next === 46 /* . */ || next === 91 /* [ */;
}

export function rootNodes(d: Deployment): TreeNode[] {
  return [{ kind: 'cms', id: 'cms' }, ...d.sites.map((s): TreeNode => ({ kind: 'site', id: `site/${s.id}`, siteId: s.id }))];
}

export function childNodes(d: Deployment, idx: TreeIndex, node: TreeNode): TreeNode[] {
  switch (node.kind) {
    case 'cms':
      return [{ kind: 'slot', id: 'cms/OAuthTokenIssuer', use: 'OAuthTokenIssuer', path: 'cms.assignments.OAuthTokenIssuer' }];
    case 'site':
      return d.pools.filter((p) => p.siteId === node.siteId).map((p) => ({ kind: 'pool', id: `pool/${p.fqdn}`, poolFqdn: p.fqdn }));
    case 'pool': {
      const pool = idx.pool(node.poolFqdn)?.pool;
      return (pool?.servers ?? []).map((s) => ({ kind: 'server', id: `server/${s.fqdn}`, serverFqdn: s.fqdn }));
    }
    case 'server': {
      const found = idx.server(node.serverFqdn);
      if (!found) return [];
      const base = `pools[${found.poolIndex}].servers[${found.serverIndex}]`;
      // The server's uses as slots, as its product version has them (the core's serverUses; OAuthTokenIssuer as deployed by replication).
      const uses = serverUses(found.pool.kind, serverVersion(d, found.server).version);
      const slots: TreeNode[] = uses.map((use) => ({ kind: 'slot', id: `server/${node.serverFqdn}/${use}`, use, serverFqdn: node.serverFqdn, path: `${base}.assignments.${use}` }));
      return [...slots, { kind: 'store', id: `server/${node.serverFqdn}/store`, serverFqdn: node.serverFqdn }];
    }
    case 'slot': {
      const slot = slotOf(d, idx, node.use, node.serverFqdn);
      const entries: TreeNode[] = [];
      for (const role of ['current', 'pending', 'previous'] as const) {
        const e = slot?.[role];
        if (e) entries.push({ kind: 'slotEntry', id: `${node.id}/${role}`, role, use: node.use, serverFqdn: node.serverFqdn, thumbprint: e.thumbprint, effectiveDate: e.effectiveDate, path: `${node.path}.${role}` });
      }
      return entries;
    }
    case 'store': {
      const found = idx.server(node.serverFqdn);
      if (!found) return [];
      const base = `pools[${found.poolIndex}].servers[${found.serverIndex}].certificates`;
      return found.server.certificates.map((c, i) => ({ kind: 'certificate', id: `${node.id}/${c.thumbprint}`, serverFqdn: node.serverFqdn, thumbprint: c.thumbprint, path: `${base}[${i}]` }));
    }
    default:
      return [];
  }
}

/** The parent of a node, derived from its id (so `reveal` works for nodes made anywhere). */
export function parentNode(d: Deployment, idx: TreeIndex, node: TreeNode): TreeNode | undefined {
  switch (node.kind) {
    case 'cms':
    case 'site':
      return undefined;
    case 'pool': {
      const pool = idx.pool(node.poolFqdn)?.pool;
      return pool ? { kind: 'site', id: `site/${pool.siteId}`, siteId: pool.siteId } : undefined;
    }
    case 'server': {
      const found = idx.server(node.serverFqdn);
      return found ? { kind: 'pool', id: `pool/${found.pool.fqdn}`, poolFqdn: found.pool.fqdn } : undefined;
    }
    case 'store':
      return { kind: 'server', id: `server/${node.serverFqdn}`, serverFqdn: node.serverFqdn };
    case 'slot':
      return node.serverFqdn ? { kind: 'server', id: `server/${node.serverFqdn}`, serverFqdn: node.serverFqdn } : { kind: 'cms', id: 'cms' };
    case 'slotEntry': {
      const slotId = node.id.slice(0, node.id.lastIndexOf('/'));
      const path = node.path.slice(0, node.path.lastIndexOf('.'));
      return { kind: 'slot', id: slotId, use: node.use, serverFqdn: node.serverFqdn, path };
    }
    case 'certificate':
      return node.serverFqdn ? { kind: 'store', id: `server/${node.serverFqdn}/store`, serverFqdn: node.serverFqdn } : undefined;
  }
}

export function slotOf(d: Deployment, idx: TreeIndex, use: CertUse, serverFqdn?: string): Slot | undefined {
  return serverFqdn ? idx.server(serverFqdn)?.server.assignments[use] : d.cms.assignments[use];
}

// Descriptions are short so a default-width sidebar (300 px at 1280) shows them whole; the tooltips say it in full.
const POOL_KIND_SHORT: Readonly<Record<Pool['kind'], string>> = {
  FrontEndEnterprise: 'Front End', StandardEdition: 'Standard', Director: 'Director', Edge: 'Edge', Mediation: 'Mediation',
};

/** Short, beside a thumbprint: "639 d left", "< 1 d left", "expired", "not yet valid" (the tooltip has the dates). */
function stateWord(cert: StoredCertificate, now: Date): string {
  if (Date.parse(cert.notBefore) > now.getTime()) return 'not yet valid';
  if (Date.parse(cert.notAfter) < now.getTime()) return 'expired';
  const days = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / 86_400_000);
  return days >= 1 ? `${days} d left` : '< 1 d left';
}

/** Whether another certificate in the server's store has the same subject name as `cert` (the row's label). */
function sameNameInStore(idx: TreeIndex, cert: StoredCertificate, serverFqdn: string | undefined): boolean {
  const store = serverFqdn ? idx.server(serverFqdn)?.server.certificates ?? [] : [];
  const name = issuedTo(cert);
  return store.some((c) => c.thumbprint !== cert.thumbprint && issuedTo(c) === name);
}

/** How many characters of a name a store's certificate row shows whole at the default sidebar width (measured in the UI tier: test/ui/walk.test.ts). */
const STORE_NAME_ROOM = 26;
const STORE_NAME_ROOM_BESIDE_DIGITS = 18;
const STORE_TWIN_DIGITS = 6;

/** A certificate row as a screen reader says it: the full name and state the shortened row leaves to the tooltip. */
function spokenName(cert: StoredCertificate | undefined, thumbprint: string, entry: { role: keyof typeof ROLE_LABEL; effectiveDate: string } | undefined, now: Date): string {
  const name = cert ? certificateName(cert) : `thumbprint ${thumbprintPrefix(thumbprint)}`;
  const parts = [entry ? `${ROLE_LABEL[entry.role]}: ${name}` : name, cert ? expiryText(cert, now) : 'not in any store'];
  if (entry?.role === 'pending') parts.push(`becomes current ${usDate(new Date(entry.effectiveDate))}`);
  return parts.join(', ');
}

export function viewOf(d: Deployment, idx: TreeIndex, node: TreeNode, now: Date): NodeView {
  switch (node.kind) {
    case 'cms': {
      return {
        label: 'Central Management Store',
        // The product version; the CMS version and the rest are in the tooltip (the sidebar is narrow).
        description: versionLabel(deploymentVersion(d)),
        icon: 'database',
        severity: idx.severityAt('cms'),
        contextValue: contextValue('cms', {}),
        collapsible: 'expanded',
      };
    }
    case 'site': {
      const site = d.sites.find((s) => s.id === node.siteId);
      return { label: displayText(site?.name ?? node.siteId), description: site?.kind === 'branch' ? 'branch site' : 'central site', icon: 'globe', contextValue: contextValue('site', {}), collapsible: 'expanded' };
    }
    case 'pool': {
      const found = idx.pool(node.poolFqdn);
      const pool = found?.pool;
      return {
        label: node.poolFqdn,
        // Short, so a narrow sidebar shows it whole; the tooltip names the kind in full.
        description: pool ? POOL_KIND_SHORT[pool.kind] : '',
        icon: POOL_ICONS[pool?.kind ?? ''] ?? 'server',
        severity: found ? idx.severityAt(`pools[${found.poolIndex}]`) : undefined,
        contextValue: contextValue('pool', { hostsCms: pool?.hostsCms }),
        collapsible: idx.serverCount <= EXPANDED_POOLS_UP_TO_SERVERS ? 'expanded' : 'collapsed',
      };
    }
    case 'server': {
      const found = idx.server(node.serverFqdn);
      const r = found?.server.replica;
      const upToDate = Boolean(r && !r.unreachable && r.appliedVersion >= d.cms.version);
      const isFrontEnd = found ? isFrontEndPool(found.pool) : false;
      // Only what needs attention (the tooltip has UpToDate: True and the replica's status).
      // One word, so a long FQDN keeps its row whole at the default sidebar width (the tooltip has the versions).
      const replication = !r || upToDate ? '' : r.unreachable ? 'unreachable' : 'behind';
      return {
        label: node.serverFqdn,
        description: replication,
        icon: r?.unreachable ? 'debug-disconnect' : 'vm',
        severity: found ? idx.severityAt(`pools[${found.poolIndex}].servers[${found.serverIndex}]`) : undefined,
        contextValue: contextValue('server', { frontEnd: isFrontEnd, edge: found?.pool.kind === 'Edge', upToDate, unreachable: r?.unreachable }),
        collapsible: 'collapsed',
      };
    }
    case 'store': {
      const count = idx.server(node.serverFqdn)?.server.certificates.length ?? 0;
      return { label: 'Local certificate store', description: String(count), icon: 'folder-library', contextValue: contextValue('folder', { store: true }), collapsible: 'collapsed' };
    }
    case 'slot': {
      const slot = slotOf(d, idx, node.use, node.serverFqdn);
      const cur = slot?.current ? idx.certificate(slot.current.thumbprint, node.serverFqdn) : undefined;
      const global = !node.serverFqdn;
      // The rows below (Current / Pending / Previous) carry each certificate's thumbprint digits and state, so this
      // row stays short enough for the longest use (AudioVideoAuthentication) at the default sidebar width.
      let description = cur ? '' : global ? 'none' : 'not assigned';
      if (!global && node.use === 'OAuthTokenIssuer' && cur) description = 'replicated';
      return {
        label: global ? 'OAuthTokenIssuer (global)' : node.use,
        description,
        icon: 'key',
        severity: idx.severityAt(node.path),
        contextValue: contextValue('slot', { global, oauth: node.use === 'OAuthTokenIssuer', hasCurrent: Boolean(slot?.current), hasPrevious: Boolean(slot?.previous), hasPending: Boolean(slot?.pending) }),
        collapsible: slot?.current || slot?.previous || slot?.pending ? 'expanded' : 'none',
      };
    }
    case 'slotEntry':
    case 'certificate': {
      const cert = idx.certificate(node.thumbprint, node.serverFqdn);
      const entry = node.kind === 'slotEntry' ? node : undefined;
      const severity = idx.severityAt(node.path) ?? (cert ? idx.severityAt(pathOfCertificate(d, idx, cert.thumbprint, node.serverFqdn) ?? '') : undefined);
      const expired = cert ? Date.parse(cert.notAfter) < now.getTime() : false;
      // Rows fit a default-width sidebar: a slot's entry is its role and the thumbprint's first digits (what
      // Get-CsCertificate shows; the slot above names the use), a store's certificate its subject's common name.
      // The tooltip (resolveTreeItem) has the friendly name and every detail.
      const prefix = thumbprintPrefix(node.thumbprint);
      let description: string;
      if (!cert) description = `${prefix} · not found`;
      else if (entry?.role === 'pending') description = `${prefix} · ${usDate(new Date(entry.effectiveDate))}`;
      else if (entry) description = `${prefix} · ${stateWord(cert, now)}`;
      // In a store, the digits only where they tell apart certificates issued to the same name (a pool's Default
      // and web certificates), so a long server FQDN keeps its row whole.
      // Six of them: a pool's 18-character FQDN and six wide hex digits still fit a default-width sidebar.
      else description = sameNameInStore(idx, cert, node.serverFqdn) ? thumbprintPrefix(node.thumbprint, STORE_TWIN_DIGITS) : '';
      // A store's row is five levels deep: at the default sidebar width its name has room for about 26 characters
      // (18 beside the digits). A longer name keeps its host and domain whole (the tooltip has it all).
      const whole = cert ? issuedTo(cert) : prefix;
      const name = entry ? ROLE_ROW_LABEL[entry.role] : shortName(whole, description ? STORE_NAME_ROOM_BESIDE_DIGITS : STORE_NAME_ROOM);
      const onServer = node.kind === 'certificate' || Boolean(node.serverFqdn && idx.server(node.serverFqdn)?.server.certificates.some((c) => c.thumbprint === node.thumbprint));
      return {
        label: name,
        accessibleName: `${spokenName(cert, node.thumbprint, entry, now)}${!entry && name !== whole ? `, issued to ${whole}` : ''}`,
        description,
        icon: severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'verified',
        severity: severity ?? 'info',
        contextValue: contextValue('certificate', {
          onServer,
          global: !node.serverFqdn,
          hasKey: cert?.hasPrivateKey,
          exportable: Boolean(cert?.hasPrivateKey && cert.exportable),
          current: entry?.role === 'current',
          previous: entry?.role === 'previous',
          pending: entry?.role === 'pending',
          expired,
        }),
        collapsible: 'none',
      };
    }
  }
}

/**
 * "2019", or "2019?" when nothing in the model says which version it is: short, so the row fits a default-width
 * sidebar beside "Central Management Store"; the tooltip names the product and where the version was read.
 */
function versionLabel(reading: VersionReading): string {
  return `${reading.version}${reading.known ? '' : '?'}`;
}

function productText(reading: VersionReading): string {
  const name = productName(reading.version);
  if (reading.from === 'set-by-hand') return `${name}, ${displayText(reading.basis)}.`;
  return reading.known ? `${name}, read from the ${displayText(reading.basis)}.` : `Product version unknown: ${displayText(reading.basis)}.`;
}

/** A node's Markdown tooltip, built only when VS Code asks for it (hover), as it costs a pass over the servers. */
export function tooltipOf(d: Deployment, idx: TreeIndex, node: TreeNode, now: Date): string | undefined {
  switch (node.kind) {
    case 'cms':
      return `**Central Management Store** (global scope)\n\n${productText(deploymentVersion(d))}\n\nVersion ${d.cms.version}. Global certificates (OAuthTokenIssuer) are assigned here once and replicated to every Front End and Director.${d.cms.assignments.OAuthTokenIssuer?.current ? '' : '\n\nNo OAuthTokenIssuer certificate is assigned yet.'}`;
    case 'server': {
      const found = idx.server(node.serverFqdn);
      const r = found?.server.replica;
      if (!found || !r) return undefined;
      const upToDate = !r.unreachable && r.appliedVersion >= d.cms.version;
      const applied = r.unreachable ? ' (unreachable)' : upToDate ? '' : ` (applied version ${r.appliedVersion} of ${d.cms.version}: Replicate Now deploys the rest)`;
      return `**${node.serverFqdn}**\n\nRoles: ${found.server.roles.join(', ')}\n\nUpToDate: ${upToDate ? 'True' : 'False'}${applied}  \nLastStatusReport: ${r.lastStatusReport ?? ''}  \nLastUpdateCreation: ${r.lastUpdateCreation ?? ''}  \nProductVersion: ${r.productVersion}`;
    }
    case 'store': {
      const count = idx.server(node.serverFqdn)?.server.certificates.length ?? 0;
      return `**Local certificate store** of ${node.serverFqdn}\n\nPersonal (Cert:\\LocalMachine\\My): ${count} certificate${count === 1 ? '' : 's'}`;
    }
    case 'pool': {
      const pool = idx.pool(node.poolFqdn)?.pool;
      return pool ? `**${node.poolFqdn}**\n\n${POOL_KIND_LABELS[pool.kind]}${pool.hostsCms ? ' · hosts the Central Management Server' : ''} · ${pool.servers.length} server${pool.servers.length === 1 ? '' : 's'}` : undefined;
    }
    case 'slot': {
      if (!node.serverFqdn) return globalSlotTooltip(d, idx, node.use, now);
      const slot = slotOf(d, idx, node.use, node.serverFqdn);
      const cur = slot?.current ? idx.certificate(slot.current.thumbprint, node.serverFqdn) : undefined;
      const head = `**${node.use}** on ${node.serverFqdn}${node.use === 'OAuthTokenIssuer' ? ' (deployed by replication)' : ''}\n\n${cur ? `${escapeMarkdown(certificateName(cur))} · ${expiryText(cur, now)}` : 'Not assigned'}${slot?.pending ? `  \nRoll to ${slot.pending.thumbprint} on ${usDateTime(new Date(slot.pending.effectiveDate))}` : ''}`;
      // Where a Director's OAuthTokenIssuer slot comes from: a Lync 2013 fact carried over (topology.ts).
      const pool = node.use === 'OAuthTokenIssuer' ? idx.server(node.serverFqdn)?.pool : undefined;
      return pool?.kind === 'Director' ? `${head}\n\n${DIRECTOR_OAUTH_NOTE}` : head;
    }
    case 'slotEntry':
    case 'certificate': {
      const cert = idx.certificate(node.thumbprint, node.serverFqdn);
      return cert ? certificateTooltip(d, cert, now, idx.findingsAt(node.path)) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The global slot: its current, pending and previous certificates, the Central Management store version and how
 * many Front End replicas have applied it.
 */
function globalSlotTooltip(d: Deployment, idx: TreeIndex, use: CertUse, now: Date): string {
  const slot = d.cms.assignments[use];
  const lines = [`**${use} (global)**`, ''];
  for (const role of ['current', 'pending', 'previous'] as const) {
    const entry = slot?.[role];
    const cert = entry ? idx.certificate(entry.thumbprint) : undefined;
    const what = !entry ? 'none' : `${escapeMarkdown(cert ? certificateName(cert) : entry.thumbprint)} (${entry.thumbprint})${cert ? ` · ${expiryText(cert, now)}` : ''}${role === 'pending' ? ` · becomes current ${usDateTime(new Date(entry.effectiveDate))}` : ''}`;
    lines.push(`${ROLE_LABEL[role]}: ${what}  `);
  }
  const replicas = d.pools.filter((p) => receivesGlobalCertificates(p)).flatMap((p) => p.servers);
  const applied = replicas.filter((s) => !s.replica.unreachable && s.replica.appliedVersion >= d.cms.version).length;
  lines.push('', `Central Management store version ${d.cms.version} · applied by ${applied} of ${replicas.length} Front End replica${replicas.length === 1 ? '' : 's'}${applied < replicas.length ? ' (Replicate Now deploys it)' : ''}`);
  return lines.join('\n');
}

function pathOfCertificate(d: Deployment, idx: TreeIndex, thumbprint: string, serverFqdn?: string): string | undefined {
  if (serverFqdn) {
    const found = idx.server(serverFqdn);
    const i = found?.server.certificates.findIndex((c) => c.thumbprint === thumbprint) ?? -1;
    if (found && i >= 0) return `pools[${found.poolIndex}].servers[${found.serverIndex}].certificates[${i}]`;
  }
  const i = d.cms.certificates.findIndex((c) => c.thumbprint === thumbprint);
  return i >= 0 ? `cms.certificates[${i}]` : undefined;
}

/** Markdown with every detail (the presenter's fields); values escaped so certificate text cannot inject Markdown or HTML. */
export function certificateTooltip(d: Deployment, c: StoredCertificate, now: Date, findings: Finding[]): string {
  const rows = certificateFields(c, { now, deployment: d });
  const lines = [`**${escapeMarkdown(certificateName(c))}**`, '', '| | |', '|---|---|', ...rows.map((f) => `| ${f.label} | ${escapeMarkdown(f.value)} |`)];
  for (const f of findings) lines.push('', `${f.severity === 'error' ? '$(error)' : f.severity === 'warning' ? '$(warning)' : '$(info)'} ${escapeMarkdown(findingText(f))}`);
  return lines.join('\n');
}

export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>&$~]/g, (ch) => `\\${ch}`);
}
