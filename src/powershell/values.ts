// PowerShell values as the interpreter holds them: strings, numbers, booleans, $null, dates, arrays, objects with
// ordered properties (a .NET type name and a default view), SecureStrings and script blocks.
import { formatUsDateTime, parseEffectiveDate } from '../core';
import type { Node } from './grammar';

/** A .NET object as the shell shows it: properties in their declared order, looked up case-insensitively. */
export class PsObject {
  constructor(
    readonly typeName: string,
    readonly props: Readonly<Record<string, PsValue>>,
    /** The type's default view and the properties it shows. Absent: PowerShell's rule (> 4 properties → list, else a table). */
    readonly view?: { kind: 'list' | 'table'; properties: readonly string[] },
    /** A line shown above a group of these objects (e.g. the certificate drive's PSParentPath). */
    readonly groupHeader?: string,
  ) {}
}

/** System.Security.SecureString: prints as its type name, never its text. */
export class SecureString {
  constructor(readonly text: string) {}
  toString(): string {
    return 'System.Security.SecureString';
  }
}

export class ScriptBlock {
  constructor(readonly node: Node, readonly text: string) {}
}

/** The text Format-List / Format-Table / Out-String produced: written as it is. */
export class FormattedText {
  constructor(readonly text: string) {}
}

export type PsValue = string | number | boolean | null | Date | PsObject | SecureString | ScriptBlock | FormattedText | PsValue[];

export function property(target: PsValue, name: string): PsValue {
  if (target instanceof PsObject) {
    const key = Object.keys(target.props).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? null : target.props[key];
  }
  // Member enumeration: (Get-CsCertificate).Thumbprint on several objects gives every object's Thumbprint.
  if (Array.isArray(target)) {
    if (name.toLowerCase() === 'count' || name.toLowerCase() === 'length') return target.length;
    const values = target.map((item) => property(item, name)).filter((v) => v !== null);
    return values.length === 1 ? values[0] : values;
  }
  if (typeof target === 'string' && name.toLowerCase() === 'length') return target.length;
  if (target !== null && name.toLowerCase() === 'count') return 1;
  return null;
}

export function propertyNames(value: PsValue): string[] {
  return value instanceof PsObject ? Object.keys(value.props) : [];
}

/** How a value reads as text: "$x", -join, string parameters. */
export function toText(value: PsValue): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Date) return formatUsDateTime(value);
  if (Array.isArray(value)) return value.map(toText).join(' ');
  if (value instanceof PsObject) return value.typeName;
  if (value instanceof ScriptBlock) return value.text.slice(1, -1);
  if (value instanceof FormattedText) return value.text;
  return String(value);
}

export function isTrue(value: PsValue): boolean {
  if (Array.isArray(value)) return value.length > 1 || (value.length === 1 && isTrue(value[0]));
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  return value !== null && value !== false;
}

/** The pipeline unrolls arrays. */
export function enumerate(value: PsValue): PsValue[] {
  if (value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A pipeline's output as a value: nothing → $null, one item → the item, more → an array. */
export function collapse(items: PsValue[]): PsValue {
  return items.length === 0 ? null : items.length === 1 ? items[0] : items;
}

/** PowerShell converts the right operand to the left one's type. */
function coerce(left: PsValue, right: PsValue): PsValue {
  if (left instanceof Date && typeof right === 'string') {
    const parsed = parseEffectiveDate(right);
    return parsed.ok ? parsed.date : right;
  }
  if (typeof left === 'number' && typeof right === 'string' && right.trim() !== '' && !Number.isNaN(Number(right))) return Number(right);
  if (typeof left === 'boolean') return isTrue(right);
  if (typeof left === 'string' && right !== null && !(right instanceof PsObject)) return toText(right);
  return right;
}

function compareScalars(left: PsValue, right: PsValue, caseSensitive: boolean): number | undefined {
  const r = coerce(left, right);
  if (left instanceof Date && r instanceof Date) return left.getTime() - r.getTime();
  if (typeof left === 'number' && typeof r === 'number') return left - r;
  if (typeof left === 'boolean' && typeof r === 'boolean') return Number(left) - Number(r);
  if (left === null || r === null) return left === r ? 0 : undefined;
  const a = toText(left), b = toText(r);
  const x = caseSensitive ? a : a.toLowerCase(), y = caseSensitive ? b : b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.').replace(/\[(.*?)\]/g, '[$1]');
  return new RegExp(`^${body}$`, 'is');
}

export const COMPARISON_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'notlike', 'match', 'notmatch', 'contains', 'notcontains', 'in', 'notin'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** `-eq`, `-ceq`, `-ieq`, …: the operator and whether it is case-sensitive; undefined when not a comparison we support. */
export function parseComparison(text: string): { op: ComparisonOperator; caseSensitive: boolean } | undefined {
  const m = /^-([ci]?)([a-z]+)$/i.exec(text.trim());
  if (!m) return undefined;
  const op = m[2].toLowerCase() as ComparisonOperator;
  return COMPARISON_OPERATORS.includes(op) ? { op, caseSensitive: m[1].toLowerCase() === 'c' } : undefined;
}

/** A scalar comparison, or the filter PowerShell applies when the left side is an array. */
export function compare(left: PsValue, op: ComparisonOperator, right: PsValue, caseSensitive = false): PsValue {
  if (op === 'contains' || op === 'notcontains') {
    const found = enumerate(left).some((item) => compareScalars(item, right, caseSensitive) === 0);
    return op === 'contains' ? found : !found;
  }
  if (op === 'in' || op === 'notin') {
    const found = enumerate(right).some((item) => compareScalars(left, item, caseSensitive) === 0);
    return op === 'in' ? found : !found;
  }
  if (Array.isArray(left)) return left.filter((item) => compare(item, op, right, caseSensitive) === true);
  const flags = caseSensitive ? 's' : 'is';
  switch (op) {
    case 'like': case 'notlike': {
      const hit = (caseSensitive ? new RegExp(wildcard(toText(right)).source, 's') : wildcard(toText(right))).test(toText(left));
      return op === 'like' ? hit : !hit;
    }
    case 'match': case 'notmatch': {
      const hit = new RegExp(toText(right), flags).test(toText(left));
      return op === 'match' ? hit : !hit;
    }
    default: {
      const c = compareScalars(left, right, caseSensitive);
      if (c === undefined) return op === 'ne';
      switch (op) {
        case 'eq': return c === 0;
        case 'ne': return c !== 0;
        case 'gt': return c > 0;
        case 'ge': return c >= 0;
        case 'lt': return c < 0;
        default: return c <= 0;
      }
    }
  }
}
