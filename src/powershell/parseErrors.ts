// What the grammar could not read, in words: the ERROR and MISSING nodes of a tree-sitter tree as PowerShell's own
// parse errors name them (a missing closing bracket, an unterminated string, an unexpected token), with where the
// grammar expected what. The Management Shell writes the first one as a ParseException record (index.ts); the
// script checker (lint.ts) reports each one as an Error diagnostic. No 'vscode' here.
//
// tree-sitter does not tell which tokens it expected at an ERROR (its parse state there is the start state), so the
// "expected" part comes from the tokens inside the error: a bracket opened and never closed, a closing bracket
// nothing opened, a string with no terminator, a pipe with no command after it.
import { children, type Node } from './grammar';

const GRAMMAR_NOTE = 'SfB Certificates reads PowerShell with the tree-sitter-powershell grammar: if this is valid PowerShell, it is a form that grammar cannot read yet; write it another way.';

const CLOSER: Record<string, string> = { '(': ')', '@(': ')', '$(': ')', '{': '}', '@{': '}', '[': ']' };
const MISSING: Record<string, [string, string]> = {
  '}': ["Missing closing '}' in statement block or type definition.", 'MissingEndCurlyBrace'],
  ')': ["Missing closing ')' in expression.", 'MissingEndParenthesisInExpression'],
  ']': ["Missing ']' after array index expression.", 'MissingEndSquareBracket'],
};

export interface ParseProblem {
  message: string;
  errorId: string;
  /** Where to point (UTF-16 offsets into the script). */
  start: number;
  end: number;
}

/** The first line of a token, for messages. */
function tokenText(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex).trim().split(/\r?\n/)[0];
}

/** PowerShell's wording for one ERROR or MISSING node (the shell's ParseException record); `text`: what was parsed. */
export function parseErrorMessage(node: Node, text: string): { message: string; errorId: string } {
  if (node.isMissing) {
    const [message, errorId] = MISSING[node.type] ?? [`Missing '${node.type}'.`, 'MissingToken'];
    return { message: `${message} ${GRAMMAR_NOTE}`, errorId };
  }
  const token = tokenText(text, node);
  if (/^["\u201C\u201D]/.test(token)) return { message: `The string is missing the terminator: ". ${GRAMMAR_NOTE}`, errorId: 'TerminatorExpectedAtEndOfString' };
  if (/^'/.test(token)) return { message: `The string is missing the terminator: '. ${GRAMMAR_NOTE}`, errorId: 'TerminatorExpectedAtEndOfString' };
  return { message: `Unexpected token '${token}' in expression or statement. ${GRAMMAR_NOTE}`, errorId: 'UnexpectedToken' };
}

/** Line and column (1-based) of an offset, for "opened at line 3, column 7". */
function where(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - (before.lastIndexOf('\n') + 1) + 1}`;
}

function leaves(node: Node): Node[] {
  if (node.childCount === 0) return [node];
  return children(node).flatMap(leaves);
}

/** Where a string opened inside start..end is never closed (quotes, backtick escapes and doubled quotes as PowerShell reads them). */
function unterminatedString(text: string, start: number, end: number): { at: number; quote: string } | undefined {
  let open: { at: number; quote: string } | undefined;
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (open) {
      if (open.quote === '"' && ch === '`') i++;
      else if ((open.quote === "'" && ch === "'") || (open.quote === '"' && /["\u201C\u201D]/.test(ch))) {
        if (text[i + 1] === ch) i++;
        else open = undefined;
      }
    } else if (ch === '#') {
      while (i < end && text[i] !== '\n') i++;
    } else if (ch === '`') {
      i++;
    } else if (ch === "'" || /["\u201C\u201D]/.test(ch)) {
      open = { at: i, quote: ch === "'" ? "'" : '"' };
    }
  }
  return open;
}

/** One ERROR node explained: what is wrong, what the grammar expected, and where. */
function explainError(node: Node, text: string): ParseProblem {
  const string = unterminatedString(text, node.startIndex, node.endIndex);
  if (string) {
    return { message: `The string starting at ${where(text, string.at)} is missing the terminator: ${string.quote}. Close it with ${string.quote}. ${GRAMMAR_NOTE}`, errorId: 'TerminatorExpectedAtEndOfString', start: string.at, end: string.at + 1 };
  }
  const stack: Node[] = [];
  for (const leaf of leaves(node)) {
    if (leaf.type === 'comment') continue;
    if (leaf.type in CLOSER) stack.push(leaf);
    else if ([')', '}', ']'].includes(leaf.type) && !leaf.isMissing) {
      const open = stack.pop();
      if (!open) return { message: `Unexpected '${leaf.type}': no opening bracket before it is left open. Remove it, or add the opening bracket it closes. ${GRAMMAR_NOTE}`, errorId: 'UnexpectedToken', start: leaf.startIndex, end: leaf.endIndex };
      if (CLOSER[open.type] !== leaf.type) {
        return { message: `Unexpected '${leaf.type}': the grammar expected '${CLOSER[open.type]}' to close the '${open.type}' at ${where(text, open.startIndex)}. ${GRAMMAR_NOTE}`, errorId: 'UnexpectedToken', start: leaf.startIndex, end: leaf.endIndex };
      }
    }
  }
  const open = stack.pop();
  if (open) {
    const closer = CLOSER[open.type];
    const [what, errorId] = closer === '}' ? ['statement block', 'MissingEndCurlyBrace'] : closer === ')' ? ['expression', 'MissingEndParenthesisInExpression'] : ['index expression', 'MissingEndSquareBracket'];
    return { message: `Missing closing '${closer}' in ${what}: the '${open.type}' at ${where(text, open.startIndex)} is never closed. Add '${closer}' where the ${what} ends. ${GRAMMAR_NOTE}`, errorId, start: open.startIndex, end: open.endIndex };
  }
  const first = leaves(node).find((l) => l.type !== 'comment' && text.slice(l.startIndex, l.endIndex).trim()) ?? node;
  const token = tokenText(text, first);
  if (token === '|') return { message: `An empty pipe element is not allowed: the grammar expected a command after the '|' at ${where(text, first.startIndex)}. Write the command, or remove the '|'. ${GRAMMAR_NOTE}`, errorId: 'EmptyPipeElement', start: first.startIndex, end: first.endIndex };
  return { message: `Unexpected token '${token}' at ${where(text, first.startIndex)}: the grammar expected the end of the statement or another argument. Check the brackets, quotes and operators before it. ${GRAMMAR_NOTE}`, errorId: 'UnexpectedToken', start: first.startIndex, end: Math.max(first.endIndex, first.startIndex + 1) };
}

/**
 * Every ERROR and MISSING node of the tree (outermost only), explained. A missing argument separator before a
 * ',word' token is none: that is the grammar's reading of `a,b`, which the interpreter joins into an array.
 */
export function parseProblems(root: Node, text: string): ParseProblem[] {
  const out: ParseProblem[] = [];
  const visit = (node: Node) => {
    if (node.isMissing) {
      if (node.parent?.type === 'command_argument_sep') return;
      const [message, errorId] = MISSING[node.type] ?? [`Missing '${node.type}'.`, 'MissingToken'];
      out.push({ message: `${message} The grammar expected '${node.type}' at ${where(text, node.startIndex)}. ${GRAMMAR_NOTE}`, errorId, start: node.startIndex, end: node.startIndex + 1 });
      return;
    }
    if (node.type === 'ERROR') {
      out.push(explainError(node, text));
      return;
    }
    if (!node.hasError) return;
    for (const child of children(node)) visit(child);
  };
  visit(root);
  return out;
}
