// Tab completion for the terminal: cmdlet names, parameters, -Type values, thumbprints in this computer's store,
// computer names, -Identity global, and files under the mapped drive.
import { CERT_USES, deploymentVersion, findServer, serverVersion, useMissingFromVersion } from '../core';
import { allParams, resolveParameter } from './binding';
import { commandNames, findCommand } from './cmdlets';
import { ShellError } from './errors';
import { resolvePath } from './paths';
import type { ShellState } from './runtime';

const BREAKS = /[\s|;({]/;
const COMPUTER_PARAMS = new Set(['ComputerName', 'ReplicaFqdn', 'Pool']);
const PATH_PARAMS = new Set(['Path', 'FilePath']);

function byPrefix(prefix: string, values: readonly string[]): string[] {
  const lower = prefix.toLowerCase();
  return values.filter((v) => v.toLowerCase().startsWith(lower));
}

export async function completeAt(state: ShellState, line: string, cursor: number): Promise<{ start: number; end: number; candidates: string[] }> {
  let start = cursor;
  while (start > 0 && !BREAKS.test(line[start - 1])) start--;
  let end = cursor;
  while (end < line.length && !BREAKS.test(line[end])) end++;
  let word = line.slice(start, cursor);
  // The current command: the first word after the last | ; ( or { before the word.
  const before = line.slice(0, start);
  const segment = before.slice(Math.max(before.lastIndexOf('|'), before.lastIndexOf(';'), before.lastIndexOf('('), before.lastIndexOf('{')) + 1);
  const words = segment.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return { start, end, candidates: byPrefix(word, commandNames()).sort() };
  const command = findCommand(words[0]);
  if (!command) return { start, end, candidates: [] };
  if (word.startsWith('-')) {
    const names = allParams(command).map((p) => `-${p.name}`);
    return { start, end, candidates: byPrefix(word, names) };
  }
  const previous = words[words.length - 1];
  let param: string | undefined;
  if (previous?.startsWith('-') && words.length > 1) {
    try {
      param = resolveParameter(command, previous.slice(1), { start: 0, end: 0 }).name;
    } catch (e) {
      if (!(e instanceof ShellError)) throw e;
    }
  }
  // In a comma list only the part after the last comma is completed.
  const comma = word.lastIndexOf(',');
  if (comma >= 0) {
    start += comma + 1;
    word = word.slice(comma + 1);
  }
  const session = state.host.session.state;
  if (param === 'Type') {
    // The uses this computer's product version has (no XMPPServer on Skype for Business Server 2019).
    const at = state.computer ? findServer(session, state.computer) : undefined;
    const version = (at ? serverVersion(session, at.server) : deploymentVersion(session)).version;
    return { start, end, candidates: byPrefix(word, CERT_USES.map((u) => u.use).filter((u) => !useMissingFromVersion(u, version))) };
  }
  if (param === 'Identity' && /CsCertificate$/i.test(command.name)) return { start, end, candidates: byPrefix(word, ['global']) };
  if (param === 'Thumbprint') {
    const store = state.computer ? findServer(session, state.computer)?.server.certificates ?? [] : [];
    return { start, end, candidates: byPrefix(word, [...new Set([...store, ...session.cms.certificates].map((c) => c.thumbprint))]) };
  }
  if ((param && COMPUTER_PARAMS.has(param)) || (param === 'Identity' && /^Get-Cs(Computer|Pool)$/i.test(command.name))) {
    const names = param === 'Pool' || /Pool$/i.test(command.name) ? session.pools.map((p) => p.fqdn) : session.pools.flatMap((p) => p.servers.map((s) => s.fqdn));
    return { start, end, candidates: byPrefix(word, names) };
  }
  if ((param && PATH_PARAMS.has(param)) || /[\\/:]|^\./.test(word) || command.name === 'Get-ChildItem' || command.name === 'Set-Location') {
    return { start, end, candidates: await pathCandidates(state, word) };
  }
  return { start, end, candidates: [] };
}

async function pathCandidates(state: ShellState, word: string): Promise<string[]> {
  if (/^cert:/i.test(word)) return byPrefix(word, ['Cert:\\LocalMachine\\My']);
  const cut = Math.max(word.lastIndexOf('\\'), word.lastIndexOf('/'));
  const dirTyped = cut >= 0 ? word.slice(0, cut + 1) : '';
  const namePrefix = word.slice(cut + 1);
  let dir;
  try {
    dir = resolvePath(state.location, dirTyped || '.');
  } catch (e) {
    if (e instanceof ShellError) return [];
    throw e;
  }
  const entries = await state.host.files.list(dir.rel).catch(() => []);
  const prefix = dirTyped || (word.startsWith('.') ? '' : '.\\');
  return entries
    .filter((e) => e.name.toLowerCase().startsWith(namePrefix.toLowerCase()))
    .sort((a, b) => Number(b.isDirectory) - Number(a.isDirectory) || a.name.localeCompare(b.name))
    .map((e) => `${prefix}${e.name}${e.isDirectory ? '\\' : ''}`);
}
