// The OAuthTokenIssuer state at a glance: "OAuth cert: expires in 23 d" / "none assigned". Click → Get Certificate;
// the tooltip also links to the certificate timeline and the renewal plan.
import * as vscode from 'vscode';
import type { LiveDeployment } from './live';
import { displayText, formatUsDateTime } from '../core';

export class OAuthStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sfbCertificates.oauth', vscode.StatusBarAlignment.Left, 50);
  private readonly unsubscribe: () => void;

  constructor(private readonly live: LiveDeployment) {
    this.item.name = 'SfB OAuthTokenIssuer certificate';
    this.item.command = 'sfbCertificates.getCertificate';
    this.unsubscribe = live.onDidChange(() => this.update());
    this.update();
  }

  /** What it shows now (the host tests read it). */
  get text(): string {
    return this.live.state ? this.item.text : '';
  }

  update(): void {
    const d = this.live.state;
    if (!d) { this.item.hide(); return; }
    const now = this.live.now();
    const slot = d.cms.assignments.OAuthTokenIssuer;
    const cert = slot?.current && d.cms.certificates.find((c) => c.thumbprint === slot.current?.thumbprint);
    const simulated = d.simulatedNow ? ' (simulated date)' : '';
    if (!cert) {
      this.item.text = '$(key) OAuth cert: none assigned';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.tooltip = withLinks('No OAuthTokenIssuer certificate is assigned: server-to-server authentication cannot work. Click to run Get-CsCertificate -Type OAuthTokenIssuer.');
    } else {
      const days = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / 86400000);
      const window = this.live.expiryWarningDays();
      this.item.text = days < 0 ? '$(error) OAuth cert: expired' : `$(key) OAuth cert: expires in ${days} d`;
      this.item.backgroundColor = days < 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : days <= window ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      this.item.tooltip = withLinks(`OAuthTokenIssuer: ${displayText(cert.subject)} (${cert.thumbprint}), valid until ${formatUsDateTime(new Date(cert.notAfter))}${slot?.pending ? `; roll pending for ${formatUsDateTime(new Date(slot.pending.effectiveDate))}` : ''}${simulated}. Click to run Get-CsCertificate.`);
    }
    this.item.text += simulated;
    this.item.show();
  }

  dispose(): void {
    this.unsubscribe();
    this.item.dispose();
  }
}

const LINKED_COMMANDS = ['sfbCertificates.openTimeline', 'sfbCertificates.planOAuthRenewal'];

/** The tooltip's text (escaped as Markdown) and links to the certificate timeline and the renewal plan. */
function withLinks(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.isTrusted = { enabledCommands: LINKED_COMMANDS };
  md.appendText(text);
  md.appendMarkdown(`\n\n[$(calendar) Open Certificate Timeline](command:${LINKED_COMMANDS[0]}) · [Plan OAuth Certificate Renewal…](command:${LINKED_COMMANDS[1]})`);
  md.supportThemeIcons = true;
  return md;
}
