/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The layout faults a user sees, measured in the page (functions passed to Locator.evaluate, so they run in the
// browser and may use nothing from outside their body): text cut off in its box, a word broken across two lines in
// a table cell, a table cell whose content spills out of it, a tree row that does not show whole.

/** The elements matching `selector` (visible ones) whose text overflows their box (cut off or ellipsized). */
export function clipped(root: Element, selector: string): string[] {
  return [...root.querySelectorAll<HTMLElement>(selector)]
    .filter((e) => e.offsetParent !== null && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
    .map((e) => `"${e.textContent}" (${e.scrollWidth}×${e.scrollHeight} in ${e.clientWidth}×${e.clientHeight})`);
}

/**
 * The words (runs of letters and digits) of `root`'s table cells (or of the elements matching `cells`) whose line
 * boxes span two lines; elements inside `skip`, and thumbprints and serial numbers (16 or more hex digits, which
 * may break anywhere) aside.
 */
export function brokenWords(root: Element, options: { skip: string; cells?: string }): string[] {
  const bad: string[] = [];
  for (const cell of root.querySelectorAll(options.cells ?? 'table td, table th')) {
    if (cell.closest(options.skip)) continue;
    const walker = cell.ownerDocument.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const m of text.matchAll(/[\p{L}\p{N}_]+/gu)) {
        if (/^[0-9A-F]{16,}$/.test(m[0])) continue;
        const range = cell.ownerDocument.createRange();
        range.setStart(node, m.index!);
        range.setEnd(node, m.index! + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) bad.push(`"${m[0]}" in "${(cell.textContent ?? '').slice(0, 80)}"`);
      }
    }
  }
  return bad;
}

/**
 * The table cells of `root` whose text reaches past the cell's right edge (into the next column, or cut off by
 * the page): a word too long for its column that has no place to wrap. Each text's line boxes are measured.
 */
export function spillingCells(root: Element): string[] {
  const bad: string[] = [];
  for (const cell of root.querySelectorAll<HTMLElement>('table td, table th')) {
    if (cell.offsetParent === null) continue;
    const edge = cell.getBoundingClientRect().right + 1;
    const range = cell.ownerDocument.createRange();
    range.selectNodeContents(cell);
    const right = Math.max(0, ...[...range.getClientRects()].map((r) => r.right));
    if (right > edge) bad.push(`"${(cell.textContent ?? '').slice(0, 80)}" (${Math.round(right - edge)} px past its cell)`);
  }
  return bad;
}

/** The tree's rows now drawn (not the focused one, whose inline actions take room), each with whether its label and description are cut off. */
export function treeRows(root: Element): { index: string; text: string; cut: string | undefined }[] {
  return [...root.querySelectorAll<HTMLElement>('.monaco-list-rows .monaco-list-row:not(.focused)')].map((row) => {
    const box = row.querySelector<HTMLElement>('.monaco-icon-label-container');
    const cut = box && box.scrollWidth > box.clientWidth + 1 ? `${box.scrollWidth} px in ${box.clientWidth}` : undefined;
    return { index: row.dataset.index ?? '', text: `${'  '.repeat(Number(row.getAttribute('aria-level') ?? 1) - 1)}${row.textContent ?? ''}`, cut };
  });
}

/**
 * What the workbench shows now that a user could not read whole: notification and dialog buttons, context-menu
 * items, the messages of modal dialogs.
 */
export function workbenchFaults(root: Element): string[] {
  const out: string[] = [];
  const check = (what: string, selector: string) => {
    for (const e of root.querySelectorAll<HTMLElement>(selector)) {
      if (e.offsetParent === null && getComputedStyle(e).position !== 'fixed') continue;
      if (e.scrollWidth > e.clientWidth + 1) out.push(`${what} "${e.textContent?.trim()}" cut off (${e.scrollWidth} px in ${e.clientWidth})`);
    }
  };
  check('notification button', '.notification-toast .monaco-text-button, .notification-toast .monaco-button');
  check('dialog button', '.monaco-dialog-box .dialog-buttons .monaco-button');
  check('menu item', '.monaco-menu .action-label');
  check('view title', '.part.sidebar .composite.title .title-label h2');
  // A text editor's lines (the extension's read-only views): none runs past the editor's right edge.
  for (const editor of root.querySelectorAll<HTMLElement>('.editor-instance .monaco-editor')) {
    const guard = editor.querySelector<HTMLElement>('.overflow-guard');
    if (!guard || editor.offsetParent === null) continue;
    const minimap = editor.querySelector<HTMLElement>('.minimap');
    const edge = guard.getBoundingClientRect().right - (minimap?.offsetWidth ?? 0);
    for (const line of editor.querySelectorAll<HTMLElement>('.view-line > span')) {
      if (line.getBoundingClientRect().right > edge + 1) out.push(`editor line "${line.textContent?.slice(0, 60)}…" runs past the editor's right edge`);
    }
  }
  return out;
}
