// The live deployment: the one deployment the extension works on, loaded from (and saved to) the workspace's
// sfb-deployment.json. Its public surface (documented below) is what the views, the commands, the wizard and the
// Management Shell use:
//   state / session / problem / text     the current deployment, its session (run, preview, undo), why the file is
//                                        read-only if it is, and the text of the current file version
//   ready / load() / flush()             the first load; reading the file again; waiting until every save has ended
//   run() / undo()                       an operation through the session, logged, saved, shown
//   onDidChange(listener)                after every change, whoever made it, with what it touched (DeploymentChange)
//   findings() / now() / expiryWarningDays()
// Any change of the session (a command, the wizard, the shell, undo) is saved asynchronously: one save at a time,
// changes made during a save coalesced into the next, the file replaced atomically. A corrupt or newer file is never
// overwritten: the deployment turns read-only and keeps the last good state in memory. The file is read through a
// DeploymentReader (deploymentReader.ts: in a worker thread in VS Code); its text is kept as a FileText (fileText.ts).
// Where the workspace and its files are (workspaceFolder, filePath, certificate files) is WorkspaceFiles' part.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DEFAULT_DEPLOYMENT_FILE, DeploymentFileError, DeploymentSession, EVERYTHING_CHANGED, IncrementalRules, changeBetween, failure, formatProblem,
  parseDeploymentSteps, removeOrphanedTempFiles, saveDeploymentAsync,
  type Deployment, type DeploymentChange, type DeploymentFileProblem, type Failure, type FileStamp, type Finding, type OperationName, type OperationRequest, type OutcomeOf,
} from '../core';
import { CONTEXT_HAS_DEPLOYMENT, CONTEXT_LOADING, CONTEXT_SIMULATED_CLOCK, VIEW_ID } from '../shared/commands';
import { readBytesInThread, readInThread, type DeploymentRead, type DeploymentReader } from './deploymentReader';
import { FileText } from './fileText';
import type { OperationLog } from './output';
import { SaveQueue } from './saveQueue';
import { inSteps } from './steps';
import type { WizardServices } from './wizard/services';
import { UserFacingError, WorkspaceFiles } from './workspaceFiles';

export { UserFacingError } from './workspaceFiles';

export interface LoadProblem {
  /** What is wrong, for a person (first problems with their JSON paths). */
  message: string;
  problems: DeploymentFileProblem[];
}

/** Work slower than this shows a progress indicator in the view. */
const PROGRESS_AFTER_MS = 200;
const MINUTE_MS = 60_000;

/**
 * Saves `d` to `file` atomically (keeping the previous version as .bak) and returns the text written and the file's
 * stamp. `unchangedSince`: the stamp of the version this deployment last read or wrote (an unchanged file is not
 * parsed again to check that it still loads).
 */
export type DeploymentWriter = (file: string, d: Deployment, unchangedSince: FileStamp | undefined) => Promise<{ text: string; pieces?: string[]; stamp: FileStamp }>;

/** The core's asynchronous atomic save: serialized in slices, so the extension host never stalls on a large file. */
const writeDeployment: DeploymentWriter = (file, d, unchangedSince) => saveDeploymentAsync(fs.promises, file, d, { unchangedSince });

export class LiveDeployment extends WorkspaceFiles implements WizardServices, vscode.Disposable {
  private currentSession: DeploymentSession | undefined;
  private unsubscribeSession: (() => void) | undefined;
  /** The state the views last heard of, to tell them what the next change touched. */
  private shown: Deployment | undefined;
  private readonly rules = new IncrementalRules();
  private cachedFindings: Finding[] | undefined;
  /** The findings the load evaluated (in steps) for the state it read, until findings() takes them. */
  private loadedFindings: { state: Deployment; findings: Finding[] } | undefined;
  private fileText: FileText | undefined;
  /** Size and modification time of the file as this deployment last wrote or read it: a watcher event showing them is ours. */
  private fileStamp: { size: number; mtimeMs: number } | undefined;
  /** Set while a change is taken into the session that must not be saved (a state read from disk, the undo of a refused save). */
  private savingSuppressed = false;
  private readonly listeners = new Set<(change: DeploymentChange) => void>();
  private readonly runListeners = new Set<(operation: OperationName) => void>();
  private readonly saves: SaveQueue<{ file: string; state: Deployment }>;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: Promise<void> = Promise.resolve();
  private loads = 0;
  /** The save the last change of the session asked for. */
  private lastSave: Promise<void> = Promise.resolve();
  private readonly saveListeners = new Set<() => void>();
  /** Set while the file on disk cannot be loaded; nothing is saved until it is fixed. */
  problem: LoadProblem | undefined;
  /** Where the last load read the file: in a worker thread, or in this thread (no worker, or it failed). */
  loadedBy: DeploymentRead['by'] | undefined;

  constructor(log: OperationLog, private readonly writer: DeploymentWriter = writeDeployment, private readonly reader: DeploymentReader = readInThread) {
    super(log);
    this.saves = new SaveQueue(async ({ file, state }) => {
      const { text, pieces, stamp } = await this.writer(file, state, this.fileStamp);
      this.fileText = pieces ? new FileText(pieces) : FileText.of(text);
      this.fileStamp = stamp;
      for (const l of [...this.saveListeners]) {
        try { l(); } catch (e) { this.log.error(`A view failed to refresh after a save: ${(e as Error).message}`); }
      }
    });
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('sfbCertificates.deploymentFile')) void this.load().then(() => this.watch());
      else if (e.affectsConfiguration('sfbCertificates')) this.changed(EVERYTHING_CHANGED);
    }));
  }

  // ---- state -------------------------------------------------------------------------------------------

  get state(): Deployment | undefined {
    return this.currentSession?.state;
  }

  /** The session every input runs operations through (commands, wizard, Management Shell); undefined before a load. */
  get session(): DeploymentSession | undefined {
    return this.currentSession;
  }

  /**
   * The text of the file version last read or written. While a save runs it lags behind `state`; onDidSave tells
   * when it is current again.
   */
  get text(): FileText | undefined {
    return this.fileText;
  }

  /** Resolves when the current load (the one started at activation, or the last load()) has ended. */
  get ready(): Promise<void> {
    return this.loading;
  }

  /** The deployment's clock: its simulated date when it has one and the setting allows it, else the real time. */
  now(d: Deployment | undefined = this.state): Date {
    const simulated = d?.simulatedNow;
    const allowed = vscode.workspace.getConfiguration('sfbCertificates').get<boolean>('simulatedClock', true);
    return simulated && allowed ? new Date(simulated) : new Date();
  }

  /**
   * The rules' findings for the current state, evaluated at now() to the minute (so an unchanged server's findings
   * are reused from the last evaluation instead of computed again).
   */
  findings(): Finding[] {
    const d = this.state;
    if (!d) return [];
    if (!this.cachedFindings) {
      const loaded = this.loadedFindings;
      this.loadedFindings = undefined;
      this.cachedFindings = loaded?.state === d ? loaded.findings : this.rules.evaluate(d, this.minute(), { expiryWarningDays: this.expiryWarningDays() });
    }
    return this.cachedFindings;
  }

  /** now(), to the minute. */
  private minute(d: Deployment | undefined = this.state): Date {
    const now = this.now(d).getTime();
    return new Date(now - (now % MINUTE_MS));
  }

  expiryWarningDays(): number {
    return vscode.workspace.getConfiguration('sfbCertificates').get<number>('expiryWarningDays', 45);
  }

  /** Calls `listener` after every change with what it touched. Returns a disposer. */
  onDidChange(listener: (change: DeploymentChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` after each save has written the file (`text` is then that version). Returns a disposer. */
  onDidSave(listener: () => void): () => void {
    this.saveListeners.add(listener);
    return () => this.saveListeners.delete(listener);
  }

  private changed(change: DeploymentChange = changeBetween(this.shown, this.state)): void {
    this.shown = this.state;
    this.cachedFindings = undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT_HAS_DEPLOYMENT, Boolean(this.state));
    void vscode.commands.executeCommand('setContext', CONTEXT_SIMULATED_CLOCK, Boolean(this.state?.simulatedNow));
    for (const l of [...this.listeners]) {
      try { l(change); } catch (e) { this.log.error(`A view failed to refresh: ${(e as Error).message}`); }
    }
  }

  private useSession(session: DeploymentSession | undefined): void {
    this.unsubscribeSession?.();
    this.currentSession = session;
    const unChange = session?.onDidChange(() => this.sessionChanged());
    const unRun = session?.onDidRun((operation) => {
      for (const l of [...this.runListeners]) {
        try { l(operation); } catch (e) { this.log.error(`A view failed to follow an operation: ${(e as Error).message}`); }
      }
    });
    this.unsubscribeSession = () => { unChange?.(); unRun?.(); };
  }

  /** Calls `listener` after every operation that succeeded, whoever ran it, also one that changed nothing. Returns a disposer. */
  onDidRun(listener: (operation: OperationName) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  /** Any change of the session, whoever made it: views refresh now, the file is saved in the background. */
  private sessionChanged(): void {
    this.changed();
    if (this.savingSuppressed) return;
    this.lastSave = this.save();
    this.lastSave.catch(() => undefined); // logged (and the deployment marked read-only if need be) by save(); run() reports it
  }

  private withoutSaving(change: () => void): void {
    this.savingSuppressed = true;
    try {
      change();
    } finally {
      this.savingSuppressed = false;
    }
  }

  // ---- load / save -------------------------------------------------------------------------------------

  /** Reads the file. Missing → no deployment. Broken → keeps the last good state, read-only, problem set. */
  load(): Promise<void> {
    const run = this.loading.then(() => this.loadNow());
    this.loading = run.catch(() => undefined);
    if (this.loads++ === 0) void vscode.commands.executeCommand('setContext', CONTEXT_LOADING, true);
    const done = run.finally(() => {
      if (--this.loads === 0) void vscode.commands.executeCommand('setContext', CONTEXT_LOADING, false);
    });
    withSlowProgress(`Reading ${path.basename(this.filePath ?? DEFAULT_DEPLOYMENT_FILE)}…`, done);
    return done;
  }

  private async loadNow(): Promise<void> {
    await this.saves.flush();
    const file = this.filePath;
    if (file) removeOrphanedTempFiles(fs, file); // left by a save that was interrupted
    const read = file ? await this.reader(file) : undefined;
    if (!file || !read) {
      this.useSession(undefined);
      this.problem = undefined;
      this.fileText = undefined;
      this.fileStamp = undefined;
      this.changed(EVERYTHING_CHANGED);
      return;
    }
    this.fileStamp = await stampOf(file);
    this.loadedBy = read.by;
    await this.apply(read, file);
  }

  /**
   * Takes what a read of the file found (decoded strictly: invalid UTF-8 is refused, never replaced and written
   * back; read in a worker or in steps, so a large file never blocks the extension host for the whole read).
   * `before`: the state when the read started; `reloading`: the file changed on disk while a deployment is shown; if
   * a change was made or a save started meanwhile, nothing is applied (that save's own watcher event reads the file again).
   */
  private async apply(read: Omit<DeploymentRead, 'by'>, file: string, reloading?: { before: Deployment | undefined }): Promise<void> {
    const { parsed } = read;
    const text = typeof read.text === 'string' ? FileText.of(read.text) : read.text;
    performance.mark('sfb:load:parsed');
    // The views ask for the findings as soon as they hear of the new state: evaluated here first, in steps.
    const findings = parsed.ok ? await inSteps(this.rules.evaluateSteps(parsed.deployment, this.minute(parsed.deployment), { expiryWarningDays: this.expiryWarningDays() })) : undefined;
    performance.mark('sfb:load:evaluated');
    if (reloading && (this.saves.busy || this.state !== reloading.before)) return;
    if (parsed.ok) {
      this.loadedFindings = { state: parsed.deployment, findings: findings! };
      this.problem = undefined;
      this.fileText = text;
      if (this.currentSession) {
        const session = this.currentSession;
        this.withoutSaving(() => session.replaceState(parsed.deployment));
      } else {
        this.useSession(this.newSession(parsed.deployment));
        this.changed(EVERYTHING_CHANGED);
      }
      for (const w of parsed.warnings) this.log.warn(`${path.basename(file)}: ${w}`);
      return;
    }
    const first = parsed.errors.slice(0, 3).map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ');
    this.fileText = text;
    this.problem = {
      message: `${path.basename(file)} cannot be loaded: ${first}. ${parsed.readOnlyReason}`,
      problems: parsed.errors,
    };
    this.log.error(this.problem.message);
    this.changed(EVERYTHING_CHANGED);
    void vscode.window.showErrorMessage(this.problem.message, 'Open File').then((choice) => {
      if (choice) void vscode.window.showTextDocument(vscode.Uri.file(file));
    });
  }

  /** Watches the deployment file so outside edits reload the views (our own writes are recognised and skipped). */
  watch(): void {
    this.watcher?.dispose();
    const folder = this.workspaceFolder;
    const file = this.filePath;
    if (!folder || !file) return;
    const rel = path.relative(folder.uri.fsPath, file).split(path.sep).join('/');
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, rel));
    let checking = Promise.resolve();
    const reload = async () => {
      // Our own saves first: their events are recognised by the file's size and time afterwards.
      await this.saves.flush();
      await this.loading;
      const stamp = await stampOf(file);
      if (stamp && sameStamp(stamp, this.fileStamp) && !this.problem) return;
      if (!stamp) {
        this.log.warn(`${rel} was deleted; the deployment stays in memory until you reload or create the file again.`);
        this.problem = { message: `${rel} was deleted. Nothing is saved until it is back: restore it (its .bak copy sits next to it), or Refresh to start over.`, problems: [] };
        this.changed(EVERYTHING_CHANGED);
        return;
      }
      const bytes = await fs.promises.readFile(file).catch(() => undefined);
      // A save of ours started meanwhile: what was read may already be stale; that save's own event checks again.
      if (bytes === undefined || this.saves.busy) return;
      this.fileStamp = stamp;
      if (this.fileText && bytes.toString('utf8') === this.fileText.toString() && !this.problem) return;
      this.log.info(`${rel} changed on disk; reloading.`);
      const before = this.state;
      await this.apply(await readBytesInThread(bytes), file, { before });
    };
    const queued = () => { checking = checking.then(reload).catch((e: Error) => this.log.error(`Reloading ${rel} failed: ${e.message}`)); };
    this.watcher.onDidChange(queued);
    this.watcher.onDidCreate(queued);
    this.watcher.onDidDelete(queued);
  }

  /** Resolves when every save asked for so far has ended: nothing is lost when VS Code closes (called on deactivate). */
  flush(): Promise<void> {
    return this.saves.flush();
  }

  /** Saves the current state (coalesced with saves already running); rejects with a UserFacingError when it cannot. */
  private async save(): Promise<void> {
    const file = this.filePath;
    const state = this.state;
    if (!file || !state) return;
    const saved = this.saves.save({ file, state });
    withSlowProgress(`Saving ${path.basename(file)}…`, saved);
    try {
      await saved;
    } catch (e) {
      if (!(e instanceof DeploymentFileError)) {
        this.log.error(`${path.basename(file)} was not saved: ${(e as Error).message}`);
        throw new UserFacingError(`${path.basename(file)} was not saved: ${(e as Error).message}. The change is kept in memory; try again (e.g. Undo, then redo it) once the file can be written.`);
      }
      if (e.reason !== 'on-disk') {
        // The file is fine but was not replaced (read-only, or the change would make it unloadable): undo the change.
        this.log.error(e.message);
        const session = this.currentSession;
        if (session?.canUndo) this.withoutSaving(() => session.undo());
        throw new UserFacingError(e.message);
      }
      // The file broke on disk after it was loaded: keep the state in memory, write nothing until it is fixed.
      if (!this.problem) {
        this.problem = { message: `${path.basename(file)} was not saved: it changed on disk and is no longer valid. ${e.message}`, problems: e.problems };
        this.log.error(this.problem.message);
        this.changed(EVERYTHING_CHANGED);
      }
      throw new UserFacingError(this.problem.message);
    }
  }

  /**
   * Refuses (UserFacingError) when the deployment file exists but does not load: such a file is never replaced, as its
   * .bak may be the last good version. Callers that ask "Replace?" check this first.
   */
  async checkReplaceable(): Promise<void> {
    const file = this.filePath;
    if (!file || !fs.existsSync(file)) return;
    const current = (await inSteps(parseDeploymentSteps(await fs.promises.readFile(file)))).parsed; // in steps: it may be a large file
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
    await this.loading;
    const file = this.filePath;
    if (!file) throw new UserFacingError('Open a folder first: SfB Certificates keeps its deployment file in the workspace.');
    if (fs.existsSync(file)) {
      if (!options.replace) throw new UserFacingError(`${path.basename(file)} already exists in this workspace. Open it, or delete it first to start over.`);
      await this.checkReplaceable();
    }
    const base = path.dirname(file);
    for (const f of files) {
      const target = path.resolve(base, f.path);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      if (!fs.existsSync(target)) await fs.promises.writeFile(target, f.bytes);
    }
    this.problem = undefined;
    this.useSession(this.newSession(deployment));
    this.changed(EVERYTHING_CHANGED);
    await this.save();
  }

  /**
   * Takes a whole new deployment (an inventory import over the loaded one) as one undoable change: the views refresh
   * and the file is saved as after an operation. Without a loaded deployment it is created instead.
   */
  async adopt(deployment: Deployment, summary: string): Promise<void> {
    await this.loading;
    const session = this.currentSession;
    if (!session) return this.create(deployment);
    if (this.problem) throw new UserFacingError(`Nothing was changed: ${this.problem.message}`);
    session.adopt(deployment, summary);
    await this.lastSave;
  }

  // ---- operations --------------------------------------------------------------------------------------

  private newSession(deployment: Deployment): DeploymentSession {
    return new DeploymentSession(deployment, () => this.now(), { expiryWarningDays: () => this.expiryWarningDays() });
  }

  /** Runs one operation; on success the views refresh at once and the promise resolves once the file is saved. */
  async run<N extends OperationName>(request: OperationRequest<N>): Promise<OutcomeOf<N>> {
    await this.loading;
    const session = this.currentSession;
    if (!session) return noDeployment();
    if (this.problem) {
      return failure('store-read-only', `Nothing was changed: ${this.problem.message}`, 'Fix or restore the deployment file (a .bak copy of the previous version sits next to it), then try again.');
    }
    const before = session.state;
    const outcome = session.run(request);
    const changed = outcome.ok && session.state !== before;
    this.log.operation(outcome, changed ? session.state.history.at(-1)?.summary ?? `${request.cmdlet} done.` : `${request.cmdlet} done.`);
    if (changed) await this.lastSave;
    return outcome;
  }

  /** What `run` would do, changing nothing (see DeploymentSession.preview). */
  preview<N extends OperationName>(request: OperationRequest<N>): OutcomeOf<N> {
    return this.currentSession ? this.currentSession.preview(request) : noDeployment();
  }

  async undo(): Promise<string | undefined> {
    await this.loading;
    if (!this.currentSession) return undefined;
    if (this.problem) throw new UserFacingError(`Nothing was changed: ${this.problem.message}`);
    const undone = this.currentSession.undo();
    if (!undone) return undefined;
    await this.lastSave;
    return undone;
  }

  dispose(): void {
    this.unsubscribeSession?.();
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
    this.listeners.clear();
    this.saveListeners.clear();
  }
}

function noDeployment(): Failure {
  return failure('no-deployment', 'No deployment is loaded.', 'Open the sample deployment, create a deployment file or import a topology first.');
}

async function stampOf(file: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const s = await fs.promises.stat(file);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

function sameStamp(a: { size: number; mtimeMs: number }, b: { size: number; mtimeMs: number } | undefined): boolean {
  return b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Shows a progress indicator on the view when `work` takes longer than PROGRESS_AFTER_MS. */
function withSlowProgress(title: string, work: Promise<unknown>): void {
  let done = false;
  const settled = work.then(() => { done = true; }, () => { done = true; });
  setTimeout(() => {
    if (done) return;
    void vscode.window.withProgress({ location: { viewId: VIEW_ID }, title }, () => settled);
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => settled);
  }, PROGRESS_AFTER_MS);
}
