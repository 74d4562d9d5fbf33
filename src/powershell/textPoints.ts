// Where two versions of a script differ, and rows/columns of offsets, without a character-by-character walk over the
// whole text: the script checker re-parses after every keystroke, and on a 2,000-line script a JavaScript loop over
// 200 KB of text per keystroke was most of the re-check.

/** Row/column (UTF-16) of `offset` in `text`, counting on from a known point `from` at offset `fromOffset`. */
export function point(text: string, offset: number, from = { row: 0, column: 0 }, fromOffset = 0): { row: number; column: number } {
  let row = from.row;
  let lineStart = fromOffset - from.column;
  for (let i = text.indexOf('\n', fromOffset); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** A known row at an offset of a text: valid for any text with the same characters before `offset`. */
export interface Anchor {
  offset: number;
  row: number;
  column: number;
}

export const TEXT_START: Anchor = { offset: 0, row: 0, column: 0 };

/** Row/column of `offset` in `text`, counted from `anchor` forwards or backwards (so a local edit costs local work). */
export function pointNear(text: string, offset: number, anchor: Anchor): Anchor {
  if (offset >= anchor.offset) return { offset, ...point(text, offset, anchor, anchor.offset) };
  let row = anchor.row;
  // Every line break in [offset, anchor.offset) is one row fewer.
  for (let i = text.lastIndexOf('\n', anchor.offset - 1); i >= offset && i !== -1; i = i === 0 ? -1 : text.lastIndexOf('\n', i - 1)) row--;
  const lineStart = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  return { offset, row, column: offset - lineStart };
}

/** Block sizes for the comparisons below: a native string compare per block, then smaller blocks, then characters. */
const BLOCKS = [4096, 256, 16, 1];

/** The length of the longest common prefix of `a` and `b`. */
export function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let n = 0;
  for (const block of BLOCKS) {
    while (n + block <= limit && a.slice(n, n + block) === b.slice(n, n + block)) n += block;
  }
  return n;
}

/** The length of the longest common suffix of `a` and `b`, at most `limit` characters. */
export function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  for (const block of BLOCKS) {
    while (n + block <= limit && a.slice(a.length - n - block, a.length - n) === b.slice(b.length - n - block, b.length - n)) n += block;
  }
  return n;
}
