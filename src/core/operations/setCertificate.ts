// Set-CsCertificate.
import { formatUsDateTime } from '../calendar';
import { renderPowerShell, type PowerShellCommand } from '../cmdlets';
import type { Deployment, Finding, OperationFailed, OperationOutcome, StoredCertificate } from '../model';
import { withServer } from '../replication';
import { serverPath, type ServerLocation } from '../topology';
import { OAUTH_GLOBAL_PATH, checkCertificateForUse, oauthExportableFinding, type RuleOptions } from '../certificateChecks';
import type { SetCertificateArgs, AssignmentResult, OperationContext } from './types';
import { fail, failed, perform, type Applied, type Step } from './frame';
import { lookup, applySlots, describeCert, locate, resolveScope, readRoll, parsedDate, judgeOAuthCandidate, assignmentChange, assignmentNotes, replicationPendingNote, assignGlobally, rollFindings, normalize } from './steps';

// ---------------------------------------------------------------------------------------------
// Set-CsCertificate
// ---------------------------------------------------------------------------------------------

const setStep: Step<SetCertificateArgs, AssignmentResult> = (state, args, now, rules) => {
  const draft: PowerShellCommand = { cmdlet: 'Set-CsCertificate', identity: args.identity, type: args.type, thumbprint: String(args.thumbprint ?? '').trim(), effectiveDate: parsedDate(args), roll: args.roll };
  const normalized = normalize(args.thumbprint, renderPowerShell(draft));
  if (failed(normalized)) return normalized;
  const powershell = renderPowerShell({ ...draft, thumbprint: normalized.thumbprint });
  const roll = readRoll(args, powershell);
  if (failed(roll)) return roll;
  const scope = resolveScope(state, args.identity, args.computer, args.type, powershell);
  if (failed(scope)) return scope;
  const notes = [...normalized.notes, ...roll.notes, ...scope.notes];
  return scope.kind === 'global'
    ? setGlobal(state, args, normalized.thumbprint, roll.date, now, rules, powershell, notes)
    : setOnComputer(state, scope.at, args, normalized.thumbprint, roll.date, now, rules, powershell, notes);
};

/** The certificate for a global assignment: the CMS's copy, or one from a computer's store (the CMS takes a copy with its key). */
function globalCandidate(state: Deployment, thumbprint: string, computer: string | undefined, powershell: string): { cert: StoredCertificate; notes: string[]; fromStore: boolean } | OperationFailed {
  const held = lookup(state.cms.certificates, thumbprint);
  if (held) return { cert: held, notes: [], fromStore: false };
  let from: ServerLocation | undefined;
  if (computer !== undefined) {
    const at = locate(state, computer, powershell);
    if (failed(at)) return at;
    from = lookup(at.server.certificates, thumbprint) ? at : undefined;
  } else {
    const holders = state.pools.flatMap((pool, poolIndex) => pool.servers.map((server, serverIndex) => ({ server, pool, poolIndex, serverIndex })))
      .filter((loc) => lookup(loc.server.certificates, thumbprint));
    from = holders.find((loc) => lookup(loc.server.certificates, thumbprint)!.hasPrivateKey) ?? holders[0];
  }
  if (!from) {
    return fail('thumbprint-not-found', `No certificate with thumbprint ${thumbprint} is in the Central Management store${computer ? ` or in the store of ${computer}` : ' or in any computer\'s store'}.`,
      'Check the thumbprint (Get-ChildItem Cert:\\LocalMachine\\My lists the store), or import the certificate first: Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path … -Password $pfxPassword', { powershell });
  }
  const local = lookup(from.server.certificates, thumbprint)!;
  if (!local.hasPrivateKey) {
    return fail('no-private-key', `${describeCert(local)} in the store of ${from.server.fqdn} has no private key. The Central Management store takes a copy of the certificate with its private key to deploy it to every Front End, so it cannot use this one.`,
      'Import the certificate from a PFX that contains its private key (Import-CsCertificate -Path … -Password $pfxPassword -PrivateKeyExportable $True), then run this again.', { source: 'extension-rule', powershell });
  }
  const notes = [`The Central Management store takes a copy of ${local.thumbprint} with its private key from the store of ${from.server.fqdn}; replication distributes it, key included, to every Front End.`];
  if (computer === undefined) notes.push(`The certificate was found in the store of ${from.server.fqdn}: run the command there.`);
  if (local.source !== 'replication' && Object.values(from.server.assignments).some((slot) => slot?.current?.thumbprint === local.thumbprint)) {
    notes.push(`It is also in use on ${from.server.fqdn} (e.g. as its Default certificate): reusing a per-server certificate globally puts that certificate on every Front End.`);
  }
  return { cert: local, notes, fromStore: true };
}

function setGlobal(state: Deployment, args: SetCertificateArgs, thumbprint: string, date: Date | undefined, now: Date, rules: RuleOptions, powershell: string, notes: string[]): Applied<AssignmentResult> | OperationFailed {
  const found = globalCandidate(state, thumbprint, args.computer, powershell);
  if (failed(found)) return found;
  const before = state.cms.assignments.OAuthTokenIssuer;
  if (date && before?.current?.thumbprint === thumbprint) {
    return fail('roll-same-certificate', `${thumbprint} is already the current OAuthTokenIssuer certificate: there is nothing to roll to.`, 'Stage a different (new) certificate.', { source: 'extension-rule', powershell });
  }
  const judged = judgeOAuthCandidate(state, found.cert, now, date, rules, powershell);
  if (failed(judged)) return judged;
  const next = assignGlobally(state, found.cert, args.type, date, now);
  return {
    ok: true,
    state: next,
    result: { thumbprint, scope: 'global', uses: args.type, ...(date ? { effectiveDate: date.toISOString() } : {}) },
    powershell,
    findings: [...judged, ...(found.fromStore ? [oauthExportableFinding(found.cert)].filter((f) => f !== undefined) : []), ...rollFindings(next.cms.assignments, args.type, next.cms.certificates, () => OAUTH_GLOBAL_PATH)],
    notes: [...notes, ...found.notes, ...args.type.flatMap((u) => assignmentNotes(before, thumbprint, date, u, now)), replicationPendingNote(next)],
    summary: date
      ? `Staged ${describeCert(found.cert)} to become the global ${args.type.join(', ')} certificate on ${formatUsDateTime(date)}.`
      : `Assigned ${describeCert(found.cert)} as the global ${args.type.join(', ')} certificate.`,
  };
}

function setOnComputer(state: Deployment, at: ServerLocation, args: SetCertificateArgs, thumbprint: string, date: Date | undefined, now: Date, rules: RuleOptions, powershell: string, notes: string[]): Applied<AssignmentResult> | OperationFailed {
  const server = at.server;
  const cert = lookup(server.certificates, thumbprint);
  if (!cert) {
    return fail('thumbprint-not-found', `No certificate with thumbprint ${thumbprint} is in the certificate store of ${server.fqdn}.`,
      `Import it on ${server.fqdn} first (Import-CsCertificate -Path … -Password $pfxPassword, or the Certificates MMC), or check the thumbprint with Get-ChildItem Cert:\\LocalMachine\\My.`, { powershell });
  }
  if (!cert.hasPrivateKey) {
    return fail('no-private-key', `${describeCert(cert)} has no private key in the store of ${server.fqdn}, so it cannot serve ${args.type.join(', ')}.`,
      'Import it from a PFX that contains the private key, then assign it.', { source: 'extension-rule', powershell });
  }
  const current = args.type.filter((u) => server.assignments[u]?.current?.thumbprint === thumbprint);
  if (date && current.length) {
    return fail('roll-same-certificate', `${thumbprint} is already the current ${current.join(', ')} certificate on ${server.fqdn}: there is nothing to roll to.`, 'Stage a different (new) certificate.', { source: 'extension-rule', powershell });
  }
  const path = serverPath(at);
  const findings: Finding[] = [];
  if (args.type.includes('OAuthTokenIssuer')) {
    const judged = judgeOAuthCandidate(state, cert, now, date, rules, powershell);
    if (failed(judged)) return judged;
    findings.push(...judged);
  } else {
    for (const use of args.type) {
      const where = { path: `${path}.certificates[${server.certificates.indexOf(cert)}]`, serverFqdn: server.fqdn, thumbprint, use };
      const judged = checkCertificateForUse(cert, use, state.sipDomains, now, { ...rules, effectiveDate: date, where, server, pool: at.pool });
      // One use's validity findings equal the next's: keep each message once.
      for (const f of judged) if (!findings.some((g) => g.message === f.message)) findings.push(f);
    }
  }
  const assignments = applySlots(server.assignments, args.type, assignmentChange(thumbprint, date, now));
  findings.push(...rollFindings(assignments, args.type, server.certificates, (u) => `${path}.assignments.${u}`, server.fqdn));
  if (args.type.length > 1) notes.push(`Get-CsCertificate lists one object per use: ${thumbprint} now appears ${args.type.length} times (${args.type.join(', ')}).`);
  return {
    ok: true,
    state: withServer(state, at, (s) => ({ ...s, assignments })),
    result: { thumbprint, scope: server.fqdn, uses: args.type, ...(date ? { effectiveDate: date.toISOString() } : {}) },
    powershell,
    findings,
    notes: [...notes, ...args.type.flatMap((u) => assignmentNotes(server.assignments[u], thumbprint, date, u, now))],
    summary: date
      ? `On ${server.fqdn}: staged ${describeCert(cert)} as ${args.type.join(', ')} from ${formatUsDateTime(date)}.`
      : `On ${server.fqdn}: assigned ${describeCert(cert)} as ${args.type.join(', ')}.`,
  };
}

export function setCertificate(state: Deployment, args: SetCertificateArgs, clock: OperationContext): OperationOutcome<AssignmentResult> {
  return perform('Set-CsCertificate', setStep, state, args, clock);
}
