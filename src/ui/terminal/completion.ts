// Tab completion cycling, as the PowerShell console does it: the first Tab replaces the word with the first
// candidate, each further Tab with the next (Shift+Tab the previous), wrapping around; any other key accepts what
// is shown. Pure: no 'vscode'.

export interface Completions {
  /** The range of the line the candidates replace. */
  start: number;
  end: number;
  candidates: string[];
}

export class CompletionCycle {
  private index = -1;

  /** @param line the line as it was when Tab was first pressed */
  constructor(readonly line: string, private readonly completions: Completions) {}

  get empty(): boolean {
    return this.completions.candidates.length === 0;
  }

  /** The line and cursor after moving `step` candidates along (1 = Tab, -1 = Shift+Tab). */
  step(step: 1 | -1): { text: string; cursor: number } {
    const { start, end, candidates } = this.completions;
    if (!candidates.length) return { text: this.line, cursor: end };
    const n = candidates.length;
    this.index = this.index < 0 ? (step > 0 ? 0 : n - 1) : (((this.index + step) % n) + n) % n;
    const chosen = candidates[this.index];
    return { text: this.line.slice(0, start) + chosen + this.line.slice(end), cursor: start + chosen.length };
  }
}
