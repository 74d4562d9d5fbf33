// Get-CsCertificate.
import { CERT_USES, renderPowerShell, type CertificateReference } from '../cmdlets';
import type { Assignments, CertUse, Deployment, OperationOutcome, SlotEntry, StoredCertificate } from '../model';
import { isUpToDate, usesGlobalOAuth } from '../replication';
import { defaultComputer, receivesGlobalCertificates } from '../topology';
import type { GetCertificateArgs, OperationContext } from './types';
import { fail, failed, perform, type Step } from './frame';
import { lookup, locate, unknownUses } from './steps';

// ---------------------------------------------------------------------------------------------
// Get-CsCertificate
// ---------------------------------------------------------------------------------------------

const getStep: Step<GetCertificateArgs, CertificateReference[]> = (state, args) => {
  const powershell = renderPowerShell({ cmdlet: 'Get-CsCertificate', identity: args.identity, type: args.type });
  const unknown = unknownUses(args.type, powershell);
  if (unknown) return unknown;
  const notes: string[] = [];
  let assignments: Assignments;
  let stores: (readonly StoredCertificate[])[];
  let scopeOf: (use: CertUse) => CertificateReference['SourceScope'];
  if (args.identity === 'global') {
    assignments = state.cms.assignments;
    stores = [state.cms.certificates];
    scopeOf = () => 'Global';
  } else {
    const at = args.computer === undefined
      ? defaultComputer(state) ?? fail('no-computer', 'The topology has no Front End to run the cmdlet on.', 'Import a topology first.', { powershell })
      : locate(state, args.computer, powershell);
    if (failed(at)) return at;
    if (args.computer === undefined) notes.push(`Run on ${at.server.fqdn} (a Front End of the pool hosting the Central Management store).`);
    assignments = at.server.assignments;
    stores = [at.server.certificates, state.cms.certificates];
    const mirrored = receivesGlobalCertificates(at.pool) && usesGlobalOAuth(state);
    scopeOf = (use) => (use === 'OAuthTokenIssuer' && mirrored ? 'Global' : 'Local');
    const wantsOAuth = !args.type || args.type.includes('OAuthTokenIssuer');
    if (wantsOAuth && mirrored && !isUpToDate(at.server.replica, state.cms)) {
      notes.push(`${at.server.fqdn}'s replica is at version ${at.server.replica.appliedVersion} of ${state.cms.version}${at.server.replica.unreachable ? ' and unreachable' : ''}: it shows the OAuthTokenIssuer assignment as of its last replication. ` +
        `See the global one with ${renderPowerShell({ cmdlet: 'Get-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'] })}, or run ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: at.server.fqdn })}.`);
    }
  }
  const uses = args.type ?? CERT_USES.map((f) => f.use);
  const roles: ('current' | 'pending' | 'previous')[] = args.includePreviousAndPending ? ['current', 'pending', 'previous'] : ['current'];
  const result: CertificateReference[] = [];
  for (const use of uses) {
    const slot = assignments[use];
    if (!slot) continue;
    for (const role of roles) {
      const entry = slot[role];
      if (!entry) continue;
      const cert = stores.map((s) => lookup(s, entry.thumbprint)).find(Boolean);
      if (!cert) notes.push(`${use} (${role}) refers to ${entry.thumbprint}, which is in no certificate store: its details are empty.`);
      result.push(reference(use, entry, role === 'current' ? slot.previous?.thumbprint : undefined, role, scopeOf(use), cert));
    }
  }
  if (args.includePreviousAndPending) notes.push('Previous and pending objects are SfB Certificates\' view: Get-CsCertificate has no documented -Previous.');
  if (result.some((r) => r.SourceScope === 'Local')) notes.push('SourceScope "Local" is the model\'s value for per-computer uses; Microsoft\'s mock only shows "Global".');
  if (!result.length) notes.push(`Nothing is assigned${args.type ? ` for ${args.type.join(', ')}` : ''}: Get-CsCertificate returns nothing.`);
  return { ok: true, state, result, powershell, notes };
};

function reference(use: CertUse, entry: SlotEntry, previousThumbprint: string | undefined, role: CertificateReference['slot'], scope: CertificateReference['SourceScope'], cert?: StoredCertificate): CertificateReference {
  return {
    Issuer: cert?.issuer ?? '',
    NotAfter: cert?.notAfter ?? '',
    NotBefore: cert?.notBefore ?? '',
    SerialNumber: cert?.serialNumber ?? '',
    Subject: cert?.subject ?? '',
    AlternativeNames: cert ? cert.subjectAlternativeNames.map((s) => s.value) : [],
    Thumbprint: entry.thumbprint,
    Use: use,
    EffectiveDate: entry.effectiveDate,
    PreviousThumbprint: previousThumbprint ?? '',
    UpdateTime: entry.updateTime,
    SourceScope: scope,
    slot: role,
  };
}

export function getCertificate(state: Deployment, args: GetCertificateArgs, clock: OperationContext): OperationOutcome<CertificateReference[]> {
  return perform('Get-CsCertificate', getStep, state, args, clock);
}
