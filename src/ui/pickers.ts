// Asking the user for a target when a command runs from the palette (tree commands get the clicked node).
import * as vscode from 'vscode';
import { ExpectedError, checkCertificateForUse, displayText, isFrontEndPool, refuse, sfbError, type CertUse, type Deployment, type Pool, type Server, type StoredCertificate } from '../core';
import { prompts } from './prompter';
import type { LiveDeployment } from './live';
import { assignmentIndex, certificateName, expiryText, findingInPicker } from '../present/certificate';

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

/** Judge each offered certificate for this use (the rules' own checks, src/core/rules.ts) and show the verdict. */
export interface PickFitness {
  use: CertUse;
  /** For a roll: when the certificate is to become current. */
  effectiveDate?: Date;
}

const RANK: Record<'ok' | 'warning' | 'error', number> = { ok: 0, warning: 1, error: 2 };

/**
 * Asks for a certificate among those `filter` accepts. With `fitness`, every item carries the rules' verdict for
 * that use where it is chosen: an icon, the first reason in its description, all of them in its detail; fit
 * certificates first, those with warnings next, those the rules refuse last (choosing one shows the refusal).
 */
export async function pickCertificate(live: LiveDeployment, title: string, filter: (c: StoredCertificate) => boolean = () => true, fitness?: PickFitness): Promise<CertificateChoice> {
  const d = orCancel(live.state);
  const now = live.now();
  const seen = new Set<string>();
  const assigned = assignmentIndex(d);
  const items: (vscode.QuickPickItem & { choice: CertificateChoice; rank: number })[] = [];
  const add = (cert: StoredCertificate, serverFqdn?: string) => {
    if (seen.has(cert.thumbprint) || !filter(cert)) return;
    seen.add(cert.thumbprint);
    const where = assigned.get(cert.thumbprint) ?? [];
    const verdict = fitness ? judge(d, cert, fitness, now, live.expiryWarningDays()) : undefined;
    const base = `${cert.keyAlgorithm} ${cert.keySize} · ${expiryText(cert, now)}`;
    items.push({
      label: verdict ? `$(${verdict.icon}) ${certificateName(cert)}` : certificateName(cert),
      // The verdict beside the name; below it, once each: key and expiry (where the verdict took the description's
      // place), the store, where it is assigned, then the thumbprint (a picker row is cut at its end).
      description: verdict?.reason ? `${verdict.level === 'error' ? 'cannot be used' : 'warning'}: ${verdict.reason}` : verdict ? `fit for ${fitness!.use}` : base,
      detail: `${verdict?.reasons.length ? `${verdict.reasons.join(' ')} — ` : ''}${verdict ? `${base} · ` : ''}${serverFqdn ?? 'Central Management Store'}${where.length ? ` · ${where.join('; ')}` : ''} · ${cert.thumbprint}`,
      choice: { cert, serverFqdn },
      rank: verdict ? RANK[verdict.level] : 0,
    });
  };
  for (const c of d.cms.certificates) add(c);
  for (const s of allServers(d)) for (const c of s.certificates) add(c, s.fqdn);
  if (!items.length) refuse('no-certificate-fits', 'No certificate fits.', 'Import one first (SfB Certificates: Import Certificate…).', { severity: 'warning' });
  items.sort((x, y) => x.rank - y.rank); // stable: the store order within each verdict
  const picked = await prompts.current.pick(items, { title, placeHolder: fitness ? `Choose a certificate for ${fitness.use} (fit ones first; the reasons are shown)` : 'Choose a certificate', matchOnDescription: true, matchOnDetail: true });
  return orCancel(picked).choice;
}

/** The rules' verdict on one certificate for one use: errors refuse it, warnings let it through. */
function judge(d: Deployment, cert: StoredCertificate, fitness: PickFitness, now: Date, expiryWarningDays: number): { level: 'ok' | 'warning' | 'error'; icon: string; reason?: string; reasons: string[] } {
  const findings = checkCertificateForUse(cert, fitness.use, d.sipDomains, now, { effectiveDate: fitness.effectiveDate, expiryWarningDays }).filter((f) => f.severity !== 'info');
  const errors = findings.filter((f) => f.severity === 'error');
  const worst = errors.length ? errors : findings;
  const level = errors.length ? 'error' : findings.length ? 'warning' : 'ok';
  const reasons = worst.map((f) => displayText(f.message));
  return { level, icon: level === 'error' ? 'error' : level === 'warning' ? 'warning' : 'pass', reason: worst[0] && findingInPicker(worst[0].message), reasons };
}

export async function askPassword(prompt: string, title: string): Promise<string> {
  return orCancel(await prompts.current.input({ title, prompt, password: true, ignoreFocusOut: true }));
}
