// Builds tree items' contextValue strings from typed flags, e.g. "certificate+hasKey+exportable+onServer".
// package.json menus match them with `viewItem =~ /^certificate\b.*\+hasKey\b/`. No 'vscode' import, so
// unit tests can evaluate the manifest's when-clauses against this helper's output.

export interface NodeFlags {
  cms: Record<string, never>;
  site: Record<string, never>;
  pool: { hostsCms?: boolean };
  server: { frontEnd?: boolean; edge?: boolean; upToDate?: boolean; unreachable?: boolean };
  slot: { global?: boolean; oauth?: boolean; hasCurrent?: boolean; hasPrevious?: boolean; hasPending?: boolean };
  certificate: {
    /** In a server's Personal store (not only referenced by a slot). */
    onServer?: boolean;
    /** Held by the Central Management Store (global). */
    global?: boolean;
    hasKey?: boolean;
    exportable?: boolean;
    /** Shown as a slot's current / previous / pending entry. */
    current?: boolean;
    previous?: boolean;
    pending?: boolean;
    expired?: boolean;
  };
  folder: { store?: boolean; replication?: boolean };
  message: Record<string, never>;
}

export type NodeKind = keyof NodeFlags;

/** Flags appear in a fixed (declaration) order so the strings are stable. */
const FLAG_ORDER: { [K in NodeKind]: (keyof NodeFlags[K])[] } = {
  cms: [],
  site: [],
  pool: ['hostsCms'],
  server: ['frontEnd', 'edge', 'upToDate', 'unreachable'],
  slot: ['global', 'oauth', 'hasCurrent', 'hasPrevious', 'hasPending'],
  certificate: ['onServer', 'global', 'hasKey', 'exportable', 'current', 'previous', 'pending', 'expired'],
  folder: ['store', 'replication'],
  message: [],
};

export function contextValue<K extends NodeKind>(kind: K, flags: NodeFlags[K]): string {
  const set = FLAG_ORDER[kind].filter((f) => Boolean(flags[f]));
  return [kind, ...set.map(String)].join('+');
}
