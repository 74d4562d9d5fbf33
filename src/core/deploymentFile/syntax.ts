// From the bytes of sfb-deployment.json to a parsed JSON document, refusing what JSON.parse would let through silently:
// invalid UTF-8 (it would load as U+FFFD and be written back), duplicate keys (JSON.parse keeps the last one and drops
// the first), and saying where a syntax error is (JSON.parse gives at most an offset). Positions come from jsonc-parser;
// JSON.parse does the parsing itself (it is iterative, so any nesting depth is safe there), and jsonc-parser, which
// recurses, only ever sees text whose nesting was first measured with its (iterative) scanner.
import { isAscii, isUtf8 } from 'node:buffer';
import { createScanner, findNodeAtLocation, parseTree, ParseErrorCode, SyntaxKind, visit, type JSONPath } from 'jsonc-parser';
import { formatPath, type DeploymentFileProblem, type Segment } from './problems';

/** How a message names the kind of file being read (the deployment file, or an inventory). */
export interface JsonWording {
  /** "deployment file" */
  file: string;
  /** "deployment object" */
  root: string;
  /** How deep a sound file nests, for the nesting message: "a deployment file needs fewer than 10". */
  depth: string;
  /** What to do with a damaged file: "restore it from the .bak copy next to it". */
  restore: string;
}

export const DEPLOYMENT_WORDING: JsonWording = {
  file: 'deployment file', root: 'deployment object', depth: 'a deployment file needs fewer than 10', restore: 'restore it from the .bak copy next to it',
};

/** Deeper nesting than this is refused before jsonc-parser (which recurses) reads the text; a sound file nests 7 levels. */
export const MAX_NESTING = 64;

export type TextResult = { ok: true; text: string } | { ok: false; problem: DeploymentFileProblem };

/** Decodes the file's bytes as UTF-8, refusing invalid sequences (with the position of the first one). */
export function decodeUtf8(bytes: Uint8Array): TextResult {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Nearly always pure ASCII; then latin1 decodes to the same text, and faster.
  if (isAscii(buffer)) return { ok: true, text: buffer.toString('latin1') };
  if (isUtf8(buffer)) return { ok: true, text: buffer.toString('utf8') };
  const at = firstInvalidUtf8(buffer);
  const before = buffer.subarray(0, at).toString('utf8');
  const { line, column } = lineAndColumn(before, before.length);
  return {
    ok: false,
    problem: {
      path: '', line, column,
      message: `line ${line}, column ${column}: the file is not valid UTF-8 (byte 0x${buffer[at].toString(16).toUpperCase().padStart(2, '0')} at offset ${at}). ` +
        'It was probably saved in another encoding (such as Windows-1252): save it as UTF-8 and reload. SfB Certificates does not load it, so no character is replaced and written back.',
    },
  };
}

/** The offset of the first byte that is not part of a valid UTF-8 sequence (the prefix before it re-encodes to itself). */
function firstInvalidUtf8(b: Buffer): number {
  const decoded = b.toString('utf8');
  for (let k = decoded.indexOf('\uFFFD'); k >= 0; k = decoded.indexOf('\uFFFD', k + 1)) {
    const at = Buffer.byteLength(decoded.slice(0, k), 'utf8');
    if (!(b[at] === 0xef && b[at + 1] === 0xbf && b[at + 2] === 0xbd)) return at; // a real U+FFFD in the file is fine
  }
  return 0;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Where the text first nests deeper than MAX_NESTING, or -1. Iterative (jsonc-parser's scanner). */
export function tooDeepAt(text: string): number {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_NESTING) return scanner.getTokenOffset();
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) depth--;
  }
  return -1;
}

function tooDeep(text: string, offset: number, wording: JsonWording): DeploymentFileProblem {
  const { line, column } = lineAndColumn(text, offset);
  return {
    path: '', line, column,
    message: `line ${line}, column ${column}: lists and objects are nested more than ${MAX_NESTING} levels deep (${wording.depth}). ` +
      `The file is damaged or not ${/^[aeiou]/i.test(wording.file) ? 'an' : 'a'} ${wording.file}: ${wording.restore}.`,
  };
}

/**
 * Visits the text with jsonc-parser, keeping the JSON path of the value being read (a list index or property name is
 * on the path only while its value is read, so a problem between two members names the container).
 */
function walkText(text: string, on: {
  error?: (code: ParseErrorCode, offset: number, at: Segment[], expectingKey: boolean) => boolean;
  property?: (name: string, offset: number, at: Segment[], seen: Map<string, number>) => boolean;
}): void {
  interface Frame { array: boolean; index: number; key: Segment | undefined; seen: Map<string, number> }
  const frames: Frame[] = [];
  let stopped = false;
  // jsonc-parser ends a container before it reports the missing "]" or "}" of it: such an error belongs where it ended.
  let endedAt: Segment[] = [];
  const path = (): Segment[] => {
    const out: Segment[] = [];
    for (const f of frames) if (f.key !== undefined) out.push(f.key);
    return out;
  };
  const valueDone = (): void => {
    const top = frames.at(-1);
    if (top) top.key = undefined;
  };
  visit(text, {
    onObjectBegin: () => { frames.push({ array: false, index: 0, key: undefined, seen: new Map() }); },
    onObjectEnd: () => { endedAt = path(); frames.pop(); valueDone(); },
    onArrayBegin: () => { frames.push({ array: true, index: 0, key: 0, seen: new Map() }); },
    onArrayEnd: () => { endedAt = path(); frames.pop(); valueDone(); },
    onLiteralValue: valueDone,
    onSeparator: (sep) => {
      const top = frames.at(-1);
      if (sep === ',' && top?.array) top.key = ++top.index;
    },
    onObjectProperty: (name, offset) => {
      const top = frames.at(-1)!;
      if (!stopped && on.property?.(name, offset, path(), top.seen)) stopped = true;
      top.key = name;
    },
    onError: (code, offset) => {
      const top = frames.at(-1);
      const unclosed = code === ParseErrorCode.CloseBracketExpected || code === ParseErrorCode.CloseBraceExpected;
      if (!stopped && on.error?.(code, offset, unclosed ? endedAt : path(), top !== undefined && !top.array && top.key === undefined)) stopped = true;
    },
  }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
}

/** Why JSON.parse refused the text, where, and at which JSON path. */
export function syntaxProblem(text: string, parserMessage: string, wording: JsonWording = DEPLOYMENT_WORDING): DeploymentFileProblem {
  if (!text.trim()) {
    return { path: '', line: 1, column: 1, message: wording === DEPLOYMENT_WORDING ? 'The file is empty. Restore it from the .bak copy next to it, or delete it and create the deployment again.' : `The file is empty, so it is not ${/^[aeiou]/i.test(wording.file) ? 'an' : 'a'} ${wording.file}: ${wording.restore}.` };
  }
  const deep = tooDeepAt(text);
  if (deep >= 0) return tooDeep(text, deep, wording);
  let found: DeploymentFileProblem | undefined;
  walkText(text, {
    error: (code, offset, at, expectingKey) => {
      const { line, column } = lineAndColumn(text, offset);
      found = { path: formatPath(at), line, column, message: `not valid JSON at line ${line}, column ${column}: ${explain(text, code, offset, expectingKey, wording)}.` };
      return true;
    },
  });
  return found ?? { path: '', message: `The file is not valid JSON (${parserMessage}).` };
}

function explain(text: string, code: ParseErrorCode, offset: number, expectingKey: boolean, wording: JsonWording): string {
  const word = /[A-Za-z_$][\w$]*/y;
  word.lastIndex = offset;
  const bare = word.exec(text)?.[0];
  const atEnd = offset >= text.length;
  switch (code) {
    case ParseErrorCode.InvalidCommentToken:
    case ParseErrorCode.UnexpectedEndOfComment:
      return `comments are not allowed in the ${wording.file}`;
    case ParseErrorCode.PropertyNameExpected:
      return text[offset] === '}' ? 'expected a property name (JSON allows no comma after the last property)' : 'expected a property name in double quotes';
    case ParseErrorCode.InvalidSymbol:
      if (expectingKey) return 'expected a property name in double quotes';
      if (text[offset] === "'") return 'strings need double quotes ("), not single quotes';
      if (bare) return `unexpected word "${bare}": text needs double quotes ("${bare}"), and the only bare words are true, false and null`;
      return `unexpected character ${JSON.stringify(text[offset])}`;
    case ParseErrorCode.ValueExpected:
      if (atEnd) return 'the file ends too early: an object or list is not closed';
      return text[offset] === ']' || text[offset] === '}' ? 'expected a value (JSON allows no comma after the last item)' : 'expected a value';
    case ParseErrorCode.ColonExpected: return 'expected ":" after the property name';
    case ParseErrorCode.CommaExpected: return atEnd ? 'the file ends too early: an object or list is not closed' : 'expected "," between two members';
    case ParseErrorCode.CloseBraceExpected: return atEnd ? 'the file ends before "}"' : 'expected "," or "}"';
    case ParseErrorCode.CloseBracketExpected: return atEnd ? 'the file ends before "]"' : 'expected "," or "]"';
    case ParseErrorCode.EndOfFileExpected: return `unexpected text after the end of the ${wording.root}`;
    case ParseErrorCode.UnexpectedEndOfString: return 'a string is not closed with " before the end of the line';
    case ParseErrorCode.InvalidEscapeCharacter:
    case ParseErrorCode.InvalidUnicode: return 'invalid escape sequence in a string (write a backslash as \\\\)';
    case ParseErrorCode.InvalidCharacter: return 'a control character (such as a tab) inside a string must be escaped as \\t, \\n, …';
    case ParseErrorCode.InvalidNumberFormat:
    case ParseErrorCode.UnexpectedEndOfNumber: return 'malformed number';
    default: return 'not JSON';
  }
}

/**
 * The number of property names in JSON text that JSON.parse accepted. Exact for valid JSON: outside strings every
 * quote opens one, and a string followed by ":" is a property name. Compared with the keys the parsed objects hold,
 * it shows a duplicate key (which JSON.parse drops silently) without a second parse.
 */
export function countPropertyNames(text: string): number {
  let count = 0;
  let i = text.indexOf('"');
  while (i >= 0) {
    let end = text.indexOf('"', i + 1);
    while (end > 0 && text.charCodeAt(end - 1) === 92 && escapedQuote(text, end)) end = text.indexOf('"', end + 1);
    if (end < 0) break;
    let next = end + 1;
    let c = text.charCodeAt(next);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++next);
    if (c === 58) {
      count++;
      i = text.indexOf('"', next + 1);
    } else i = text.indexOf('"', next);
  }
  return count;
}

/** The quote at `at` follows an odd number of backslashes (so it is part of the string). */
function escapedQuote(text: string, at: number): boolean {
  let n = 0;
  while (text.charCodeAt(at - 1 - n) === 92) n++;
  return n % 2 === 1;
}

/** The first duplicate property name in (valid) JSON text, with its position and where the first one is. */
export function duplicateKey(text: string, wording: JsonWording = DEPLOYMENT_WORDING): DeploymentFileProblem | undefined {
  const deep = tooDeepAt(text);
  if (deep >= 0) return tooDeep(text, deep, wording);
  let found: DeploymentFileProblem | undefined;
  walkText(text, {
    property: (name, offset, at, seen) => {
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, offset);
        return false;
      }
      const { line, column } = lineAndColumn(text, offset);
      const was = lineAndColumn(text, first);
      found = {
        path: formatPath([...at, name]), line, column,
        message: `line ${line}, column ${column}: "${name}" appears twice in the same object (first at line ${was.line}, column ${was.column}). ` +
          'JSON keeps only the last one, so the first value would be lost without a word: SfB Certificates refuses the file instead. Remove or merge one of them.',
      };
      return true;
    },
  });
  return found;
}

/** The offset of the value at a JSON path (to place a problem found in the parsed document), if the text is sound. */
export function offsetOf(text: string, at: JSONPath): number | undefined {
  if (tooDeepAt(text) >= 0) return undefined;
  const root = parseTree(text, undefined, { disallowComments: true });
  return root && findNodeAtLocation(root, at)?.offset;
}
