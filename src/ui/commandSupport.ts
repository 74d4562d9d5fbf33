// What every command handler shares: the context it runs in, the target pickers for tree-or-palette commands, the
// preview-then-confirm step and how an operation's outcome is shown.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExpectedError, UNCONFIRMED_RULE, about, displayText, formatError, receivesGlobalCertificates, refuse, readCertificateFile, type Finding, type OperationName, type OperationOutcome, type OperationRequest, type OutcomeOf } from '../core';
import type { OperationLog } from './output';
import { prompts } from './prompter';
import { Cancelled, askPassword, isFrontEnd, orCancel, pickCertificate, pickServer, type CertificateChoice, type PickFitness } from './pickers';
import type { LiveDeployment } from './live';
import type { TreeNode } from './treeModel';
import type { ReadOnlyDocuments } from './documents';
import { certificateName } from '../present/certificate';
import { copyWithFeedback, isComment, pasteReadyLine } from './pasteReady';

export interface CommandContext {
  live: LiveDeployment;
  log: OperationLog;
  tree: vscode.TreeView<TreeNode>;
  documents: ReadOnlyDocuments;
  openWizard(serverFqdn?: string): void;
  /** Opens the certificate timeline, with the OAuth renewal plan shown when `plan`. */
  openTimeline(plan?: boolean): void;
  /** The renewal plan the open timeline shows (its chosen certificate), or undefined when none is shown. */
  timelinePlan(): { thumbprint?: string } | undefined;
  /** Opens an SfB Management Shell terminal (on `computer`, as "this computer", when given). */
  openShell(computer?: string): vscode.Terminal;
  /** Where the extension's files are (the webviews load dist/ from it). */
  extensionUri: vscode.Uri;
}

/** `uri`: the file the command was invoked on (a CodeLens, the editor title), when it was. */
export type Handler = (ctx: CommandContext, node?: TreeNode, uri?: vscode.Uri) => Promise<unknown>;

// ---- helpers -------------------------------------------------------------------------------------------

export function requireState(ctx: CommandContext) {
  const d = ctx.live.state;
  if (!d) refuse('no-deployment', 'No deployment is loaded.', 'Open the sample deployment, create a deployment file or import a topology first.');
  return d;
}

/** Shows an operation's result: errors as errors (what and what to do), findings as warnings. */
export async function report(ctx: CommandContext, outcome: OperationOutcome<unknown>, success: string): Promise<boolean> {
  if (!outcome.ok) {
    void vscode.window.showErrorMessage(formatError(outcome.error), 'Show Log').then((c) => c && ctx.log.show());
    return false;
  }
  const problems = outcome.findings.filter((f) => f.severity !== 'info');
  const extra = problems.length ? ` ${problems.length} warning${problems.length === 1 ? '' : 's'}: ${displayText(problems[0].message)}` : '';
  if (isComment(outcome.powershell)) void vscode.window.showInformationMessage(`${success}${extra}`);
  else void vscode.window.showInformationMessage(`${success}${extra}`, 'Copy as PowerShell').then((c) => c && copyWithFeedback(pasteReadyLine(ctx.live.state ?? outcome.state, outcome.powershell), 'PowerShell'));
  return true;
}

export async function run<N extends OperationName>(ctx: CommandContext, request: OperationRequest<N>, success: string): Promise<OutcomeOf<N>> {
  const outcome = await ctx.live.run(request);
  await report(ctx, outcome, success);
  return outcome;
}

/** The certificate a tree command was invoked on, or one the user picks. */
export async function certificateTarget(ctx: CommandContext, node: TreeNode | undefined, title: string, filter?: (c: CertificateChoice['cert']) => boolean, fitness?: PickFitness): Promise<CertificateChoice> {
  if (node && (node.kind === 'certificate' || node.kind === 'slotEntry')) {
    const d = requireState(ctx);
    const server = node.serverFqdn ? d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === node.serverFqdn) : undefined;
    const cert = server?.certificates.find((c) => c.thumbprint === node.thumbprint) ?? d.cms.certificates.find((c) => c.thumbprint === node.thumbprint);
    if (!cert) refuse('certificate-gone', `Certificate ${node.thumbprint} is not in any store of the deployment any more.`, 'Refresh the tree.');
    return { cert, serverFqdn: server?.certificates.includes(cert) ? server.fqdn : undefined };
  }
  return pickCertificate(ctx.live, title, filter, fitness);
}

export function serverTarget(ctx: CommandContext, node: TreeNode | undefined, title: string, frontEndsOnly = false): Promise<string> {
  if (node?.kind === 'server') return Promise.resolve(node.serverFqdn);
  return pickServer(ctx.live, title, frontEndsOnly ? isFrontEnd : undefined);
}

export function useAsOAuth(name: string): string {
  return `Use ${name} as the OAuthTokenIssuer certificate?`;
}

export function verdictText(findings: Finding[]): string {
  return findings.map((f) => `• ${displayText(f.message)}`).join('\n');
}

/**
 * Asks the core what the request would do before anything changes (a dry run of the very operation that will
 * run): a refusal ends the command with its reason and fix, warnings ask first. A request that replaces the current
 * global OAuthTokenIssuer certificate at once (no -Roll) always asks, saying what will happen, with the cmdlet line.
 */
export async function confirmPreview(ctx: CommandContext, request: OperationRequest, question: string): Promise<void> {
  const previewed = ctx.live.preview(request);
  if (!previewed.ok) throw new ExpectedError(previewed.error);
  const warnings = previewed.findings.filter((f) => f.severity === 'warning');
  const replacing = replacedOAuth(ctx, request);
  if (replacing) {
    const detail = `${previewed.powershell}\n\n${replacing}${warnings.length ? `\n\nWarnings:\n${verdictText(warnings)}` : ''}`;
    const go = await prompts.current.confirm('Replace the current OAuthTokenIssuer certificate now?', detail, 'Replace');
    if (go !== 'Replace') throw new Cancelled();
    return;
  }
  if (warnings.length) {
    const go = await prompts.current.confirm(question, verdictText(warnings), 'Use It Anyway');
    if (go !== 'Use It Anyway') throw new Cancelled();
  }
}

/** What replacing the current global OAuthTokenIssuer certificate at once does, or undefined when `request` does not. */
function replacedOAuth(ctx: CommandContext, request: OperationRequest): string | undefined {
  if (request.cmdlet !== 'Set-CsCertificate' && request.cmdlet !== 'Import-CsCertificate') return undefined;
  const r = request as OperationRequest<'Set-CsCertificate'> | OperationRequest<'Import-CsCertificate'>;
  if (r.identity !== 'global' || !r.type?.includes('OAuthTokenIssuer') || ('roll' in r && r.roll)) return undefined;
  const d = ctx.live.state;
  const current = d?.cms.assignments.OAuthTokenIssuer?.current;
  if (!d || !current || ('thumbprint' in r && r.thumbprint === current.thumbprint)) return undefined;
  const cert = d.cms.certificates.find((c) => c.thumbprint === current.thumbprint);
  const frontEnds = d.pools.filter((p) => receivesGlobalCertificates(p)).reduce((n, p) => n + p.servers.length, 0);
  return [
    `• ${cert ? certificateName(cert) : 'The current certificate'} (${current.thumbprint}) stops signing tokens at once and becomes the previous OAuthTokenIssuer certificate ${UNCONFIRMED_RULE}.`,
    `• Every Front End (${frontEnds}) gets the new certificate when the Central Management store replicates: Replicate Now here; on the real servers the Master Replicator does it within minutes.`,
    '• Partner applications such as Exchange and SharePoint must trust the new certificate (they read it from the pool\'s OAuth metadata document). To give them time, stage it instead with Roll Certificate… (-Roll -EffectiveDate, at least 24 hours before the current one expires).',
  ].join('\n');
}

export async function readPickedCertificate(ctx: CommandContext, title: string): Promise<{ path: string; bytes: Uint8Array; password?: string; cert: CertificateChoice['cert'] }> {
  const file = orCancel(await ctx.live.pickCertificateFile());
  const isPkcs12 = /\.(pfx|p12)$/i.test(file.path);
  let password: string | undefined = isPkcs12 ? await askPassword(`Password of ${path.basename(file.path)}`, title) : undefined;
  for (;;) {
    const read = readCertificateFile(file.bytes, { password, fileName: path.basename(file.path) });
    if (read.ok) {
      const cert = { ...read.record, exportable: true, source: 'import' as const, addedAt: ctx.live.now().toISOString() };
      return { path: file.path, bytes: file.bytes, password, cert };
    }
    if (read.error.code === 'wrong-password' || read.error.code === 'password-required') {
      password = await askPassword(`${read.error.message} Try again.`, title);
      continue;
    }
    throw new ExpectedError(about(path.basename(file.path), read.error));
  }
}

