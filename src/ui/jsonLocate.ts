// Where JSON paths of the rules' findings ("pools[3].servers[1].assignments.Default") sit in the deployment file's
// text, without parsing the whole file into a tree: one pass that walks only into the objects and lists on the way
// to a wanted path, jumps over everything else (strings with indexOf, containers by counting brackets), and stops
// once every wanted path is found. A line index (one per file version) turns offsets into line and column.
// The text is read through FileText (its slices, never joined: see fileText.ts). No 'vscode' here, so unit tests
// check it against a full JSON parse.
import { FileText, lastAtOrBefore } from './fileText';

export interface Span {
  /** Offset of the member's key (object member) or of the value (list item). */
  offset: number;
  /** Up to the end of the value. */
  length: number;
}

type Segment = string | number;

/** "pools[0].servers[1].assignments.Default" → ['pools', 0, 'servers', 1, 'assignments', 'Default'] */
export function parseJsonPath(p: string): Segment[] {
  const out: Segment[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

interface Trie {
  parent?: Trie;
  children: Map<Segment, Trie>;
  /** The paths ending here. */
  paths: string[];
  found?: Span;
  /** How many wanted paths end at or below this node and are not settled (found, or known absent) yet. */
  remaining: number;
  settled?: boolean;
}

function trieOf(paths: Iterable<string>): Trie {
  const root: Trie = { children: new Map(), paths: [], remaining: 0 };
  for (const p of paths) {
    let node = root;
    node.remaining++;
    for (const segment of parseJsonPath(p)) {
      let next = node.children.get(segment);
      if (!next) node.children.set(segment, (next = { parent: node, children: new Map(), paths: [], remaining: 0 }));
      next.remaining++;
      node = next;
    }
    node.paths.push(p);
  }
  return root;
}

/** The paths ending at `node` and below are settled: found, or (below a value walked to its end) absent. */
function settle(node: Trie): void {
  for (const c of node.children.values()) settle(c);
  if (node.settled || !node.paths.length) return;
  node.settled = true;
  for (let n: Trie | undefined = node; n; n = n.parent) n.remaining -= node.paths.length;
}

const WHITESPACE = new Set([32, 9, 10, 13]);
const BRACKETS = /["[\]{}]/g;
const VALUE_END = /[,}\]\s]/g;

/** Lines indexed between two steps of LineIndex.scanSteps. */
const LINE_SLICE = 200_000;

/** Brackets and quotes skipped between two steps of locatePathsSteps (a few milliseconds' worth). */
const SKIP_SLICE = 50_000;

class Locator {
  private scanned = 0;

  constructor(private readonly text: FileText) {}

  space(i: number): number {
    const t = this.text;
    while (WHITESPACE.has(t.charCodeAt(i))) i++;
    return i;
  }

  /** Index after the string starting (with its quote) at i. */
  private stringEnd(i: number): number {
    const t = this.text;
    for (let j = t.indexOf('"', i + 1); j >= 0; j = t.indexOf('"', j + 1)) {
      let backslashes = 0;
      while (t.charCodeAt(j - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) return j + 1;
    }
    return t.length;
  }

  /** Index after the value starting at i; yields now and then inside a large container. */
  private *skip(i: number): Generator<void, number, void> {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === 34) return this.stringEnd(i);
    if (c !== 123 && c !== 91) {
      const end = t.searchChar(VALUE_END, i);
      return end < 0 ? t.length : end;
    }
    let depth = 0;
    for (let at = t.searchChar(BRACKETS, i); at >= 0; at = t.searchChar(BRACKETS, i)) {
      const ch = t.charCodeAt(at);
      i = at + 1;
      if (ch === 34) {
        i = this.stringEnd(at);
      } else if (ch === 123 || ch === 91) {
        depth++;
      } else if (--depth === 0) {
        return at + 1;
      }
      if (++this.scanned % SKIP_SLICE === 0) yield;
    }
    return t.length;
  }

  /**
   * Walks the value at i (whose wanted descendants are in `node`); returns the index after it, or -1 once every
   * wanted path everywhere is found (the walk stops there).
   */
  *walk(i: number, node: Trie, root: Trie): Generator<void, number, void> {
    const t = this.text;
    const open = t.charCodeAt(i);
    if (!node.children.size || (open !== 123 && open !== 91)) return yield* this.skip(i);
    const isObject = open === 123;
    const close = isObject ? 125 : 93;
    i = this.space(i + 1);
    for (let index = 0; i < t.length && t.charCodeAt(i) !== close; index++) {
      let key: Segment = index;
      const memberStart = i;
      if (isObject) {
        const keyEnd = this.stringEnd(i);
        key = t.slice(i + 1, keyEnd - 1);
        i = this.space(keyEnd);
        i = this.space(i + 1); // the colon
      }
      const child = node.children.get(key);
      let end: number;
      if (child && child.remaining > 0) {
        end = yield* this.walk(i, child, root);
        const start = isObject ? memberStart : i;
        // Stopped inside (end < 0): the member's end is not known; its first line is what is shown anyway.
        child.found = { offset: start, length: (end < 0 ? t.length : end) - start };
        if (end < 0) return -1;
        settle(child);
        if (root.remaining === 0) return -1;
      } else {
        end = yield* this.skip(i);
      }
      i = this.space(end);
      if (t.charCodeAt(i) === 44) i = this.space(i + 1);
      else break;
    }
    return i + 1;
  }
}

/**
 * The span of each wanted path in `text`; a path that does not exist maps to its deepest existing ancestor (a finding
 * about a missing slot points at the server that lacks it), and to undefined when not even its first segment exists.
 */
export function locatePaths(text: string | FileText, paths: Iterable<string>): Map<string, Span | undefined> {
  const steps = locatePathsSteps(text, paths);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** locatePaths in steps: the caller may run other work between them (the Problems panel on a large file does). */
export function* locatePathsSteps(input: string | FileText, paths: Iterable<string>): Generator<void, Map<string, Span | undefined>, void> {
  const text = typeof input === 'string' ? FileText.of(input) : input;
  const root = trieOf(paths);
  const locator = new Locator(text);
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  try {
    yield* locator.walk(locator.space(start), root, root);
  } catch {
    // Text that is not JSON: what was found so far stands.
  }
  const out = new Map<string, Span | undefined>();
  const visit = (n: Trie, deepest: Span | undefined) => {
    const here = n.found ?? deepest;
    for (const p of n.paths) out.set(p, here);
    for (const c of n.children.values()) visit(c, here);
  };
  visit(root, undefined);
  return out;
}

/**
 * Line starts of one file version, found as far as asked (the Problems panel's entries are often near the start):
 * offsets become line and column by binary search.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** Every line start before this offset is in `starts`. */
  private scannedTo = 0;

  readonly text: FileText;

  constructor(text: string | FileText) {
    this.text = typeof text === 'string' ? FileText.of(text) : text;
  }

  /** Finds the line starts up to `offset`, yielding every LINE_SLICE lines (the caller may do other work meanwhile). */
  *scanSteps(offset: number): Generator<void, void, void> {
    const t = this.text;
    for (let lines = 1; this.scannedTo <= offset; lines++) {
      const nl = t.indexOf('\n', this.scannedTo);
      if (nl < 0) {
        this.scannedTo = Infinity;
        return;
      }
      this.starts.push(nl + 1);
      this.scannedTo = nl + 1;
      if (lines % LINE_SLICE === 0) yield;
    }
  }

  /** Zero-based line and character of `offset`. */
  position(offset: number): { line: number; character: number } {
    const steps = this.scanSteps(offset);
    while (!steps.next().done) continue;
    const line = lastAtOrBefore(this.starts, offset);
    return { line, character: offset - this.starts[line] };
  }

  /** The offset where the line holding `offset` ends (before its line break). */
  lineEnd(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl > 0 && this.text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  }
}
