// The command table: one handler per id of src/shared/commands.ts, registered through one wrapper that
// handles cancellation (silent), user-facing errors (shown as they are) and unexpected faults (logged).
// Tree commands receive the clicked node; from the palette they ask with a QuickPick.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExpectedError, formatError, isFqdn, orRefuse, refuse, parseEffectiveDate, createEmptyDeployment, createSampleDeployment, formatList, formatReplicationStatus, formatUsDateTime, checkCertificateForUse, findServer, deploymentVersion, productName, productVersionFixed, PRODUCT_VERSIONS, VERSION_DIFFERENCES, type CertUse, type Deployment, type StoredCertificate, type OperationRequest, type OutcomeOf } from '../core';
import type { CommandId } from '../shared/commands';
import { VIEW_ID } from '../shared/commands';
import { prompts } from './prompter';
import { Cancelled, askPassword, isFrontEnd, orCancel, pickCertificate, pickServer } from './pickers';
import type { TreeNode } from './treeModel';
import { certificateFields, certificateName, findingInPicker } from '../present/certificate';
import { importTopologyFile } from './topologyFile';
import { importInventory, saveInventoryScript } from './inventoryCommands';
import { scriptCommandHandlers } from './scripts/commands';
import { processPendingRequestCommand, requestCertificateCommand } from './requestCommands';
import { getCertificateCommand } from './getCertificate';
import { copyAsPowerShellCommand } from './copyPowerShell';
import { certificateTarget, confirmPreview, readPickedCertificate, report, requireState, run, serverTarget, useAsOAuth, type CommandContext, type Handler } from './commandSupport';

export type { CommandContext } from './commandSupport';

// ---- the table -----------------------------------------------------------------------------------------

const GLOBAL_OAUTH: CertUse[] = ['OAuthTokenIssuer'];

export const commandTable: Record<CommandId, Handler> = {
  'sfbCertificates.getCertificate': getCertificateCommand,

  async 'sfbCertificates.importCertificate'(ctx, node) {
    requireState(ctx);
    let target: 'global' | string = 'global';
    if (node?.kind === 'server') target = node.serverFqdn;
    else if (!(node?.kind === 'slot' && !node.serverFqdn)) {
      const how = orCancel(await prompts.current.pick([
        { label: 'Import and assign as OAuthTokenIssuer (global)', detail: 'Import-CsCertificate -Identity global -Type OAuthTokenIssuer: run once; replication deploys it to every Front End.', global: true },
        { label: 'Import into one server\'s certificate store', detail: 'Import-CsCertificate -Path … on that computer (local store, no assignment).', global: false },
      ], { title: 'Import Certificate' }));
      if (!how.global) target = await pickServer(ctx.live, 'Import into which server\'s store?');
    }
    const file = await readPickedCertificate(ctx, 'Import Certificate');
    if (target === 'global') {
      const request: OperationRequest<'Import-CsCertificate'> = { cmdlet: 'Import-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, path: ctx.live.serverPath(file.path), sourceFile: ctx.live.workspaceRelative(file.path), bytes: file.bytes, password: file.password };
      await confirmPreview(ctx, request, useAsOAuth(certificateName(file.cert)));
      return run(ctx, request, `Imported ${certificateName(file.cert)} and assigned it as the global OAuthTokenIssuer certificate. Replicate to deploy it to every Front End.`);
    }
    const exportable = orCancel(await prompts.current.pick([{ label: 'Private key exportable', value: true }, { label: 'Private key not exportable', value: false }], { title: 'Import-CsCertificate -PrivateKeyExportable' })).value;
    return run(ctx, { cmdlet: 'Import-CsCertificate', computer: target, path: ctx.live.serverPath(file.path), sourceFile: ctx.live.workspaceRelative(file.path), bytes: file.bytes, password: file.password, privateKeyExportable: exportable }, `Imported ${certificateName(file.cert)} into the store of ${target}.`);
  },

  async 'sfbCertificates.assignOAuth'(ctx, node) {
    const target = await certificateTarget(ctx, node, 'Assign which certificate as OAuthTokenIssuer?', (c) => c.hasPrivateKey, { use: 'OAuthTokenIssuer' });
    const request: OperationRequest<'Set-CsCertificate'> = { cmdlet: 'Set-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, thumbprint: target.cert.thumbprint, computer: target.serverFqdn };
    await confirmPreview(ctx, request, useAsOAuth(certificateName(target.cert)));
    return run(ctx, request, `${certificateName(target.cert)} is now the global OAuthTokenIssuer certificate. Replicate to deploy it to every Front End.`);
  },

  async 'sfbCertificates.assignOAuthFromDefault'(ctx) {
    const d = requireState(ctx);
    const computer = await pickServer(ctx.live, 'Take the Default certificate of which Front End?', (s, pool) => isFrontEnd(s, pool) && Boolean(s.assignments.Default?.current));
    const thumbprint = d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === computer)?.assignments.Default?.current?.thumbprint;
    if (!thumbprint) refuse('no-default-certificate', `${computer} has no Default certificate assigned.`);
    const cert = d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === computer)!.certificates.find((c) => c.thumbprint === thumbprint);
    const request: OperationRequest<'Set-CsCertificate'> = { cmdlet: 'Set-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, thumbprint, computer };
    await confirmPreview(ctx, request, useAsOAuth(cert ? certificateName(cert) : thumbprint));
    ctx.log.info(`PS> $x = (Get-CsCertificate -Type Default).Thumbprint   # on ${computer}: ${thumbprint}`);
    return run(ctx, request, `The Default certificate of ${computer} is now the global OAuthTokenIssuer certificate.`);
  },

  async 'sfbCertificates.assignToServer'(ctx, node) {
    const target = await certificateTarget(ctx, node, 'Assign which certificate?');
    const computer = target.serverFqdn ?? (await pickServer(ctx.live, 'On which server?'));
    const picked = orCancel(await prompts.current.pickMany(
      (['Default', 'WebServicesInternal', 'WebServicesExternal'] as CertUse[]).map((u) => ({ label: u, picked: u === 'Default', description: fitnessFor(ctx, target.cert, u, computer) })),
      { title: `Set-CsCertificate on ${computer}`, placeHolder: 'Uses (-Type) to assign this certificate to' }));
    if (!picked.length) throw new Cancelled();
    const request: OperationRequest<'Set-CsCertificate'> = { cmdlet: 'Set-CsCertificate', computer, type: picked.map((p) => p.label as CertUse), thumbprint: target.cert.thumbprint };
    await confirmPreview(ctx, request, `Assign ${certificateName(target.cert)} to ${request.type.join(', ')} on ${computer}?`);
    return run(ctx, request, `Assigned ${certificateName(target.cert)} to ${picked.map((p) => p.label).join(', ')} on ${computer}.`);
  },

  async 'sfbCertificates.rollCertificate'(ctx, node) {
    const d = requireState(ctx);
    const rollFitness = { use: 'OAuthTokenIssuer' as const };
    const target = node?.kind === 'slot' ? await pickCertificate(ctx.live, 'Roll which certificate in as OAuthTokenIssuer?', (c) => c.hasPrivateKey, rollFitness) : await certificateTarget(ctx, node, 'Roll which certificate in as OAuthTokenIssuer?', (c) => c.hasPrivateKey, rollFitness);
    const current = d.cms.assignments.OAuthTokenIssuer?.current;
    const currentCert = current && d.cms.certificates.find((c) => c.thumbprint === current.thumbprint);
    const now = ctx.live.now();
    const rollAt = (effectiveDate: string): OperationRequest<'Set-CsCertificate'> => ({ cmdlet: 'Set-CsCertificate', identity: 'global', type: GLOBAL_OAUTH, thumbprint: target.cert.thumbprint, effectiveDate, roll: true, computer: target.serverFqdn });
    const input = orCancel(await prompts.current.input({
      title: 'Set-CsCertificate -Roll -EffectiveDate',
      prompt: `When should ${certificateName(target.cert)} become the current OAuthTokenIssuer certificate? US format like 7/1/2015 or 7/22/2015 6:00:00 AM (UTC), or ISO 8601.${currentCert ? ` The current certificate expires ${formatUsDateTime(new Date(currentCert.notAfter))}.` : ''}`,
      ignoreFocusOut: true,
      validateInput: (value) => {
        // A dry run of the roll itself: the certificate is judged at the effective date (a certificate not valid yet
        // is fine when its validity starts by then), with the staged roll's gap and 24-hour lead time.
        const previewed = ctx.live.preview(rollAt(value));
        if (!previewed.ok) return { message: formatError(previewed.error), severity: vscode.InputBoxValidationSeverity.Error };
        const worst = previewed.findings.find((f) => f.severity === 'error') ?? previewed.findings.find((f) => f.severity === 'warning');
        if (worst) return { message: worst.message, severity: worst.severity === 'error' ? vscode.InputBoxValidationSeverity.Error : vscode.InputBoxValidationSeverity.Warning };
        const parsed = parseEffectiveDate(value);
        if (parsed.ok && parsed.date.getTime() < now.getTime()) return { message: 'That date is in the past: the roll is applied at once (whether the product accepts a past date is unconfirmed).', severity: vscode.InputBoxValidationSeverity.Warning };
        return undefined;
      },
    }));
    const request = rollAt(input);
    await confirmPreview(ctx, request, `Stage ${certificateName(target.cert)} as the OAuthTokenIssuer certificate from ${input}?`);
    return run(ctx, request, `Roll staged: ${certificateName(target.cert)} becomes the current OAuthTokenIssuer certificate on ${input}.`);
  },

  async 'sfbCertificates.removePrevious'(ctx) {
    const d = requireState(ctx);
    const prev = d.cms.assignments.OAuthTokenIssuer?.previous;
    if (!prev) refuse('nothing-to-remove', 'There is no previous OAuthTokenIssuer certificate to remove.');
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
    const outcome = await ctx.live.run({ cmdlet: 'Get-CsManagementStoreReplicationStatus' });
    if (!outcome.ok) return report(ctx, outcome, '');
    const text = formatReplicationStatus(outcome.result);
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
    const computer = target.serverFqdn ?? (await pickServer(ctx.live, 'Export from which server\'s store?'));
    if (!target.cert.sourceFile) {
      refuse('no-source-file', `The model does not hold private keys, and ${certificateName(target.cert)} did not come from a PFX file it can read again.`, 'Import it from its PFX file, then export.');
    }
    const base = ctx.live.workspaceFolder?.uri.fsPath ?? '';
    const source = await exportSource(ctx, target.cert.sourceFile, certificateName(target.cert));
    const sourcePassword = await askPassword(
      `Password of ${source.shown}, the PFX file ${certificateName(target.cert)} was imported from. The Certificates MMC does not ask this: SfB Certificates never keeps private keys, so it reads the key again from that file.`,
      'Export with Private Key: 1 of 3');
    const newPassword = await askPassword('Password to protect the exported PFX', 'Export with Private Key: 2 of 3');
    const again = await askPassword('Type the password again', 'Export with Private Key: 3 of 3');
    if (newPassword !== again) refuse('passwords-differ', 'The two passwords differ. Nothing was exported.');
    const dest = orCancel(await prompts.current.saveFile({ title: 'Export certificate (.pfx)', defaultUri: vscode.Uri.file(path.join(base, `${target.cert.thumbprint.slice(0, 8)}-export.pfx`)), filters: { 'Personal Information Exchange': ['pfx'] } }));
    const outcome = await ctx.live.run({ cmdlet: 'MMC-Export', computer, thumbprint: target.cert.thumbprint, sourceBytes: source.bytes, sourcePassword, password: newPassword, path: ctx.live.serverPath(dest.fsPath) });
    if (outcome.ok) await fs.promises.writeFile(dest.fsPath, outcome.result.pfx);
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
      ? { cmdlet: 'MMC-Import', computer, path: ctx.live.serverPath(file.path), sourceFile: ctx.live.workspaceRelative(file.path), bytes: file.bytes, password: file.password, exportable: true }
      : { cmdlet: 'Import-CsCertificate', computer, path: ctx.live.serverPath(file.path), sourceFile: ctx.live.workspaceRelative(file.path), bytes: file.bytes, password: file.password, privateKeyExportable: true };
    return run(ctx, request, `Imported ${certificateName(file.cert)} into the store of ${computer}.`);
  },

  async 'sfbCertificates.copyThumbprint'(ctx, node) {
    const target = await certificateTarget(ctx, node, 'Copy the thumbprint of which certificate?');
    await vscode.env.clipboard.writeText(target.cert.thumbprint);
    void vscode.window.setStatusBarMessage(`Copied thumbprint ${target.cert.thumbprint}`, 3000);
    return target.cert.thumbprint;
  },

  'sfbCertificates.copyAsPowerShell': copyAsPowerShellCommand,

  async 'sfbCertificates.showCertificateDetails'(ctx, node) {
    const target = await certificateTarget(ctx, node, 'Show which certificate?');
    const c = target.cert;
    const now = ctx.live.now();
    const rows: [string, string][] = [
      ...certificateFields(c, { now, deployment: requireState(ctx) }).map((f): [string, string] => [f.property, f.value]),
      ['Store', target.serverFqdn ?? 'Central Management Store (global)'], ['Source', c.sourceFile ?? c.source],
    ];
    await ctx.documents.show(`Certificate ${c.thumbprint}`, formatList(rows) + '\n');
    return c;
  },

  async 'sfbCertificates.setSimulatedDate'(ctx) {
    requireState(ctx);
    if (!vscode.workspace.getConfiguration('sfbCertificates').get<boolean>('simulatedClock', true)) {
      refuse('simulated-clock-off', 'The simulated clock is turned off (setting sfbCertificates.simulatedClock).');
    }
    const input = orCancel(await prompts.current.input({
      title: 'Set Simulated Date',
      prompt: 'Move the model\'s clock to preview what happens then (e.g. a roll\'s effective date). US format 7/1/2015 6:00:00 AM (UTC) or ISO 8601.',
      value: formatUsDateTime(ctx.live.now()),
      validateInput: (v) => { const p = parseEffectiveDate(v); return p.ok ? undefined : formatError(p.error); },
    }));
    const parsed = orRefuse(parseEffectiveDate(input));
    return run(ctx, { cmdlet: 'Set-SimulatedDate', date: parsed.date.toISOString() }, `The model's clock now reads ${formatUsDateTime(parsed.date)} (UTC). Due rolls were applied.`);
  },

  async 'sfbCertificates.useRealTime'(ctx) {
    const d = requireState(ctx);
    const kept = rollsSinceSimulated(d);
    const outcome = await ctx.live.run({ cmdlet: 'Set-SimulatedDate', date: undefined });
    if (!outcome.ok) return report(ctx, outcome, '');
    const stays = kept.length
      ? ` What took effect under the simulated date stays applied: ${kept.join(' ')} Undo Last Operation takes changes back one at a time.`
      : ' Nothing took effect under the simulated date.';
    void vscode.window.showInformationMessage(`Back to real time: ${formatUsDateTime(ctx.live.now())} (UTC).${stays}`);
    return outcome;
  },

  async 'sfbCertificates.setProductVersion'(ctx) {
    const d = requireState(ctx);
    const fixed = productVersionFixed(d);
    if (fixed) throw new ExpectedError(fixed);
    const now = deploymentVersion(d);
    const pick = orCancel(await prompts.current.pick(PRODUCT_VERSIONS.map((version) => ({
      label: productName(version), version, description: version === now.version ? (now.from === 'assumed' ? 'assumed now' : 'set now') : undefined, detail: VERSION_DIFFERENCES[version],
    })), { title: 'Set Product Version', placeHolder: `No replica reports a ProductVersion. Which Skype for Business Server version does this deployment run? (now: ${now.version}${now.from === 'assumed' ? ', assumed' : ''})` }));
    return run(ctx, { cmdlet: 'Set-ProductVersion', version: pick.version }, `The deployment runs ${productName(pick.version)}: ${VERSION_DIFFERENCES[pick.version]}. The findings were evaluated again.`);
  },

  async 'sfbCertificates.undo'(ctx) {
    requireState(ctx);
    const undone = await ctx.live.undo();
    if (!undone) refuse('nothing-to-undo', 'Nothing to undo.');
    void vscode.window.showInformationMessage(`Undid: ${undone}`);
    return undone;
  },

  async 'sfbCertificates.openDeploymentFile'(ctx) {
    const file = ctx.live.filePath;
    if (!file || !fs.existsSync(file)) refuse('no-deployment-file', 'There is no deployment file yet.', 'Open the sample deployment or create one.');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
  },

  async 'sfbCertificates.importTopology'(ctx) {
    const picked = orCancel(await prompts.current.openFile({ title: 'Import Topology', openLabel: 'Import', filters: { 'Topology (.tbxml, .xml)': ['tbxml', 'xml'], 'All files': ['*'] } }));
    // Bytes, not text: Get-CsTopology -AsXml | Out-File writes UTF-16 on Windows PowerShell.
    const imported = orRefuse(await importTopologyFile(picked.fsPath, new Date())); // the core's messages name the file already
    for (const w of imported.warnings) ctx.log.warn(`${path.basename(picked.fsPath)}: ${w}`);
    const file = ctx.live.filePath;
    const replace = file !== undefined && fs.existsSync(file);
    if (replace) {
      await ctx.live.checkReplaceable();
      const go = await prompts.current.confirm(`Replace ${path.basename(file)} with the imported topology?`, 'The current file is kept as a .bak copy next to it.', 'Replace');
      if (go !== 'Replace') throw new Cancelled();
    }
    await ctx.live.create(imported.deployment, [], { replace });
    const d = imported.deployment;
    void vscode.window.showInformationMessage(`Imported ${d.sites.length} site(s), ${d.pools.length} pool(s) and ${d.pools.reduce((n, p) => n + p.servers.length, 0)} server(s) from ${path.basename(picked.fsPath)}.${imported.warnings.length ? ` ${imported.warnings.length} warning(s) in the log.` : ''}`);
    return d;
  },

  'sfbCertificates.saveInventoryScript': (ctx) => saveInventoryScript(ctx.log),
  'sfbCertificates.importInventory': (ctx) => importInventory(ctx.live, ctx.log),

  async 'sfbCertificates.openSample'(ctx) {
    const file = ctx.live.filePath;
    if (file && fs.existsSync(file)) {
      await ctx.live.load();
      if (ctx.live.state) void vscode.window.showInformationMessage(`${path.basename(file)} already exists in this workspace; it is loaded.`);
      return ctx.live.state;
    }
    await vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: 'Generating the sample deployment\'s certificates…' }, async () => {
      const sample = await createSampleDeployment(new Date());
      await ctx.live.create(sample.deployment, sample.files);
      ctx.log.info(`Sample deployment written. Its PFX files (in sample-certificates/) use the password "${sample.password}" — a sample password, never use it for real certificates.`);
    });
    return ctx.live.state;
  },

  async 'sfbCertificates.createDeploymentFile'(ctx) {
    const sip = orCancel(await prompts.current.input({
      title: 'Create Deployment File',
      prompt: 'Primary SIP domain of the deployment (e.g. contoso.com). Import a topology afterwards to add sites, pools and servers.',
      validateInput: (v) => (isFqdn(v.trim()) ? undefined : 'Enter a DNS domain name such as contoso.com (letters, digits and hyphens).'),
    }));
    await ctx.live.create(createEmptyDeployment(sip.trim().toLowerCase(), new Date()));
    return ctx.live.state;
  },

  async 'sfbCertificates.openWizard'(ctx, node) {
    requireState(ctx);
    const fqdn = node?.kind === 'server' ? node.serverFqdn : await pickServer(ctx.live, 'Open the Certificate Wizard on which server?');
    ctx.openWizard(fqdn);
  },

  async 'sfbCertificates.openTimeline'(ctx) {
    requireState(ctx);
    ctx.openTimeline();
  },

  async 'sfbCertificates.planOAuthRenewal'(ctx) {
    requireState(ctx);
    ctx.openTimeline(true);
  },

  async 'sfbCertificates.requestCertificate'(ctx, node) {
    requireState(ctx);
    return requestCertificateCommand(ctx.live, node?.kind === 'server' ? node.serverFqdn : undefined);
  },

  async 'sfbCertificates.processPendingRequest'(ctx, node) {
    requireState(ctx);
    return processPendingRequestCommand(ctx.live, node?.kind === 'server' ? node.serverFqdn : undefined);
  },

  async 'sfbCertificates.showLog'(ctx) {
    ctx.log.show();
  },

  async 'sfbCertificates.refresh'(ctx) {
    await ctx.live.load();
  },

  async 'sfbCertificates.openManagementShell'(ctx) {
    return ctx.openShell();
  },

  async 'sfbCertificates.openManagementShellHere'(ctx, node) {
    return ctx.openShell(await serverTarget(ctx, node, 'Open the Management Shell on which server?'));
  },

  ...scriptCommandHandlers,
};

/** The rules' verdict on `cert` for `use` on `computer`, for a picker item's description (before the choice). */
function fitnessFor(ctx: CommandContext, cert: StoredCertificate, use: CertUse, computer: string): string {
  const d = requireState(ctx);
  const found = findServer(d, computer);
  const findings = checkCertificateForUse(cert, use, d.sipDomains, ctx.live.now(), { expiryWarningDays: ctx.live.expiryWarningDays(), ...(found ? { server: found.server, pool: found.pool } : {}) }).filter((f) => f.severity !== 'info');
  const error = findings.find((f) => f.severity === 'error');
  const worst = error ?? findings[0];
  const more = moreFindings(findings.filter((f) => f !== worst));
  return worst ? `$(${error ? 'error' : 'warning'}) ${findingInPicker(worst.message)}${more}` : '$(pass) fits';
}

/** " (and 1 more error and 2 more warnings)": the findings a picker item's description does not show, each kind counted. */
function moreFindings(rest: readonly { severity: string }[]): string {
  const count = (severity: string, word: string) => {
    const n = rest.filter((f) => f.severity === severity).length;
    return n ? `${n} more ${word}${n > 1 ? 's' : ''}` : '';
  };
  const parts = [count('error', 'error'), count('warning', 'warning')].filter(Boolean);
  return parts.length ? ` (and ${parts.join(' and ')})` : '';
}

/** The rolls that took effect since the simulated clock was last set from real time (their history summaries). */
function rollsSinceSimulated(d: Deployment): string[] {
  let start = d.history.length;
  for (let i = d.history.length - 1; i >= 0; i--) {
    const h = d.history[i];
    if (h.cmdlet !== 'Set-SimulatedDate') continue;
    if (/back to real time/i.test(h.summary)) break;
    start = i;
  }
  return d.history.slice(start).filter((h) => h.cmdlet === 'Roll').map((h) => h.summary);
}

/**
 * The PFX a certificate was imported from (the model holds no private keys: exporting one reads its file again). When
 * the file has moved or cannot be read, says so and lets the user choose where it is now.
 */
async function exportSource(ctx: CommandContext, sourceFile: string, name: string): Promise<{ shown: string; bytes: Uint8Array }> {
  try {
    return { shown: sourceFile, bytes: await ctx.live.readCertificateFile(sourceFile) };
  } catch (e) {
    if (!(e instanceof ExpectedError)) throw e;
    const go = await prompts.current.confirm(`The PFX file ${name} was imported from cannot be read.`,
      `${formatError(e.error)}\n\nSfB Certificates never keeps private keys: to export ${name} with its key, it reads the PFX it was imported from again. If the file moved, choose where it is now.`, 'Choose File…');
    if (go !== 'Choose File…') throw new Cancelled();
    const picked = orCancel(await prompts.current.openFile({ title: `Where is the PFX file of ${name} now?`, openLabel: 'Use This File', filters: { 'Personal Information Exchange': ['pfx', 'p12'] } }));
    return { shown: ctx.live.workspaceRelative(picked.fsPath), bytes: await ctx.live.readCertificateFile(picked.fsPath) };
  }
}

async function replicate(ctx: CommandContext, replicaFqdn?: string): Promise<OutcomeOf<'Invoke-CsManagementStoreReplication'>> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Invoke-CsManagementStoreReplication', cancellable: false }, async (progress) => {
    const outcome = await ctx.live.run(replicaFqdn ? { cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn } : { cmdlet: 'Invoke-CsManagementStoreReplication' });
    if (!outcome.ok) { await report(ctx, outcome, ''); return outcome; }
    const rows = outcome.result;
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

/**
 * Registers every command through one wrapper: a cancelled prompt ends silently, an ExpectedError (a condition the
 * user can fix) is shown as an error or warning with its fix, anything else is a crash: logged with its stack.
 */
export function registerCommands(context: vscode.ExtensionContext, ctx: CommandContext): void {
  for (const [id, handler] of Object.entries(commandTable) as [CommandId, Handler][]) {
    context.subscriptions.push(vscode.commands.registerCommand(id, async (node?: TreeNode | vscode.Uri) => {
      try {
        // A tree item's node, or the file a CodeLens or the editor title passes.
        return await handler(ctx, isTreeNode(node) ? node : undefined, node instanceof vscode.Uri ? node : undefined);
      } catch (e) {
        if (e instanceof Cancelled) return undefined;
        if (e instanceof ExpectedError) {
          // A condition the user can fix: shown with what to do, never logged as a crash.
          const show = e.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
          void show(formatError(e.error));
          return undefined;
        }
        const message = e instanceof Error ? e.message : String(e);
        ctx.log.error(`${id} failed: ${(e as Error)?.stack ?? message}`);
        void vscode.window.showErrorMessage(message, 'Show Log').then((c) => c && ctx.log.show());
        return undefined;
      }
    }));
  }
}

function isTreeNode(x: unknown): x is TreeNode {
  return typeof x === 'object' && x !== null && typeof (x as TreeNode).kind === 'string' && typeof (x as TreeNode).id === 'string';
}
