// The live store: the one deployment the extension works on, loaded from (and saved to) the workspace's
// sfb-deployment.json. Every change goes through `run` (an operation of src/core/operations.ts), is logged as
// its PowerShell line, saved atomically, and announced through onDidChange. A corrupt or newer file is never
// overwritten: the store turns read-only and keeps the last good state in memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { evaluateRules, DeploymentSession, DEFAULT_STORE_FILE, StoreFileError, formatProblem, loadDeployment, parseDeployment, saveDeployment, type Deployment, type Finding, type OperationOutcome, type OperationRequest, type StoreFileProblem } from '../core';
import { CONTEXT_HAS_DEPLOYMENT, CONTEXT_SIMULATED_CLOCK } from '../shared/commands';
import type { OperationLog } from './output';
import { prompts } from './prompter';
import type { WizardServices } from './wizard/services';

export interface LoadProblem {
  /** What is wrong, for a person (first problems with their JSON paths). */
  message: string;
  problems: StoreFileProblem[];
}

export class LiveStore implements WizardServices, vscode.Disposable {
  private session: DeploymentSession | undefined;
  private cachedFindings: Finding[] | undefined;
  /** The text this store last wrote or loaded: a change event showing it is our own write coming back. */
  private lastText: string | undefined;
  private readonly listeners = new Set<() => void>();
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Set while the file on disk cannot be loaded; nothing is saved until it is fixed. */
  problem: LoadProblem | undefined;

  constructor(private readonly log: OperationLog) {
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('sfbCertificates.deploymentFile')) void this.load().then(() => this.watch());
      else if (e.affectsConfiguration('sfbCertificates')) this.changed();
    }));
  }

  // ---- where -------------------------------------------------------------------------------------------

  get workspaceFolder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  /** Absolute path of the store file, or undefined without a workspace folder. */
  get filePath(): string | undefined {
    const folder = this.workspaceFolder;
    if (!folder) return undefined;
    const configured = vscode.workspace.getConfiguration('sfbCertificates').get<string>('deploymentFile') || DEFAULT_STORE_FILE;
    return path.resolve(folder.uri.fsPath, configured);
  }

  // ---- state -------------------------------------------------------------------------------------------

  get state(): Deployment | undefined {
    return this.session?.state;
  }

  now(): Date {
    const simulated = this.state?.simulatedNow;
    const allowed = vscode.workspace.getConfiguration('sfbCertificates').get<boolean>('simulatedClock', true);
    return simulated && allowed ? new Date(simulated) : new Date();
  }

  findings(): Finding[] {
    const d = this.state;
    if (!d) return [];
    this.cachedFindings ??= evaluateRules(d, this.now(), { expiryWarningDays: this.expiryWarningDays() });
    return this.cachedFindings;
  }

  expiryWarningDays(): number {
    return vscode.workspace.getConfiguration('sfbCertificates').get<number>('expiryWarningDays', 45);
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.cachedFindings = undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT_HAS_DEPLOYMENT, Boolean(this.state));
    void vscode.commands.executeCommand('setContext', CONTEXT_SIMULATED_CLOCK, Boolean(this.state?.simulatedNow));
    for (const l of [...this.listeners]) {
      try { l(); } catch (e) { this.log.error(`A view failed to refresh: ${(e as Error).message}`); }
    }
  }

  // ---- load / save -------------------------------------------------------------------------------------

  /** Reads the file. Missing → no deployment. Broken → keeps the last good state, read-only, problem set. */
  async load(): Promise<void> {
    const file = this.filePath;
    if (!file || !fs.existsSync(file)) {
      this.session = undefined;
      this.problem = undefined;
      this.changed();
      return;
    }
    const text = await fs.promises.readFile(file, 'utf8');
    this.applyText(text, file);
  }

  private applyText(text: string, file: string): void {
    const parsed = parseDeployment(text);
    if (parsed.ok) {
      this.problem = undefined;
      this.remember(text);
      if (this.session) this.session.replaceState(parsed.deployment);
      else this.session = new DeploymentSession(parsed.deployment, () => this.now());
      for (const w of parsed.warnings) this.log.warn(`${path.basename(file)}: ${w}`);
      this.changed();
      return;
    }
    const first = parsed.errors.slice(0, 3).map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ');
    this.problem = {
      message: `${path.basename(file)} cannot be loaded: ${first}. ${parsed.readOnlyReason}`,
      problems: parsed.errors,
    };
    this.log.error(this.problem.message);
    this.changed();
    void vscode.window.showErrorMessage(this.problem.message, 'Open File').then((choice) => {
      if (choice) void vscode.window.showTextDocument(vscode.Uri.file(file));
    });
  }

  /** Watches the store file so outside edits reload the tree (our own writes are recognised and skipped). */
  watch(): void {
    this.watcher?.dispose();
    const folder = this.workspaceFolder;
    const file = this.filePath;
    if (!folder || !file) return;
    const rel = path.relative(folder.uri.fsPath, file).split(path.sep).join('/');
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, rel));
    const reload = () => {
      // Read synchronously: an async read could finish after a later save and bring back a stale text.
      const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      // Our own write comes back as a change event: skip it, unless the file was broken in between.
      if (text !== undefined && text === this.lastText && !this.problem) return;
      if (text === undefined) {
        this.log.warn(`${rel} was deleted; the deployment stays in memory until you reload or create the file again.`);
        this.problem = { message: `${rel} was deleted. Nothing is saved until it is back: restore it (its .bak copy sits next to it), or Refresh to start over.`, problems: [] };
        this.changed();
        return;
      }
      this.log.info(`${rel} changed on disk; reloading.`);
      this.applyText(text, file);
    };
    this.watcher.onDidChange(reload);
    this.watcher.onDidCreate(reload);
    this.watcher.onDidDelete(reload);
  }

  private async save(): Promise<void> {
    const file = this.filePath;
    const d = this.state;
    if (!file || !d) return;
    try {
      this.remember(saveDeployment(fs, file, d));
    } catch (e) {
      if (!(e instanceof StoreFileError)) throw e;
      // The file broke on disk after it was loaded: keep the state in memory, write nothing.
      this.problem = { message: `${path.basename(file)} was not saved: it changed on disk and is no longer valid. ${e.message}`, problems: e.problems };
      this.changed();
      throw new UserFacingError(this.problem.message);
    }
  }

  private remember(text: string): void {
    this.lastText = text;
  }

  /**
   * Refuses (UserFacingError) when the deployment file exists but does not load: such a file is never replaced, as its
   * .bak may be the last good version. Callers that ask "Replace?" check this first.
   */
  checkReplaceable(): void {
    const file = this.filePath;
    if (!file || !fs.existsSync(file)) return;
    const current = loadDeployment(fs, file);
    if (!current.ok) {
      const name = path.basename(file);
      throw new UserFacingError(`Nothing was changed: ${name} does not load (${formatProblem(current.errors[0])}), so it is not replaced. Restore it from ${name}.bak, or move it out of the workspace, then try again.`);
    }
  }

  /**
   * Writes a new deployment file (and any accompanying certificate files). An existing file is never touched, unless
   * `replace` (the user confirmed it): then a file that loads is replaced in one atomic step and kept as the .bak;
   * one that does not load is left as it is (its .bak may be the last good version, which replacing it would lose).
   */
  async create(deployment: Deployment, files: { path: string; bytes: Uint8Array }[] = [], options: { replace?: boolean } = {}): Promise<void> {
    const file = this.filePath;
    if (!file) throw new UserFacingError('Open a folder first: SfB Certificates keeps its deployment file in the workspace.');
    if (fs.existsSync(file)) {
      if (!options.replace) throw new UserFacingError(`${path.basename(file)} already exists in this workspace. Open it, or delete it first to start over.`);
      this.checkReplaceable();
    }
    const base = path.dirname(file);
    for (const f of files) {
      const target = path.resolve(base, f.path);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      if (!fs.existsSync(target)) await fs.promises.writeFile(target, f.bytes);
    }
    this.problem = undefined;
    this.session = new DeploymentSession(deployment, () => this.now());
    await this.save();
    this.changed();
  }

  // ---- operations --------------------------------------------------------------------------------------

  /** Runs one operation; on success the new state is saved and every view refreshes. */
  async run(request: OperationRequest): Promise<OperationOutcome<unknown>> {
    if (!this.session) {
      return { ok: false, error: { code: 'no-deployment', message: 'No deployment is loaded.', fix: 'Open the sample deployment, create a deployment file or import a topology first.' } };
    }
    if (this.problem) {
      return { ok: false, error: { code: 'store-read-only', message: `Nothing was changed: ${this.problem.message}`, fix: 'Fix or restore the deployment file (a .bak copy of the previous version sits next to it), then try again.' } };
    }
    const before = this.session.state;
    const outcome = this.session.run(request);
    this.log.operation(outcome, outcome.ok && this.state !== before ? this.state?.history.at(-1)?.summary ?? `${request.cmdlet} done.` : `${request.cmdlet} done.`);
    if (outcome.ok && this.state !== before) {
      await this.save();
      this.changed();
    }
    return outcome;
  }

  async undo(): Promise<string | undefined> {
    if (!this.session) return undefined;
    if (this.problem) throw new UserFacingError(`Nothing was changed: ${this.problem.message}`);
    const undone = this.session.undo();
    if (!undone) return undefined;
    await this.save();
    this.changed();
    return undone;
  }

  // ---- WizardServices ----------------------------------------------------------------------------------

  showLog(): void {
    this.log.show();
  }

  async pickCertificateFile(): Promise<{ path: string; bytes: Uint8Array } | undefined> {
    const picked = await prompts.current.openFile({
      openLabel: 'Import',
      title: 'Certificate file',
      defaultUri: this.workspaceFolder?.uri,
      filters: { 'Certificate files': ['pfx', 'p12', 'cer', 'crt', 'der', 'pem', 'p7b'], 'All files': ['*'] },
    });
    if (!picked) return undefined;
    return { path: picked.fsPath, bytes: await this.readCertificateFile(picked.fsPath) };
  }

  async readCertificateFile(p: string): Promise<Uint8Array> {
    const base = this.workspaceFolder?.uri.fsPath ?? process.cwd();
    const abs = path.resolve(base, p);
    try {
      return await fs.promises.readFile(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserFacingError(code === 'ENOENT' ? `No file at ${p}. Check the path (relative paths start at the workspace folder).` : `Cannot read ${p}: ${(e as Error).message}`);
    }
  }

  /** A path as the store records it: relative to the workspace folder when inside it. */
  workspaceRelative(p: string): string {
    const base = this.workspaceFolder?.uri.fsPath;
    if (!base) return p;
    const rel = path.relative(base, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel.split(path.sep).join('/');
  }

  logRejected(reason: string): void {
    this.log.warn(`Rejected a wizard message: ${reason}`);
  }

  dispose(): void {
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
    this.listeners.clear();
  }
}

/** An error whose message is meant for the user as it is (shown without "internal error" framing). */
export class UserFacingError extends Error {}
