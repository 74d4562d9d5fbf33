// Shared plumbing for the `sfb-cert` command line: argument parsing, password sources, exit codes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs as parseNodeArgs } from 'node:util';
import { CERTIFICATE_FILE_MAX_BYTES, ExpectedError, about, formatProblem, parseDeployment, readCertificateFile, sfbError, type CertificateReadResult, type Deployment, type SfbError } from '../core';
import { describeFileReadError, readRegularFile } from '../node/regularFile';

/** Bad input (a usage mistake, or a core refusal): an ExpectedError, printed on stderr without a stack trace, exit code 2. */
export class UsageError extends ExpectedError {
  constructor(problem: string | SfbError) {
    super(typeof problem === 'string' ? sfbError('usage', problem) : problem);
  }
}

/** The deployment file named on the command line, loaded and validated; a UsageError listing the problems when it does not load. */
export function readDeploymentArgument(file: string | undefined): ReturnType<typeof parseDeployment> & { ok: true; deployment: Deployment } {
  const parsed = parseDeployment(readInputFile(file, 'deployment file (sfb-deployment.json)'));
  if (!parsed.ok) {
    throw new UsageError([`${file} cannot be loaded:`, ...parsed.errors.map((p) => `  ${formatProblem(p)}`), parsed.readOnlyReason].join('\n'));
  }
  return parsed;
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** A regular file of at most `maxBytes` (no cap when absent); anything else is a UsageError saying what to do. */
export function readInputFile(file: string | undefined, what: string, maxBytes?: number): Buffer {
  if (!file) throw new UsageError(`Name the ${what} to read.`);
  const read = readRegularFile(file, { what, maxBytes });
  if (!read.ok) throw new UsageError(describeFileReadError(read.error));
  return read.bytes;
}

/** The password from SFB_CERT_PASSWORD, or the first line of stdin with --password-stdin. */
export function readPassword(args: ParsedArgs): string | undefined {
  if (args.flags.get('password-stdin') === true) {
    const text = fs.readFileSync(0, 'utf8');
    return text.replace(/\r?\n$/, '').split(/\r?\n/)[0] ?? '';
  }
  return process.env.SFB_CERT_PASSWORD;
}

export interface CliCommand {
  summary: string;
  usage: string;
  /**
   * Returns (or resolves to) the text to print on stdout, or the exit code of a command that wrote its own output.
   * Throws (or rejects with) UsageError for bad input.
   */
  run(argv: string[]): string | { exitCode: number } | Promise<string | { exitCode: number }>;
}

interface Options {
  switches?: string[];
  /** Options that take a value. */
  values?: string[];
  /** How many file names the command takes. */
  files: number;
  /** What to say when more file names come (default: "Too many arguments: …"). */
  tooMany?: string;
}

/**
 * Parses argv with node:util's parseArgs (strict: `--name value`, `--name=value`, bare `--switch`) and refuses, with
 * the command's usage, unknown options, a value given to a switch, a missing value and a wrong number of file names.
 * `--password` is refused with the reason: passwords never come on the command line.
 */
export function parseOptions(command: CliCommand, argv: string[], options: Options): ParsedArgs {
  const switches = options.switches ?? [];
  const usage = `Usage: sfb-cert ${command.usage}`;
  if (argv.some((a) => a === '--password' || a.startsWith('--password='))) {
    throw new UsageError('Passwords are never taken on the command line. Set SFB_CERT_PASSWORD or use --password-stdin.');
  }
  const declared: Record<string, { type: 'boolean' | 'string' }> = {};
  for (const name of switches) declared[name] = { type: 'boolean' };
  for (const name of options.values ?? []) declared[name] = { type: 'string' };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseNodeArgs({ args: argv, options: declared, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${describeParseError(e, argv, switches)} ${usage}`);
  }
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === true || typeof value === 'string') flags.set(name, value);
  }
  const positional = parsed.positionals;
  if (positional.length > options.files) throw new UsageError(`${options.tooMany ?? `Too many arguments: ${positional.slice(options.files).join(' ')}.`} ${usage}`);
  return { positional, flags };
}

/** Our wording for node:util parseArgs's refusals (its own names the option in quotes and mentions `--`). */
function describeParseError(e: unknown, argv: string[], switches: string[]): string {
  const code = (e as { code?: string }).code;
  const named = /'(--?[^' ]+)/.exec((e as Error).message)?.[1];
  const option = named ?? argv.find((a) => a.startsWith('-')) ?? '';
  const name = option.replace(/^--?/, '').split('=')[0];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option.startsWith('--') ? '--' : '-'}${name}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (switches.includes(name)) return `--${name} takes no value.`;
    return `--${name} needs a value (write --${name}=VALUE for one that starts with a dash).`;
  }
  return (e as Error).message;
}

/** Reads the certificate file named by the first file argument, with the password from SFB_CERT_PASSWORD or stdin. */
export function readCertificateArgument(args: ParsedArgs, what: string): Extract<CertificateReadResult, { ok: true }> {
  const [file] = args.positional;
  const read = readCertificateFile(readInputFile(file, what, CERTIFICATE_FILE_MAX_BYTES), { password: readPassword(args), fileName: path.basename(file) });
  if (!read.ok) {
    const hint = read.error.code === 'password-required' || read.error.code === 'wrong-password' ? ' Set SFB_CERT_PASSWORD, or pipe the password in with --password-stdin.' : '';
    throw new UsageError({ ...about(file, read.error), fix: `${read.error.fix}${hint}` });
  }
  return read;
}
