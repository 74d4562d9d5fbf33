// Shared plumbing for the `sfb-cert` command line: argument parsing, password sources, exit codes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CERTIFICATE_FILE_MAX_BYTES, ExpectedError, about, readCertificateFile, sfbError, type CertificateReadResult, type SfbError } from '../core';
import { describeFileReadError, readRegularFile } from '../node/regularFile';

/** Bad input (a usage mistake, or a core refusal): an ExpectedError, printed on stderr without a stack trace, exit code 2. */
export class UsageError extends ExpectedError {
  constructor(problem: string | SfbError) {
    super(typeof problem === 'string' ? sfbError('usage', problem) : problem);
  }
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** `--name value`, `--name=value` and bare `--switch` (for the names in `switches`). */
export function parseArgs(argv: string[], switches: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (name === 'password') throw new UsageError('Passwords are never taken on the command line. Set SFB_CERT_PASSWORD or use --password-stdin.');
    if (eq > 0) flags.set(name, a.slice(eq + 1));
    else if (switches.includes(name)) flags.set(name, true);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new UsageError(`--${name} needs a value.`);
  }
  return { positional, flags };
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

/** Parses argv and refuses unknown options, values where none belong, and a wrong number of file names. */
export function parseOptions(command: CliCommand, argv: string[], options: Options): ParsedArgs {
  const switches = options.switches ?? [];
  const known = [...switches, ...(options.values ?? []), 'password'];
  const usage = `Usage: sfb-cert ${command.usage}`;
  // Checked before parseArgs, which would take the next word as an unknown option's value. --password is left to
  // parseArgs: it explains that passwords never come on the command line.
  const unknown = argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]).find((name) => !known.includes(name));
  if (unknown !== undefined) throw new UsageError(`Unknown option --${unknown}. ${usage}`);
  const args = parseArgs(argv, switches);
  for (const name of switches) {
    if (args.flags.has(name) && args.flags.get(name) !== true) throw new UsageError(`--${name} takes no value. ${usage}`);
  }
  if (args.positional.length > options.files) throw new UsageError(`${options.tooMany ?? `Too many arguments: ${args.positional.slice(options.files).join(' ')}.`} ${usage}`);
  return args;
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
