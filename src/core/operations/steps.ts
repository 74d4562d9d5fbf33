// Shared pieces of the cmdlet / MMC steps.
import { normalizeThumbprint } from '../certificates/thumbprint';
import { readCertificateFile } from '../certificates/read';
import { UNCONFIRMED_RULE, about, type SfbError } from '../errors';
import { parseEffectiveDate } from '../clock';
import { CERT_USES, PFX_PASSWORD_NOTE, certUseFacts, isCertUse, isGlobalUse, renderPowerShell } from '../cmdlets';
import type { Assignments, CertificateRecord, CertUse, Deployment, Finding, OperationFailed, Slot, StoredCertificate } from '../model';
import { bumpCmsVersion, updateSlot, usesGlobalOAuth, type SlotChange } from '../replication';
import { findServer, globalCertificateReceivers, productName, receivesGlobalCertificates, serverUses, serverVersion, useMissingFromVersion, type ServerLocation } from '../topology';
import { checkOAuthCandidate, checkPendingRoll, type RuleOptions } from '../certificateChecks';
import type { CertificateFile } from './types';
import { fail, failWith, failed } from './frame';

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

export function lookup(store: readonly StoredCertificate[], thumbprint: string): StoredCertificate | undefined {
  return store.find((c) => c.thumbprint === thumbprint);
}

/** The one place certificates enter a store: replaces an entry with the same thumbprint. */
export function withCertificate(store: StoredCertificate[], cert: StoredCertificate): StoredCertificate[] {
  const i = store.findIndex((c) => c.thumbprint === cert.thumbprint);
  if (i < 0) return [...store, cert];
  const out = store.slice();
  out[i] = cert;
  return out;
}

export function applySlots(assignments: Assignments, uses: CertUse[], change: SlotChange): Assignments {
  return uses.reduce((acc, use) => updateSlot(acc, use, change), assignments);
}

export function describeCert(c: CertificateRecord): string {
  return `${c.thumbprint} (${c.friendlyName || c.subject || 'no subject'})`;
}

/** The named computer, or a clear error (also for a missing or empty name from an untyped caller). */
export function locate(state: Deployment, fqdn: string | undefined, powershell: string): ServerLocation | OperationFailed {
  if (typeof fqdn !== 'string' || !fqdn.trim()) {
    return fail('computer-required', 'Name the computer (its FQDN) the command runs on.', 'Choose a server of the topology.', { powershell });
  }
  return findServer(state, fqdn)
    ?? fail('computer-not-found', `No computer named ${fqdn} is in the topology.`, 'Check the FQDN, or import the topology that contains it.', { powershell });
}

/** Requests can come from untyped callers (the wizard's webview): a -Type value must be one of the table's. */
export function unknownUses(uses: readonly string[] | undefined, powershell: string): OperationFailed | undefined {
  const unknown = (uses ?? []).filter((u) => !isCertUse(u));
  if (!unknown.length) return undefined;
  return fail('unknown-type', `${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length === 1 ? 'is not a -Type value' : 'are not -Type values'}.`,
    `Use one of: ${CERT_USES.map((f) => f.use).join(', ')}.`, { powershell });
}

export type Scope = { kind: 'global'; notes: string[] } | { kind: 'computer'; at: ServerLocation; notes: string[] };

/**
 * Where a Set/Remove acts. -Identity global → the CMS. Without it → the named computer; for OAuthTokenIssuer,
 * whose local slot is a replica of the CMS's, the global assignment when the CMS holds one (the docs' cleanup
 * `Remove-CsCertificate -Type OAuthTokenIssuer -Previous` is run without -Identity [S8]), else the computer's own
 * slot (the manual MMC path [S7]).
 */
export function resolveScope(state: Deployment, identity: 'global' | undefined, computer: string | undefined, uses: CertUse[] | undefined, powershell: string, options: { removing?: boolean } = {}): Scope | OperationFailed {
  const unknown = unknownUses(uses, powershell);
  if (unknown) return unknown;
  if (!uses?.length) {
    // The cmdlet reference lists -Type as optional for Set and Remove (reference C7); what they do without it is
    // undocumented, so the model asks for it.
    return fail('type-required', 'SfB Certificates needs the use(s) named with -Type, e.g. -Type OAuthTokenIssuer or -Type Default,WebServicesInternal,WebServicesExternal: the cmdlet reference lists -Type as optional, but what the cmdlet does without it is undocumented.', undefined, { source: 'extension-rule', powershell });
  }
  const global = uses.filter(isGlobalUse);
  const local = uses.filter((u) => !isGlobalUse(u));
  if (global.length && local.length) {
    return fail('mixed-scopes', `${global.join(', ')} is global but ${local.join(', ')} ${local.length === 1 ? 'is' : 'are'} per computer: run one command for each.`, undefined, { source: 'extension-rule', powershell });
  }
  if (identity === 'global') {
    if (local.length) {
      return fail('type-not-global', `${local.join(', ')} ${local.length === 1 ? 'is' : 'are'} assigned per computer, not at global scope; only OAuthTokenIssuer is global.`,
        `Run it on the computer without -Identity: ${renderPowerShell({ cmdlet: 'Set-CsCertificate', type: local, thumbprint: '<thumbprint>' })}`, { source: 'extension-rule', powershell });
    }
    return { kind: 'global', notes: [] };
  }
  if (global.length && usesGlobalOAuth(state)) {
    return { kind: 'global', notes: [`Without -Identity the cmdlet acts on this computer (cmdlet reference [S4]); this computer's OAuthTokenIssuer slot is a replica of the Central Management store's global assignment, so the model applies the command to that global assignment, as the docs' clean-up line without -Identity expects [S8] ${UNCONFIRMED_RULE}.`] };
  }
  if (computer === undefined) {
    return fail('computer-required', 'Without -Identity the cmdlet acts on the local computer: name the computer it runs on.', 'Choose a server, or use -Identity global for OAuthTokenIssuer.', { powershell });
  }
  const at = locate(state, computer, powershell);
  if (failed(at)) return at;
  // Removing an assignment of a use the version lacks (a leftover XMPPServer on 2019) is what the rules ask for.
  const notInVersion = options.removing ? undefined : usesMissingFromVersion(state, at, uses, powershell);
  if (notInVersion) return notInVersion;
  const notes = global.length
    ? [`No global OAuthTokenIssuer assignment exists, so this sets ${at.server.fqdn}'s own slot (the manual path). Skype for Business Server does not replicate it: every Front End must get the same certificate.`]
    : [];
  return { kind: 'computer', at, notes };
}

/** A use the server's product version does not have (XMPPServer on Skype for Business Server 2019 [S53]). */
function usesMissingFromVersion(state: Deployment, at: ServerLocation, uses: CertUse[], powershell: string): OperationFailed | undefined {
  const reading = serverVersion(state, at.server);
  for (const use of uses) {
    const why = useMissingFromVersion(use, reading.version);
    if (!why) continue;
    return fail('type-not-in-version', `${at.server.fqdn} runs ${productName(reading.version)} (${reading.basis}): -Type ${use} does not exist there; ${why}.`,
      `Use the uses its role holds: ${serverUses(at.pool.kind, reading.version).join(', ')}.`, { source: reading.known ? 'product' : 'extension-rule', powershell });
  }
  return undefined;
}

/** -Roll needs -EffectiveDate [S1][S3]; the model takes -EffectiveDate only with -Roll. */
export function readRoll(args: { effectiveDate?: string; roll?: boolean }, powershell: string): { date?: Date; notes: string[] } | OperationFailed {
  if (args.roll && !args.effectiveDate) {
    return fail('roll-needs-effective-date', 'The command fails: -Roll needs -EffectiveDate, the date and time the certificate becomes current.',
      'Add -EffectiveDate, e.g. -EffectiveDate "7/1/2015" or "7/22/2015 6:00:00 AM".', { powershell });
  }
  if (!args.effectiveDate) return { notes: [] };
  if (!args.roll) {
    return fail('effective-date-needs-roll', 'SfB Certificates takes -EffectiveDate only together with -Roll (a staged assignment).',
      'Add -Roll to stage the certificate, or leave out -EffectiveDate to assign it now.', { source: 'extension-rule', powershell });
  }
  const parsed = parseEffectiveDate(args.effectiveDate);
  if (!parsed.ok) return failWith(parsed.error, powershell);
  return { date: parsed.date, notes: parsed.notes };
}

export function parsedDate(args: { effectiveDate?: string }): Date | undefined {
  if (!args.effectiveDate) return undefined;
  const parsed = parseEffectiveDate(args.effectiveDate);
  return parsed.ok ? parsed.date : undefined;
}

/** Errors refuse; warnings and infos come back as findings. */
export function judgeOAuthCandidate(state: Deployment, cert: CertificateRecord, now: Date, effectiveDate: Date | undefined, rules: RuleOptions, powershell: string): Finding[] | OperationFailed {
  const findings = checkOAuthCandidate(cert, state.sipDomains, now, { ...rules, effectiveDate });
  const errors = findings.filter((f) => f.severity === 'error');
  if (!errors.length) return findings;
  // A finding's message already carries the UNCONFIRMED_RULE label where it is the extension's own rule.
  const error: SfbError = { code: 'oauth-candidate-refused', message: `${describeCert(cert)} cannot be the OAuthTokenIssuer certificate: ${errors.map((f) => f.message).join(' ')}`, source: errors.some((f) => f.source === 'extension-rule') ? 'extension-rule' : 'product' };
  if (errors[0].fix) error.fix = errors[0].fix;
  return failWith(error, powershell);
}

export function assignmentChange(thumbprint: string, date: Date | undefined, now: Date): SlotChange {
  const at = now.toISOString();
  return date ? { kind: 'stage', thumbprint, effectiveDate: date.toISOString(), at } : { kind: 'assign', thumbprint, at };
}

/** Notes about what an assignment did to the slot it changed. */
export function assignmentNotes(before: Slot | undefined, thumbprint: string, date: Date | undefined, use: CertUse, now: Date): string[] {
  const notes: string[] = [];
  if (date && date.getTime() <= now.getTime()) {
    notes.push(`The effective date has already come, so ${use} rolls at once ${UNCONFIRMED_RULE}.`);
  } else if (date) {
    if (before?.pending && before.pending.thumbprint !== thumbprint) notes.push(`This replaces the roll already staged for ${use} (${before.pending.thumbprint}). What the product does with an earlier staged roll is unconfirmed; the model keeps only the latest.`);
    if (!certUseFacts(use).rollCoexistence) notes.push(`Only AudioVideoAuthentication and OAuthTokenIssuer gain a coexistence window from a roll; ${use} can be staged but gains nothing from it.`);
  } else if (before?.current && before.current.thumbprint !== thumbprint) {
    notes.push(`${before.current.thumbprint} was current and is now kept as the previous ${use} certificate (the model's choice: what an immediate Set-CsCertificate does to the previous certificate is unconfirmed).`);
  }
  return notes;
}

export const REPLICATION_MODEL_NOTE = 'Model: the real Master Replicator deploys changes by itself within minutes; here replication runs when you invoke it (Invoke-CsManagementStoreReplication).';

export function replicationPendingNote(state: Deployment): string {
  const frontEnds = state.pools.filter(receivesGlobalCertificates).reduce((n, p) => n + p.servers.length, 0);
  return `Central Management store version ${state.cms.version}: replication deploys the certificate to the ${globalCertificateReceivers(frontEnds)}. ${REPLICATION_MODEL_NOTE}`;
}

/** Applies a global OAuthTokenIssuer assignment: the CMS's copy of the certificate, the slot, a new CMS version. */
export function assignGlobally(state: Deployment, cert: StoredCertificate, uses: CertUse[], date: Date | undefined, now: Date): Deployment {
  const cms = state.cms;
  const certificates = lookup(cms.certificates, cert.thumbprint) === cert ? cms.certificates : withCertificate(cms.certificates, cert);
  const assignments = applySlots(cms.assignments, uses, assignmentChange(cert.thumbprint, date, now));
  return { ...state, cms: bumpCmsVersion({ ...cms, certificates, assignments }, now) };
}

export function rollFindings(assignments: Assignments, uses: CertUse[], store: readonly StoredCertificate[], slotPath: (use: CertUse) => string, serverFqdn?: string): Finding[] {
  return uses.flatMap((use) => {
    const slot = assignments[use];
    return slot ? checkPendingRoll(slot, use, (t) => lookup(store, t), slotPath(use), serverFqdn) : [];
  });
}

export function readFile(file: CertificateFile, powershell: string): { record: CertificateRecord; notes: string[] } | OperationFailed {
  const fileName = file.path.split(/[\\/]/).pop() || file.path;
  const read = readCertificateFile(file.bytes, { password: file.password, fileName });
  if (!read.ok) return failWith(about(fileName, read.error), powershell);
  const notes = [...read.notes];
  if (file.password !== undefined) notes.push(PFX_PASSWORD_NOTE);
  return { record: read.record, notes };
}

export function normalize(input: string, powershell: string): { thumbprint: string; notes: string[] } | OperationFailed {
  const n = normalizeThumbprint(typeof input === 'string' ? input : '');
  if ('error' in n) {
    return fail('invalid-thumbprint', n.error, 'Copy the thumbprint again, e.g. (Get-CsCertificate -Type Default).Thumbprint or the certificate\'s Details tab.', { powershell });
  }
  return { thumbprint: n.thumbprint, notes: n.notes };
}
