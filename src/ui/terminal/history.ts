// Command history for ↑/↓: the lines run, oldest first, bounded, without consecutive repeats; browsing keeps the
// line being typed so ↓ past the newest entry brings it back. Pure: no 'vscode' (the terminal keeps the entries
// per workspace).

export const DEFAULT_HISTORY_LIMIT = 500;

export class History {
  private readonly entries: string[];
  /** Index into entries while browsing; entries.length when not browsing. */
  private index: number;
  private draft = '';

  constructor(entries: readonly string[] = [], readonly limit = DEFAULT_HISTORY_LIMIT) {
    this.entries = entries.filter((e) => typeof e === 'string' && e.trim() !== '').slice(-limit);
    this.index = this.entries.length;
  }

  /** The entries, oldest first (what is saved). */
  get all(): readonly string[] {
    return this.entries;
  }

  /** Records a line that ran; stops browsing. Returns whether the entries changed. */
  add(line: string): boolean {
    const changed = appendEntry(this.entries, line, this.limit);
    this.reset();
    return changed;
  }

  /** ↑: the previous entry, or undefined at the oldest. `current` is the line shown now (kept as the draft). */
  previous(current: string): string | undefined {
    if (this.index === 0) return undefined;
    if (this.index === this.entries.length) this.draft = current;
    this.index--;
    return this.entries[this.index];
  }

  /** ↓: the next entry, the draft after the newest, or undefined when not browsing. */
  next(): string | undefined {
    if (this.index >= this.entries.length) return undefined;
    this.index++;
    return this.index === this.entries.length ? this.draft : this.entries[this.index];
  }

  /** Stops browsing (the line was edited, run or cancelled). */
  reset(): void {
    this.index = this.entries.length;
    this.draft = '';
  }
}

/** Appends `line` to `entries` in place unless it is blank or repeats the last one; keeps the newest `limit`. */
export function appendEntry(entries: string[], line: string, limit = DEFAULT_HISTORY_LIMIT): boolean {
  if (line.trim() === '' || entries.at(-1) === line) return false;
  entries.push(line);
  if (entries.length > limit) entries.splice(0, entries.length - limit);
  return true;
}
