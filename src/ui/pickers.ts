// Asking the user for a target when a command runs from the palette (tree commands get the clicked node).
import * as vscode from 'vscode';
import { ExpectedError, refuse, sfbError, type Deployment, type Server, type StoredCertificate } from '../core';
import { prompts } from './prompter';
import type { LiveStore } from './store';
import { assignmentsOf, certificateName, expiryText } from './treeModel';

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

export function isFrontEnd(d: Deployment, fqdn: string): boolean {
  return d.pools.some((p) => (p.kind === 'FrontEndEnterprise' || p.kind === 'StandardEdition') && p.servers.some((s) => s.fqdn === fqdn));
}

export async function pickServer(store: LiveStore, title: string, filter: (d: Deployment, s: Server) => boolean = () => true): Promise<string> {
  const d = orCancel(store.state);
  const items = d.pools.flatMap((p) => p.servers.filter((s) => filter(d, s)).map((s) => ({ label: s.fqdn, description: p.fqdn === s.fqdn ? p.kind : `${p.fqdn} · ${p.kind}`, fqdn: s.fqdn })));
  if (!items.length) refuse('no-server-fits', 'No server in the deployment fits.', 'Import a topology with Front End Servers first.', { severity: 'warning' });
  if (items.length === 1) return items[0].fqdn;
  const picked = await prompts.current.pick(items, { title, placeHolder: 'Choose a server', matchOnDescription: true });
  return orCancel(picked).fqdn;
}

export async function pickCertificate(store: LiveStore, title: string, filter: (c: StoredCertificate) => boolean = () => true): Promise<CertificateChoice> {
  const d = orCancel(store.state);
  const now = store.now();
  const seen = new Set<string>();
  const items: (vscode.QuickPickItem & { choice: CertificateChoice })[] = [];
  const add = (cert: StoredCertificate, serverFqdn?: string) => {
    if (seen.has(cert.thumbprint) || !filter(cert)) return;
    seen.add(cert.thumbprint);
    const where = assignmentsOf(d, cert.thumbprint);
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
