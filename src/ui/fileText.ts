// The deployment file's text as the slices it was read or written in, never joined into one string. A 170 MB string
// made of slices is joined by V8 the first time a character of it is read, in one step that blocked the extension
// host for a second or more (the memory is new to the process); so the Problems panel reads the text through this
// class, which finds a character in its slice. Only what jsonLocate.ts needs: single characters searched, short
// slices taken. No 'vscode' here.

export class FileText {
  readonly length: number;
  /** Offset of each slice's first character. */
  private readonly starts: number[] = [];
  /** The slice used last (reads are mostly near each other). */
  private last = 0;

  constructor(private readonly slices: readonly string[]) {
    let at = 0;
    for (const s of slices) {
      this.starts.push(at);
      at += s.length;
    }
    this.length = at;
  }

  static of(text: string): FileText {
    return new FileText([text]);
  }

  /** The slice holding offset i (0 ≤ i < length). */
  private sliceAt(i: number): number {
    const k = this.last;
    if (i >= this.starts[k] && i < this.starts[k] + this.slices[k].length) return k;
    // Empty slices share their start with the next one: the one that holds i is the last starting at or before it.
    this.last = lastAtOrBefore(this.starts, i);
    return this.last;
  }

  charCodeAt(i: number): number {
    if (!(i >= 0 && i < this.length)) return NaN;
    const k = this.sliceAt(i);
    return this.slices[k].charCodeAt(i - this.starts[k]);
  }

  /** The offset of the first `char` (one UTF-16 unit) at or after `from`, or -1. */
  indexOf(char: string, from = 0): number {
    return this.search(char, from, (s, c, at) => s.indexOf(c, at));
  }

  /** The offset of the first match of `pattern` (a global regular expression matching one character) at or after `from`, or -1. */
  searchChar(pattern: RegExp, from = 0): number {
    return this.search(pattern, from, (s, re, at) => {
      re.lastIndex = at;
      return re.exec(s)?.index ?? -1;
    });
  }

  private search<P>(what: P, from: number, find: (slice: string, what: P, at: number) => number): number {
    if (from < 0) from = 0;
    if (from >= this.length) return -1;
    const first = this.sliceAt(from);
    for (let k = first; k < this.slices.length; k++) {
      const local = find(this.slices[k], what, k === first ? from - this.starts[k] : 0);
      if (local >= 0) return this.starts[k] + local;
    }
    return -1;
  }

  /** The text from `start` to `end` (short: a key, a word). */
  slice(start: number, end = this.length): string {
    start = Math.max(0, start);
    end = Math.min(this.length, end);
    if (start >= end) return '';
    let out = '';
    for (let k = this.sliceAt(start); k < this.slices.length && this.starts[k] < end; k++) {
      out += this.slices[k].slice(Math.max(0, start - this.starts[k]), end - this.starts[k]);
    }
    return out;
  }

  /** The whole text as one string (for a small file, or a comparison that needs it). */
  toString(): string {
    return this.slices.join('');
  }
}

/** The index of the last of the ascending `starts` that is ≤ `x` (0 when none is; `starts` is not empty). */
export function lastAtOrBefore(starts: readonly number[], x: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
