// How PowerShell 5.1 writes values to the console (Out-Default): scalars one per line, objects as a table (four
// properties or fewer) or a list (more), an object type's own default view where it has one; and error records.
import { displayText, formatCollection, formatList, formatUsDateTime } from '../core';
import { FormattedText, PsObject, ScriptBlock, SecureString, propertyNames, property, type PsValue } from './values';

/** A property value inside a table or list cell: collections as {a, b, c, d...} ($FormatEnumerationLimit = 4). */
export function cellText(value: PsValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return formatCollection(value.map(cellText));
  if (value instanceof Date) return formatUsDateTime(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof PsObject) return value.typeName;
  if (value instanceof SecureString) return value.toString();
  if (value instanceof ScriptBlock) return value.text.slice(1, -1);
  if (value instanceof FormattedText) return value.text;
  return String(value);
}

export function formatListView(items: readonly PsValue[], properties?: readonly string[]): string {
  const blocks = items.map((item) => {
    const names = properties ?? propertyNames(item);
    return formatList(names.map((name) => [name, cellText(property(item, name))]));
  });
  return `\n${blocks.join('\n\n')}\n\n`;
}

/** A table: cells through displayText (as formatList does for lists), so certificate text cannot break a row. */
export function formatTableView(items: readonly PsValue[], properties: readonly string[]): string {
  const rows = items.map((item) => properties.map((name) => displayText(cellText(property(item, name)))));
  const widths = properties.map((name, i) => Math.max(name.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join(' ').trimEnd();
  return `\n${[line([...properties]), line(properties.map((p) => '-'.repeat(p.length))), ...rows.map(line)].join('\n')}\n\n`;
}

/** The view Out-Default uses: the type's own, else a list for more than four properties, else a table. */
export function defaultView(item: PsObject): { kind: 'list' | 'table'; properties: readonly string[] } {
  const all = Object.keys(item.props);
  return item.view ?? { kind: all.length > 4 ? 'list' : 'table', properties: all };
}

/** Out-Default: groups consecutive objects of one type under one header, as the console does. */
export function formatDefault(items: readonly PsValue[]): string {
  let out = '';
  let i = 0;
  while (i < items.length) {
    const item = items[i];
    if (item instanceof FormattedText) {
      out += item.text;
      i++;
      continue;
    }
    if (!(item instanceof PsObject)) {
      if (item !== null) out += `${cellText(item)}\n`;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < items.length && items[j] instanceof PsObject && (items[j] as PsObject).typeName === item.typeName) j++;
    const group = items.slice(i, j) as PsObject[];
    if (item.groupHeader) out += `\n\n${item.groupHeader}\n`;
    const view = defaultView(item);
    out += view.kind === 'list' ? formatListView(group, view.properties) : formatTableView(group, view.properties);
    i = j;
  }
  return out;
}

export interface ErrorRecord {
  /** The command that failed, shown before the message (empty for parse errors). */
  command: string;
  /** The command named in CategoryInfo's brackets (default: `command`; empty for an unknown command). */
  activity?: string;
  message: string;
  /** Where: the whole script's text, and the failing extent's offsets. */
  script: string;
  start: number;
  end: number;
  category: string;
  /** e.g. "(Foo:String)" or "(:)". */
  target?: string;
  reason: string;
  errorId: string;
}

/** PowerShell 5.1's console view of an error record. */
export function formatErrorRecord(e: ErrorRecord): string {
  const before = e.script.slice(0, e.start);
  const lineNo = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = e.script.indexOf('\n', e.start);
  const lineText = e.script.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).replace(/\r$/, '');
  const column = e.start - lineStart;
  const length = Math.max(1, Math.min(e.end, lineStart + lineText.length) - e.start);
  const head = e.command ? `${e.command} : ${e.message}` : e.message;
  return [
    head,
    `At line:${lineNo} char:${column + 1}`,
    `+ ${lineText}`,
    `+ ${' '.repeat(column)}${'~'.repeat(length)}`,
    `    + CategoryInfo          : ${e.category}: ${e.target ?? '(:)'} [${e.activity ?? e.command}], ${e.reason}`,
    `    + FullyQualifiedErrorId : ${e.errorId}`,
    '',
    '',
  ].join('\n');
}

/** PowerShell 5.1's view of a parse error: the position first, then the message. */
export function formatParseError(e: { script: string; start: number; end: number; message: string; errorId: string }): string {
  const record = formatErrorRecord({ command: '', activity: '', message: '', script: e.script, start: e.start, end: e.end, category: 'ParserError', reason: 'ParentContainsErrorRecordException', errorId: e.errorId });
  const [, at, line, marks, ...rest] = record.split('\n');
  return [at, line, marks, e.message, ...rest].join('\n');
}
