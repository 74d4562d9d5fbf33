// The line being typed at a prompt: its text, the cursor, the edits a console offers (PSReadLine's Windows
// bindings: ←/→, Home/End, Backspace/Delete, Ctrl+←/→ by word, Ctrl+Backspace, Esc clears), and how to redraw it
// in a terminal of a given width (wrapped lines included). Pure: no 'vscode'.

export class LineEditor {
  private value = '';
  private position = 0;

  get text(): string {
    return this.value;
  }

  get cursor(): number {
    return this.position;
  }

  /** Replaces the whole line; the cursor goes to `cursor` (default: the end). */
  set(text: string, cursor = text.length): void {
    this.value = text;
    this.position = clamp(cursor, 0, text.length);
  }

  insert(s: string): void {
    this.value = this.value.slice(0, this.position) + s + this.value.slice(this.position);
    this.position += s.length;
  }

  /** Replaces [start, end) with `s` and puts the cursor after it (Tab completion). */
  replace(start: number, end: number, s: string): void {
    this.value = this.value.slice(0, start) + s + this.value.slice(end);
    this.position = start + s.length;
  }

  left(): void {
    this.position = Math.max(0, this.position - 1);
  }

  right(): void {
    this.position = Math.min(this.value.length, this.position + 1);
  }

  home(): void {
    this.position = 0;
  }

  end(): void {
    this.position = this.value.length;
  }

  backspace(): void {
    if (this.position === 0) return;
    this.replace(this.position - 1, this.position, '');
  }

  delete(): void {
    if (this.position === this.value.length) return;
    this.value = this.value.slice(0, this.position) + this.value.slice(this.position + 1);
  }

  /** Ctrl+←: to the start of this word, or of the previous one when already at a word's start. */
  wordLeft(): void {
    this.position = previousWordStart(this.value, this.position);
  }

  /** Ctrl+→: to the start of the next word (PowerShell's console moves to word starts), or the end. */
  wordRight(): void {
    this.position = nextWordStart(this.value, this.position);
  }

  deleteWordLeft(): void {
    this.replace(previousWordStart(this.value, this.position), this.position, '');
  }

  killBefore(): void {
    this.replace(0, this.position, '');
  }

  killAfter(): void {
    this.value = this.value.slice(0, this.position);
  }

  clear(): void {
    this.set('');
  }
}

const isWordChar = (c: string) => !/[\s;,|(){}[\]=]/.test(c);

function previousWordStart(s: string, from: number): number {
  let i = from;
  while (i > 0 && !isWordChar(s[i - 1])) i--;
  while (i > 0 && isWordChar(s[i - 1])) i--;
  return i;
}

function nextWordStart(s: string, from: number): number {
  let i = from;
  while (i < s.length && isWordChar(s[i])) i++;
  while (i < s.length && !isWordChar(s[i])) i++;
  return i;
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, n));
}

/**
 * Redraws a prompt and its line in place. It remembers which row of the drawn block the cursor is on, so a
 * redraw first climbs back to the prompt's row, clears to the end of the screen and writes everything again:
 * correct for lines that wrap over several rows, whatever was edited.
 */
export class LineRenderer {
  /** The cursor's row, counted from the row the prompt starts on. */
  private cursorRow = 0;

  constructor(public columns = 80) {}

  /** The escape sequence that draws `prompt` + `text` (masked with `*` when `mask`) with the cursor at `cursor`. */
  draw(prompt: string, text: string, cursor: number, mask = false): string {
    const shown = mask ? '*'.repeat(text.length) : text;
    const cols = Math.max(1, this.columns);
    const total = prompt.length + shown.length;
    let out = this.toBlockStart() + '\x1b[J' + prompt + shown;
    // At an exact multiple of the width the terminal waits at the last column; write a space and step back so
    // the cursor really is on the next row, as the arithmetic below assumes; then erase that space.
    if (total > 0 && total % cols === 0) out += ' \r\x1b[K';
    const endRow = Math.floor(total / cols);
    const at = prompt.length + cursor;
    const row = Math.floor(at / cols);
    if (endRow > row) out += `\x1b[${endRow - row}A`;
    out += `\r${at % cols ? `\x1b[${at % cols}C` : ''}`;
    this.cursorRow = row;
    return out;
  }

  /** Moves to the start of the row below the drawn block (Enter) and forgets it: the next draw starts a new block. */
  finish(prompt: string, text: string): string {
    const cols = Math.max(1, this.columns);
    const total = prompt.length + text.length;
    const endRow = Math.floor(total / cols);
    const down = endRow - this.cursorRow;
    this.cursorRow = 0;
    // A block that fills its last row exactly already left the cursor at the start of a fresh row.
    return (down > 0 ? `\x1b[${down}B` : '') + (total > 0 && total % cols === 0 ? '\r' : '\r\n');
  }

  /** Forgets the drawn block (the screen was cleared or output was written below it). */
  reset(): void {
    this.cursorRow = 0;
  }

  private toBlockStart(): string {
    return (this.cursorRow > 0 ? `\x1b[${this.cursorRow}A` : '') + '\r';
  }
}
