// Saves of the live deployment, one at a time and coalesced: while a save runs, further changes only mark the
// deployment dirty, and when the save ends the latest state is written once. Every caller's promise settles when a
// save that includes its change has finished (or failed). No 'vscode' here, so unit tests drive it with a fake writer.

export class SaveQueue<T> {
  private running: Promise<void> | undefined;
  /** The newest state not yet handed to the writer, with the callers waiting for it. */
  private pending: { state: T; waiters: { resolve(): void; reject(e: unknown): void }[] } | undefined;

  /** @param write writes one state (atomically); its rejection is delivered to the callers whose change it held. */
  constructor(private readonly write: (state: T) => Promise<void>) {}

  /** Asks for `state` to be saved; resolves once a save holding it (or a later state) has finished. */
  save(state: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.pending) {
        this.pending.state = state;
        this.pending.waiters.push({ resolve, reject });
      } else {
        this.pending = { state, waiters: [{ resolve, reject }] };
      }
      this.running ??= this.drain();
    });
  }

  /** Whether a save is running or waiting. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when every requested save has ended (used on deactivate: no change is lost when VS Code closes). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending) {
        const { state, waiters } = this.pending;
        this.pending = undefined;
        try {
          await this.write(state);
          for (const w of waiters) w.resolve();
        } catch (e) {
          for (const w of waiters) w.reject(e);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
