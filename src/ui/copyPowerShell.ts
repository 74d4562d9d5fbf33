// The Copy as PowerShell command (paste-ready text: src/ui/pasteReady.ts).
import { pasteReady, refuse, renderPowerShell } from '../core';
import { requireState, certificateTarget, type CommandContext } from './commandSupport';
import { SHELL, copyWithFeedback, isComment, pasteReadyLine } from './pasteReady';
import type { TreeNode } from './treeModel';

export async function copyAsPowerShellCommand(ctx: CommandContext, node?: TreeNode): Promise<string> {
  const d = requireState(ctx);
  let text: string;
  if (node?.kind === 'certificate' || node?.kind === 'slotEntry') {
    const target = await certificateTarget(ctx, node, '');
    text = pasteReadyLine(d, renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: target.cert.thumbprint }), target.serverFqdn);
  } else if (node?.kind === 'slot') {
    text = node.serverFqdn
      ? pasteReady([renderPowerShell({ cmdlet: 'Get-CsCertificate', type: [node.use] })], `${SHELL} on ${node.serverFqdn}.`)
      : pasteReady([renderPowerShell({ cmdlet: 'Get-CsCertificate', identity: 'global', type: [node.use] })], `${SHELL} on one Front End Server.`);
  } else {
    const last = [...d.history].reverse().find((h) => !isComment(h.powershell));
    if (!last) {
      refuse('no-history', d.history.length
        ? 'None of the operations so far is a cmdlet (Certificates MMC actions and the simulated clock have no PowerShell line), so there is nothing to paste.'
        : 'No operation has run yet, so there is no PowerShell to copy.');
    }
    text = pasteReadyLine(d, last.powershell);
  }
  await copyWithFeedback(text, 'PowerShell');
  return text;
}
