// Import-CsCertificate.
import { UNCONFIRMED_RULE } from '../errors';
import { formatUsDateTime } from '../calendar';
import { renderPowerShell } from '../cmdlets';
import type { Deployment, OperationFailed, OperationOutcome, StoredCertificate } from '../model';
import { withServer } from '../replication';
import { OAUTH_GLOBAL_PATH, type RuleOptions } from '../certificateChecks';
import type { ImportGlobalArgs, ImportLocalArgs, ImportCertificateArgs, AssignmentResult, ImportResult, OperationContext } from './types';
import { failed, perform, type Applied, type Step } from './frame';
import { lookup, withCertificate, describeCert, locate, resolveScope, readRoll, parsedDate, judgeOAuthCandidate, assignmentNotes, replicationPendingNote, assignGlobally, rollFindings, readFile } from './steps';

// ---------------------------------------------------------------------------------------------
// Import-CsCertificate
// ---------------------------------------------------------------------------------------------

const importStep: Step<ImportCertificateArgs, ImportResult> = (state, args, now, rules) => {
  if (args.identity === 'global') return importGlobal(state, args, now, rules);
  return importLocal(state, args, now);
};

function importGlobal(state: Deployment, args: ImportGlobalArgs, now: Date, rules: RuleOptions): Applied<ImportResult> | OperationFailed {
  const powershell = renderPowerShell({ cmdlet: 'Import-CsCertificate', identity: 'global', type: args.type, path: args.path, password: args.password, effectiveDate: parsedDate(args), roll: args.roll });
  const scope = resolveScope(state, 'global', undefined, args.type, powershell);
  if (failed(scope)) return scope;
  const roll = readRoll(args, powershell);
  if (failed(roll)) return roll;
  const file = readFile(args, powershell);
  if (failed(file)) return file;
  const judged = judgeOAuthCandidate(state, file.record, now, roll.date, rules, powershell);
  if (failed(judged)) return judged;
  // The CMS parameter set has no -PrivateKeyExportable [S3]: whether the key kept at global scope may be exported again
  // is undocumented. The model reads it from the file: a key that came in a PFX is exportable (SfB Certificates' reading),
  // so this path never leaves a non-exportable OAuthTokenIssuer key (Set-CsCertificate warns where one is assigned).
  const cert: StoredCertificate = { ...file.record, exportable: file.record.hasPrivateKey, source: 'import', addedAt: now.toISOString(), sourceFile: args.sourceFile ?? args.path };
  const before = state.cms.assignments.OAuthTokenIssuer;
  const next = assignGlobally(state, cert, args.type, roll.date, now);
  const assignment: AssignmentResult = { thumbprint: cert.thumbprint, scope: 'global', uses: args.type, ...(roll.date ? { effectiveDate: roll.date.toISOString() } : {}) };
  return {
    ok: true,
    state: next,
    result: { thumbprint: cert.thumbprint, scope: 'global', hasPrivateKey: cert.hasPrivateKey, assignment },
    powershell,
    findings: [...judged, ...rollFindings(next.cms.assignments, args.type, next.cms.certificates, () => OAUTH_GLOBAL_PATH)],
    notes: [
      ...file.notes, ...roll.notes,
      ...(cert.hasPrivateKey ? [`The private key came in ${args.sourceFile ?? args.path}, so the model counts it as exportable ${UNCONFIRMED_RULE}.`] : []), ...args.type.flatMap((u) => assignmentNotes(before, cert.thumbprint, roll.date, u, now)),
      'Run this once, on one Front End: do not configure the OAuthTokenIssuer certificate on each Front End.',
      replicationPendingNote(next),
    ],
    summary: roll.date
      ? `Imported ${describeCert(cert)} and staged it as the global ${args.type.join(', ')} certificate from ${formatUsDateTime(roll.date)}.`
      : `Imported ${describeCert(cert)} and assigned it as the global ${args.type.join(', ')} certificate.`,
  };
}

function importLocal(state: Deployment, args: ImportLocalArgs, now: Date): Applied<ImportResult> | OperationFailed {
  const powershell = renderPowerShell({ cmdlet: 'Import-CsCertificate', path: args.path, password: args.password, privateKeyExportable: args.privateKeyExportable });
  const at = locate(state, args.computer, powershell);
  if (failed(at)) return at;
  const file = readFile(args, powershell);
  if (failed(file)) return file;
  // Two facts (reference C8): -PrivateKeyExportable lets the Network Service account read the key [S3]; whether the
  // MMC may then export it is undocumented, and the model follows the switch for that too (SfB Certificates' reading).
  const readable = file.record.hasPrivateKey && args.privateKeyExportable === true;
  const exportable = readable;
  const cert: StoredCertificate = {
    ...file.record, exportable, ...(file.record.hasPrivateKey ? { networkServiceCanReadKey: readable } : {}),
    source: 'import', addedAt: now.toISOString(), sourceFile: args.sourceFile ?? args.path,
  };
  const notes = [...file.notes];
  if (lookup(at.server.certificates, cert.thumbprint)) notes.push(`${cert.thumbprint} was already in the store of ${at.server.fqdn}; the imported copy replaces it.`);
  if (!cert.hasPrivateKey) notes.push('The file holds no private key: the certificate cannot serve a use that signs or decrypts (every Skype for Business Server use does).');
  else if (!exportable) notes.push(`Imported without -PrivateKeyExportable $True, which would let the Network Service account read the private key (cmdlet reference [S3]). The model also treats such a key as not exportable: the Certificates MMC will not export it with its key ${UNCONFIRMED_RULE}.`);
  return {
    ok: true,
    state: withServer(state, at, (s) => ({ ...s, certificates: withCertificate(s.certificates, cert) })),
    result: { thumbprint: cert.thumbprint, scope: at.server.fqdn, hasPrivateKey: cert.hasPrivateKey },
    powershell,
    notes: [...notes, `Imported into the certificate store of ${at.server.fqdn} only; assign it with Set-CsCertificate.`],
    summary: `Imported ${describeCert(cert)} into the store of ${at.server.fqdn}.`,
  };
}

export function importCertificate(state: Deployment, args: ImportCertificateArgs, clock: OperationContext): OperationOutcome<ImportResult> {
  return perform('Import-CsCertificate', importStep, state, args, clock);
}
