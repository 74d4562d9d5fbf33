// Asking the user for a target when a command runs from the palette (tree commands get the clicked node).
import * as vscode from 'vscode';
import { ExpectedError, isFrontEndPool, refuse, sfbError, type Deployment, type Pool, type Server, type StoredCertificate } from '../core';
import { prompts } from './prompter';
import type { LiveDeployment } from './live';
import { assignmentIndex, certificateName, expiryText } from '../present/certificate';

/** Thrown when the user dismisses a prompt: an expected end the command wrapper keeps silent. */
export class Cancelled extends ExpectedError {
  constructor() { super(sfbError('cancelled', 'Cancelled.')); }
}

export function orCancel<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}

export interface CertificateChoice {
  cert: StoredCertificate;
  /** The server whose store holds it; undefined for a certificate held only by the CMS. */
  serverFqdn?: string;
}

export function allServers(d: Deployment): Server[] {
  return d.pools.flatMap((p) => p.servers);
}

/** A server of a Front End pool (Enterprise or Standard Edition). */
export function isFrontEnd(_server: Server, pool: Pool): boolean {
  return isFrontEndPool(pool);
}

/** Asks for a server among those `filter` accepts (one pass over the servers: fast on 12,000 of them). */
export async function pickServer(live: LiveDeployment, title: string, filter: (s: Server, pool: Pool) => boolean = () => true): Promise<string> {
  const d = orCancel(live.state);
  const items = d.pools.flatMap((p) => p.servers.filter((s) => filter(s, p)).map((s) => ({ label: s.fqdn, description: p.fqdn === s.fqdn ? p.kind : `${p.fqdn} · ${p.kind}`, fqdn: s.fqdn })));
  if (!items.length) refuse('no-server-fits', 'No server in the deployment fits.', 'Import a topology with Front End Servers first.', { severity: 'warning' });
  if (items.length === 1) return items[0].fqdn;
  const picked = await prompts.current.pick(items, { title, placeHolder: 'Choose a server', matchOnDescription: true });
  return orCancel(picked).fqdn;
}

export async function pickCertificate(live: LiveDeployment, title: string, filter: (c: StoredCertificate) => boolean = () => true): Promise<CertificateChoice> {
  const d = orCancel(live.state);
  const now = live.now();
  const seen = new Set<string>();
  const assigned = assignmentIndex(d);
  const items: (vscode.QuickPickItem & { choice: CertificateChoice })[] = [];
  const add = (cert: StoredCertificate, serverFqdn?: string) => {
    if (seen.has(cert.thumbprint) || !filter(cert)) return;
    seen.add(cert.thumbprint);
    const where = assigned.get(cert.thumbprint) ?? [];
    items.push({
      label: certificateName(cert),
      description: `${cert.keyAlgorithm} ${cert.keySize} · ${expiryText(cert, now)}`,
      detail: `${cert.thumbprint} · ${serverFqdn ?? 'Central Management Store'}${where.length ? ` · ${where.join('; ')}` : ''}`,
      choice: { cert, serverFqdn },
    });
  };
  for (const c of d.cms.certificates) add(c);
  for (const s of allServers(d)) for (const c of s.certificates) add(c, s.fqdn);
  if (!items.length) refuse('no-certificate-fits', 'No certificate fits.', 'Import one first (SfB Certificates: Import Certificate…).', { severity: 'warning' });
  const picked = await prompts.current.pick(items, { title, placeHolder: 'Choose a certificate', matchOnDescription: true, matchOnDetail: true });
  return orCancel(picked).choice;
}

export async function askPassword(prompt: string, title: string): Promise<string> {
  return orCancel(await prompts.current.input({ title, prompt, password: true, ignoreFocusOut: true }));
}
