// Running a core operation from a cmdlet: through the DeploymentSession (so the tree, the status bar, the Problems
// panel and undo see it), or as a preview for -WhatIf; the model's refusals become error records, its findings
// warnings, its notes verbose messages (shown with -Verbose).
import { UNCONFIRMED_RULE, findServer, runOperation, type CertificateReference, type Deployment, type OperationOk, type OperationRequest, type StoredCertificate } from '../../core';
import { ShellError, modelError } from '../errors';
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
    ctx.write({ stream: 'warning', text: `WARNING: ${finding.message}${finding.unconfirmed ? ` ${UNCONFIRMED_RULE}` : ''}\n` });
  }
  if (ctx.flag('Verbose')) for (const note of outcome.notes) ctx.write({ stream: 'verbose', text: `VERBOSE: ${note}\n` });
  return outcome;
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
