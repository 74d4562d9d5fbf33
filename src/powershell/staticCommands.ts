// Commands as written, without running anything: each `command` node of a syntax tree with its name and its
// arguments (parameters and values, with their extents), and the values that are literal text. The plan export reads
// the recorded lines with it, and the script checker (lint.ts) judges every SfB cmdlet call from it. Which parameter
// a written name means is the binding's rule over the shell's one cmdlet table (resolveParameter, findCommand).
import { children, namedChildren, type Node } from './grammar';
import { unescape } from './interpreter';

/** A value as written: literal text (a bare word, a quoted string without variables, a number, a comma list of those), or something only running it tells. */
export type StaticValue =
  | { kind: 'literal'; items: string[]; quoted: boolean; start: number; end: number }
  | { kind: 'dynamic'; text: string; variable?: string; start: number; end: number };

export type StaticArg =
  | { kind: 'parameter'; name: string; text: string; start: number; end: number; colonValue?: StaticValue }
  | { kind: 'value'; value: StaticValue; text: string; start: number; end: number };

export interface StaticCommand {
  name: string;
  nameStart: number;
  nameEnd: number;
  start: number;
  end: number;
  args: StaticArg[];
}

const TRANSPARENT = new Set(['array_literal_expression', 'unary_expression', 'string_literal', 'logical_expression', 'bitwise_expression', 'comparison_expression', 'additive_expression', 'multiplicative_expression', 'format_expression', 'range_expression']);

/** Strips the expression wrappers the grammar puts around a single value. */
function core(node: Node): Node {
  let n = node;
  while (TRANSPARENT.has(n.type) && namedChildren(n).length === 1 && children(n).length === 1) n = namedChildren(n)[0];
  return n;
}

function literalText(node: Node): { text: string; quoted: boolean } | undefined {
  const n = core(node);
  switch (n.type) {
    case 'generic_token': return { text: unescape(n.text, false), quoted: false };
    case 'verbatim_string_characters': return { text: n.text.slice(1, -1).replace(/''/g, "'"), quoted: true };
    case 'expandable_string_literal':
      if (namedChildren(n).length) return undefined;
      return { text: unescape(n.text.slice(1, -1), true), quoted: true };
    case 'integer_literal': case 'real_literal': return { text: n.text, quoted: false };
    default: return undefined;
  }
}

/** The static value of one command element (a comma list of literals is one literal with several items). */
export function staticValue(node: Node): StaticValue {
  const n = core(node);
  const at = { start: node.startIndex, end: node.endIndex };
  if (n.type === 'array_literal_expression') {
    const items: string[] = [];
    let quoted = false;
    for (const part of children(n)) {
      if (part.type === ',') continue;
      const lit = literalText(part);
      if (!lit) return { kind: 'dynamic', text: node.text, ...at };
      items.push(lit.text);
      quoted ||= lit.quoted;
    }
    return { kind: 'literal', items, quoted, ...at };
  }
  const lit = literalText(n);
  if (lit) {
    const items = n.type === 'generic_token' ? lit.text.split(',').filter((s, i) => s !== '' || i > 0) : [lit.text];
    return { kind: 'literal', items, quoted: lit.quoted, ...at };
  }
  return { kind: 'dynamic', text: node.text, variable: n.type === 'variable' ? n.text : undefined, ...at };
}

/** The arguments of a `command` node, as written. */
export function staticArguments(command: Node): StaticArg[] {
  const elements = namedChildren(command).find((c) => c.type === 'command_elements');
  const args: StaticArg[] = [];
  let colon = false;
  for (const el of elements ? children(elements) : []) {
    if (el.type === 'command_argument_sep') {
      if (el.text.includes(':')) colon = true;
      continue;
    }
    if (el.type === 'comment') continue;
    if (el.type === 'command_parameter') {
      args.push({ kind: 'parameter', name: el.text.slice(1).replace(/:$/, ''), text: el.text, start: el.startIndex, end: el.endIndex });
      colon = el.text.endsWith(':');
      continue;
    }
    const value = staticValue(el);
    const previous = args[args.length - 1];
    if (colon && previous?.kind === 'parameter' && !previous.colonValue) {
      previous.colonValue = value;
      previous.end = el.endIndex;
      colon = false;
      continue;
    }
    colon = false;
    // `a,b` reads as `a` then `,b`: one list, as PowerShell's argument mode makes it.
    if (el.type === 'generic_token' && el.text.startsWith(',') && previous?.kind === 'value') {
      const joined = value.kind === 'literal' && previous.value.kind === 'literal'
        ? { kind: 'literal' as const, items: [...previous.value.items, ...value.items.filter(Boolean)], quoted: previous.value.quoted, start: previous.start, end: el.endIndex }
        : { kind: 'dynamic' as const, text: `${previous.text}${el.text}`, start: previous.start, end: el.endIndex };
      previous.value = joined;
      previous.end = el.endIndex;
      previous.text = `${previous.text}${el.text}`;
      continue;
    }
    args.push({ kind: 'value', value, text: el.text, start: el.startIndex, end: el.endIndex });
  }
  return args;
}

/** Every command in the tree, in source order (also those inside script blocks, conditions and sub-expressions). */
export function staticCommands(root: Node): StaticCommand[] {
  const out: StaticCommand[] = [];
  const visit = (node: Node) => {
    if (node.type === 'command') {
      const nameNode = namedChildren(node).find((c) => c.type === 'command_name');
      if (nameNode) out.push({ name: unescape(nameNode.text, false), nameStart: nameNode.startIndex, nameEnd: nameNode.endIndex, start: node.startIndex, end: node.endIndex, args: staticArguments(node) });
    }
    for (const child of namedChildren(node)) visit(child);
  };
  visit(root);
  return out;
}
