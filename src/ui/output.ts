// The "SfB Certificates" log: every operation as the PowerShell line an admin would run, then its outcome.
import * as vscode from 'vscode';
import type { OperationOutcome } from '../core';
import { OUTPUT_CHANNEL_NAME } from '../shared/commands';

export class OperationLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });

  operation(outcome: OperationOutcome<unknown>, summary: string): void {
    if (outcome.powershell) this.channel.info(`PS> ${outcome.powershell}`);
    if (!outcome.ok) {
      this.channel.error(`${outcome.error.message}${outcome.error.fix ? ` — ${outcome.error.fix}` : ''}`);
      return;
    }
    this.channel.info(summary);
    for (const n of outcome.notes) this.channel.info(`note: ${n}`);
    for (const f of outcome.findings) {
      const line = `${f.message}${f.fix ? ` — ${f.fix}` : ''}`;
      if (f.severity === 'error') this.channel.error(line);
      else if (f.severity === 'warning') this.channel.warn(line);
      else this.channel.info(line);
    }
  }

  /** Multi-line cmdlet output (Get-CsCertificate's Format-List view, replication status). */
  block(text: string): void {
    for (const line of text.split('\n')) this.channel.info(line);
  }

  info(text: string): void { this.channel.info(text); }
  warn(text: string): void { this.channel.warn(text); }
  error(text: string): void { this.channel.error(text); }
  show(): void { this.channel.show(true); }
  dispose(): void { this.channel.dispose(); }
}
