// The "SfB Certificates" log: every operation as the PowerShell line an admin would run, then its outcome.
import * as vscode from 'vscode';
import { displayText, type OperationOutcome } from '../core';
import { OUTPUT_CHANNEL_NAME } from '../shared/commands';

export class OperationLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });

  operation(outcome: OperationOutcome<unknown>, summary: string): void {
    if (outcome.powershell) this.info(`PS> ${outcome.powershell}`);
    if (!outcome.ok) {
      this.error(`${outcome.error.message}${outcome.error.fix ? ` — ${outcome.error.fix}` : ''}`);
      return;
    }
    this.info(summary);
    for (const n of outcome.notes) this.info(`note: ${n}`);
    for (const f of outcome.findings) {
      const line = `${f.message}${f.fix ? ` — ${f.fix}` : ''}`;
      if (f.severity === 'error') this.error(line);
      else if (f.severity === 'warning') this.warn(line);
      else this.info(line);
    }
  }

  /** Multi-line cmdlet output (Get-CsCertificate's Format-List view, replication status): one log line per line. */
  block(text: string): void {
    for (const line of text.split('\n')) this.info(line);
  }

  // Every line goes through displayText: certificate and file text cannot add lines or control sequences to the log.
  info(text: string): void { this.channel.info(displayText(text)); }
  warn(text: string): void { this.channel.warn(displayText(text)); }
  error(text: string): void { this.channel.error(displayText(text)); }
  show(): void { this.channel.show(true); }
  dispose(): void { this.channel.dispose(); }
}
