// The command table: one handler per id of src/shared/commands.ts, registered through one wrapper that
// handles cancellation (silent), user-facing errors (shown as they are) and unexpected faults (logged).
// Tree commands receive the clicked node; from the palette they ask with a QuickPick.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readCertificateFile, parseEffectiveDate, OAUTH_GLOBAL_PATH, checkOAuthCandidate, checkPendingRoll, createEmptyDeployment, createSampleDeployment, formatCertificateReferences, formatReplicationStatus, renderPowerShell, type CertUse, type Finding, type OperationOutcome, type OperationRequest, type CertificateReference, type ReplicaStatus } from '../core';
import type { CommandId } from '../shared/commands';
import { VIEW_ID } from '../shared/commands';
import type { OperationLog } from './output';
import { prompts } from './prompter';
import { Cancelled, askPassword, isFrontEnd, orCancel, pickCertificate, pickServer, type CertificateChoice } from './pickers';
import { LiveStore, UserFacingError } from './store';
import type { TreeNode } from './treeModel';
import { certificateName, expiryText } from './treeModel';
import type { ReadOnlyDocuments } from './documents';
import { importTopologyFile } from './topologyFile';

export interface CommandContext {
  store: LiveStore;
  log: OperationLog;
  tree: vscode.TreeView<TreeNode>;
  documents: ReadOnlyDocuments;
  openWizard(serverFqdn?: string): void;
}

type Handler = (ctx: CommandContext, node?: TreeNode) => Promise<unknown>;

// ---- helpers -------------------------------------------------------------------------------------------

function requireState(ctx: CommandContext) {
  const d = ctx.store.state;
  if (!d) throw new UserFacingError('No deployment is loaded. Open the sample deployment, create a deployment file or import a topology first.');
  return d;
}

/** Shows an operation's result: errors as errors (what and what to do), findings as warnings. */
async function report(ctx: CommandContext, outcome: OperationOutcome<unknown>, success: string): Promise<boolean> {
  if (!outcome.ok) {
    const e = outcome.error;
    void vscode.window.showErrorMessage(`${e.message}${e.fix ? ` ${e.fix}` : ''}`, 'Show Log').then((c) => c && ctx.log.show());
    return false;
  }
  const problems = outcome.findings.filter((f) => f.severity !== 'info');
  const extra = problems.length ? ` ${problems.length} warning${problems.length === 1 ? '' : 's'}: ${problems[0].message}` : '';
  void vscode.window.showInformationMessage(`${success}${extra}`, 'Copy as PowerShell').then((c) => c && vscode.env.clipboard.writeText(outcome.powershell));
  return true;
}

async function run(ctx: CommandContext, request: OperationRequest, success: string): Promise<OperationOutcome<unknown>> {
  const outcome = await ctx.store.run(request);
  await report(ctx, outcome, success);
  return outcome;
}

/** The certificate a tree command was invoked on, or one the user picks. */
async function certificateTarget(ctx: CommandContext, node: TreeNode | undefined, title: string, filter?: (c: CertificateChoice['cert']) => boolean): Promise<CertificateChoice> {
  if (node && (node.kind === 'certificate' || node.kind === 'slotEntry')) {
    const d = requireState(ctx);
    const server = node.serverFqdn ? d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === node.serverFqdn) : undefined;
    const cert = server?.certificates.find((c) => c.thumbprint === node.thumbprint) ?? d.cms.certificates.find((c) => c.thumbprint === node.thumbprint);
    if (!cert) throw new UserFacingError(`Certificate ${node.thumbprint} is not in any store of the deployment any more. Refresh the tree.`);
    return { cert, serverFqdn: server?.certificates.includes(cert) ? server.fqdn : undefined };
  }
  return pickCertificate(ctx.store, title, filter);
}

function serverTarget(ctx: CommandContext, node: TreeNode | undefined, title: string, frontEndsOnly = false): Promise<string> {
  if (node?.kind === 'server') return Promise.resolve(node.serverFqdn);
  return pickServer(ctx.store, title, frontEndsOnly ? (d, s) => isFrontEnd(d, s.fqdn) : undefined);
}

/** The computer the admin's shell runs on for cmdlets without -Identity: a Front End of the CMS pool. */
function defaultComputer(ctx: CommandContext): string | undefined {
  const d = requireState(ctx);
  const pool = d.pools.find((p) => p.hostsCms && p.servers.length) ?? d.pools.find((p) => (p.kind === 'FrontEndEnterprise' || p.kind === 'StandardEdition') && p.servers.length);
  return pool?.servers[0]?.fqdn;
}

function verdictText(findings: Finding[]): string {
  return findings.map((f) => `• ${f.message}`).join('\n');
}

/** The rules' verdict on a candidate OAuth certificate before anything is changed; errors stop, warnings ask. */
async function confirmOAuthCandidate(ctx: CommandContext, cert: CertificateChoice['cert']): Promise<void> {
  const d = requireState(ctx);
  const findings = checkOAuthCandidate(cert, d.sipDomains, ctx.store.now(), { expiryWarningDays: ctx.store.expiryWarningDays() });
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  if (errors.length) {
    throw new UserFacingError(`${certificateName(cert)} cannot be the OAuthTokenIssuer certificate:\n${verdictText(errors)}`);
  }
  if (warnings.length) {
    const go = await prompts.current.confirm(`Use ${certificateName(cert)} as the OAuthTokenIssuer certificate?`, verdictText(warnings), 'Use It Anyway');
    if (go !== 'Use It Anyway') throw new Cancelled();
  }
}

async function readPickedCertificate(ctx: CommandContext, title: string): Promise<{ path: string; bytes: Uint8Array; password?: string; cert: CertificateChoice['cert'] }> {
  const file = orCancel(await ctx.store.pickCertificateFile());
  const isPkcs12 = /\.(pfx|p12)$/i.test(file.path);
  let password: string | undefined = isPkcs12 ? await askPassword(`Password of ${path.basename(file.path)}`, title) : undefined;
  for (;;) {
    const read = readCertificateFile(file.bytes, { password, fileName: path.basename(file.path) });
    if (read.ok) {
      const cert = { ...read.record, exportable: true, source: 'import' as const, addedAt: ctx.store.now().toISOString() };
      return { path: file.path, bytes: file.bytes, password, cert };
    }
    if (read.error.code === 'wrong-password' || read.error.code === 'password-required') {
      password = await askPassword(`${read.error.message} Try again.`, title);
      continue;
    }
    throw new UserFacingError(`${path.basename(file.path)}: ${read.error.message} ${read.error.fix}`);
  }
}

// ---- the table -----------------------------------------------------------------------------------------

const GLOBAL_OAUTH: CertUse[] = ['OAuthTokenIssuer'];

export const commandTable: Record<CommandId, Handler> = {
  async 'sfbCertificates.getCertificate'(ctx, node) {
    requireState(ctx);
    let request: OperationRequest;
    if (node?.kind === 'slot') {
      request = node.serverFqdn
        ? { cmdlet: 'Get-CsCertificate', computer: node.serverFqdn, type: [node.use], includePreviousAndPending: true }
        : { cmdlet: 'Get-CsCertificate', identity: 'global', type: [node.use], includePreviousAndPending: true };
    } else if (node?.kind === 'server') {
      request = { cmdlet: 'Get-CsCertificate', computer: node.serverFqdn };
    } else {
      request = { cmdlet: 'Get-CsCertificate', computer: defaultComputer(ctx), type: GLOBAL_OAUTH };
    }
    const outcome = await ctx.store.run(request);
    if (!outcome.ok) return report(ctx, outcome, '');
    const list = outcome.result as CertificateReference[];
    const text = list.length ? formatCertificateReferences(list) : '';
    ctx.log.block(text || '(no certificate returned)');
    await ctx.documents.show('Get-CsCertificate', `PS> ${outcome.powershell}\n\n${text || 'Nothing was returned: no certificate is assigned for this use.'}\n`);
    if (!list.length) {
      void vscode.window.showWarningMessage(
        `${outcome.powershell} returned nothing: no certificate is assigned. Server-to-server authentication needs an OAuthTokenIssuer certificate.`,
        'Import Certificate…', 'Assign Default Certificate', 'Open Certificate Wizard…').then((choice) => {
        const next = ({ 'Import Certificate…': 'importCertificate', 'Assign Default Certificate': 'assignOAuthFromDefault', 'Open Certificate Wizard…': 'openWizard' } as Record<string, string>)[choice ?? ''];
        if (next) void vscode.commands.executeCommand(`sfbCertificates.${next}`);
      });
    }
    return outcome;
  },

  async 'sfbCertificates.importCertificate'(ctx, node) {
    requireState(ctx);
    let target: 'global' | string = 'global';
    if (node?.kind === 'server') target = node.serverFqdn;
    else if (!(node?.kind === 'slot' && !node.serverFqdn)) {
      const how = orCancel(await prompts.current.pick([
        { label: 'Import and assign as OAuthTokenIssuer (global)', detail: 'Import-CsCertificate -Identity global -Type OAuthTokenIssuer: run once; replication deploys it to every Front End.', global: true },
        { label: 'Import into one server\'s certificate store', detail: 'Import-CsCertificate -Path … on that computer (local store, no assignment).', global: false },
      ], { title: 'Import Certificate' }));
      if (!how.global) target = await pickServer(ctx.store, 'Import into which server\'s store?');
    }
    const file = await readPickedCertificate(ctx, 'Import Certificate');
    if (target === 'global') {
      await confirmOAuthCandidate(ctx, file.cert);
      return run(ctx, { cmdlet: 'Import-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, path: file.path, sourceFile: ctx.store.workspaceRelative(file.path), bytes: file.bytes, password: file.password }, `Imported ${certificateName(file.cert)} and assigned it as the global OAuthTokenIssuer certificate. Replicate to deploy it to every Front End.`);
    }
    const exportable = orCancel(await prompts.current.pick([{ label: 'Private key exportable', value: true }, { label: 'Private key not exportable', value: false }], { title: 'Import-CsCertificate -PrivateKeyExportable' })).value;
    return run(ctx, { cmdlet: 'Import-CsCertificate', computer: target, path: file.path, sourceFile: ctx.store.workspaceRelative(file.path), bytes: file.bytes, password: file.password, privateKeyExportable: exportable }, `Imported ${certificateName(file.cert)} into the store of ${target}.`);
  },

  async 'sfbCertificates.assignOAuth'(ctx, node) {
    const target = await certificateTarget(ctx, node, 'Assign which certificate as OAuthTokenIssuer?', (c) => c.hasPrivateKey);
    await confirmOAuthCandidate(ctx, target.cert);
    return run(ctx, { cmdlet: 'Set-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, thumbprint: target.cert.thumbprint, computer: target.serverFqdn }, `${certificateName(target.cert)} is now the global OAuthTokenIssuer certificate. Replicate to deploy it to every Front End.`);
  },

  async 'sfbCertificates.assignOAuthFromDefault'(ctx) {
    const d = requireState(ctx);
    const computer = await pickServer(ctx.store, 'Take the Default certificate of which Front End?', (dd, s) => isFrontEnd(dd, s.fqdn) && Boolean(s.assignments.Default?.current));
    const thumbprint = d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === computer)?.assignments.Default?.current?.thumbprint;
    if (!thumbprint) throw new UserFacingError(`${computer} has no Default certificate assigned.`);
    const cert = d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === computer)!.certificates.find((c) => c.thumbprint === thumbprint);
    if (cert) await confirmOAuthCandidate(ctx, cert);
    ctx.log.info(`PS> $x = (Get-CsCertificate -Type Default).Thumbprint   # on ${computer}: ${thumbprint}`);
    return run(ctx, { cmdlet: 'Set-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, thumbprint, computer }, `The Default certificate of ${computer} is now the global OAuthTokenIssuer certificate.`);
  },

  async 'sfbCertificates.assignToServer'(ctx, node) {
    const target = await certificateTarget(ctx, node, 'Assign which certificate?');
    const computer = target.serverFqdn ?? (await pickServer(ctx.store, 'On which server?'));
    const picked = orCancel(await prompts.current.pickMany(
      (['Default', 'WebServicesInternal', 'WebServicesExternal'] as CertUse[]).map((u) => ({ label: u, picked: u === 'Default' })),
      { title: `Set-CsCertificate on ${computer}`, placeHolder: 'Uses (-Type) to assign this certificate to' }));
    if (!picked.length) throw new Cancelled();
    return run(ctx, { cmdlet: 'Set-CsCertificate', computer, type: picked.map((p) => p.label as CertUse), thumbprint: target.cert.thumbprint }, `Assigned ${certificateName(target.cert)} to ${picked.map((p) => p.label).join(', ')} on ${computer}.`);
  },

  async 'sfbCertificates.rollCertificate'(ctx, node) {
    const d = requireState(ctx);
    const target = node?.kind === 'slot' ? await pickCertificate(ctx.store, 'Roll which certificate in as OAuthTokenIssuer?', (c) => c.hasPrivateKey) : await certificateTarget(ctx, node, 'Roll which certificate in as OAuthTokenIssuer?', (c) => c.hasPrivateKey);
    await confirmOAuthCandidate(ctx, target.cert);
    const current = d.cms.assignments.OAuthTokenIssuer?.current;
    const currentCert = current && d.cms.certificates.find((c) => c.thumbprint === current.thumbprint);
    const now = ctx.store.now();
    const input = orCancel(await prompts.current.input({
      title: 'Set-CsCertificate -Roll -EffectiveDate',
      prompt: `When should ${certificateName(target.cert)} become the current OAuthTokenIssuer certificate? US format like 7/1/2015 or 7/22/2015 6:00:00 AM (UTC), or ISO 8601.${currentCert ? ` The current certificate expires ${new Date(currentCert.notAfter).toUTCString()}.` : ''}`,
      ignoreFocusOut: true,
      validateInput: (value) => {
        const parsed = parseEffectiveDate(value);
        if (!parsed.ok) return { message: `${parsed.error.message} ${parsed.error.fix ?? ''}`, severity: vscode.InputBoxValidationSeverity.Error };
        // The same rule the store applies to a staged roll: validity at the date, gap, 24-hour lead time.
        const at = parsed.date.toISOString();
        const proposed = { ...(d.cms.assignments.OAuthTokenIssuer ?? {}), pending: { thumbprint: target.cert.thumbprint, effectiveDate: at, updateTime: at } };
        const certs = [...d.cms.certificates, target.cert];
        const findings = checkPendingRoll(proposed, 'OAuthTokenIssuer', (t) => certs.find((c) => c.thumbprint === t), OAUTH_GLOBAL_PATH);
        const worst = findings.find((f) => f.severity === 'error') ?? findings[0];
        if (worst) return { message: worst.message, severity: worst.severity === 'error' ? vscode.InputBoxValidationSeverity.Error : vscode.InputBoxValidationSeverity.Warning };
        if (parsed.date.getTime() < now.getTime()) return { message: 'That date is in the past: the roll is applied at once (whether the product accepts a past date is unconfirmed).', severity: vscode.InputBoxValidationSeverity.Warning };
        return undefined;
      },
    }));
    return run(ctx, { cmdlet: 'Set-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, thumbprint: target.cert.thumbprint, effectiveDate: input, roll: true, computer: target.serverFqdn }, `Roll staged: ${certificateName(target.cert)} becomes the current OAuthTokenIssuer certificate on ${input}.`);
  },

  async 'sfbCertificates.removePrevious'(ctx) {
    const d = requireState(ctx);
    const prev = d.cms.assignments.OAuthTokenIssuer?.previous;
    if (!prev) throw new UserFacingError('There is no previous OAuthTokenIssuer certificate to remove.');
    const go = await prompts.current.confirm('Remove the previous OAuthTokenIssuer certificate?', `Remove-CsCertificate -Identity global -Type OAuthTokenIssuer -Previous\n\nThumbprint ${prev.thumbprint}. Tokens signed with it will no longer validate. Do this after it has expired.`, 'Remove');
    if (go !== 'Remove') throw new Cancelled();
    return run(ctx, { cmdlet: 'Remove-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, previous: true }, 'The previous OAuthTokenIssuer certificate was removed.');
  },

  async 'sfbCertificates.removeCertificate'(ctx, node) {
    requireState(ctx);
    const serverFqdn = node?.kind === 'slot' ? node.serverFqdn : undefined;
    const use = node?.kind === 'slot' ? node.use : 'OAuthTokenIssuer';
    const line = serverFqdn ? `Remove-CsCertificate -Type ${use}   # on ${serverFqdn}` : `Remove-CsCertificate -Identity global -Type ${use}`;
    const go = await prompts.current.confirm(`Remove the ${use} certificate assignment?`, `${line}\n\nThe certificate stays in the Windows certificate store; Skype for Business Server stops using it. Server-to-server authentication stops working until another OAuthTokenIssuer certificate is assigned.`, 'Remove');
    if (go !== 'Remove') throw new Cancelled();
    return run(ctx, serverFqdn ? { cmdlet: 'Remove-CsCertificate', computer: serverFqdn, type: [use] } : { cmdlet: 'Remove-CsCertificate', identity: 'global', type: [use] }, `The ${use} assignment was removed.`);
  },

  async 'sfbCertificates.replicateNow'(ctx) {
    requireState(ctx);
    return replicate(ctx);
  },

  async 'sfbCertificates.replicateToServer'(ctx, node) {
    const fqdn = await serverTarget(ctx, node, 'Replicate to which server?');
    return replicate(ctx, fqdn);
  },

  async 'sfbCertificates.replicationStatus'(ctx) {
    requireState(ctx);
    const outcome = await ctx.store.run({ cmdlet: 'Get-CsManagementStoreReplicationStatus' });
    if (!outcome.ok) return report(ctx, outcome, '');
    const text = formatReplicationStatus(outcome.result as ReplicaStatus[]);
    ctx.log.block(text);
    await ctx.documents.show('Get-CsManagementStoreReplicationStatus', `PS> ${outcome.powershell}\n\n${text}\n`);
    return outcome;
  },

  async 'sfbCertificates.toggleReplicaReachable'(ctx, node) {
    const d = requireState(ctx);
    const fqdn = await serverTarget(ctx, node, 'Which replica?');
    const server = d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fqdn);
    const reachable = Boolean(server?.replica.unreachable);
    return run(ctx, { cmdlet: 'Simulate-ReplicaReachability', replicaFqdn: fqdn, reachable }, reachable ? `${fqdn} is reachable again; replicate to bring it up to date.` : `${fqdn} is now unreachable (simulated outage): replication to it fails.`);
  },

  async 'sfbCertificates.exportWithPrivateKey'(ctx, node) {
    const target = await certificateTarget(ctx, node, 'Export which certificate?', (c) => c.hasPrivateKey && c.exportable);
    const computer = target.serverFqdn ?? (await pickServer(ctx.store, 'Export from which server\'s store?'));
    if (!target.cert.sourceFile) {
      throw new UserFacingError(`The model does not hold private keys, and ${certificateName(target.cert)} did not come from a PFX file it can read again. Import it from its PFX file, then export.`);
    }
    const base = ctx.store.workspaceFolder?.uri.fsPath ?? '';
    const sourceBytes = await ctx.store.readCertificateFile(target.cert.sourceFile);
    const sourcePassword = await askPassword(`Password of ${target.cert.sourceFile} (the PFX this certificate came from)`, 'Export with Private Key');
    const newPassword = await askPassword('Password to protect the exported PFX', 'Export with Private Key');
    const again = await askPassword('Type the password again', 'Export with Private Key');
    if (newPassword !== again) throw new UserFacingError('The two passwords differ. Nothing was exported.');
    const dest = orCancel(await prompts.current.saveFile({ title: 'Export certificate (.pfx)', defaultUri: vscode.Uri.file(path.join(base, `${target.cert.thumbprint.slice(0, 8)}-export.pfx`)), filters: { 'Personal Information Exchange': ['pfx'] } }));
    const outcome = await ctx.store.run({ cmdlet: 'MMC-Export', computer, thumbprint: target.cert.thumbprint, sourceBytes, sourcePassword, password: newPassword, path: dest.fsPath });
    if (outcome.ok) await fs.promises.writeFile(dest.fsPath, (outcome.result as { pfx: Uint8Array }).pfx);
    return report(ctx, outcome, `Exported ${certificateName(target.cert)} with its private key to ${path.basename(dest.fsPath)}. Import it on every other Front End: the MMC path is not replicated.`);
  },

  async 'sfbCertificates.importOnServer'(ctx, node) {
    const computer = await serverTarget(ctx, node, 'Import on which server?');
    const how = orCancel(await prompts.current.pick([
      { label: 'Import-CsCertificate -Path (local store)', mmc: false, detail: 'The Skype for Business Server Management Shell, on this computer.' },
      { label: 'Certificates MMC: All Tasks → Import', mmc: true, detail: 'The manual path. Not replicated: repeat it on every Front End.' },
    ], { title: `Import a certificate on ${computer}` }));
    const file = await readPickedCertificate(ctx, `Import on ${computer}`);
    const request: OperationRequest = how.mmc
      ? { cmdlet: 'MMC-Import', computer, path: file.path, sourceFile: ctx.store.workspaceRelative(file.path), bytes: file.bytes, password: file.password, exportable: true }
      : { cmdlet: 'Import-CsCertificate', computer, path: file.path, sourceFile: ctx.store.workspaceRelative(file.path), bytes: file.bytes, password: file.password, privateKeyExportable: true };
    return run(ctx, request, `Imported ${certificateName(file.cert)} into the store of ${computer}.`);
  },

  async 'sfbCertificates.copyThumbprint'(ctx, node) {
    const target = await certificateTarget(ctx, node, 'Copy the thumbprint of which certificate?');
    await vscode.env.clipboard.writeText(target.cert.thumbprint);
    void vscode.window.setStatusBarMessage(`Copied thumbprint ${target.cert.thumbprint}`, 3000);
    return target.cert.thumbprint;
  },

  async 'sfbCertificates.copyAsPowerShell'(ctx, node) {
    const d = requireState(ctx);
    let line: string;
    if (node?.kind === 'certificate' || node?.kind === 'slotEntry') {
      const target = await certificateTarget(ctx, node, '');
      line = renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, thumbprint: target.cert.thumbprint });
    } else if (node?.kind === 'slot') {
      line = renderPowerShell(node.serverFqdn ? { cmdlet: 'Get-CsCertificate', type: [node.use] } : { cmdlet: 'Get-CsCertificate', identity: 'global', type: [node.use] });
    } else {
      const last = d.history.at(-1);
      if (!last) throw new UserFacingError('No operation has run yet, so there is no PowerShell to copy.');
      line = last.powershell;
    }
    await vscode.env.clipboard.writeText(line);
    void vscode.window.setStatusBarMessage(`Copied: ${line}`, 4000);
    return line;
  },

  async 'sfbCertificates.showCertificateDetails'(ctx, node) {
    const target = await certificateTarget(ctx, node, 'Show which certificate?');
    const c = target.cert;
    const now = ctx.store.now();
    const rows: [string, string][] = [
      ['Subject', c.subject], ['Issuer', c.issuer], ['Thumbprint', c.thumbprint], ['SerialNumber', c.serialNumber],
      ['NotBefore', c.notBefore], ['NotAfter', `${c.notAfter} (${expiryText(c, now)})`],
      ['AlternativeNames', c.subjectAlternativeNames.map((s) => `${s.type === 'dns' ? '' : `${s.type}:`}${s.value}`).join(', ')],
      ['Key', `${c.keyAlgorithm} ${c.keySize} bits${c.keyCurve ? ` (${c.keyCurve})` : ''}`],
      ['SignatureAlgorithm', c.signatureAlgorithm], ['EnhancedKeyUsage', c.enhancedKeyUsages.map((e) => `${e.name} (${e.oid})`).join(', ')],
      ['IsCA', String(c.isCA)], ['HasPrivateKey', String(c.hasPrivateKey)], ['PrivateKeyExportable', String(c.exportable)],
      ['FriendlyName', c.friendlyName ?? ''], ['Store', target.serverFqdn ?? 'Central Management Store (global)'], ['Source', c.sourceFile ?? c.source],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    await ctx.documents.show(`Certificate ${c.thumbprint}`, rows.map(([k, v]) => `${k.padEnd(width)} : ${v}`).join('\n') + '\n');
    return c;
  },

  async 'sfbCertificates.setSimulatedDate'(ctx) {
    requireState(ctx);
    if (!vscode.workspace.getConfiguration('sfbCertificates').get<boolean>('simulatedClock', true)) {
      throw new UserFacingError('The simulated clock is turned off (setting sfbCertificates.simulatedClock).');
    }
    const input = orCancel(await prompts.current.input({
      title: 'Set Simulated Date',
      prompt: 'Move the model\'s clock to preview what happens then (e.g. a roll\'s effective date). US format 7/1/2015 6:00:00 AM (UTC) or ISO 8601.',
      value: ctx.store.now().toISOString(),
      validateInput: (v) => { const p = parseEffectiveDate(v); return p.ok ? undefined : `${p.error.message} ${p.error.fix ?? ''}`; },
    }));
    const parsed = parseEffectiveDate(input);
    if (!parsed.ok) throw new UserFacingError(parsed.error.message);
    return run(ctx, { cmdlet: 'Set-SimulatedDate', date: parsed.date.toISOString() }, `The model's clock now reads ${parsed.date.toUTCString()}. Due rolls were applied.`);
  },

  async 'sfbCertificates.useRealTime'(ctx) {
    requireState(ctx);
    return run(ctx, { cmdlet: 'Set-SimulatedDate', date: undefined }, 'Back to real time.');
  },

  async 'sfbCertificates.undo'(ctx) {
    requireState(ctx);
    const undone = await ctx.store.undo();
    if (!undone) throw new UserFacingError('Nothing to undo.');
    void vscode.window.showInformationMessage(`Undid: ${undone}`);
    return undone;
  },

  async 'sfbCertificates.openDeploymentFile'(ctx) {
    const file = ctx.store.filePath;
    if (!file || !fs.existsSync(file)) throw new UserFacingError('There is no deployment file yet. Open the sample deployment or create one.');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
  },

  async 'sfbCertificates.importTopology'(ctx) {
    const picked = orCancel(await prompts.current.openFile({ title: 'Import Topology', openLabel: 'Import', filters: { 'Topology (.tbxml, .xml)': ['tbxml', 'xml'], 'All files': ['*'] } }));
    // Bytes, not text: Get-CsTopology -AsXml | Out-File writes UTF-16 on Windows PowerShell.
    const imported = await importTopologyFile(picked.fsPath, new Date());
    // The core's messages name the file already.
    if (!imported.ok) throw new UserFacingError(`${imported.error.message} ${imported.error.fix ?? ''}`.trim());
    for (const w of imported.warnings) ctx.log.warn(`${path.basename(picked.fsPath)}: ${w}`);
    const file = ctx.store.filePath;
    const replace = file !== undefined && fs.existsSync(file);
    if (replace) {
      ctx.store.checkReplaceable();
      const go = await prompts.current.confirm(`Replace ${path.basename(file)} with the imported topology?`, 'The current file is kept as a .bak copy next to it.', 'Replace');
      if (go !== 'Replace') throw new Cancelled();
    }
    await ctx.store.create(imported.deployment, [], { replace });
    const d = imported.deployment;
    void vscode.window.showInformationMessage(`Imported ${d.sites.length} site(s), ${d.pools.length} pool(s) and ${d.pools.reduce((n, p) => n + p.servers.length, 0)} server(s) from ${path.basename(picked.fsPath)}.${imported.warnings.length ? ` ${imported.warnings.length} warning(s) in the log.` : ''}`);
    return d;
  },

  async 'sfbCertificates.openSample'(ctx) {
    const file = ctx.store.filePath;
    if (file && fs.existsSync(file)) {
      await ctx.store.load();
      if (ctx.store.state) void vscode.window.showInformationMessage(`${path.basename(file)} already exists in this workspace; it is loaded.`);
      return ctx.store.state;
    }
    await vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: 'Generating the sample deployment\'s certificates…' }, async () => {
      const sample = await createSampleDeployment(new Date());
      await ctx.store.create(sample.deployment, sample.files);
      ctx.log.info(`Sample deployment written. Its PFX files (in sample-certificates/) use the password "${sample.password}" — a sample password, never use it for real certificates.`);
    });
    return ctx.store.state;
  },

  async 'sfbCertificates.createDeploymentFile'(ctx) {
    const sip = orCancel(await prompts.current.input({
      title: 'Create Deployment File',
      prompt: 'Primary SIP domain of the deployment (e.g. contoso.com). Import a topology afterwards to add sites, pools and servers.',
      validateInput: (v) => (/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(v.trim()) ? undefined : 'Enter a DNS domain name such as contoso.com (letters, digits and hyphens).'),
    }));
    await ctx.store.create(createEmptyDeployment(sip.trim().toLowerCase(), new Date()));
    return ctx.store.state;
  },

  async 'sfbCertificates.openWizard'(ctx, node) {
    requireState(ctx);
    const fqdn = node?.kind === 'server' ? node.serverFqdn : await pickServer(ctx.store, 'Open the Certificate Wizard on which server?');
    ctx.openWizard(fqdn);
  },

  async 'sfbCertificates.showLog'(ctx) {
    ctx.log.show();
  },

  async 'sfbCertificates.refresh'(ctx) {
    await ctx.store.load();
  },
};

async function replicate(ctx: CommandContext, replicaFqdn?: string): Promise<OperationOutcome<unknown>> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Invoke-CsManagementStoreReplication', cancellable: false }, async (progress) => {
    const outcome = await ctx.store.run(replicaFqdn ? { cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn } : { cmdlet: 'Invoke-CsManagementStoreReplication' });
    if (!outcome.ok) { await report(ctx, outcome, ''); return outcome; }
    const rows = (outcome.result as { replicaFqdn: string; upToDate: boolean; error?: string }[]) ?? [];
    for (const r of rows) {
      progress.report({ increment: 100 / Math.max(rows.length, 1), message: `${r.replicaFqdn}: ${r.upToDate ? 'up to date' : r.error ?? 'failed'}` });
      ctx.log.info(`  ${r.replicaFqdn}: UpToDate ${r.upToDate ? 'True' : 'False'}${r.error ? ` — ${r.error}` : ''}`);
    }
    const failed = rows.filter((r) => !r.upToDate);
    if (failed.length) void vscode.window.showWarningMessage(`Replication did not reach ${failed.map((r) => r.replicaFqdn).join(', ')}. ${failed[0].error ?? ''}`, 'Show Log').then((c) => c && ctx.log.show());
    else void vscode.window.showInformationMessage(`Replication complete: ${rows.length} replica${rows.length === 1 ? '' : 's'} up to date.`);
    return outcome;
  });
}

/** Registers every command through one wrapper. */
export function registerCommands(context: vscode.ExtensionContext, ctx: CommandContext): void {
  for (const [id, handler] of Object.entries(commandTable) as [CommandId, Handler][]) {
    context.subscriptions.push(vscode.commands.registerCommand(id, async (node?: TreeNode) => {
      try {
        return await handler(ctx, isTreeNode(node) ? node : undefined);
      } catch (e) {
        if (e instanceof Cancelled) return undefined;
        const message = e instanceof Error ? e.message : String(e);
        if (e instanceof UserFacingError) void vscode.window.showErrorMessage(message);
        else {
          ctx.log.error(`${id} failed: ${(e as Error)?.stack ?? message}`);
          void vscode.window.showErrorMessage(`${message}`, 'Show Log').then((c) => c && ctx.log.show());
        }
        return undefined;
      }
    }));
  }
}

function isTreeNode(x: unknown): x is TreeNode {
  return typeof x === 'object' && x !== null && typeof (x as TreeNode).kind === 'string' && typeof (x as TreeNode).id === 'string';
}
