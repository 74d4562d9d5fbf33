// Get Certificate (Get-CsCertificate): runs the cmdlet where the user asked (a slot of the tree, a server, or the
// Front End the procedure starts on) and, when it returns nothing, says why: nothing is assigned anywhere, or the
// global assignment exists and the computer it ran on has not applied it yet (then Replicate Now is the next step,
// not another import).
import * as vscode from 'vscode';
import { defaultComputer, formatCertificateReferences, isUpToDate, receivesGlobalCertificates, renderPowerShell, type Deployment, type OperationRequest } from '../core';
import { certificateName } from '../present/certificate';
import { report, requireState, type CommandContext } from './commandSupport';
import type { TreeNode } from './treeModel';

const GLOBAL_SLOT: TreeNode = { kind: 'slot', id: 'cms/OAuthTokenIssuer', use: 'OAuthTokenIssuer', path: 'cms.assignments.OAuthTokenIssuer' };

/** Why an empty Get-CsCertificate result is empty, and what to do next (button → command id). */
export interface EmptyResultExplanation {
  text: string;
  actions: { title: string; command: string; node?: TreeNode }[];
}

/**
 * Explains an empty result of `powershell`, run on `computer` (undefined: at global scope). When the OAuthTokenIssuer
 * use was asked on a Front End whose replica has not applied the global assignment yet, says so and offers
 * replication; otherwise nothing is assigned, and the ways to assign one are offered.
 */
export function explainEmptyResult(d: Deployment, powershell: string, computer: string | undefined, asksOAuth: boolean): EmptyResultExplanation {
  const where = computer ? `ran on ${computer}` : 'ran at global scope (the Central Management store)';
  const global = d.cms.assignments.OAuthTokenIssuer;
  const globalEntry = global?.current ?? global?.pending;
  const found = computer ? d.pools.flatMap((pool) => pool.servers.map((server) => ({ pool, server }))).find((x) => x.server.fqdn.toLowerCase() === computer.toLowerCase()) : undefined;
  if (asksOAuth && globalEntry && found && receivesGlobalCertificates(found.pool) && !isUpToDate(found.server.replica, d.cms)) {
    const cert = d.cms.certificates.find((c) => c.thumbprint === globalEntry.thumbprint);
    const name = cert ? `${certificateName(cert)} (${globalEntry.thumbprint})` : globalEntry.thumbprint;
    const r = found.server.replica;
    const state = r.unreachable ? `is unreachable (simulated outage) and at Central Management store version ${r.appliedVersion} of ${d.cms.version}` : `is at Central Management store version ${r.appliedVersion} of ${d.cms.version}`;
    return {
      text: `${powershell} ${where} and returned nothing: the global OAuthTokenIssuer assignment exists (${global?.current ? '' : 'staged: '}${name}), but this computer's replica ${state} and has not applied it yet. ` +
        `Replicate to deploy it: ${renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: found.server.fqdn })}, or show the global assignment.`,
      actions: [
        { title: 'Replicate Now', command: 'sfbCertificates.replicateNow' },
        // Short button titles: a notification truncates long ones (the message says what each does).
        { title: 'Show Global', command: 'sfbCertificates.getCertificate', node: GLOBAL_SLOT },
      ],
    };
  }
  if (!asksOAuth) return { text: `${powershell} ${where} and returned nothing: no certificate is assigned for this use.`, actions: [] };
  return {
    text: `${powershell} ${where} and returned nothing: no OAuthTokenIssuer certificate is assigned. Server-to-server authentication needs one: import a certificate, use the Default certificate, or open the Certificate Wizard.`,
    actions: [
      { title: 'Import…', command: 'sfbCertificates.importCertificate' },
      { title: 'Use Default', command: 'sfbCertificates.assignOAuthFromDefault' },
      { title: 'Wizard…', command: 'sfbCertificates.openWizard' },
    ],
  };
}

export async function getCertificateCommand(ctx: CommandContext, node?: TreeNode): Promise<unknown> {
  const d = requireState(ctx);
  let request: OperationRequest<'Get-CsCertificate'>;
  if (node?.kind === 'slot') {
    request = node.serverFqdn
      ? { cmdlet: 'Get-CsCertificate', computer: node.serverFqdn, type: [node.use], includePreviousAndPending: true }
      : { cmdlet: 'Get-CsCertificate', identity: 'global', type: [node.use], includePreviousAndPending: true };
  } else if (node?.kind === 'server') {
    request = { cmdlet: 'Get-CsCertificate', computer: node.serverFqdn };
  } else {
    request = { cmdlet: 'Get-CsCertificate', computer: defaultComputer(d)?.server.fqdn, type: ['OAuthTokenIssuer'] };
  }
  const outcome = await ctx.live.run(request);
  if (!outcome.ok) return report(ctx, outcome, '');
  const list = outcome.result;
  const text = list.length ? formatCertificateReferences(list) : '';
  const computer = request.identity === 'global' ? undefined : request.computer;
  const ranOn = computer ? `# Ran on ${computer}\n` : '# Ran at global scope\n';
  ctx.log.block(text || '(no certificate returned)');
  if (list.length) {
    await ctx.documents.show('Get-CsCertificate', `${ranOn}PS> ${outcome.powershell}\n\n${text}\n`);
    return outcome;
  }
  const why = explainEmptyResult(ctx.live.state ?? d, outcome.powershell, computer, !request.type || request.type.includes('OAuthTokenIssuer'));
  await ctx.documents.show('Get-CsCertificate', `${ranOn}PS> ${outcome.powershell}\n\n# Nothing was returned.\n# ${why.text}\n`);
  void vscode.window.showWarningMessage(why.text, ...why.actions.map((a) => a.title)).then((choice) => {
    const action = why.actions.find((a) => a.title === choice);
    if (action) void vscode.commands.executeCommand(action.command, action.node);
  });
  return outcome;
}
