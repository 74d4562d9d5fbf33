// The PowerShell utility cmdlets the SfB procedures use: formatting (Format-List, Format-Table, Out-String),
// Select-Object, Where-Object, ForEach-Object, Measure-Object, Write-*, Read-Host, ConvertTo-SecureString, Clear-Host.
import type { ParamSpec } from '../binding';
import { Cancelled, ShellError } from '../errors';
import { defaultView, formatDefault, formatListView, formatTableView } from '../format';
import type { CmdletContext, CmdletImpl } from '../runtime';
import {
  COMPARISON_OPERATORS, FormattedText, collapse, PsObject, ScriptBlock, SecureString, compare, enumerate, isTrue, property, propertyNames, toText, type PsValue,
} from '../values';

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

/** -Property names with wildcards, expanded against the object's properties (in the object's order). */
function expandProperties(item: PsValue, patterns: readonly PsValue[]): string[] {
  const names = propertyNames(item);
  const out: string[] = [];
  for (const p of patterns) {
    if (!(typeof p === 'string')) throw new ShellError(`Calculated properties are not supported by the SfB Management Shell of SfB Certificates: name the properties.`, { command: '', category: 'NotImplemented', reason: 'NotSupportedException', errorId: 'UnsupportedConstruct' });
    if (/[*?]/.test(p)) out.push(...names.filter((n) => wildcard(p).test(n)));
    else out.push(names.find((n) => n.toLowerCase() === p.toLowerCase()) ?? p);
  }
  return [...new Set(out)];
}

const PROPERTY: ParamSpec = { name: 'Property', type: 'object[]', position: 0 };

const formatList: CmdletImpl = {
  name: 'Format-List',
  aliases: ['fl'],
  params: [PROPERTY, { name: 'Force', type: 'switch' }, { name: 'InputObject', type: 'object' }],
  run(ctx) {
    const patterns = ctx.get('Property') as PsValue[] | undefined;
    let text = '';
    for (const item of ctx.input) {
      if (!(item instanceof PsObject)) {
        text += formatDefault([item]);
        continue;
      }
      const props = patterns ? expandProperties(item, patterns) : item.view?.kind === 'list' ? item.view.properties : propertyNames(item);
      text += formatListView([item], props).replace(/\n\n$/, '\n');
    }
    return text ? [new FormattedText(`${text}\n`)] : [];
  },
};

const formatTable: CmdletImpl = {
  name: 'Format-Table',
  aliases: ['ft'],
  params: [PROPERTY, { name: 'AutoSize', type: 'switch' }, { name: 'HideTableHeaders', type: 'switch' }, { name: 'Wrap', type: 'switch' }],
  run(ctx) {
    const objects = ctx.input.filter((i): i is PsObject => i instanceof PsObject);
    const rest = ctx.input.filter((i) => !(i instanceof PsObject));
    if (!objects.length) return rest.length ? [new FormattedText(formatDefault(rest))] : [];
    const patterns = ctx.get('Property') as PsValue[] | undefined;
    const first = objects[0];
    const view = defaultView(first);
    const props = patterns ? expandProperties(first, patterns) : view.kind === 'table' ? view.properties : propertyNames(first).slice(0, 10);
    let text = formatTableView(objects, props);
    if (ctx.flag('HideTableHeaders')) text = `\n${text.split('\n').slice(3).join('\n')}`;
    return [new FormattedText(text + (rest.length ? formatDefault(rest) : ''))];
  },
};

const selectObject: CmdletImpl = {
  name: 'Select-Object',
  aliases: ['select'],
  params: [PROPERTY, { name: 'ExpandProperty', type: 'string' }, { name: 'First', type: 'int' }, { name: 'Last', type: 'int' }, { name: 'Skip', type: 'int' }, { name: 'Unique', type: 'switch' }],
  run(ctx) {
    let items = ctx.input;
    const skip = ctx.get('Skip') as number | undefined;
    const first = ctx.get('First') as number | undefined;
    const last = ctx.get('Last') as number | undefined;
    if (skip) items = items.slice(skip);
    if (first !== undefined) items = items.slice(0, first);
    if (last !== undefined) items = last === 0 ? [] : items.slice(-last);
    const patterns = ctx.get('Property') as PsValue[] | undefined;
    const expand = ctx.get('ExpandProperty') as string | undefined;
    let out: PsValue[] = items.map((item) => {
      if (!patterns || !(item instanceof PsObject)) return item;
      const props: Record<string, PsValue> = {};
      for (const name of expandProperties(item, patterns)) props[name] = property(item, name);
      return new PsObject(`Selected.${item.typeName}`, props);
    });
    if (expand !== undefined) {
      out = out.flatMap((item) => {
        if (item instanceof PsObject && !propertyNames(item).some((n) => n.toLowerCase() === expand.toLowerCase())) {
          throw new ShellError(`Property "${expand}" cannot be found.`, { command: ctx.spec.name, category: 'InvalidArgument', target: `(${item.typeName}:PSObject)`, reason: 'PSArgumentException', errorId: `ExpandPropertyNotFound,Microsoft.PowerShell.Commands.SelectObjectCommand` });
        }
        return enumerate(property(item, expand));
      });
    }
    if (ctx.flag('Unique')) {
      const seen = new Set<string>();
      out = out.filter((item) => {
        const key = item instanceof PsObject ? JSON.stringify(Object.values(item.props).map(toText)) : toText(item);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    return out;
  },
};

/** Where-Object's comparison switches: -EQ, -Like, … and their case-sensitive forms -CEQ, -CLike, … */
const OPERATOR_NAMES: Record<(typeof COMPARISON_OPERATORS)[number], string> = {
  eq: 'EQ', ne: 'NE', gt: 'GT', ge: 'GE', lt: 'LT', le: 'LE', like: 'Like', notlike: 'NotLike', match: 'Match', notmatch: 'NotMatch',
  contains: 'Contains', notcontains: 'NotContains', in: 'In', notin: 'NotIn',
};
const OPERATOR_SWITCHES = COMPARISON_OPERATORS.flatMap((op) => [
  { op, caseSensitive: false, param: { name: OPERATOR_NAMES[op], type: 'switch' } as ParamSpec },
  { op, caseSensitive: true, param: { name: `C${OPERATOR_NAMES[op]}`, type: 'switch' } as ParamSpec },
]);

const whereObject: CmdletImpl = {
  name: 'Where-Object',
  aliases: ['where', '?'],
  // PowerShell chooses between the script block set and the -Property set by the argument's type; one parameter
  // in position 0 takes either, and the run below tells them apart.
  params: [{ name: 'Property', type: 'object', position: 0, aliases: ['FilterScript'] }, { name: 'Value', type: 'object', position: 1 }, { name: 'InputObject', type: 'object' }, ...OPERATOR_SWITCHES.map((o) => o.param)],
  async run(ctx) {
    const first = ctx.get('Property');
    const operators = OPERATOR_SWITCHES.filter((o) => ctx.flag(o.param.name));
    if (first instanceof ScriptBlock) {
      const out: PsValue[] = [];
      for (const item of ctx.input) if (isTrue(collapse(await ctx.invoke(first, item)))) out.push(item);
      return out;
    }
    if (first === undefined || first === null) throw new ShellError('Cannot process command because of one or more missing mandatory parameters: FilterScript.', { command: ctx.spec.name, category: 'InvalidArgument', reason: 'ParameterBindingException', errorId: `MissingMandatoryParameter,${ctx.spec.name}` });
    if (operators.length > 1) throw new ShellError('Parameter set cannot be resolved using the specified named parameters.', { command: ctx.spec.name, category: 'InvalidArgument', reason: 'ParameterBindingException', errorId: `AmbiguousParameterSet,${ctx.spec.name}` });
    const name = toText(first);
    const value = ctx.get('Value') ?? null;
    return ctx.input.filter((item) => {
      const left = property(item, name);
      if (!operators.length) return isTrue(left);
      return isTrue(compare(left, operators[0].op, value, operators[0].caseSensitive));
    });
  },
};

const forEachObject: CmdletImpl = {
  name: 'ForEach-Object',
  aliases: ['foreach', '%'],
  params: [{ name: 'Process', type: 'object', position: 0, aliases: ['MemberName'] }, { name: 'Begin', type: 'scriptblock' }, { name: 'End', type: 'scriptblock' }, { name: 'InputObject', type: 'object' }],
  async run(ctx) {
    if (ctx.get('Begin') !== undefined || ctx.get('End') !== undefined) throw new ShellError('-Begin and -End are not supported by the SfB Management Shell of SfB Certificates.', { command: ctx.spec.name, category: 'NotImplemented', reason: 'NotSupportedException', errorId: 'UnsupportedConstruct' });
    const process = ctx.get('Process');
    const out: PsValue[] = [];
    for (const item of ctx.input) {
      if (process instanceof ScriptBlock) out.push(...(await ctx.invoke(process, item)));
      else out.push(...enumerate(property(item, toText(process ?? ''))));
    }
    return out;
  },
};

const measureObject: CmdletImpl = {
  name: 'Measure-Object',
  aliases: ['measure'],
  params: [{ name: 'Property', type: 'string[]', position: 0 }, { name: 'Sum', type: 'switch' }, { name: 'Average', type: 'switch' }, { name: 'Maximum', type: 'switch' }, { name: 'Minimum', type: 'switch' }, { name: 'InputObject', type: 'object' }],
  run(ctx) {
    const names = (ctx.get('Property') as string[] | undefined) ?? [undefined];
    return names.map((name) => {
      const values = ctx.input.map((item) => (name === undefined ? item : property(item, name))).filter((v) => v !== null);
      const numbers = values.map((v) => (typeof v === 'number' ? v : Number(toText(v))));
      const numeric = ctx.flag('Sum') || ctx.flag('Average') || ctx.flag('Maximum') || ctx.flag('Minimum');
      if (numeric && numbers.some((n) => Number.isNaN(n))) {
        throw new ShellError(`Input object "${toText(values[numbers.findIndex((n) => Number.isNaN(n))])}" is not numeric.`, { command: ctx.spec.name, category: 'InvalidType', reason: 'PSInvalidOperationException', errorId: 'NonNumericInputObject,Microsoft.PowerShell.Commands.MeasureObjectCommand' });
      }
      const sum = numbers.reduce((a, b) => a + b, 0);
      return new PsObject('Microsoft.PowerShell.Commands.GenericMeasureInfo', {
        Count: values.length,
        Average: ctx.flag('Average') && numbers.length ? sum / numbers.length : null,
        Sum: ctx.flag('Sum') ? sum : null,
        Maximum: ctx.flag('Maximum') && numbers.length ? Math.max(...numbers) : null,
        Minimum: ctx.flag('Minimum') && numbers.length ? Math.min(...numbers) : null,
        Property: name ?? null,
      });
    });
  },
};

const outString: CmdletImpl = {
  name: 'Out-String',
  params: [{ name: 'Stream', type: 'switch' }, { name: 'Width', type: 'int' }, { name: 'InputObject', type: 'object' }],
  run(ctx) {
    const text = formatDefault(ctx.input);
    return ctx.flag('Stream') ? text.replace(/\n$/, '').split('\n') : [text];
  },
};

const writeHost: CmdletImpl = {
  name: 'Write-Host',
  params: [{ name: 'Object', type: 'object', position: 0, remaining: true }, { name: 'NoNewline', type: 'switch' }, { name: 'Separator', type: 'object' }, { name: 'ForegroundColor', type: 'string' }, { name: 'BackgroundColor', type: 'string' }],
  run(ctx) {
    const separator = toText(ctx.get('Separator') ?? ' ');
    const text = enumerate(ctx.get('Object') ?? ctx.input).map(toText).join(separator);
    ctx.write({ stream: 'output', text: ctx.flag('NoNewline') ? text : `${text}\n` });
    return [];
  },
};

const writeOutput: CmdletImpl = {
  name: 'Write-Output',
  aliases: ['echo', 'write'],
  params: [{ name: 'InputObject', type: 'object[]', position: 0, remaining: true, pipeline: true }, { name: 'NoEnumerate', type: 'switch' }],
  run(ctx) {
    return [...((ctx.get('InputObject') as PsValue[] | undefined) ?? []), ...ctx.input];
  },
};

const writeWarning: CmdletImpl = {
  name: 'Write-Warning',
  params: [{ name: 'Message', type: 'string', position: 0, mandatory: true }],
  run(ctx) {
    ctx.write({ stream: 'warning', text: `WARNING: ${toText(ctx.get('Message') ?? '')}\n` });
    return [];
  },
};

const readHost: CmdletImpl = {
  name: 'Read-Host',
  params: [{ name: 'Prompt', type: 'object', position: 0 }, { name: 'AsSecureString', type: 'switch' }],
  async run(ctx) {
    const prompt = ctx.get('Prompt');
    const secure = ctx.flag('AsSecureString');
    const answer = await ctx.state.host.readHost(prompt === undefined || prompt === null ? '' : `${toText(prompt)}: `, { secure });
    if (answer === undefined) throw new Cancelled();
    return [secure ? new SecureString(answer) : answer];
  },
};

const convertToSecureString: CmdletImpl = {
  name: 'ConvertTo-SecureString',
  params: [{ name: 'String', type: 'string', position: 0, mandatory: true }, { name: 'AsPlainText', type: 'switch' }, { name: 'Force', type: 'switch' }, { name: 'Key', type: 'object' }, { name: 'SecureKey', type: 'securestring' }],
  pipelineMode: 'each',
  run(ctx) {
    if (!ctx.flag('AsPlainText')) throw new ShellError('Only ConvertTo-SecureString -AsPlainText -Force is supported by the SfB Management Shell of SfB Certificates (it keeps no DPAPI-encrypted strings).', { command: ctx.spec.name, category: 'NotImplemented', reason: 'NotSupportedException', errorId: 'UnsupportedConstruct' });
    if (!ctx.flag('Force')) {
      throw new ShellError('The system cannot protect plain text input. To suppress this warning and convert the plain text to a SecureString, reissue the command specifying the Force parameter. For more information, type: get-help ConvertTo-SecureString.', {
        command: ctx.spec.name, category: 'InvalidArgument', reason: 'ArgumentException', errorId: 'ImportSecureString_InvalidArgument,Microsoft.PowerShell.Commands.ConvertToSecureStringCommand',
      });
    }
    return [new SecureString(toText(ctx.get('String') ?? ''))];
  },
};

/**
 * Start-Sleep: returns at once. The model's time moves only when the simulated date is set, and replication runs
 * when asked, so waiting would change nothing (SfB Certificates' rule); a script's wait loops still run through.
 */
const startSleep: CmdletImpl = {
  name: 'Start-Sleep',
  aliases: ['sleep'],
  params: [{ name: 'Seconds', type: 'int', position: 0, aliases: ['s'] }, { name: 'Milliseconds', type: 'int', aliases: ['ms'] }],
  run() {
    return [];
  },
};

const clearHost: CmdletImpl = {
  name: 'Clear-Host',
  aliases: ['cls', 'clear'],
  params: [],
  run(ctx: CmdletContext) {
    ctx.state.clearRequested = true;
    return [];
  },
};

export const UTILITY_CMDLETS: readonly CmdletImpl[] = [
  formatList, formatTable, selectObject, whereObject, forEachObject, measureObject, outString, writeHost, writeOutput, writeWarning, readHost, convertToSecureString, startSleep, clearHost,
];
