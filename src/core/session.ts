// A deployment being worked on: the current state, the clock it runs on, undo of the last operations, and a
// change event. Pure (no 'vscode', no I/O): the extension's live store wraps it with file saving and views.
import { clockFor } from './clock';
import type { Deployment } from './model';
import { runOperation, type OperationName, type OperationRequest, type OutcomeOf } from './operations';

export const DEFAULT_UNDO_LIMIT = 20;

interface UndoStep {
  state: Deployment;
  /** What the operation did, from the history entries it added. */
  summary: string;
}

export class DeploymentSession {
  private current: Deployment;
  private readonly undoSteps: UndoStep[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly runListeners = new Set<(operation: OperationName) => void>();
  private readonly nowSource: () => Date;
  private readonly undoLimit: number;
  private readonly expiryWarningDays: (() => number) | undefined;

  /**
   * @param now the clock; by default the deployment's simulated now, else real time.
   * @param options.undoLimit how many operations can be undone (default 20).
   * @param options.expiryWarningDays the expiry warning window of the findings operations return (default 45 days).
   */
  constructor(state: Deployment, now?: () => Date, options: { undoLimit?: number; expiryWarningDays?: () => number } = {}) {
    this.current = state;
    this.nowSource = now ?? (() => clockFor(this.current).now());
    this.undoLimit = options.undoLimit ?? DEFAULT_UNDO_LIMIT;
    this.expiryWarningDays = options.expiryWarningDays;
  }

  get state(): Deployment {
    return this.current;
  }

  now(): Date {
    return this.nowSource();
  }

  get canUndo(): boolean {
    return this.undoSteps.length > 0;
  }

  /** Runs an operation; when it succeeds and changes the deployment, the new state is kept and listeners hear of it. */
  run<N extends OperationName>(request: OperationRequest<N>): OutcomeOf<N> {
    const before = this.current;
    const outcome = this.preview(request);
    if (outcome.ok) for (const l of [...this.runListeners]) l(request.cmdlet);
    if (!outcome.ok || outcome.state === before) return outcome;
    const added = outcome.state.history.slice(before.history.length);
    this.undoSteps.push({ state: before, summary: added.map((h) => h.summary).join(' ') || request.cmdlet });
    if (this.undoSteps.length > this.undoLimit) this.undoSteps.shift();
    this.current = outcome.state;
    this.emit();
    return outcome;
  }

  /**
   * What `run` would do, without doing it: the same typed outcome (refusal, findings, notes, the PowerShell line and
   * the state it would lead to), nothing kept, no listener called. Operations are pure, so this is the real rule
   * at work: a surface asks here instead of re-deriving a check.
   */
  preview<N extends OperationName>(request: OperationRequest<N>): OutcomeOf<N> {
    return runOperation(this.current, request, { now: this.nowSource, expiryWarningDays: this.expiryWarningDays?.() });
  }

  /** Undoes the last operation; returns what it had done, or undefined when there is nothing to undo. */
  undo(): string | undefined {
    const step = this.undoSteps.pop();
    if (!step) return undefined;
    this.current = step.state;
    this.emit();
    return step.summary;
  }

  /**
   * Takes a whole new state made elsewhere (an inventory import) as one undoable step: undo brings back the state
   * before it. `summary` is what Undo Last Operation says it undid.
   */
  adopt(state: Deployment, summary: string): void {
    if (state === this.current) return;
    this.undoSteps.push({ state: this.current, summary });
    if (this.undoSteps.length > this.undoLimit) this.undoSteps.shift();
    this.current = state;
    this.emit();
  }

  /** Takes a state from elsewhere (e.g. the file changed on disk). Undo history is dropped: it led to another state. */
  replaceState(state: Deployment): void {
    this.current = state;
    this.undoSteps.length = 0;
    this.emit();
  }

  /** Calls `listener` after every operation that succeeded, also one that changed nothing (Get-CsCertificate). Returns a disposer. */
  onDidRun(listener: (operation: OperationName) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  /** Returns a disposer. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every listener runs even if one throws; the first error is rethrown afterwards. */
  private emit(): void {
    let first: unknown;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (e) {
        first ??= e;
      }
    }
    if (first !== undefined) throw first;
  }
}
