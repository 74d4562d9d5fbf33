// Evaluates the syntax tree of one input against the shell's state: statements, pipelines, commands with their
// arguments, and the expression subset (variables, member access, indexing, strings with expansion, numbers,
// arrays, comparisons, -and/-or/-not, script blocks), and the flow a checked script needs: if/elseif/else, while
// with break, throw, and -ErrorAction Stop / $ErrorActionPreference = 'Stop' ending the input at an error (what the
// exported plan uses). Anything else is a clear error naming the construct.
import { bind, type Arg } from './binding';
import { findCommand } from './cmdlets';
import { BreakLoop, Cancelled, ScriptStopped, ShellError } from './errors';
import { formatDefault } from './format';
import { children, namedChildren, type Node } from './grammar';
import type { CmdletContext, ShellState, ShellWrite } from './runtime';
import { ScriptBlock, collapse, compare, enumerate, isTrue, parseComparison, property, toText, type PsValue } from './values';

/** Thrown when `exit` runs: ends the input. */
export class ExitRequest {}
/** Thrown when Read-Host is cancelled: ends the input quietly. */

const WRAPPERS = new Set([
  'logical_expression', 'bitwise_expression', 'comparison_expression', 'additive_expression', 'multiplicative_expression',
  'format_expression', 'range_expression', 'array_literal_expression', 'unary_expression', 'pipeline_chain', 'left_assignment_expression',
]);

const CONSTRUCTS: Record<string, string> = {
  switch_statement: 'switch statements', foreach_statement: 'foreach loops', for_statement: 'for loops',
  do_statement: 'do loops', function_statement: 'function definitions', trap_statement: 'trap statements',
  try_statement: 'try/catch', data_statement: 'data sections', class_statement: 'class definitions', enum_statement: 'enum definitions',
  hash_literal_expression: 'hash tables (@{…})', invokation_expression: 'method calls', cast_expression: 'type casts',
  type_literal: 'type literals', redirection: 'redirection', file_redirection_operator: 'redirection', merging_redirection_operator: 'redirection',
  pre_increment_expression: '++/--', post_increment_expression: '++/--', pre_decrement_expression: '++/--', post_decrement_expression: '++/--',
  param_block: 'param blocks', script_block_expression: 'script blocks here',
};

export const SUPPORTED_SUMMARY = 'It runs cmdlets with parameters, variables and assignment, member access, comparisons, if/else, while with break, throw, and pipelines into Format-List, Format-Table, Select-Object, Where-Object, ForEach-Object, Measure-Object and Out-String.';

export function unsupported(what: string, node: Node): ShellError {
  const text = node.text.split('\n')[0].trim();
  return new ShellError(`The SfB Management Shell of SfB Certificates does not support ${what} ('${text.length > 60 ? `${text.slice(0, 57)}...` : text}'). ${SUPPORTED_SUMMARY}`, {
    command: '', category: 'NotImplemented', reason: 'NotSupportedException', errorId: 'UnsupportedConstruct', start: node.startIndex, end: node.endIndex,
  });
}

const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Backtick escapes (`n, `t, `", `$, ``…) and, in double-quoted text, "" for a quote. */
export function unescape(text: string, doubleQuoted: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '`' && i + 1 < text.length) {
      const next = text[++i];
      if (next === '\r' && text[i + 1] === '\n') { i++; continue; } // line continuation
      if (next === '\n') continue;
      out += ESCAPES[next] ?? next;
    } else if (doubleQuoted && (ch === '"' || ch === '\u201C' || ch === '\u201D') && /["\u201C\u201D]/.test(text[i + 1] ?? '')) {
      out += ch;
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

export class Interpreter {
  constructor(
    private readonly state: ShellState,
    /** The text the tree was parsed from. */
    private readonly script: string,
    private readonly write: (w: ShellWrite) => void,
    private readonly signal?: AbortSignal,
  ) {}

  /** Runs statements one after the other; each one's output goes to Out-Default, its error record to `onError`; `after` runs after each one. */
  async runStatements(statements: readonly Node[], onError: (e: ShellError, node: Node) => void, after?: (statement: Node) => void | Promise<void>): Promise<void> {
    for (const statement of statements) {
      if (this.signal?.aborted) throw new Cancelled();
      try {
        const output = await this.statement(statement);
        if (output.length) {
          const text = formatDefault(output);
          if (text) this.write({ stream: 'output', text });
        }
      } catch (e) {
        if (!(e instanceof ShellError)) throw e;
        onError(e, statement);
        if (e.details.terminating || this.stopPreference()) throw new ScriptStopped();
      } finally {
        await after?.(statement);
      }
    }
  }

  /** $ErrorActionPreference = 'Stop': every error ends the input. */
  private stopPreference(): boolean {
    const value = this.state.variables.get('erroractionpreference');
    return value !== undefined && toText(value).toLowerCase() === 'stop';
  }

  /** The statements of a statement_block ({ … }), run in order; their output together. */
  private async block(node: Node | null): Promise<PsValue[]> {
    const list = node && namedChildren(node).find((c) => c.type === 'statement_list');
    const out: PsValue[] = [];
    for (const statement of list ? namedChildren(list) : []) out.push(...(await this.statement(statement)));
    return out;
  }

  private async condition(node: Node | null): Promise<boolean> {
    if (!node) return false;
    const inner = node.type === 'while_condition' ? namedChildren(node)[0] : node;
    return isTrue(collapse(inner.type === 'pipeline' ? await this.pipeline(inner) : enumerate(await this.expression(inner))));
  }

  private async ifStatement(node: Node): Promise<PsValue[]> {
    if (await this.condition(node.childForFieldName('condition'))) return this.block(namedChildren(node).find((c) => c.type === 'statement_block') ?? null);
    for (const clause of namedChildren(node).flatMap((c) => (c.type === 'elseif_clauses' ? namedChildren(c) : c.type === 'elseif_clause' ? [c] : []))) {
      if (await this.condition(clause.childForFieldName('condition'))) return this.block(namedChildren(clause).find((c) => c.type === 'statement_block') ?? null);
    }
    const otherwise = namedChildren(node).find((c) => c.type === 'else_clause');
    return otherwise ? this.block(namedChildren(otherwise).find((c) => c.type === 'statement_block') ?? null) : [];
  }

  private async whileStatement(node: Node): Promise<PsValue[]> {
    const out: PsValue[] = [];
    const body = namedChildren(node).find((c) => c.type === 'statement_block') ?? null;
    const condition = node.childForFieldName('condition') ?? namedChildren(node).find((c) => c.type === 'while_condition') ?? null;
    for (let round = 1; await this.condition(condition); round++) {
      // Let timers and key presses in now and then (Ctrl+C, a dry run's time limit): awaits alone never yield to them.
      if (round % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (this.signal?.aborted) throw new Cancelled();
      try {
        out.push(...(await this.block(body)));
      } catch (e) {
        if (e instanceof BreakLoop) break;
        throw e;
      }
    }
    return out;
  }

  /** throw "message": a terminating error carrying the message (RuntimeException, as PowerShell writes it). */
  private async throwStatement(node: Node): Promise<never> {
    const value = namedChildren(node).find((c) => c.type !== 'comment');
    const message = value ? toText(collapse(value.type === 'pipeline' ? await this.pipeline(value) : enumerate(await this.expression(value)))) : 'ScriptHalted';
    throw new ShellError(message, { command: '', category: 'OperationStopped', target: `(${message}:String)`, reason: 'RuntimeException', errorId: message, start: node.startIndex, end: node.endIndex, terminating: true });
  }

  /** One statement's output (before formatting). */
  async statement(node: Node): Promise<PsValue[]> {
    switch (node.type) {
      case 'comment': case 'empty_statement': return [];
      case 'pipeline': return this.pipeline(node);
      case 'if_statement': return this.ifStatement(node);
      case 'while_statement': return this.whileStatement(node);
      case 'flow_control_statement': {
        const keyword = children(node)[0]?.text.toLowerCase();
        const bare = namedChildren(node).filter((c) => c.type !== 'comment').length === 0;
        if (keyword === 'exit' && bare) throw new ExitRequest();
        if (keyword === 'throw') return this.throwStatement(node);
        if (keyword === 'break' && bare) throw new BreakLoop();
        throw unsupported(`'${keyword}'${keyword === 'exit' ? ' with a value' : ''}`, node);
      }
      default: throw unsupported(CONSTRUCTS[node.type] ?? `the construct '${node.type.replace(/_/g, ' ')}'`, node);
    }
  }

  async pipeline(node: Node): Promise<PsValue[]> {
    const parts = namedChildren(node).filter((c) => c.type !== 'comment');
    if (parts.length !== 1) throw unsupported('this pipeline form', node);
    const part = parts[0];
    if (part.type === 'assignment_expression') {
      await this.assignment(part);
      return [];
    }
    if (part.type !== 'pipeline_chain') return enumerate(await this.expression(part));
    const elements = namedChildren(part).filter((c) => c.type !== 'comment');
    if (children(part).some((c) => c.type === '&&' || c.type === '||')) throw unsupported('pipeline chains (&& and ||)', part);
    let items: PsValue[] = [];
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i];
      if (element.type === 'command') items = await this.command(element, items, i > 0);
      else if (i === 0) items = enumerate(await this.expression(element));
      else throw unsupported('an expression after a pipe (|)', element);
    }
    return items;
  }

  private async assignment(node: Node): Promise<void> {
    const [left, operator, right] = namedChildren(node).filter((c) => c.type !== 'comment');
    if (operator?.text !== '=') throw unsupported(`the assignment operator '${operator?.text}'`, operator ?? node);
    let target = left;
    while (WRAPPERS.has(target.type) && namedChildren(target).length === 1 && children(target).length === 1) target = namedChildren(target)[0];
    if (target.type !== 'variable') throw unsupported('assigning to anything but a variable', left);
    const value = right.type === 'pipeline' ? collapse(await this.pipeline(right)) : await this.expression(right);
    this.setVariable(target.text, value);
  }

  private variableName(text: string): { scope?: string; name: string } {
    const bare = text.replace(/^[$@]/, '').replace(/^\{(.*)\}$/, '$1');
    const colon = bare.indexOf(':');
    return colon > 0 ? { scope: bare.slice(0, colon).toLowerCase(), name: bare.slice(colon + 1) } : { name: bare };
  }

  private setVariable(text: string, value: PsValue): void {
    const { scope, name } = this.variableName(text);
    if (scope === 'env') this.state.variables.set(`env:${name.toLowerCase()}`, value === null ? null : toText(value));
    else this.state.variables.set(name.toLowerCase(), value);
  }

  getVariable(text: string): PsValue {
    if (text.startsWith('@')) throw new ShellError(`Splatting (${text}) is not supported by the SfB Management Shell of SfB Certificates. ${SUPPORTED_SUMMARY}`, { command: '', category: 'NotImplemented', reason: 'NotSupportedException', errorId: 'UnsupportedConstruct' });
    const { scope, name } = this.variableName(text);
    const lower = name.toLowerCase();
    if (scope === 'env') return this.state.variables.get(`env:${lower}`) ?? environment(this.state, lower);
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (lower === 'psitem') return this.state.variables.get('_') ?? null;
    if (lower === 'pwd') return this.state.location;
    return this.state.variables.get(lower) ?? null;
  }

  /** Evaluates the arguments of a command, then binds and runs it over the pipeline input. */
  private async command(node: Node, input: PsValue[], piped: boolean): Promise<PsValue[]> {
    const nameNode = namedChildren(node).find((c) => c.type === 'command_name');
    const first = children(node)[0];
    if (!nameNode || (first && first !== nameNode && first.type !== 'command_name')) throw unsupported('invoking a command through & or .', node);
    const name = unescape(nameNode.text, false);
    const impl = findCommand(name);
    if (!impl) {
      throw new ShellError(`The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`, {
        command: name, activity: '', category: 'ObjectNotFound', target: `(${name}:String)`, reason: 'CommandNotFoundException', errorId: 'CommandNotFoundException', start: nameNode.startIndex, end: nameNode.endIndex,
      });
    }
    const at = { start: node.startIndex, end: node.endIndex };
    try {
      const args = await this.arguments(namedChildren(node).find((c) => c.type === 'command_elements'));
      const run = async (bound: ReturnType<typeof bind>, items: PsValue[]) => {
        const ctx: CmdletContext = {
          state: this.state, spec: impl, bound, input: items,
          whatIf: bound.values.get('WhatIf') === true,
          invoke: (block, item) => this.invoke(block, item),
          write: this.write,
          get: (n) => bound.values.get(n),
          flag: (n) => bound.values.get(n) === true,
        };
        return impl.run(ctx);
      };
      if (impl.pipelineMode === 'each' && piped) {
        const out: PsValue[] = [];
        for (const item of input) out.push(...(await run(bind(impl, args, at, { value: item }), [item])));
        return out;
      }
      return await run(bind(impl, args, at), input);
    } catch (e) {
      if (e instanceof ShellError && e.details.start === undefined) {
        e.details.start = at.start;
        e.details.end = at.end;
      }
      if (e instanceof ShellError && errorActionStop(node)) e.details.terminating = true;
      throw e;
    }
  }

  private async arguments(elements: Node | undefined): Promise<Arg[]> {
    const args: Arg[] = [];
    let colon = false;
    for (const el of elements ? children(elements) : []) {
      switch (el.type) {
        case 'command_argument_sep':
          if (el.text.includes(':')) colon = true;
          continue;
        case 'comment':
          continue;
        case 'command_parameter': {
          const text = el.text;
          const trailingColon = text.endsWith(':');
          args.push({ kind: 'parameter', name: text.slice(1).replace(/:$/, ''), text, start: el.startIndex, end: el.endIndex, hasColonValue: false });
          colon = trailingColon;
          continue;
        }
        case 'ERROR':
          throw unsupported('this argument', el);
        default: {
          let value: PsValue;
          let joinWithPrevious = false;
          if (el.type === 'generic_token') {
            let text = el.text;
            if (text.startsWith(',')) {
              joinWithPrevious = true;
              text = text.slice(1);
            }
            value = text.split(',').length > 1 ? text.split(',').map((t) => unescape(t, false)) : unescape(text, false);
          } else {
            value = await this.expression(el);
          }
          const previous = args[args.length - 1];
          if (colon && previous?.kind === 'parameter' && !previous.hasColonValue) {
            previous.colonValue = value;
            previous.hasColonValue = true;
            previous.end = el.endIndex;
            colon = false;
            continue;
          }
          colon = false;
          if (joinWithPrevious && previous?.kind === 'value') {
            previous.value = [...enumerate(previous.value), ...enumerate(value)];
            previous.end = el.endIndex;
            previous.text = this.script.slice(previous.start, previous.end);
            continue;
          }
          args.push({ kind: 'value', value: joinWithPrevious ? enumerate(value) : value, text: el.text, start: el.startIndex, end: el.endIndex });
        }
      }
    }
    return args;
  }

  /** Runs a script block's statements with $_ bound to `item`. */
  async invoke(block: ScriptBlock, item: PsValue): Promise<PsValue[]> {
    const body = namedChildren(block.node).find((c) => c.type === 'script_block');
    const list = body && namedChildren(body).find((c) => c.type === 'script_block_body');
    const statements = list && namedChildren(list).find((c) => c.type === 'statement_list');
    if (body && namedChildren(body).some((c) => c.type === 'param_block' || c.type === 'named_block_list')) throw unsupported('param blocks and named blocks in script blocks', block.node);
    const saved = this.state.variables.get('_');
    this.state.variables.set('_', item);
    try {
      const out: PsValue[] = [];
      for (const statement of statements ? namedChildren(statements) : []) out.push(...(await this.statement(statement)));
      return out;
    } finally {
      if (saved === undefined) this.state.variables.delete('_');
      else this.state.variables.set('_', saved);
    }
  }

  async expression(node: Node): Promise<PsValue> {
    const parts = children(node).filter((c) => c.type !== 'comment');
    if (WRAPPERS.has(node.type)) {
      if (parts.length === 1) return this.expression(parts[0]);
      return this.operator(node, parts);
    }
    switch (node.type) {
      case 'variable': return this.getVariable(node.text);
      case 'member_access': {
        const [target, , member] = parts;
        const name = member && namedChildren(member)[0];
        if (!name || name.type !== 'simple_name' || parts[1]?.text !== '.') throw unsupported('this member access', node);
        return property(await this.expression(target), name.text);
      }
      case 'element_access': {
        const [target, , index] = parts;
        const value = await this.expression(target);
        const i = await this.expression(index);
        if (typeof i !== 'number') throw unsupported('indexing with anything but a number', index);
        const list = enumerate(value);
        return list[i < 0 ? list.length + i : i] ?? null;
      }
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? (inner.type === 'pipeline' ? collapse(await this.pipeline(inner)) : this.expression(inner)) : null;
      }
      case 'sub_expression': case 'array_expression': {
        const list = namedChildren(node).find((c) => c.type === 'statement_list');
        const out: PsValue[] = [];
        for (const statement of list ? namedChildren(list) : []) out.push(...(await this.statement(statement)));
        return node.type === 'array_expression' ? out : collapse(out);
      }
      case 'string_literal': return this.expression(namedChildren(node)[0]);
      case 'verbatim_string_characters': return node.text.slice(1, -1).replace(/''/g, "'");
      case 'verbatim_here_string_characters': return node.text.replace(/^@'\r?\n/, '').replace(/\r?\n'@$/, '');
      case 'expandable_string_literal': case 'expandable_here_string_literal': return this.expandable(node);
      case 'integer_literal': case 'real_literal': {
        const text = node.text.toLowerCase();
        const n = text.startsWith('0x') ? parseInt(text, 16) : Number(text.replace(/[dl]$/, ''));
        if (Number.isNaN(n)) throw unsupported('this number form', node);
        return n;
      }
      case 'decimal_integer_literal': case 'hexadecimal_integer_literal': return this.expression(node.parent!);
      case 'script_block_expression': return new ScriptBlock(node, node.text);
      case 'expression_with_unary_operator': return this.unary(node, parts);
      case 'generic_token': return unescape(node.text, false);
      default: throw unsupported(CONSTRUCTS[node.type] ?? `the expression '${node.type.replace(/_/g, ' ')}'`, node);
    }
  }

  private async expandable(node: Node): Promise<string> {
    const here = node.type === 'expandable_here_string_literal';
    const open = here ? node.text.match(/^@["\u201C\u201D]\r?\n/)?.[0].length ?? 2 : 1;
    const close = here ? node.text.match(/\r?\n["\u201C\u201D]@$/)?.[0].length ?? 2 : 1;
    let pos = node.startIndex + open;
    const end = node.endIndex - close;
    let out = '';
    for (const part of namedChildren(node)) {
      if (part.startIndex < pos) continue;
      out += unescape(this.script.slice(pos, part.startIndex), true);
      const value = part.type === 'variable' ? this.getVariable(part.text) : await this.expression(part);
      out += Array.isArray(value) ? value.map(toText).join(' ') : toText(value);
      pos = part.endIndex;
    }
    return out + unescape(this.script.slice(pos, Math.max(pos, end)), true);
  }

  private async unary(node: Node, parts: Node[]): Promise<PsValue> {
    const op = parts[0].text.toLowerCase();
    if (parts.length !== 2) throw unsupported(CONSTRUCTS[parts[0].type] ?? 'this unary expression', node);
    if (op === '-not' || op === '!') return !isTrue(await this.expression(parts[1]));
    if (op === ',') return [await this.expression(parts[1])];
    if (op === '-' || op === '+') {
      const v = await this.expression(parts[1]);
      if (typeof v !== 'number') throw unsupported(`unary ${op} on a non-number`, node);
      return op === '-' ? -v : v;
    }
    throw unsupported(CONSTRUCTS[parts[0].type] ?? `the operator '${parts[0].text}'`, node);
  }

  private async operator(node: Node, parts: Node[]): Promise<PsValue> {
    if (node.type === 'array_literal_expression') {
      const items: PsValue[] = [];
      for (const part of parts) if (part.type !== ',') items.push(await this.expression(part));
      return items;
    }
    if (parts.length !== 3) throw unsupported(`the expression '${node.type.replace(/_/g, ' ')}'`, node);
    const [l, opNode, r] = parts;
    const op = opNode.text.toLowerCase();
    if (node.type === 'logical_expression') {
      const left = isTrue(await this.expression(l));
      if (op === '-and') return left && isTrue(await this.expression(r));
      if (op === '-or') return left || isTrue(await this.expression(r));
      if (op === '-xor') return left !== isTrue(await this.expression(r));
    }
    if (node.type === 'comparison_expression') {
      const comparison = parseComparison(op);
      if (!comparison) throw unsupported(`the operator '${opNode.text}'`, opNode);
      return compare(await this.expression(l), comparison.op, await this.expression(r), comparison.caseSensitive);
    }
    if (node.type === 'additive_expression' && op === '+') {
      const left = await this.expression(l);
      const right = await this.expression(r);
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      if (typeof left === 'string') return left + toText(right);
      if (Array.isArray(left)) return [...left, ...enumerate(right)];
    }
    throw unsupported(`the operator '${opNode.text}' here`, opNode);
  }
}

/** Whether the command is written with -ErrorAction Stop (or -ea Stop, -ErrorAction:Stop). */
function errorActionStop(command: Node): boolean {
  const elements = namedChildren(command).find((c) => c.type === 'command_elements');
  const list = elements ? children(elements).filter((c) => c.type !== 'command_argument_sep' && c.type !== 'comment') : [];
  return list.some((el, i) => {
    if (el.type !== 'command_parameter') return false;
    const [name, inline] = el.text.slice(1).split(':');
    if (!/^(ea|erroraction|erroract|erroracti|erroractio|errora|errorac)$/i.test(name)) return false;
    const value = inline || list[i + 1]?.text || '';
    return /^["']?stop["']?$/i.test(value.trim());
  });
}

/** $env: variables of the modelled Windows server. */
export function environment(state: ShellState, name: string): PsValue {
  const host = state.computer?.split('.')[0].toUpperCase() ?? '';
  const domain = state.computer?.split('.')[1]?.toUpperCase() ?? '';
  const values: Record<string, string> = {
    computername: host, username: 'Administrator', userdomain: domain, userprofile: 'C:\\Users\\Administrator',
    temp: 'C:\\Users\\ADMINI~1\\AppData\\Local\\Temp', tmp: 'C:\\Users\\ADMINI~1\\AppData\\Local\\Temp', systemroot: 'C:\\Windows', windir: 'C:\\Windows',
    homedrive: 'C:', homepath: '\\Users\\Administrator', systemdrive: 'C:', userdnsdomain: state.computer?.split('.').slice(1).join('.').toUpperCase() ?? '',
  };
  return values[name] ?? null;
}
