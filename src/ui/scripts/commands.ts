// The commands about PowerShell scripts: Export Plan as PowerShell… writes the operations recorded in the model's
// history (all, or a chosen range) as a .ps1 to run in the real Management Shell (src/powershell/plan.ts), and opens it;
// Export Renewal Plan as PowerShell… writes "Plan OAuth Certificate Renewal…" (the one the timeline shows, with its
// chosen certificate) the same way, with the dates filled in.
import * as vscode from 'vscode';
import { proposeOAuthRenewal, refuse } from '../../core';
import type { LiveDeployment } from '../live';
import { powershell } from '../lazy';
import { prompts } from '../prompter';

/** Asks where, writes the script and opens it. */
async function saveScript(live: LiveDeployment, title: string, name: string, script: string): Promise<vscode.Uri | undefined> {
  const folder = live.workspaceFolder?.uri;
  const target = await prompts.current.saveFile({ title, defaultUri: folder && vscode.Uri.joinPath(folder, name), filters: { PowerShell: ['ps1'] } });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, Buffer.from(script, 'utf8'));
  await vscode.window.showTextDocument(target);
  return target;
}

/** "3-7" or "5" → the 1-based range, or why not. */
function readRange(text: string, count: number): { from: number; to: number } | string {
  const m = /^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$/.exec(text);
  if (!m) return `Write a range of history entries such as 1-${count}.`;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from >= 1 && to <= count && from <= to ? { from, to } : `Choose entries within 1-${count}, the first not after the last.`;
}

export const scriptCommandHandlers = {
  /** Dry Run Script Against Deployment (the CodeLens passes the script's URI; the palette uses the active editor). */
  'sfbCertificates.dryRunScript'(ctx: { live: LiveDeployment; extensionUri: vscode.Uri }, _node?: unknown, uri?: vscode.Uri) {
    return powershell().dryRunCommand(ctx.live, ctx.extensionUri, uri);
  },

  async 'sfbCertificates.exportPlan'(ctx: { live: LiveDeployment }): Promise<vscode.Uri | undefined> {
    const d = ctx.live.state;
    if (!d) refuse('no-deployment', 'No deployment is loaded.', 'Open the sample deployment, create a deployment file or import a topology first.');
    const count = d.history.length;
    if (!count) refuse('plan-empty', 'The deployment has no recorded operations to export.', 'Rehearse the change first (tree, wizard or Management Shell), then export the plan.', { source: 'extension-rule' });
    const answer = await prompts.current.input({
      title: 'Export Plan as PowerShell',
      prompt: `Which recorded operations? History entries 1-${count}, oldest first (the last one: ${d.history[count - 1].summary.slice(0, 80)})`,
      value: `1-${count}`,
      validateInput: (text) => { const r = readRange(text, count); return typeof r === 'string' ? r : undefined; },
    });
    if (answer === undefined) return undefined;
    const range = readRange(answer, count);
    if (typeof range === 'string') refuse('plan-range', range, undefined, { source: 'extension-rule' });
    return saveScript(ctx.live, 'Export Plan as PowerShell', 'plan.ps1', await powershell().exportPlanScript(d, range));
  },

  async 'sfbCertificates.exportRenewalPlan'(ctx: { live: LiveDeployment; timelinePlan(): { thumbprint?: string } | undefined }): Promise<vscode.Uri | undefined> {
    const d = ctx.live.state;
    if (!d) refuse('no-deployment', 'No deployment is loaded.', 'Open the sample deployment, create a deployment file or import a topology first.');
    const now = ctx.live.now(d);
    const expiryWarningDays = ctx.live.expiryWarningDays();
    const proposal = proposeOAuthRenewal(d, now, { thumbprint: ctx.timelinePlan()?.thumbprint, expiryWarningDays });
    const script = await powershell().exportRenewalPlanScript(d, proposal, now, { expiryWarningDays });
    return saveScript(ctx.live, 'Export Renewal Plan as PowerShell', 'oauth-renewal-plan.ps1', script);
  },
};
