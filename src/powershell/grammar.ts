// The PowerShell grammar: web-tree-sitter with tree-sitter-powershell's WebAssembly build, loaded once. Both .wasm
// files sit next to the running bundle (scripts/build.js copies them into dist/) or, when run from source, in
// node_modules.
//
// One gap of the grammar is recovered here, inside the tree: bare-word comma lists in argument mode
// (`-Type Default, WebServicesInternal`, `fl Thumbprint, Use`). The grammar reads `Default,WebServicesInternal`
// (no space after the comma) as two generic tokens, the second starting with ',', which the evaluator joins; but a
// comma followed by white space turns into an ERROR node that can swallow the next line. recoverCommaLists finds
// such commas (the ',' tokens under ERROR nodes that follow an argument), moves each one to just before the next
// word ("a, b" -> "a ,b": same length, so every position in messages stays right) and the text is parsed again.
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as path from 'node:path';
import type { Edit, Node, Parser, Tree, TreeCursor } from 'web-tree-sitter';

export type { Node, Tree } from 'web-tree-sitter';

const WASM_FILES = { runtime: 'web-tree-sitter.wasm', grammar: 'tree-sitter-powershell.wasm' } as const;

function locate(file: string, pkg: string): string {
  const beside = path.join(__dirname, file);
  if (fs.existsSync(beside)) return beside;
  try {
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
  } catch {
    return path.join(path.dirname(require.resolve(pkg)), file);
  }
}

let loading: Promise<Parser> | undefined;
let EditClass: typeof Edit | undefined;

/** A tree edit for `tree.edit` (incremental re-parse); only after loadParser() resolved, which made the tree. */
export function treeEdit(fields: ConstructorParameters<typeof Edit>[0]): Edit {
  if (!EditClass) throw new Error('treeEdit before the grammar was loaded');
  return new EditClass(fields);
}

/** The parser, loaded once per process. */
export function loadParser(): Promise<Parser> {
  loading ??= (async () => {
    // V8 otherwise optimises the 1 MB grammar with TurboFan once it is hot, which stalls the process for seconds
    // (measured: `sfb-cert shell` 0.6 s with the baseline compiler only, over 7 s without). Liftoff code parses a
    // line in well under a millisecond. The flag applies to WebAssembly compiled from now on in this process.
    v8.setFlagsFromString('--liftoff-only');
    // Loaded here, on first use (the first Management Shell line, or a .ps1 feature), not with the extension: in the
    // production build it is a file of its own next to the bundle (scripts/build.js).
    const { Edit, Language, Parser } = await import('web-tree-sitter');
    EditClass = Edit;
    const runtime = locate(WASM_FILES.runtime, 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(fs.readFileSync(locate(WASM_FILES.grammar, 'tree-sitter-powershell')));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}

export interface ParsedScript {
  /** The text the tree was built from: the input with comma lists recovered (same length, same line breaks kept where they matter). */
  text: string;
  tree: Tree;
}

/** The grammar takes long on a few unfinished inputs (an open '(' at the very start: ~1 s); parsing gives up after this. */
const PARSE_LIMIT_MS = 2000;

function parseOnce(parser: Parser, text: string): Tree | undefined {
  const started = Date.now();
  return parser.parse(text, null, { progressCallback: () => Date.now() - started > PARSE_LIMIT_MS }) ?? undefined;
}

/** Parses `text`, recovering bare-word comma lists; undefined when the parser gave up. The caller deletes `tree`. */
export function parseScript(parser: Parser, text: string): ParsedScript | undefined {
  let current = text;
  let tree = parseOnce(parser, current);
  for (let round = 0; tree && round < 8 && tree.rootNode.hasError; round++) {
    const recovered = recoverCommaLists(current, tree.rootNode);
    if (recovered === current) break;
    tree.delete();
    current = recovered;
    tree = parseOnce(parser, current);
  }
  return tree && { text: current, tree };
}

/** A same-length rewrite of part of a script (bare-word comma-list recovery). */
export interface SameLengthEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * "a, b" -> "a ,b" and "a , b" -> "a  ,b" for every ',' under an ERROR node that follows an argument on its line and
 * is followed by white space: PowerShell's argument mode makes the neighbouring arguments one array (about_Parsing),
 * with or without spaces around the comma. A comma at the end of a line continues the list on the next line, so line
 * breaks between it and the next word become spaces. Not a list: a comma first on its line, after '(', '|', ';', '{',
 * '=' or another comma, after a parameter name (`-InputObject , a` is PowerShell's unary comma), and, with blanks
 * before it, after anything but a bare-word argument (the grammar reads `1 , 2` itself; `fl , Use` follows a name). Only subtrees with
 * an error are visited. The edits are in order and do not overlap.
 */
export function commaListEdits(text: string, root: Node): SameLengthEdit[] {
  const commas: number[] = [];
  const visit = (node: Node, inError: boolean) => {
    const error = inError || node.type === 'ERROR';
    if (!error && !node.hasError) return;
    // A ',' token's extent may include the blanks before it (" ,"): the comma is its last character.
    if (error && node.type === ',' && text[node.endIndex - 1] === ',') commas.push(node.endIndex - 1);
    for (const child of node.children) if (child) visit(child, error);
  };
  visit(root, false);
  // Positions from web-tree-sitter are UTF-16 offsets, like JavaScript string indexes.
  const edits: SameLengthEdit[] = [];
  let done = 0;
  for (const at of commas) {
    if (!/\s/.test(text[at + 1] ?? '') || at < done) continue;
    let start = at;
    while (start > done && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    if (!/[^\s,(|;{=]/.test(text[start - 1] ?? '')) continue;
    let word = start;
    while (word > 0 && !/\s/.test(text[word - 1])) word--;
    if (/^-[\p{L}_]/u.test(text.slice(word, start))) continue;
    // With blanks before the comma: only after a bare word (a number, variable or string before " , " the grammar
    // reads as an array itself), and one that is an argument, not the command's name ("fl , Use").
    if (start < at) {
      if (!/^[\p{L}_][\p{L}\p{N}_.-]*$/u.test(text.slice(word, start))) continue;
      let lead = word;
      while (lead > 0 && (text[lead - 1] === ' ' || text[lead - 1] === '\t')) lead--;
      if (lead === 0 || /[\r\n|;({=&]/.test(text[lead - 1])) continue;
    }
    let next = at + 1;
    while (next < text.length && /\s/.test(text[next])) next++;
    // Nor before a parameter name (`Default, -Roll`) or the end of the command.
    if (next >= text.length || /[|;)}]/.test(text[next]) || /^-[\p{L}_]/u.test(text.slice(next, next + 2))) continue;
    edits.push({ start, end: next, text: `${text.slice(start, at)}${text.slice(at + 1, next).replace(/[\r\n]/g, ' ')},` });
    done = next;
  }
  return edits;
}

/** `text` with its bare-word comma lists recovered (commaListEdits applied). */
export function recoverCommaLists(text: string, root: Node): string {
  return applySameLength(text, commaListEdits(text, root));
}

/** `text` with same-length edits (in order, not overlapping) applied. */
export function applySameLength(text: string, edits: readonly SameLengthEdit[]): string {
  if (!edits.length) return text;
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Named children, without the null entries web-tree-sitter may return. */
export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

/**
 * Calls `each` with a cursor on every top-level statement of `tree` (the named children of the root and of its
 * statement_list, as `namedChildren` lists them), without making a Node for each: a 2,000-line script is walked on every
 * keystroke. `each` reads the cursor (startIndex, endIndex, currentNode) and must not move it.
 */
export function forEachStatement(tree: Tree, each: (cursor: TreeCursor) => void): void {
  const c = tree.walk();
  try {
    if (!c.gotoFirstChild()) return;
    do {
      if (!c.nodeIsNamed) continue;
      if (c.nodeType !== 'statement_list') each(c);
      else if (c.gotoFirstChild()) {
        do if (c.nodeIsNamed) each(c); while (c.gotoNextSibling());
        c.gotoParent();
      }
    } while (c.gotoNextSibling());
  } finally {
    c.delete();
  }
}

export function children(node: Node): Node[] {
  return node.children.filter((c): c is Node => c !== null);
}

/**
 * The first ERROR or MISSING node under `node`, depth first. A missing argument separator before a ',word' token is
 * not one: that is the grammar's reading of `a,b`, which the interpreter joins into an array.
 */
export function firstError(node: Node): Node | undefined {
  if (node.isMissing && node.parent?.type === 'command_argument_sep') return undefined;
  if (node.type === 'ERROR' || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of children(node)) {
    const found = firstError(child);
    if (found) return found;
  }
  return undefined;
}

/** Whether `text` stops inside an unfinished construct: an open bracket or string, a trailing | or , or a backtick. */
export function isIncompleteText(parser: Parser, text: string): boolean {
  if (/`\r?\n?$/.test(text)) return true;
  const tree = parseOnce(parser, text);
  if (!tree) return false;
  try {
    const root = tree.rootNode;
    let balance = 0;
    let last: Node | undefined;
    let openString = false;
    const visit = (node: Node) => {
      if (node.childCount === 0) {
        if (node.type === 'comment') return;
        if (['{', '(', '@(', '$(', '@{', '['].includes(node.type)) balance++;
        if (['}', ')', ']'].includes(node.type) && !node.isMissing) balance--;
        if (node.type === 'ERROR' || node.parent?.type === 'ERROR') {
          const t = node.text;
          if (/^(@?["\u201C\u201D]|@?')/.test(t) && !/^@?(["\u201C\u201D]).*\1$|^@?'.*'$/s.test(t.trimEnd())) openString = true;
        }
        if (!node.isMissing && node.text.trim()) last = node;
        return;
      }
      for (const child of children(node)) visit(child);
    };
    visit(root);
    if (!root.hasError) return false;
    return balance > 0 || openString || last?.type === '|' || last?.type === ',' || (last?.text.endsWith(',') ?? false);
  } finally {
    tree.delete();
  }
}
