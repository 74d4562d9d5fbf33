// The certificate timeline's layout model (issue #17): rows, bars, markers and gaps as plain data, computed from the
// deployment, the clock's now and the rules' findings. The webview (media/timeline/) only draws what this returns;
// the unit tests check it here. No 'vscode', no DOM, no I/O.
//
// Rows: the global OAuthTokenIssuer slot first (current, previous, pending), then one group per pool with a row per
// server and certificate use it holds (SERVER_USES; the Front Ends' replicated OAuthTokenIssuer copy is the global
// group's). A collapsed group is one row. Bars run from a certificate's NotBefore to its NotAfter and carry the
// worst severity the rules found for it there. Gaps are the spans without a valid certificate for a use.
import { certUseFacts } from './cmdlets';
import { displayText } from './displayText';
import type { Assignments, CertUse, Deployment, Finding, Pool, Severity, Slot, StoredCertificate } from './model';
import { serverUses, serverVersion } from './topology';

export type TimelineTone = 'ok' | 'info' | 'warning' | 'error';
export type BarRole = 'current' | 'previous' | 'pending' | 'proposed';

export interface TimelineBar {
  thumbprint: string;
  role: BarRole;
  /** NotBefore and NotAfter, ms since the epoch. */
  from: number;
  to: number;
  /** When it became (or becomes) current in its slot, if known. */
  effective?: number;
  /** Friendly name or subject, safe to show (control and bidi characters escaped). */
  label: string;
  tone: TimelineTone;
  /** 0: the slot's current and previous certificates; 1: a staged or proposed roll (drawn below). */
  lane: 0 | 1;
}

export interface TimelineGap {
  from: number;
  to: number;
  /** Why there is no valid certificate then. */
  why: string;
}

export interface TimelineRow {
  /** 'global', 'global:current' …, 'pool:<fqdn>', 'slot:<server>:<use>'. */
  id: string;
  kind: 'group' | 'slot';
  label: string;
  /** 0 for groups, 1 for their rows. */
  depth: 0 | 1;
  /** The group a slot row belongs to (its own id for a group). */
  group: string;
  /** Groups: whether their rows follow. */
  expanded?: boolean;
  /** Groups: how many rows they hold, shown or not. */
  count?: number;
  /** Worst tone of the row (of a group: of every row in it). */
  tone: TimelineTone;
  bars: TimelineBar[];
  gaps: TimelineGap[];
  /** One line for a person: a collapsed group's earliest expiry, a slot's state. */
  summary?: string;
  serverFqdn?: string;
  use?: CertUse;
}

export type MarkerKind = 'today' | 'roll' | 'oauth-lead' | 'expiry-warning' | 'plan';

export interface TimelineMarker {
  kind: MarkerKind;
  /** A moment, or the start of a window. */
  at: number;
  /** The end of a window. */
  to?: number;
  label: string;
}

export interface TimelineLayout {
  /** The time axis: [start, end] in ms. */
  domain: [number, number];
  now: number;
  simulated: boolean;
  rows: TimelineRow[];
  markers: TimelineMarker[];
  /** Rows of every group if all were expanded (for the view's "n of m rows"). */
  totalRows: number;
}

/** A what-if to draw over the deployment: bars and markers that are not in it (a renewal proposal's). */
export interface TimelineOverlay {
  bars: TimelineBar[];
  markers: TimelineMarker[];
}

export interface TimelineOptions {
  now: Date;
  simulated: boolean;
  expiryWarningDays: number;
  /** The rules' findings at `now` (the ones the tree and the Problems panel show). */
  findings: readonly Finding[];
  /** Group ids shown expanded; undefined = the default (the global group, and pools while the deployment is small). */
  expanded?: readonly string[];
  overlay?: TimelineOverlay;
}

export const GLOBAL_GROUP = 'global';
/** Pools start expanded while the deployment has at most this many servers (as the tree opens pools). */
export const EXPAND_SERVERS_LIMIT = 50;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MIN_BEFORE_NOW = 30 * DAY_MS;
const MIN_AFTER_NOW = 120 * DAY_MS;
const MAX_SPAN_MS = 4 * 365 * DAY_MS;
const SEVERITY_TONE: Record<Severity, TimelineTone> = { error: 'error', warning: 'warning', info: 'info' };
const TONE_RANK: Record<TimelineTone, number> = { ok: 0, info: 1, warning: 2, error: 3 };

export function worstTone(tones: Iterable<TimelineTone>): TimelineTone {
  let worst: TimelineTone = 'ok';
  for (const t of tones) if (TONE_RANK[t] > TONE_RANK[worst]) worst = t;
  return worst;
}

/** Tones per scope (a server FQDN or 'global'), then per "thumbprint" and "use|thumbprint". */
type Tones = Map<string, Map<string, TimelineTone>>;

/** Severity of the findings by scope, then by thumbprint and by use and thumbprint. A scope without findings has no entry, so its slots cost one lookup. */
function findingTones(findings: readonly Finding[]): Tones {
  const out: Tones = new Map();
  const add = (scope: string, key: string, tone: TimelineTone) => {
    let inScope = out.get(scope);
    if (!inScope) out.set(scope, (inScope = new Map()));
    const had = inScope.get(key);
    if (!had || TONE_RANK[tone] > TONE_RANK[had]) inScope.set(key, tone);
  };
  for (const f of findings) {
    if (!f.where.thumbprint) continue;
    const scope = f.where.serverFqdn ?? 'global';
    add(scope, f.where.thumbprint, SEVERITY_TONE[f.severity]);
    if (f.where.use) add(scope, `${f.where.use}|${f.where.thumbprint}`, SEVERITY_TONE[f.severity]);
  }
  return out;
}

function barLabel(cert: StoredCertificate | undefined, thumbprint: string): string {
  return displayText(cert ? cert.friendlyName || cert.subject || thumbprint : `${thumbprint} (not in the store)`);
}

interface SlotContext {
  lookup: (thumbprint: string) => StoredCertificate | undefined;
  tones: Tones;
  scope: string;
  use: CertUse;
  /** A gap at now is an error; one starting before `warnUntil` (now + the expiry warning window) a warning. */
  now: number;
  warnUntil: number;
}

function gapTone(gaps: TimelineGap[], ctx: Pick<SlotContext, 'now' | 'warnUntil'>): TimelineTone {
  if (gaps.some((g) => g.from <= ctx.now && g.to > ctx.now)) return 'error';
  return gaps.some((g) => g.from < ctx.warnUntil) ? 'warning' : 'ok';
}

/** `labelled` false: without its label (a closed pool's slots; only the earliest expiry's label is shown, built then). */
function bar(ctx: SlotContext, role: BarRole, entry: { thumbprint: string; effectiveDate: string }, labelled = true): TimelineBar | undefined {
  const cert = ctx.lookup(entry.thumbprint);
  if (!cert) return undefined;
  const inScope = ctx.tones.get(ctx.scope);
  const tone = (inScope && (inScope.get(`${ctx.use}|${entry.thumbprint}`) ?? (role === 'previous' ? undefined : inScope.get(entry.thumbprint)))) ?? 'ok';
  return {
    thumbprint: entry.thumbprint, role, from: Date.parse(cert.notBefore), to: Date.parse(cert.notAfter), effective: Date.parse(entry.effectiveDate),
    label: labelled ? barLabel(cert, entry.thumbprint) : '', tone, lane: role === 'pending' ? 1 : 0,
  };
}

/**
 * The spans of [from, to] in which the slot has no valid certificate: the current certificate serves from its
 * NotBefore until it expires or a staged roll takes over; the rolled-in one from its effective date (once valid)
 * until it expires.
 */
export function slotGaps(current: TimelineBar | undefined, pending: TimelineBar | undefined, from: number, to: number): TimelineGap[] {
  if (!current && !pending) return from < to ? [{ from, to, why: 'No certificate is assigned.' }] : [];
  const served: { from: number; to: number; by: TimelineBar }[] = [];
  if (current) served.push({ from: current.from, to: pending?.effective !== undefined ? Math.min(current.to, pending.effective) : current.to, by: current });
  if (pending) served.push({ from: Math.max(pending.from, pending.effective ?? pending.from), to: pending.to, by: pending });
  const gaps: TimelineGap[] = [];
  // Before the first certificate's NotBefore is history the model does not know: gaps start at the first one.
  let cursor = Math.max(from, served[0].from);
  for (const s of served) {
    if (s.from > cursor) gaps.push({ from: cursor, to: Math.min(s.from, to), why: s.by.role === 'pending' ? `The rolled-in certificate ${s.by.thumbprint} is not valid yet.` : 'No valid certificate.' });
    cursor = Math.max(cursor, s.to);
  }
  if (cursor < to) gaps.push({ from: cursor, to, why: `No valid certificate: ${served[served.length - 1].by.thumbprint} has expired${pending ? '' : ' and no roll is staged'}.` });
  return gaps.filter((g) => g.to > g.from);
}

function slotRow(ctx: SlotContext, id: string, label: string, group: string, slot: Slot | undefined, domain: [number, number], serverFqdn?: string): TimelineRow {
  const current = slot?.current && bar(ctx, 'current', slot.current);
  const pending = slot?.pending && bar(ctx, 'pending', slot.pending);
  const previous = slot?.previous && bar(ctx, 'previous', slot.previous);
  const bars = [previous, current, pending].filter((b): b is TimelineBar => b !== undefined);
  const gaps = slotGaps(current, pending, domain[0], domain[1]);
  const tone = worstTone([...bars.filter((b) => b.role !== 'previous').map((b) => b.tone), gapTone(gaps, ctx)]);
  const summary = current ? `${current.label} until ${new Date(current.to).toISOString().slice(0, 10)}${pending ? `; roll staged for ${new Date(pending.effective ?? pending.from).toISOString().slice(0, 10)}` : ''}` : 'No certificate assigned';
  return { id, kind: 'slot', label, depth: 1, group, tone, bars, gaps, summary, serverFqdn, use: ctx.use };
}

type Window = Pick<SlotContext, 'now' | 'warnUntil'>;

function globalRows(state: Deployment, tones: Tones, domain: [number, number], window: Window): TimelineRow[] {
  const slot = state.cms.assignments.OAuthTokenIssuer;
  const cms = new Map(state.cms.certificates.map((c) => [c.thumbprint, c]));
  const ctx: SlotContext = { lookup: (t) => cms.get(t), tones, scope: 'global', use: 'OAuthTokenIssuer', ...window };
  const whole = slotRow(ctx, 'global:current', 'OAuthTokenIssuer (global) — current', GLOBAL_GROUP, slot, domain);
  const only = (role: BarRole) => whole.bars.filter((b) => b.role === role).map((b) => ({ ...b, lane: 0 as const }));
  const current: TimelineRow = { ...whole, bars: only('current') };
  const previous: TimelineRow = { ...whole, id: 'global:previous', label: 'OAuthTokenIssuer (global) — previous', bars: only('previous'), gaps: [], tone: worstTone(only('previous').map((b) => b.tone)), summary: slot?.previous ? `Kept until removed (Remove-CsCertificate -Previous)` : 'None' };
  const pendingBars = only('pending');
  const pending: TimelineRow = { ...whole, id: 'global:pending', label: 'OAuthTokenIssuer (global) — pending roll', bars: pendingBars, gaps: [], tone: worstTone(pendingBars.map((b) => b.tone)), summary: pendingBars.length ? `Becomes current on ${new Date(pendingBars[0].effective ?? pendingBars[0].from).toISOString()}` : 'No roll staged' };
  // The current row carries the slot's gaps (which consider the pending roll too).
  current.tone = whole.tone;
  return [current, previous, pending];
}

function serverRows(state: Deployment, pool: Pool, tones: Tones, domain: [number, number], group: string, window: Window): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const server of pool.servers) {
    const uses = serverUses(pool.kind, serverVersion(state, server).version).filter((u) => certUseFacts(u).scope === 'computer');
    const store = new Map(server.certificates.map((c) => [c.thumbprint, c]));
    const assignments: Assignments = server.assignments;
    for (const use of uses) {
      const ctx: SlotContext = { lookup: (t) => store.get(t), tones, scope: server.fqdn, use, ...window };
      rows.push(slotRow(ctx, `slot:${server.fqdn}:${use}`, `${server.fqdn} · ${use}`, group, assignments[use], domain, server.fqdn));
    }
  }
  return rows;
}

/** What a pool's group row says about its slot rows: how many, the worst tone, the earliest-expiring current certificate, the uses without one. */
interface GroupFacts {
  count: number;
  tone: TimelineTone;
  earliest?: { to: number; label: () => string };
  missing: number;
}

function groupFacts(inside: readonly TimelineRow[]): GroupFacts {
  const earliest = inside.flatMap((r) => r.bars.filter((b) => b.role === 'current')).reduce<TimelineBar | undefined>((min, b) => (!min || b.to < min.to ? b : min), undefined);
  return {
    count: inside.length, tone: worstTone(inside.map((r) => r.tone)), missing: inside.filter((r) => !r.bars.some((b) => b.role === 'current')).length,
    earliest: earliest && { to: earliest.to, label: () => earliest.label },
  };
}

/**
 * groupFacts(serverRows(…)) without the rows: the same slots, bars' tones and gaps, in the same order (the unit tests
 * check that both agree), allocating only what a slot's tone needs.
 */
function closedGroupFacts(state: Deployment, pool: Pool, tones: Tones, domain: [number, number], window: Window): GroupFacts {
  const facts: GroupFacts = { count: 0, tone: 'ok', missing: 0 };
  let earliestCert: StoredCertificate | undefined;
  let earliestThumbprint = '';
  for (const server of pool.servers) {
    const uses = serverUses(pool.kind, serverVersion(state, server).version);
    for (const use of uses) {
      if (certUseFacts(use).scope !== 'computer') continue;
      facts.count++;
      const slot = server.assignments[use];
      const lookup = (thumbprint: string) => server.certificates.find((c) => c.thumbprint === thumbprint);
      const ctx: SlotContext = { lookup, tones, scope: server.fqdn, use, ...window };
      const current = slot?.current && bar(ctx, 'current', slot.current, false);
      const pending = slot?.pending && bar(ctx, 'pending', slot.pending, false);
      const tone = worstTone([current?.tone ?? 'ok', pending?.tone ?? 'ok', gapTone(slotGaps(current, pending, domain[0], domain[1]), ctx)]);
      facts.tone = worstTone([facts.tone, tone]);
      if (!current) facts.missing++;
      else if (!facts.earliest || current.to < facts.earliest.to) {
        earliestCert = lookup(current.thumbprint);
        earliestThumbprint = current.thumbprint;
        facts.earliest = { to: current.to, label: () => barLabel(earliestCert, earliestThumbprint) };
      }
    }
  }
  return facts;
}

/** The axis: from 30 days before now (or the earliest NotBefore) to 120 days after now (or the latest NotAfter), at most 4 years. */
function timeDomain(state: Deployment, now: number, overlay: TimelineOverlay | undefined): [number, number] {
  let start = now - MIN_BEFORE_NOW;
  let end = now + MIN_AFTER_NOW;
  const consider = (cert: StoredCertificate) => {
    start = Math.min(start, Date.parse(cert.notBefore));
    end = Math.max(end, Date.parse(cert.notAfter));
  };
  state.cms.certificates.forEach(consider);
  for (const pool of state.pools) for (const s of pool.servers) {
    for (const slot of Object.values(s.assignments)) {
      for (const entry of [slot?.current, slot?.pending]) {
        const cert = entry && s.certificates.find((c) => c.thumbprint === entry.thumbprint);
        if (cert) consider(cert);
      }
    }
  }
  for (const b of overlay?.bars ?? []) end = Math.max(end, b.to);
  start = Math.max(start, now - MAX_SPAN_MS / 2);
  end = Math.min(end, start + MAX_SPAN_MS);
  // A little room on both sides, so a bar's ends are not on the frame.
  const pad = (end - start) * 0.02;
  return [start - pad, end + pad];
}

function globalMarkers(state: Deployment, now: number, simulated: boolean, warnDays: number): TimelineMarker[] {
  const markers: TimelineMarker[] = [{ kind: 'today', at: now, label: simulated ? 'Now (simulated clock)' : 'Today' }];
  const slot = state.cms.assignments.OAuthTokenIssuer;
  for (const [role, entry] of [['previous', slot?.previous], ['current', slot?.current], ['pending', slot?.pending]] as const) {
    if (entry && (role !== 'current' || slot?.previous)) markers.push({ kind: 'roll', at: Date.parse(entry.effectiveDate), label: `Roll: ${entry.thumbprint.slice(0, 8)}… ${role === 'pending' ? 'becomes' : 'became'} current` });
  }
  const current = slot?.current && state.cms.certificates.find((c) => c.thumbprint === slot.current?.thumbprint);
  if (current) {
    const expiry = Date.parse(current.notAfter);
    const lead = certUseFacts('OAuthTokenIssuer').leadTimeHours ?? 0;
    markers.push({ kind: 'expiry-warning', at: expiry - warnDays * DAY_MS, to: expiry, label: `Expiry warning window (${warnDays} days, setting sfbCertificates.expiryWarningDays)` });
    markers.push({ kind: 'oauth-lead', at: expiry - lead * HOUR_MS, to: expiry, label: `Last ${lead} hours before the OAuth certificate expires: a roll should take effect before this window` });
  }
  return markers;
}

/** The timeline of the deployment at `options.now`. Linear in the number of servers; collapsed groups cost one row. */
export function timelineLayout(state: Deployment, options: TimelineOptions): TimelineLayout {
  const now = options.now.getTime();
  const tones = findingTones(options.findings);
  const domain = timeDomain(state, now, options.overlay);
  const serverCount = state.pools.reduce((n, p) => n + p.servers.length, 0);
  const expanded = new Set(options.expanded ?? [GLOBAL_GROUP, ...(serverCount <= EXPAND_SERVERS_LIMIT ? state.pools.map((p) => `pool:${p.fqdn}`) : [])]);
  const rows: TimelineRow[] = [];
  let totalRows = 0;

  const window: Window = { now, warnUntil: now + options.expiryWarningDays * DAY_MS };
  const global = globalRows(state, tones, domain, window);
  for (const b of options.overlay?.bars ?? []) {
    const target = global.find((r) => r.id === (b.role === 'proposed' ? 'global:pending' : 'global:current'));
    target?.bars.push(b);
  }
  const globalOpen = expanded.has(GLOBAL_GROUP);
  rows.push({ id: GLOBAL_GROUP, kind: 'group', label: 'Central Management Store — OAuthTokenIssuer (global)', depth: 0, group: GLOBAL_GROUP, expanded: globalOpen, count: global.length, tone: worstTone(global.map((r) => r.tone)), bars: [], gaps: [], summary: global[0].summary });
  if (globalOpen) rows.push(...global);
  totalRows += 1 + global.length;

  for (const pool of state.pools) {
    const id = `pool:${pool.fqdn}`;
    const open = expanded.has(id);
    // A closed pool is one row: its tone and summary come from its slots without building their rows (a 12,000-server
    // deployment opens with every pool closed, and the timeline's first view is this loop).
    const inside = open ? serverRows(state, pool, tones, domain, id, window) : undefined;
    const facts = inside ? groupFacts(inside) : closedGroupFacts(state, pool, tones, domain, window);
    const summary = `${pool.servers.length} server${pool.servers.length === 1 ? '' : 's'}${facts.earliest ? `; earliest expiry ${new Date(facts.earliest.to).toISOString().slice(0, 10)} (${facts.earliest.label()})` : ''}${facts.missing ? `; ${facts.missing} use${facts.missing === 1 ? '' : 's'} without a certificate` : ''}`;
    rows.push({ id, kind: 'group', label: displayText(pool.fqdn), depth: 0, group: id, expanded: open, count: facts.count, tone: facts.tone, bars: [], gaps: [], summary });
    if (inside) rows.push(...inside);
    totalRows += 1 + facts.count;
  }
  const markers = [...globalMarkers(state, now, options.simulated, options.expiryWarningDays), ...(options.overlay?.markers ?? [])];
  return { domain, now, simulated: options.simulated, rows, markers, totalRows };
}
