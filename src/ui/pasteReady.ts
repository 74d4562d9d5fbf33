// Copy as PowerShell: what an admin can paste into the Skype for Business Server Management Shell on the server as
// it is — a comment naming the computer, the PFX password read with Read-Host -AsSecureString on the line before
// it is used, paths on the server's C:\ drive (the operations are given them), and the seed's
// `$x = (Get-CsCertificate -Type Default).Thumbprint` where the Default certificate is reused. Actions that are not
// cmdlets (Certificates MMC, the simulated clock) are never copied as a comment that runs nothing.
import * as vscode from 'vscode';
import { DEFAULT_THUMBPRINT_LINE, pasteReady, receivesGlobalCertificates, type Deployment } from '../core';

export const SHELL = 'Run in the Skype for Business Server Management Shell';

/** True for a recorded line that is a comment (an action that is not a cmdlet), not a command. */
export function isComment(powershell: string): boolean {
  return powershell.trimStart().startsWith('#');
}

/** The Front End whose current Default certificate is `thumbprint` (preferring `computer`), if any. */
function defaultHolder(d: Deployment, thumbprint: string, computer?: string): string | undefined {
  const holders = d.pools.filter((p) => receivesGlobalCertificates(p)).flatMap((p) => p.servers)
    .filter((s) => s.assignments.Default?.current?.thumbprint === thumbprint).map((s) => s.fqdn);
  return holders.find((f) => f === computer) ?? holders[0];
}

/**
 * A recorded PowerShell line made paste-ready: a global OAuthTokenIssuer Set of a Front End's Default certificate
 * becomes the seed's two lines on that Front End; a line using $pfxPassword gets the Read-Host line before it.
 */
export function pasteReadyLine(d: Deployment, powershell: string, computer?: string): string {
  const set = /^Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ([0-9A-F]{40})$/.exec(powershell);
  const holder = set ? defaultHolder(d, set[1], computer) : undefined;
  if (set && holder) {
    return pasteReady([DEFAULT_THUMBPRINT_LINE, powershell.replace(set[1], '$x')], `${SHELL} on ${holder} (its Default certificate becomes the OAuthTokenIssuer certificate).`);
  }
  return pasteReady([powershell], computer ? `${SHELL} on ${computer}.` : `${SHELL} on one Front End Server.`);
}

/** Copies `text` and says so (a notification: the status bar is easy to miss). */
export async function copyWithFeedback(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  const first = text.split('\n').filter((l) => !l.startsWith('#')).pop() ?? text;
  void vscode.window.showInformationMessage(`Copied ${what} to the clipboard: ${first}`);
}

