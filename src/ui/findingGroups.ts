// What the Problems panel lists: the rules' findings one by one, except that a rule firing on many servers (after a
// global assignment every Front End has "replication pending" until it replicates) becomes one entry naming them, so
// the panel stays readable and cheap on 12,000 servers. No 'vscode' here.
import type { Finding, Severity } from '../core';

/** A rule with more findings than this is shown as one entry. */
export const GROUP_OVER = 20;
/** How many servers a grouped entry names before "and N more". */
const NAMED = 10;

export interface ProblemEntry {
  rule: string;
  severity: Severity;
  message: string;
  /** Where it is anchored: the finding's path (for a group, its first finding's). */
  path: string;
  /** The finding it shows (the first one of a group). */
  first: Finding;
  count: number;
}

export function problemEntries(findings: readonly Finding[]): ProblemEntry[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.rule}\u0000${f.severity}`;
    const list = byRule.get(key);
    if (list) list.push(f);
    else byRule.set(key, [f]);
  }
  const out: ProblemEntry[] = [];
  for (const list of byRule.values()) {
    const first = list[0];
    if (list.length <= GROUP_OVER) {
      for (const f of list) out.push({ rule: f.rule, severity: f.severity, message: withFix(f), path: f.where.path, first: f, count: 1 });
      continue;
    }
    const names = list.slice(1, NAMED + 1).map((f) => f.where.serverFqdn ?? f.where.path);
    const more = list.length - 1 - names.length;
    out.push({
      rule: first.rule, severity: first.severity, path: first.where.path, first, count: list.length,
      message: `${list.length} alike (${first.rule}). The first: ${withFix(first)}\nThe same on ${names.join(', ')}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}.`,
    });
  }
  return out;
}

function withFix(f: Finding): string {
  return `${f.message}${f.fix ? `\nFix: ${f.fix}` : ''}`;
}
