// Running a core operation from a cmdlet: through the DeploymentSession (so the tree, the status bar, the Problems
// panel and undo see it), or as a preview for -WhatIf; the model's refusals become error records, its findings
// warnings, its notes verbose messages (shown with -Verbose).
import { UNCONFIRMED_RULE, findServer, runOperation, type CertificateReference, type Deployment, type OperationOk, type OperationRequest, type StoredCertificate } from '../../core';
import { Cancelled, ShellError, modelError } from '../errors';
import type { CmdletContext } from '../runtime';
import { PsObject, toText, type PsValue } from '../values';

export function ownRule(command: string, message: string, errorId = 'NotSupported'): ShellError {
  return new ShellError(`${message} ${UNCONFIRMED_RULE}`, { command, category: 'InvalidOperation', reason: 'InvalidOperationException', errorId: `${errorId},${command}` });
}

/** Runs `request`; undefined under -WhatIf (after writing what it would do). */
export function perform(ctx: CmdletContext, request: OperationRequest): OperationOk<unknown> | undefined {
  const session = ctx.state.host.session;
  if (ctx.whatIf) {
    const preview = runOperation(session.state, request, { now: () => session.now() });
    if (!preview.ok) throw modelError(ctx.spec.name, preview.error);
    const added = preview.state.history.slice(session.state.history.length).map((h) => h.summary).join(' ');
    ctx.write({ stream: 'output', text: `What if: Performing the operation "${ctx.spec.name}" on target "${added || preview.powershell}".\n` });
    return undefined;
  }
  const outcome = session.run(request);
  if (!outcome.ok) throw modelError(ctx.spec.name, outcome.error);
  for (const finding of outcome.findings) {
    if (finding.severity === 'info') continue;
    // An extension-rule finding's message already ends with the UNCONFIRMED_RULE label.
    ctx.write({ stream: 'warning', text: `WARNING: ${finding.message}\n` });
  }
  if (ctx.flag('Verbose')) for (const note of outcome.notes) ctx.write({ stream: 'verbose', text: `VERBOSE: ${note}\n` });
  return outcome;
}

const CONFIRM_CHOICES = '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): ';
const CONFIRM_HELP = [
  'Y - Continue with only the next step of the operation.',
  'A - Continue with all the steps of the operation.',
  'N - Skip this operation and proceed with the next operation.',
  'L - Skip this operation and all subsequent operations.',
  'S - Pause the current pipeline and return to the command prompt. Type "exit" to resume the pipeline.',
].join('\n');
/** When the shell asks: the documented prompt for a certificate in use [S4], asked by SfB Certificates for every removal. */
export const CONFIRM_RULE = `Remove-CsCertificate asks before it removes a certificate that is in use, unless -Force is given (cmdlet reference); SfB Certificates asks for every removal and also honours -Confirm:$false ${UNCONFIRMED_RULE}.`;

/**
 * The confirmation prompt of a high-impact change, in PowerShell's console shape [S37] (Confirm / Are you sure you want to
 * perform this action? / Performing the operation "…" on target "…". / [Y] Yes  [A] Yes to All …). Asked unless
 * -Force, -Confirm:$false or -WhatIf; an explicit -Confirm always asks. Resolves whether to go on (N and L: no).
 * Where nobody can answer (sfb-cert shell), it fails and says what to add.
 */
export async function confirmed(ctx: CmdletContext, request: OperationRequest): Promise<boolean> {
  const confirm = ctx.get('Confirm');
  if (ctx.whatIf || confirm === false || (ctx.flag('Force') && confirm !== true)) return true;
  const session = ctx.state.host.session;
  const preview = runOperation(session.state, request, { now: () => session.now() });
  if (!preview.ok) throw modelError(ctx.spec.name, preview.error);
  const target = preview.state.history.slice(session.state.history.length).map((h) => h.summary).join(' ') || preview.powershell;
  if (ctx.state.host.interactive === false) {
    throw new ShellError(`${ctx.spec.name} asks for confirmation before it removes "${target}", and this shell runs non-interactively, so nobody can answer. Add -Force (or -Confirm:$false) to the command to remove it without asking. ${UNCONFIRMED_RULE}`, {
      command: ctx.spec.name, category: 'InvalidOperation', reason: 'PSInvalidOperationException', errorId: `ConfirmationNotPossible,${ctx.spec.name}`,
    });
  }
  ctx.write({ stream: 'output', text: `\nConfirm\nAre you sure you want to perform this action?\nPerforming the operation "${ctx.spec.name}" on target "${target}".\n` });
  for (;;) {
    const answer = await ctx.state.host.readHost(CONFIRM_CHOICES, { secure: false });
    if (answer === undefined) throw new Cancelled();
    const a = answer.trim().toLowerCase();
    if (a === '' || a === 'y' || a === 'a') return true;
    if (a === 'n' || a === 'l') return false;
    if (a === '?') ctx.write({ stream: 'output', text: `${CONFIRM_HELP}\n${CONFIRM_RULE}\n` });
    else if (a === 's') ctx.write({ stream: 'output', text: `Suspend is not available in the SfB Management Shell of SfB Certificates: answer Y or N. ${UNCONFIRMED_RULE}\n` });
  }
}

/** "This computer", or an error when the topology has none. */
export function thisComputer(ctx: CmdletContext): string {
  const computer = ctx.state.computer;
  if (!computer || !findServer(ctx.state.host.session.state, computer)) {
    throw ownRule(ctx.spec.name, 'The deployment has no server this shell runs on. Import a topology first, or Enter-PSSession to one of its servers.', 'NoComputer');
  }
  return computer;
}

export function identity(ctx: CmdletContext): 'global' | undefined {
  const value = ctx.get('Identity');
  if (value === undefined || value === null) return undefined;
  if (toText(value).toLowerCase() === 'global') return 'global';
  throw ownRule(ctx.spec.name, `Only -Identity global is documented for the certificate cmdlets; "${toText(value)}" is not modelled.`, 'IdentityNotSupported');
}

export function reportNotWritten(ctx: CmdletContext): void {
  if (ctx.get('Report') !== undefined) ctx.write({ stream: 'warning', text: `WARNING: -Report: SfB Certificates writes no HTML report ${UNCONFIRMED_RULE}.\n` });
}

const dateOrNull = (iso: string): PsValue => (iso ? new Date(iso) : null);

/** The eight properties the reference's Get-CsCertificate sample shows [S11]; `fl *` shows all twelve. */
const CERTIFICATE_REFERENCE_VIEW = ['Issuer', 'NotAfter', 'NotBefore', 'SerialNumber', 'Subject', 'AlternativeNames', 'Thumbprint', 'Use'];

export function certificateReference(ref: CertificateReference): PsObject {
  return new PsObject('Microsoft.Rtc.Management.Deployment.CertificateReference', {
    Issuer: ref.Issuer, NotAfter: dateOrNull(ref.NotAfter), NotBefore: dateOrNull(ref.NotBefore), SerialNumber: ref.SerialNumber, Subject: ref.Subject,
    AlternativeNames: ref.AlternativeNames, Thumbprint: ref.Thumbprint, EffectiveDate: dateOrNull(ref.EffectiveDate), PreviousThumbprint: ref.PreviousThumbprint,
    UpdateTime: dateOrNull(ref.UpdateTime), Use: ref.Use, SourceScope: ref.SourceScope,
  }, { kind: 'list', properties: CERTIFICATE_REFERENCE_VIEW });
}

export const CERT_DRIVE_HEADER = '   PSParentPath: Microsoft.PowerShell.Security\\Certificate::LocalMachine\\My';

/** An X509Certificate2 as Get-ChildItem Cert:\LocalMachine\My shows it. */
export function storeCertificate(cert: StoredCertificate): PsObject {
  return new PsObject('System.Security.Cryptography.X509Certificates.X509Certificate2', {
    Thumbprint: cert.thumbprint, Subject: cert.subject, Issuer: cert.issuer, NotBefore: new Date(cert.notBefore), NotAfter: new Date(cert.notAfter),
    SerialNumber: cert.serialNumber, FriendlyName: cert.friendlyName ?? '', HasPrivateKey: cert.hasPrivateKey,
    DnsNameList: cert.subjectAlternativeNames.filter((n) => n.type === 'dns').map((n) => n.value),
    PSPath: `Microsoft.PowerShell.Security\\Certificate::LocalMachine\\My\\${cert.thumbprint}`,
  }, { kind: 'table', properties: ['Thumbprint', 'Subject'] }, CERT_DRIVE_HEADER);
}

export function serverCertificates(state: Deployment, fqdn: string): StoredCertificate[] {
  return findServer(state, fqdn)?.server.certificates ?? [];
}
