// The one rendering of a certificate and of the rules' findings, shared by the tree (labels and tooltips), the
// commands, the wizard, the CLI and the output channel. Every value that comes from a certificate goes through
// displayText: control and bidirectional characters are shown as \uXXXX, so a subject cannot retitle a terminal,
// forge a second line of a list, or reorder what is shown around it. No 'vscode' here; the core through its entry.
import { displayText, formatUsDate, subjectCommonNames, formatUsDateTime, type CertificateRecord, type Deployment, type Finding, type StoredCertificate, type SubjectAltName } from '../core';

export interface CertificateField {
  /** For people: "Valid to". */
  label: string;
  /** The Windows / PowerShell property name, for Format-List output: "NotAfter". */
  property: string;
  /** Safe to show: certificate text passed through displayText. */
  value: string;
}

const SAN_PREFIX: Record<SubjectAltName['type'], string> = {
  dns: 'DNS Name=',
  ip: 'IP Address=',
  email: 'RFC822 Name=',
  uri: 'URL=',
  other: '',
};

const DAY_MS = 86_400_000;

/** The name a person knows a certificate by: its friendly name, else its subject, else its thumbprint. */
export function certificateName(c: Pick<CertificateRecord, 'friendlyName' | 'subject' | 'thumbprint'>): string {
  return displayText(c.friendlyName || c.subject || c.thumbprint);
}

/**
 * A short name for a row of a narrow list: the subject's common name (the "Issued To" column of the Certificates
 * snap-in), else the friendly name, else the thumbprint. Friendly names run long ("Skype for Business Server
 * Default certificate 7/1/2015"); the full names are in the tooltip.
 */
export function issuedTo(c: Pick<CertificateRecord, 'friendlyName' | 'subject' | 'thumbprint' | 'derBase64'>): string {
  return displayText(subjectCommonNames(c)[0] || c.friendlyName || c.thumbprint);
}

/** The thumbprint's first 8 (or `digits`) hex digits: enough to tell certificates apart on a row (the tooltip has all 40). */
export function thumbprintPrefix(thumbprint: string, digits = 8): string {
  return displayText(thumbprint.slice(0, digits));
}

/** "7/1/2027" (UTC): the UI's one date format (the cmdlets', core/calendar.ts), where a day is enough. */
export const usDate = formatUsDate;

/** "7/1/2027 6:00:00 AM" (UTC): the UI's one date format with its time (core/calendar.ts). */
export const formatDateTime = formatUsDateTime;

/** "expires in 23 days", "expires today", "expired 4 days ago", "not valid until 7/1/2027". */
export function expiryText(cert: Pick<CertificateRecord, 'notBefore' | 'notAfter'>, now: Date): string {
  const notBefore = Date.parse(cert.notBefore);
  if (now.getTime() < notBefore) return `not valid until ${usDate(new Date(notBefore))}`;
  const left = Date.parse(cert.notAfter) - now.getTime();
  if (left < 0) {
    const ago = Math.floor(-left / DAY_MS);
    return ago === 0 ? 'expired today' : `expired ${ago} day${ago === 1 ? '' : 's'} ago`;
  }
  const days = Math.floor(left / DAY_MS);
  return days === 0 ? 'expires today' : `expires in ${days} day${days === 1 ? '' : 's'}`;
}

/** Where a certificate is assigned: "OAuthTokenIssuer (global, current)", "Default on fe01.contoso.com". */
export function assignmentsOf(d: Deployment, thumbprint: string): string[] {
  return assignmentIndex(d, thumbprint).get(thumbprint) ?? [];
}

/** Where each certificate is assigned (as assignmentsOf says it), for every thumbprint or only `only`: one pass over the servers. */
export function assignmentIndex(d: Deployment, only?: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (thumbprint: string | undefined, text: string) => {
    if (!thumbprint || (only !== undefined && thumbprint !== only)) return;
    const list = out.get(thumbprint);
    if (list) list.push(text);
    else out.set(thumbprint, [text]);
  };
  for (const [use, slot] of Object.entries(d.cms.assignments)) {
    for (const role of ['current', 'pending', 'previous'] as const) add(slot?.[role]?.thumbprint, `${use} (global, ${role})`);
  }
  for (const pool of d.pools) for (const s of pool.servers) {
    for (const [use, slot] of Object.entries(s.assignments)) {
      for (const role of ['current', 'pending', 'previous'] as const) add(slot?.[role]?.thumbprint, `${use} on ${s.fqdn}${role === 'current' ? '' : ` (${role})`}`);
    }
  }
  return out;
}

/** "DNS Name=pool01.contoso.com, DNS Name=sip.contoso.com", or "none"; not yet escaped (certificateFields does it). */
function alternativeNames(c: Pick<CertificateRecord, 'subjectAlternativeNames'>): string {
  return c.subjectAlternativeNames.map((n) => `${SAN_PREFIX[n.type]}${n.value}`).join(', ') || 'none';
}

/** The subject alternative names as one line, safe to show. */
export function alternativeNamesText(c: Pick<CertificateRecord, 'subjectAlternativeNames'>): string {
  return displayText(alternativeNames(c));
}

export interface FieldContext {
  /** Adds how long the certificate is valid from then ("expires in 23 days"). */
  now?: Date;
  /** Adds where the certificate is assigned in this deployment. */
  deployment?: Deployment;
}

/**
 * Every field of a certificate, in one order and one wording for every surface. A stored certificate adds whether
 * its private key is exportable; `context` adds its expiry and where it is assigned.
 */
export function certificateFields(c: CertificateRecord & Partial<Pick<StoredCertificate, 'exportable' | 'networkServiceCanReadKey'>>, context: FieldContext = {}): CertificateField[] {
  const { now, deployment } = context;
  const networkService = !c.hasPrivateKey || c.networkServiceCanReadKey === undefined ? '' : c.networkServiceCanReadKey ? '; Network Service can read it' : '; Network Service cannot read it';
  const privateKey = !c.hasPrivateKey ? 'No' : `${c.exportable === undefined ? 'Yes' : c.exportable ? 'Yes (exportable' : 'Yes (not exportable'}${networkService}${c.exportable === undefined ? '' : ')'}`;
  const fields: [string, string, string][] = [
    ['Subject', 'Subject', c.subject],
    ['Issuer', 'Issuer', c.issuer],
    ['Friendly name', 'FriendlyName', c.friendlyName ?? ''],
    ['Thumbprint', 'Thumbprint', c.thumbprint],
    ['Serial number', 'SerialNumber', c.serialNumber],
    ['Valid from', 'NotBefore', formatUsDateTime(new Date(c.notBefore))],
    ['Valid to', 'NotAfter', `${formatUsDateTime(new Date(c.notAfter))}${now ? ` (${expiryText(c, now)})` : ''}`],
    ['Alternative names', 'AlternativeNames', alternativeNames(c)],
    ['Public key', 'Key', `${c.keyAlgorithm} ${c.keySize} bits${c.keyCurve ? ` (${c.keyCurve})` : ''}`],
    ['Signature algorithm', 'SignatureAlgorithm', c.signatureAlgorithm],
    ['Enhanced key usage', 'EnhancedKeyUsage', c.enhancedKeyUsages.map((u) => (u.name === u.oid ? u.oid : `${u.name} (${u.oid})`)).join(', ') || 'none'],
    ...(c.crlDistributionPoints ? [['CRL distribution points', 'CRLDistPoints', c.crlDistributionPoints.join(', ') || 'none'] as [string, string, string]] : []),
    ['Private key', 'HasPrivateKey', privateKey],
    ['Certification authority', 'IsCA', c.isCA ? 'Yes' : 'No'],
  ];
  if (deployment) fields.push(['Assigned as', 'AssignedAs', assignmentsOf(deployment, c.thumbprint).join('; ') || 'not assigned']);
  return fields.map(([label, property, value]) => ({ label, property, value: displayText(value) }));
}

/** A finding's message and fix as one line, safe to show. */
export function findingText(f: Pick<Finding, 'message' | 'fix'>): string {
  return displayText(f.fix ? `${f.message} — ${f.fix}` : f.message);
}

/**
 * A finding's message for a picker item that already names the certificate and the server: without its subject
 * ("The Default certificate <thumbprint> on fe01.contoso.com "), so what is wrong comes first in a row that is cut
 * at its end ("does not carry the names this role needs: …"). The full message stays in the row's detail.
 */
export function findingInPicker(message: string): string {
  return displayText(message.replace(/^The \S+ certificate [0-9A-F]{40}(?: on \S+)? /, ''));
}

/**
 * A name (a certificate's Issued To, usually a DNS name) shortened to at most `max` characters for a tree row,
 * which cannot wrap and is cut at its end by the sidebar: a DNS name keeps its first label (the host, what tells
 * certificates apart) and its last two (the domain), and leaves out whole labels between them ("…"); anything else,
 * or a first label too long itself, is cut at a space near the end, or else after `max - 1` characters. The row's tooltip and accessible name carry
 * the whole name.
 */
export function shortName(name: string, max: number): string {
  if (name.length <= max) return name;
  const labels = name.split('.');
  if (labels.length >= 3 && labels.every(Boolean)) {
    const domain = labels.slice(-2).join('.');
    let head = labels[0];
    for (const next of labels.slice(1, -2)) {
      if (`${head}.${next}…${domain}`.length > max) break;
      head = `${head}.${next}`;
    }
    if (`${head}…${domain}`.length <= max) return `${head}…${domain}`;
    if (labels[0].length + 1 <= max) return `${labels[0]}…`;
  }
  // Other text is cut at a space where one is near the end, so the last word shows whole.
  const space = name.slice(0, max).lastIndexOf(' ');
  return `${(space > max / 2 ? name.slice(0, space) : name.slice(0, max - 1)).trimEnd()}…`;
}
