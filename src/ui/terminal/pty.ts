// The Management Shell as a VS Code pseudoterminal: the thin glue between the terminal (keys in, ANSI out) and the
// console (src/ui/terminal/console.ts), and the shell's host: the live deployment's session (so every change shows in
// the tree, the status bar, the Problems panel and the undo history, and is saved), the C:\ drive mapped to a
// workspace folder, and Read-Host on the terminal itself. History is kept per workspace (workspaceState).
import * as vscode from 'vscode';
import type { DeploymentSession } from '../../core';
import { ManagementShell, type ShellHost } from '../../powershell';
import type { OperationLog } from '../output';
import { ShellConsole } from './console';
import { SERVER_DRIVE_SETTING, mapServerDrive, DriveError, type ServerDrive } from './drive';
import { History, appendEntry } from './history';

export const HISTORY_KEY = 'sfbCertificates.shellHistory';
export { SERVER_DRIVE_SETTING };

/** What the terminal needs of the live deployment (src/ui/live.ts). */
export interface ShellDeployment {
  /** The session the tree, the commands and the wizard run through; undefined while no deployment is loaded. */
  readonly session: DeploymentSession | undefined;
  /** Resolves when the deployment file has been read. */
  readonly ready: Promise<void>;
  readonly workspaceFolder: vscode.WorkspaceFolder | undefined;
}

export interface ShellTerminalOptions {
  live: ShellDeployment;
  log: OperationLog;
  /** Where history is kept (the extension's workspaceState). */
  history: vscode.Memento;
  /** "This computer" at start (Open Management Shell Here); default: the shell's own rule. */
  computer?: string;
}

export function createShellPty(options: ShellTerminalOptions): vscode.Pseudoterminal {
  const { log, history } = options;
  const written = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<void>();
  const console = new ShellConsole({
    write: (data) => written.fire(data),
    close: () => closed.fire(),
    ran: (line) => {
      // Read, append, write: another Management Shell terminal of this workspace may have added lines meanwhile.
      const entries = [...history.get<string[]>(HISTORY_KEY, [])];
      if (appendEntry(entries, line)) void history.update(HISTORY_KEY, entries);
    },
    failed: (e) => log.error(`The Management Shell failed: ${(e as Error)?.stack ?? String(e)}`),
  }, new History(history.get<string[]>(HISTORY_KEY, [])));

  return {
    onDidWrite: written.event,
    onDidClose: closed.event,
    open(dimensions) {
      if (dimensions) console.resize(dimensions.columns);
      start(console, options).catch((e: unknown) => {
        log.error(`The Management Shell did not start: ${(e as Error)?.stack ?? String(e)}`);
        console.failToStart(`The Management Shell did not start: ${(e as Error)?.message ?? String(e)} (a bug in SfB Certificates; details are in its log).`);
      });
    },
    handleInput: (data) => console.input(data),
    setDimensions: (dimensions) => console.resize(dimensions.columns),
    close() {
      console.dispose();
      written.dispose();
      closed.dispose();
    },
  };
}

async function start(console: ShellConsole, options: ShellTerminalOptions): Promise<void> {
  const { live } = options;
  await live.ready;
  const folder = live.workspaceFolder;
  if (!folder) return console.failToStart('Open a folder first: the Management Shell works on the deployment file of the workspace.');
  const first = live.session;
  if (!first) return console.failToStart('No deployment is loaded in this workspace. Open the sample deployment, create a deployment file or import a topology (SfB Certificates view), then open the Management Shell again.');
  const mapping = serverDrive(folder);
  if (!mapping.ok) console.writeOutput({ stream: 'warning', text: `WARNING: ${mapping.message}\n` });
  const host: ShellHost = {
    // Read on each use: the live deployment takes a new session when the file is created anew.
    get session() {
      return live.session ?? first;
    },
    files: {
      read: async (p) => drive(folder).read(p),
      write: async (p, bytes) => drive(folder).write(p, bytes),
      exists: async (p) => drive(folder).exists(p),
      list: async (p) => drive(folder).list(p),
    },
    readHost: (prompt, o) => console.readHost(prompt, o),
  };
  console.attach(await ManagementShell.create(host, { computer: options.computer }));
}

function serverDrive(folder: vscode.WorkspaceFolder) {
  return mapServerDrive(folder.uri.fsPath, vscode.workspace.getConfiguration('sfbCertificates').get<string>(SERVER_DRIVE_SETTING));
}

/** The drive as the setting says now (a change applies to the next command). */
function drive(folder: vscode.WorkspaceFolder): ServerDrive {
  const mapping = serverDrive(folder);
  if (!mapping.ok) throw new DriveError(mapping.message, 'EACCES');
  return mapping.drive;
}
