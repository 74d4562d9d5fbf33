// The certificate timeline's layout model (issue #17): rows, bars, markers and gaps as plain data, computed from the
// deployment, the clock's now and the rules' findings. The webview (media/timeline/) only draws what this returns;
// the unit tests check it here. No 'vscode', no DOM, no I/O.
//
// Rows: the global OAuthTokenIssuer slot first (current, previous, pending), then one group per pool with a row per
// server and certificate use it holds (SERVER_USES; the Front Ends' replicated OAuthTokenIssuer copy is the global
// group's). A collapsed group is one row. Bars run from a certificate's NotBefore to its NotAfter and carry the
// worst severity the rules found for it there. Gaps are the spans without a valid certificate for a use.
//
// Large deployments: a TimelineCache keeps, per pool object (operations never change a deployment in place, so an
// untouched pool is the same object in the next version), the pool's certificate extent and its closed row's facts;
// `rowLimit` builds only the first rows (a webview's first screen) and counts the rest; timelineLayoutSteps does the
// work in slices, so the extension host can do other work between them.
import { certUseFacts } from './cmdlets';
import { displayText } from './displayText';
import type { Assignments, CertUse, Deployment, Finding, Pool, Severity, Slot, StoredCertificate } from './model';
import { deploymentVersion, serverUses, serverVersion } from './topology';

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
  /** Rows shown (groups and the rows of the expanded ones): `rows` holds them all, or only the first (`rowLimit`). */
  rowCount: number;
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
  /** Build only the first this many rows shown (a first screen); the others are counted in `rowCount`. Default: all. */
  rowLimit?: number;
  /** Kept between layouts of successive versions of a deployment: what did not change is not computed again. */
  cache?: TimelineCache;
}

export const GLOBAL_GROUP = 'global';
/** Pools start expanded while the deployment has at most this many servers (as the tree opens pools). */
export const EXPAND_SERVERS_LIMIT = 50;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MIN_BEFORE_NOW = 30 * DAY_MS;
const MIN_AFTER_NOW = 120 * DAY_MS;
const MAX_SPAN_MS = 4 * 365 * DAY_MS;
/** Servers whose slots are evaluated between two steps of timelineLayoutSteps (a few milliseconds of work). */
const STEP_SERVERS = 600;
const SEVERITY_TONE: Record<Severity, TimelineTone> = { error: 'error', warning: 'warning', info: 'info' };
const TONE_RANK: Record<TimelineTone, number> = { ok: 0, info: 1, warning: 2, error: 3 };

export function worstTone(tones: Iterable<TimelineTone>): TimelineTone {
  let worst: TimelineTone = 'ok';
  for (const t of tones) if (TONE_RANK[t] > TONE_RANK[worst]) worst = t;
  return worst;
}

/** Tones per scope (a server FQDN or 'global'), then per "thumbprint" and "use|thumbprint". */
type Tones = Map<string, Map<string, TimelineTone>>;

/** The findings' tones, and the findings each scope's tones come from (a cached pool summary is reused while they are the same objects). */
interface FindingTones {
  tones: Tones;
  byScope: Map<string, Finding[]>;
}

/** Severity of the findings by scope, then by thumbprint and by use and thumbprint. A scope without findings has no entry, so its slots cost one lookup. */
function findingTones(findings: readonly Finding[]): FindingTones {
  const out: Tones = new Map();
  const byScope = new Map<string, Finding[]>();
  const add = (inScope: Map<string, TimelineTone>, key: string, tone: TimelineTone) => {
    const had = inScope.get(key);
    if (!had || TONE_RANK[tone] > TONE_RANK[had]) inScope.set(key, tone);
  };
  for (const f of findings) {
    if (!f.where.thumbprint) continue;
    const scope = f.where.serverFqdn ?? 'global';
    let inScope = out.get(scope);
    if (!inScope) {
      out.set(scope, (inScope = new Map()));
      byScope.set(scope, []);
    }
    byScope.get(scope)!.push(f);
    add(inScope, f.where.thumbprint, SEVERITY_TONE[f.severity]);
    if (f.where.use) add(inScope, `${f.where.use}|${f.where.thumbprint}`, SEVERITY_TONE[f.severity]);
  }
  return { tones: out, byScope };
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

/** The earliest NotBefore and latest NotAfter of the certificates a pool's servers have assigned (current or pending). */
type Extent = [number, number] | undefined;

function poolExtent(pool: Pool): Extent {
  let from = Infinity;
  let to = -Infinity;
  for (const s of pool.servers) {
    for (const use in s.assignments) {
      const slot = s.assignments[use as CertUse];
      for (const entry of [slot?.current, slot?.pending]) {
        if (!entry) continue;
        const cert = s.certificates.find((c) => c.thumbprint === entry.thumbprint);
        if (!cert) continue;
        from = Math.min(from, Date.parse(cert.notBefore));
        to = Math.max(to, Date.parse(cert.notAfter));
      }
    }
  }
  return from <= to ? [from, to] : undefined;
}

/** The axis: from 30 days before now (or the earliest NotBefore) to 120 days after now (or the latest NotAfter), at most 4 years. */
function* timeDomain(state: Deployment, now: number, overlay: TimelineOverlay | undefined, cache: TimelineCache): Generator<void, [number, number], void> {
  let start = now - MIN_BEFORE_NOW;
  let end = now + MIN_AFTER_NOW;
  for (const cert of state.cms.certificates) {
    start = Math.min(start, Date.parse(cert.notBefore));
    end = Math.max(end, Date.parse(cert.notAfter));
  }
  let work = 0;
  for (const pool of state.pools) {
    const memo = cache.memo(pool);
    if (!('extent' in memo)) {
      memo.extent = poolExtent(pool);
      work += pool.servers.length;
      if (work >= STEP_SERVERS) {
        work = 0;
        yield;
      }
    }
    if (memo.extent) {
      start = Math.min(start, memo.extent[0]);
      end = Math.max(end, memo.extent[1]);
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

/** What a TimelineCache keeps per pool object. */
interface PoolMemo {
  /** poolExtent's answer (present once computed; undefined: no assigned certificate). */
  extent?: Extent;
  /** The slot rows a pool holds, for the deployment's product version `countKey`. */
  count?: number;
  countKey?: string;
  /** A closed pool's facts, for the inputs `factsKey` (now, warning window, axis, version) and its servers' findings. */
  facts?: GroupFacts;
  factsKey?: string;
  factsFindings?: Finding[];
}

/**
 * What the layout of one version of a deployment can hand to the next: per pool object, its certificate extent, its
 * slot count and its closed row's facts (each with the inputs it was computed for), and the findings' tones for the
 * last findings array. timelineLayout with a cache equals timelineLayout without one (a unit test checks it over
 * random operation sequences).
 */
export class TimelineCache {
  private readonly pools = new WeakMap<Pool, PoolMemo>();
  private lastFindings: readonly Finding[] | undefined;
  private lastTones: FindingTones | undefined;
  /** How many closed pools' summaries were computed (not reused) so far: what the cache saves, for the tests. */
  computedSummaries = 0;

  memo(pool: Pool): PoolMemo {
    let memo = this.pools.get(pool);
    if (!memo) this.pools.set(pool, (memo = {}));
    return memo;
  }

  tones(findings: readonly Finding[]): FindingTones {
    if (findings !== this.lastFindings || !this.lastTones) {
      this.lastTones = findingTones(findings);
      this.lastFindings = findings;
    }
    return this.lastTones;
  }
}

/** How many slot rows a pool holds (its servers' per-computer uses). */
function slotCount(state: Deployment, pool: Pool, cache: TimelineCache): number {
  const memo = cache.memo(pool);
  const key = deploymentVersion(state).version;
  if (memo.count === undefined || memo.countKey !== key) {
    let count = 0;
    for (const server of pool.servers) {
      for (const use of serverUses(pool.kind, serverVersion(state, server).version)) if (certUseFacts(use).scope === 'computer') count++;
    }
    memo.count = count;
    memo.countKey = key;
  }
  return memo.count;
}

/** closedGroupFacts, reused while the pool, the inputs and its servers' findings (the same objects) are the same. */
function cachedGroupFacts(state: Deployment, pool: Pool, tones: FindingTones, domain: [number, number], window: Window, cache: TimelineCache): GroupFacts {
  const memo = cache.memo(pool);
  const key = `${window.now}|${window.warnUntil}|${domain[0]}|${domain[1]}|${deploymentVersion(state).version}`;
  const seen: Finding[] = [];
  for (const server of pool.servers) {
    const own = tones.byScope.get(server.fqdn);
    if (own) for (const f of own) seen.push(f);
  }
  const had = memo.factsFindings;
  if (!memo.facts || memo.factsKey !== key || !had || had.length !== seen.length || had.some((f, i) => f !== seen[i])) {
    memo.facts = closedGroupFacts(state, pool, tones.tones, domain, window);
    cache.computedSummaries++;
    memo.factsKey = key;
    memo.factsFindings = seen;
  }
  return memo.facts;
}

/** The groups shown expanded when none were chosen: the global group, and every pool while the deployment is small. */
export function defaultExpanded(state: Deployment): string[] {
  const serverCount = state.pools.reduce((n, p) => n + p.servers.length, 0);
  return [GLOBAL_GROUP, ...(serverCount <= EXPAND_SERVERS_LIMIT ? state.pools.map((p) => `pool:${p.fqdn}`) : [])];
}

/** The timeline of the deployment at `options.now`. Linear in the number of servers; collapsed groups cost one row. */
export function timelineLayout(state: Deployment, options: TimelineOptions): TimelineLayout {
  const steps = timelineLayoutSteps(state, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * timelineLayout in slices of about STEP_SERVERS servers' work: a caller that must not block (the extension host, on
 * 12,000 servers) does other work between the steps. The deployment must not change meanwhile (it never changes in
 * place; a caller with a newer version starts again).
 */
export function* timelineLayoutSteps(state: Deployment, options: TimelineOptions): Generator<void, TimelineLayout, void> {
  const cache = options.cache ?? new TimelineCache();
  const now = options.now.getTime();
  const found = cache.tones(options.findings);
  const tones = found.tones;
  const domain = yield* timeDomain(state, now, options.overlay, cache);
  const expanded = new Set(options.expanded ?? defaultExpanded(state));
  const limit = options.rowLimit ?? Infinity;
  const rows: TimelineRow[] = [];
  let totalRows = 0;
  let rowCount = 0;

  const window: Window = { now, warnUntil: now + options.expiryWarningDays * DAY_MS };
  const global = globalRows(state, tones, domain, window);
  for (const b of options.overlay?.bars ?? []) {
    const target = global.find((r) => r.id === (b.role === 'proposed' ? 'global:pending' : 'global:current'));
    target?.bars.push(b);
  }
  const globalOpen = expanded.has(GLOBAL_GROUP);
  // Its rows name the slot ("OAuthTokenIssuer (global) — current"), so the group's label stays short beside a side panel.
  rows.push({ id: GLOBAL_GROUP, kind: 'group', label: 'Central Management Store', depth: 0, group: GLOBAL_GROUP, expanded: globalOpen, count: global.length, tone: worstTone(global.map((r) => r.tone)), bars: [], gaps: [], summary: global[0].summary });
  if (globalOpen) rows.push(...global);
  totalRows += 1 + global.length;
  rowCount = rows.length;

  let work = 0;
  for (const pool of state.pools) {
    const id = `pool:${pool.fqdn}`;
    const open = expanded.has(id);
    if (rowCount >= limit) {
      // Past the first rows: counted, not built.
      const count = slotCount(state, pool, cache);
      totalRows += 1 + count;
      rowCount += 1 + (open ? count : 0);
      continue;
    }
    // A closed pool is one row: its tone and summary come from its slots without building their rows (a 12,000-server
    // deployment opens with every pool closed, and the timeline's first view is this loop).
    const inside = open ? serverRows(state, pool, tones, domain, id, window) : undefined;
    const facts = inside ? groupFacts(inside) : cachedGroupFacts(state, pool, found, domain, window, cache);
    const summary = `${pool.servers.length} server${pool.servers.length === 1 ? '' : 's'}${facts.earliest ? `; earliest expiry ${new Date(facts.earliest.to).toISOString().slice(0, 10)} (${facts.earliest.label()})` : ''}${facts.missing ? `; ${facts.missing} use${facts.missing === 1 ? '' : 's'} without a certificate` : ''}`;
    rows.push({ id, kind: 'group', label: displayText(pool.fqdn), depth: 0, group: id, expanded: open, count: facts.count, tone: facts.tone, bars: [], gaps: [], summary });
    if (inside) rows.push(...inside);
    totalRows += 1 + facts.count;
    rowCount += 1 + (inside ? inside.length : 0);
    work += pool.servers.length;
    if (work >= STEP_SERVERS) {
      work = 0;
      yield;
    }
  }
  if (rows.length > limit) rows.length = limit;
  const markers = [...globalMarkers(state, now, options.simulated, options.expiryWarningDays), ...(options.overlay?.markers ?? [])];
  return { domain, now, simulated: options.simulated, rows, markers, totalRows, rowCount };
}
