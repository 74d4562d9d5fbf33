// What changed between the deployment as it was and as an inventory import makes it (the drift view, shown before
// the model is replaced): servers added or removed, certificates new to or gone from a store, uses re-assigned (the
// global OAuthTokenIssuer slot included), and the assigned certificates that expire within the warning window.
import type { CertUse, Deployment, Server, Slot, StoredCertificate } from '../model';

export type DriftKind = 'new' | 'removed' | 'reassigned' | 'expiring';

export interface DriftItem {
  kind: DriftKind;
  /** The server, or "global" for the Central Management store's slot. */
  where: string;
  thumbprint?: string;
  use?: CertUse;
  /** One line for a person (untrusted text inside: show it through the presenter). */
  text: string;
}

const DAY_MS = 86_400_000;

function serversOf(d: Deployment | undefined): Map<string, Server> {
  const out = new Map<string, Server>();
  for (const pool of d?.pools ?? []) for (const s of pool.servers) out.set(s.fqdn.toLowerCase(), s);
  return out;
}

function name(c: StoredCertificate | undefined, thumbprint: string): string {
  return c ? `${thumbprint} (${c.subject || 'empty subject'})` : thumbprint;
}

function slotChanges(where: string, use: CertUse, before: Slot | undefined, after: Slot | undefined, store: StoredCertificate[], out: DriftItem[]): void {
  const find = (t: string) => store.find((c) => c.thumbprint === t);
  const was = before?.current?.thumbprint;
  const is = after?.current?.thumbprint;
  if (was !== is) {
    out.push({
      kind: 'reassigned', where, use, thumbprint: is,
      text: is ? `${use}: ${was ? `${was} → ` : 'now '}${name(find(is), is)}` : `${use}: ${was} is no longer assigned`,
    });
  }
  const pendingWas = before?.pending?.thumbprint;
  const pendingIs = after?.pending;
  if (pendingWas !== pendingIs?.thumbprint) {
    out.push({
      kind: 'reassigned', where, use, thumbprint: pendingIs?.thumbprint,
      text: pendingIs ? `${use}: roll staged to ${name(find(pendingIs.thumbprint), pendingIs.thumbprint)} on ${pendingIs.effectiveDate.slice(0, 10)}` : `${use}: the staged roll to ${pendingWas} is gone`,
    });
  }
}

/** The changes from `before` (undefined: nothing yet) to `after`, assigned certificates expiring within `warnDays` of `now` last. */
export function inventoryDrift(before: Deployment | undefined, after: Deployment, now: Date, warnDays: number): DriftItem[] {
  const out: DriftItem[] = [];
  const old = serversOf(before);
  const next = serversOf(after);
  for (const [key, s] of old) if (!next.has(key)) out.push({ kind: 'removed', where: s.fqdn, text: `${s.fqdn} is no longer in the topology` });
  slotChanges('global', 'OAuthTokenIssuer', before?.cms.assignments.OAuthTokenIssuer, after.cms.assignments.OAuthTokenIssuer, after.cms.certificates, out);
  for (const [key, s] of next) {
    const was = old.get(key);
    if (!was && before) out.push({ kind: 'new', where: s.fqdn, text: `${s.fqdn} is new in the topology` });
    const had = new Set(was?.certificates.map((c) => c.thumbprint));
    const has = new Set(s.certificates.map((c) => c.thumbprint));
    for (const c of s.certificates) if (!had.has(c.thumbprint)) out.push({ kind: 'new', where: s.fqdn, thumbprint: c.thumbprint, text: `${name(c, c.thumbprint)} is in its store` });
    for (const c of was?.certificates ?? []) if (!has.has(c.thumbprint)) out.push({ kind: 'removed', where: s.fqdn, thumbprint: c.thumbprint, text: `${name(c, c.thumbprint)} is gone from its store` });
    const uses = new Set([...Object.keys(was?.assignments ?? {}), ...Object.keys(s.assignments)]) as Set<CertUse>;
    for (const use of uses) slotChanges(s.fqdn, use, was?.assignments[use], s.assignments[use], s.certificates, out);
  }
  const horizon = now.getTime() + warnDays * DAY_MS;
  const expiring = (where: string, slot: Slot | undefined, use: CertUse, store: StoredCertificate[]) => {
    const c = slot?.current && store.find((x) => x.thumbprint === slot.current!.thumbprint);
    if (!c || Date.parse(c.notAfter) > horizon) return;
    const left = Math.floor((Date.parse(c.notAfter) - now.getTime()) / DAY_MS);
    out.push({ kind: 'expiring', where, use, thumbprint: c.thumbprint, text: `${use}: ${name(c, c.thumbprint)} ${left < 0 ? 'has expired' : `expires in ${left} day${left === 1 ? '' : 's'}`} (${c.notAfter.slice(0, 10)})${slot?.pending ? '' : ', no roll staged'}` });
  };
  expiring('global', after.cms.assignments.OAuthTokenIssuer, 'OAuthTokenIssuer', after.cms.certificates);
  for (const s of next.values()) for (const use of Object.keys(s.assignments) as CertUse[]) expiring(s.fqdn, s.assignments[use], use, s.certificates);
  return out;
}
