// Parameter binding as PowerShell does it: named parameters (any case, unambiguous prefixes, aliases), switches
// (`-Roll`, `-Confirm:$false`), positional parameters, pipeline input by value, parameter sets and mandatory
// parameters, and conversion to the parameter's type. Failures are ShellErrors with PowerShell's own texts.
import { CERT_USES, parseCertUse, parseEffectiveDate, type CertUse } from '../core';
import { ShellError } from './errors';
import { ScriptBlock, SecureString, enumerate, toText, type PsValue } from './values';

export type ParamType = 'string' | 'string[]' | 'object' | 'object[]' | 'switch' | 'bool' | 'int' | 'datetime' | 'certtype[]' | 'securestring' | 'scriptblock' | 'password';

export interface ParamSpec {
  name: string;
  type: ParamType;
  aliases?: readonly string[];
  /** Position among the positional parameters (0 first). */
  position?: number;
  /** The parameter sets it belongs to (absent: all). */
  sets?: readonly string[];
  /** The sets in which it is mandatory (true: all of its sets). */
  mandatory?: true | readonly string[];
  /** Binds pipeline input by value. */
  pipeline?: boolean;
  /** Takes every remaining positional argument (ValueFromRemainingArguments, e.g. Write-Output a b). */
  remaining?: boolean;
}

/** One argument as written: `-Name`, `-Name:value`, or a value. Offsets are into the script text. */
export type Arg =
  | { kind: 'parameter'; name: string; text: string; start: number; end: number; colonValue?: PsValue; hasColonValue: boolean }
  | { kind: 'value'; value: PsValue; text: string; start: number; end: number };

export interface Bound {
  values: Map<string, PsValue>;
  set: string | undefined;
  /** Where each bound parameter was written (for error positions). */
  at: Map<string, { start: number; end: number }>;
}

/** Parameters every cmdlet takes (CommonParameters), and -WhatIf/-Confirm for those that change things. */
const COMMON: readonly ParamSpec[] = [
  { name: 'Verbose', type: 'switch', aliases: ['vb'] },
  { name: 'Debug', type: 'switch', aliases: ['db'] },
  { name: 'ErrorAction', type: 'string', aliases: ['ea'] },
  { name: 'WarningAction', type: 'string', aliases: ['wa'] },
  { name: 'InformationAction', type: 'string', aliases: ['infa'] },
  { name: 'ErrorVariable', type: 'string', aliases: ['ev'] },
  { name: 'WarningVariable', type: 'string', aliases: ['wv'] },
  { name: 'InformationVariable', type: 'string', aliases: ['iv'] },
  { name: 'OutVariable', type: 'string', aliases: ['ov'] },
  { name: 'OutBuffer', type: 'int', aliases: ['ob'] },
  { name: 'PipelineVariable', type: 'string', aliases: ['pv'] },
];
export const SHOULD_PROCESS: readonly ParamSpec[] = [
  { name: 'WhatIf', type: 'switch', aliases: ['wi'] },
  { name: 'Confirm', type: 'switch', aliases: ['cf'] },
];

export interface BindingSpec {
  name: string;
  params: readonly ParamSpec[];
  /** The default parameter set, when it has several. */
  defaultSet?: string;
  shouldProcess?: boolean;
}

export function allParams(spec: BindingSpec): ParamSpec[] {
  return [...spec.params, ...(spec.shouldProcess ? SHOULD_PROCESS : []), ...COMMON];
}

const TYPE_NAMES: Record<ParamType, string> = {
  string: 'System.String', 'string[]': 'System.String[]', object: 'System.Object', 'object[]': 'System.Object[]', switch: 'System.Management.Automation.SwitchParameter',
  bool: 'System.Boolean', int: 'System.Int32', datetime: 'System.DateTime', 'certtype[]': 'Microsoft.Rtc.Management.Deployment.CertType[]',
  securestring: 'System.Security.SecureString', scriptblock: 'System.Management.Automation.ScriptBlock', password: 'System.String',
};

function bindError(spec: BindingSpec, message: string, errorId: string, at: { start: number; end: number }, category = 'InvalidArgument'): ShellError {
  return new ShellError(message, { command: spec.name, category, reason: 'ParameterBindingException', errorId: `${errorId},${spec.name}`, start: at.start, end: at.end });
}

/** Finds the parameter `-name` means: exact name or alias first, then an unambiguous prefix. */
export function resolveParameter(spec: BindingSpec, name: string, at: { start: number; end: number }): ParamSpec {
  const lower = name.toLowerCase();
  const params = allParams(spec);
  const exact = params.find((p) => p.name.toLowerCase() === lower || p.aliases?.some((a) => a.toLowerCase() === lower));
  if (exact) return exact;
  const prefixed = params.filter((p) => p.name.toLowerCase().startsWith(lower));
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length > 1) {
    throw bindError(spec, `Parameter cannot be processed because the parameter name '${name}' is ambiguous. Possible matches include: ${prefixed.map((p) => `-${p.name}`).join(' ')}.`, 'AmbiguousParameter', at);
  }
  throw bindError(spec, `A parameter cannot be found that matches parameter name '${name}'.`, 'NamedParameterNotFound', at);
}

function convert(spec: BindingSpec, param: ParamSpec, value: PsValue, at: { start: number; end: number }): PsValue {
  const cannot = (detail: string) => bindError(spec, `Cannot bind parameter '${param.name}'. Cannot convert value "${toText(value)}" to type "${TYPE_NAMES[param.type]}". Error: "${detail}"`, 'CannotConvertArgumentNoMessage', at);
  switch (param.type) {
    case 'string': case 'password':
      if (Array.isArray(value)) return value.map(toText).join(' ');
      if (value instanceof SecureString) {
        if (param.type === 'password') return value;
        throw cannot('Cannot convert the "System.Security.SecureString" value to type "System.String".');
      }
      return value === null ? null : toText(value);
    case 'string[]':
      return enumerate(value).map(toText);
    case 'switch': case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      if (param.type === 'switch' && value === null) return false;
      throw bindError(spec, `Cannot process argument transformation on parameter '${param.name}'. Cannot convert value "${toText(value)}" to type "${TYPE_NAMES[param.type]}". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`, 'ParameterArgumentTransformationError', at);
    case 'int': {
      const n = typeof value === 'number' ? value : Number(toText(value));
      if (!Number.isInteger(n)) throw cannot('Input string was not in a correct format.');
      return n;
    }
    case 'datetime': {
      if (value instanceof Date) return value;
      const parsed = parseEffectiveDate(toText(value));
      if (!parsed.ok) throw cannot('String was not recognized as a valid DateTime.');
      return parsed.date;
    }
    case 'certtype[]': {
      const uses: CertUse[] = [];
      for (const item of enumerate(value)) {
        const use = parseCertUse(toText(item));
        if (!use) {
          throw bindError(spec, `Cannot bind parameter '${param.name}'. Cannot convert value "${toText(item)}" to type "Microsoft.Rtc.Management.Deployment.CertType". Error: "Unable to match the identifier name ${toText(item)} to a valid enumerator name. Specify one of the following enumerator names and try again:\n${CERT_USES.map((u) => u.use).join(', ')}"`, 'CannotConvertArgumentNoMessage', at);
        }
        uses.push(use);
      }
      return uses;
    }
    case 'securestring':
      if (value instanceof SecureString) return value;
      throw bindError(spec, `Cannot bind parameter '${param.name}'. Cannot convert the "${toText(value)}" value of type "${typeof value === 'string' ? 'System.String' : 'System.Object'}" to type "System.Security.SecureString".`, 'CannotConvertArgumentNoMessage', at);
    case 'scriptblock':
      if (value instanceof ScriptBlock) return value;
      throw bindError(spec, `Cannot bind parameter '${param.name}'. Cannot convert the "${toText(value)}" value of type "${typeof value === 'string' ? 'System.String' : 'System.Object'}" to type "System.Management.Automation.ScriptBlock".`, 'CannotConvertArgumentNoMessage', at);
    case 'object':
      return value;
    case 'object[]':
      return enumerate(value);
  }
}

function setsOf(param: ParamSpec, all: string[]): string[] {
  return param.sets ? [...param.sets] : all;
}

function mandatoryIn(param: ParamSpec, set: string | undefined, all: string[]): boolean {
  if (!param.mandatory) return false;
  if (param.mandatory === true) return set === undefined || setsOf(param, all).includes(set);
  return set !== undefined && param.mandatory.includes(set);
}

/**
 * Binds the written arguments (and one pipeline input object, if any) to the spec's parameters. `commandAt` is
 * the command's extent, for errors that concern the whole command.
 */
export function bind(spec: BindingSpec, args: readonly Arg[], commandAt: { start: number; end: number }, input?: { value: PsValue }): Bound {
  const params = allParams(spec);
  const allSets = [...new Set(spec.params.flatMap((p) => p.sets ?? []))];
  const values = new Map<string, PsValue>();
  const at = new Map<string, { start: number; end: number }>();
  const positional: Arg[] = [];
  const put = (param: ParamSpec, value: PsValue, where: { start: number; end: number }) => {
    if (values.has(param.name)) throw bindError(spec, `Cannot bind parameter because parameter '${param.name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`, 'ParameterAlreadyBound', where);
    values.set(param.name, convert(spec, param, value, where));
    at.set(param.name, where);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.kind === 'value') {
      positional.push(arg);
      continue;
    }
    const param = resolveParameter(spec, arg.name, arg);
    if (arg.hasColonValue) {
      put(param, arg.colonValue ?? null, arg);
    } else if (param.type === 'switch') {
      put(param, true, arg);
    } else {
      const next = args[i + 1];
      if (!next || next.kind !== 'value') {
        throw bindError(spec, `Missing an argument for parameter '${param.name}'. Specify a parameter of type '${TYPE_NAMES[param.type]}' and try again.`, 'MissingArgument', arg);
      }
      put(param, next.value, { start: arg.start, end: next.end });
      i++;
    }
  }
  // Candidate sets: those every named parameter belongs to.
  let candidates = allSets.filter((set) => [...values.keys()].every((name) => { const p = params.find((q) => q.name === name)!; return setsOf(p, allSets).includes(set); }));
  const byPosition = (sets: string[]) => params.filter((p) => p.position !== undefined && !values.has(p.name) && (sets.length === 0 || setsOf(p, allSets).some((s) => sets.includes(s))))
    .sort((a, b) => a.position! - b.position!);
  const open = byPosition(candidates.length ? candidates : allSets);
  for (let k = 0; k < positional.length; k++) {
    const arg = positional[k];
    if (open[0]?.remaining && positional.length - k > 1) {
      const rest = positional.slice(k);
      put(open.shift()!, rest.map((a) => (a as { value: PsValue }).value), { start: arg.start, end: rest[rest.length - 1].end });
      break;
    }
    const param = open.shift();
    if (!param) {
      throw bindError(spec, `A positional parameter cannot be found that accepts argument '${arg.kind === 'value' ? toText(arg.value) : arg.text}'.`, 'PositionalParameterNotFound', arg);
    }
    put(param, (arg as { value: PsValue }).value, arg);
    if (allSets.length) candidates = candidates.filter((s) => setsOf(param, allSets).includes(s));
  }
  if (input) {
    const target = params.find((p) => p.pipeline && !values.has(p.name) && (!allSets.length || setsOf(p, allSets).some((s) => candidates.includes(s))));
    if (target) {
      put(target, input.value, commandAt);
      if (allSets.length) candidates = candidates.filter((s) => setsOf(target, allSets).includes(s));
    }
  }
  let set: string | undefined;
  if (allSets.length) {
    if (candidates.length === 1) set = candidates[0];
    else if (candidates.length > 1) {
      // The default set wins; otherwise a set whose mandatory parameters are all given.
      const complete = candidates.filter((s) => params.every((p) => !mandatoryIn(p, s, allSets) || values.has(p.name)));
      set = spec.defaultSet && candidates.includes(spec.defaultSet) ? spec.defaultSet : complete.length === 1 ? complete[0] : undefined;
      if (set === undefined && complete.length > 1 && spec.defaultSet === undefined) set = complete[0];
    }
    if (set === undefined) throw bindError(spec, 'Parameter set cannot be resolved using the specified named parameters.', 'AmbiguousParameterSet', commandAt);
  }
  const missing = params.filter((p) => mandatoryIn(p, set, allSets) && !values.has(p.name));
  if (missing.length) {
    throw bindError(spec, `Cannot process command because of one or more missing mandatory parameters: ${missing.map((p) => p.name).join(' ')}.`, 'MissingMandatoryParameter', commandAt);
  }
  return { values, set, at };
}
