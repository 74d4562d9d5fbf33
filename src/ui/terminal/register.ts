// Registers the Management Shell: the terminal profile "SfB Management Shell" (terminal dropdown, and the
// onTerminalProfile activation) and the function the commands use to open one, optionally on a given server.
import * as vscode from 'vscode';
import { TERMINAL_PROFILE_ID } from '../../shared/commands';
import type { OperationLog } from '../output';
import { powershell } from '../lazy';
import type { ShellDeployment } from './pty';

export const SHELL_NAME = 'SfB Management Shell';
const ICON = new vscode.ThemeIcon('terminal-powershell');

/** Returns the function that opens a Management Shell terminal (on `computer` when given) and shows it. */
export function registerManagementShell(context: vscode.ExtensionContext, live: ShellDeployment, log: OperationLog): (computer?: string) => vscode.Terminal {
  // The interpreter loads with the first shell opened (src/ui/lazy.ts), not at activation.
  const pty = (computer?: string) => powershell().createShellPty({ live, log, history: context.workspaceState, computer });
  context.subscriptions.push(vscode.window.registerTerminalProfileProvider(TERMINAL_PROFILE_ID, {
    provideTerminalProfile: () => new vscode.TerminalProfile({ name: SHELL_NAME, pty: pty(), iconPath: ICON }),
  }));
  return (computer) => {
    const terminal = vscode.window.createTerminal({ name: computer ? `${SHELL_NAME} (${computer})` : SHELL_NAME, pty: pty(computer), iconPath: ICON });
    terminal.show();
    return terminal;
  };
}
