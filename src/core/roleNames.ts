// The names a certificate must carry for a per-computer use, by server role: the planning tables of the
// certificate requirements [S26] (Edge: [S27]/[S33]), reference §6.1. The OAuthTokenIssuer certificate is judged by
// rules.ts (checkOAuthCandidate). Pure: no I/O, no 'vscode'.
//
// What the tables say (in our words):
//   Default          Subject: the pool FQDN (Standard Edition: the server FQDN, which is its pool FQDN);
//                    alternative names: the pool FQDN and the server FQDN (Directors and Mediation pools alike).
//                    sip.<SIP domain> only when clients sign in automatically with strict DNS matching (optional).
//   Web internal     alternative names: the internal web services FQDN (the pool FQDN unless the topology gives
//                    another), the server FQDN and the pool FQDN — or a wildcard covering them.
//   Web external     alternative names: the external web services FQDN — or a wildcard covering it.
//   Edge external    Subject and alternative names: sip.<SIP domain> for each SIP domain (the access edge).
//   Edge internal    Subject: the Edge's internal FQDN.
// Simple URLs (meet, dialin, admin) and lyncdiscover are not in the model, so they are not checked; the messages
// say so. Which FQDN an Edge's internal interface has is not in the model either: the server FQDN stands in for
// it, which is SfB Certificates' rule (labelled).
import { subjectCommonNames } from './certificates/subjectNames';
import { UNCONFIRMED_RULE } from './errors';
import type { CertificateRecord, CertUse, Finding, Location, Pool, Server, SipDomain } from './model';

/** The names a use needs on a server: the Subject's CN (one of `subject`) and each of `sans` in the alternative names. */
export interface RoleNameRule {
  use: CertUse;
  /** Any one of these is the expected Subject CN; empty: the Subject is not checked. */
  subject: string[];
  /** Each must be covered by a DNS alternative name (a wildcard *.domain covers one label). */
  sans: string[];
  /** Whether the rule's names are the model's stand-in (SfB Certificates' rule) rather than the table's. */
  modelsChoice?: boolean;
  /** What the planning table adds that the model cannot check. */
  unchecked?: string;
}

const EDGE_EXTERNAL: CertUse[] = ['AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication', 'External', 'XMPPServer'];

/** The per-role naming rule for `use` on `server` of `pool`, or undefined when the tables give none we can check. */
export function roleNameRule(use: CertUse, server: Pick<Server, 'fqdn'>, pool: Pick<Pool, 'fqdn' | 'kind' | 'internalWebFqdn' | 'externalWebFqdn'>, sipDomains: SipDomain[]): RoleNameRule | undefined {
  const fqdn = server.fqdn.toLowerCase();
  const poolFqdn = pool.fqdn.toLowerCase();
  const unique = (names: (string | undefined)[]) => [...new Set(names.filter((n): n is string => Boolean(n)).map((n) => n.toLowerCase()))];
  if (pool.kind === 'Edge') {
    if (EDGE_EXTERNAL.includes(use)) {
      const sip = sipDomains.map((d) => `sip.${d.name.toLowerCase()}`);
      const primary = sipDomains.find((d) => d.isDefault) ?? sipDomains[0];
      return { use, subject: primary ? [`sip.${primary.name.toLowerCase()}`] : [], sans: sip, unchecked: 'the web conferencing and A/V edge names' };
    }
    if (use === 'Internal') return { use, subject: [fqdn], sans: [], modelsChoice: true };
    return undefined;
  }
  switch (use) {
    case 'Default':
      return { use, subject: [poolFqdn], sans: unique([poolFqdn, fqdn]), unchecked: 'sip.<SIP domain> (needed only for automatic sign-in with strict DNS matching)' };
    case 'WebServicesInternal':
      return { use, subject: [], sans: unique([pool.internalWebFqdn ?? poolFqdn, fqdn, poolFqdn]), unchecked: 'the simple URLs (meet, dialin, admin) and lyncdiscoverinternal' };
    case 'WebServicesExternal':
      return pool.externalWebFqdn ? { use, subject: [], sans: unique([pool.externalWebFqdn]), unchecked: 'the simple URLs (meet, dialin) and lyncdiscover' } : undefined;
    default:
      return undefined;
  }
}

/** Whether DNS name `pattern` (a name or *.domain) covers `name`. */
export function nameCovers(pattern: string, name: string): boolean {
  const p = pattern.trim().toLowerCase();
  const n = name.toLowerCase();
  if (p === n) return true;
  if (!p.startsWith('*.')) return false;
  const rest = n.slice(n.indexOf('.') + 1);
  return n.includes('.') && rest === p.slice(2);
}

/** One-line text of a rule, for pickers and messages: "Subject CN=pool; alternative names: a, b". */
export function describeRoleNameRule(rule: RoleNameRule): string {
  const parts: string[] = [];
  if (rule.subject.length) parts.push(`Subject CN=${rule.subject.join(' or CN=')}`);
  if (rule.sans.length) parts.push(`alternative names ${rule.sans.join(', ')} (or a wildcard covering them)`);
  return parts.join('; ');
}

/**
 * The naming findings for `cert` serving `use` on `server`: a warning for each required name it lacks (the tables'
 * requirement; a client or server that checks names refuses the connection), the model's stand-ins labelled.
 */
export function roleNameFindings(cert: CertificateRecord, use: CertUse, server: Pick<Server, 'fqdn'>, pool: Pick<Pool, 'fqdn' | 'kind' | 'internalWebFqdn' | 'externalWebFqdn'>, sipDomains: SipDomain[], where: Location): Finding[] {
  const rule = roleNameRule(use, server, pool, sipDomains);
  if (!rule) return [];
  const cns = subjectCommonNames(cert).map((n) => n.trim().toLowerCase());
  const dns = cert.subjectAlternativeNames.filter((s) => s.type === 'dns').map((s) => s.value);
  const problems: string[] = [];
  if (rule.subject.length && !cns.some((cn) => rule.subject.some((expected) => nameCovers(cn, expected)))) {
    problems.push(`its Subject (${cert.subject || 'empty'}) is not CN=${rule.subject.join(' or CN=')}`);
  }
  const missing = rule.sans.filter((name) => !dns.some((san) => nameCovers(san, name)));
  if (missing.length) problems.push(`its alternative names lack ${missing.join(', ')}`);
  if (!problems.length) return [];
  const finding: Finding = {
    rule: 'cert.role-names',
    severity: 'warning',
    message: `The ${use} certificate ${cert.thumbprint} on ${server.fqdn} does not carry the names this role needs: ${problems.join('; ')}. ` +
      `Required for ${use} here: ${describeRoleNameRule(rule)}${rule.unchecked ? `; not checked: ${rule.unchecked}` : ''}.${rule.modelsChoice ? ` ${UNCONFIRMED_RULE}` : ''}`,
    fix: `Request a certificate with these names (Request-CsCertificate -New -Type ${use} fills them in from the topology), import it and assign it.`,
    where,
    source: rule.modelsChoice ? 'extension-rule' : 'product',
  };
  return [finding];
}
