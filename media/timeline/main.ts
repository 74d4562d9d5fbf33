// The certificate timeline webview: draws the layout model the host sends (src/shared/protocol/, TimelineView)
// with d3 — d3-scale's UTC time scale for the axis and its ticks, d3-selection to join rows, bars, gaps and markers
// to SVG — and reports clicks; it computes nothing about certificates. Rows are virtualised: only the rows in
// (and just around) the viewport exist in the DOM, so 12,000 servers scroll like 12. Text is set with textContent
// and attributes only, never innerHTML. Keyboard: Tab reaches the toolbar, the axis (a slider: ←/→ a day,
// PageUp/PageDown a month, Enter sets the clock there), the rows' group toggles and the bars; ↑/↓ move between rows.
import { scaleUtc, type ScaleTime } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { utcDay } from 'd3-time';
import {
  parseTimelineSavedState, readFirstView,
  type TimelineCardView, type TimelinePlanView, type TimelineSavedState, type TimelineToHost, type TimelineToWebview, type TimelineView,
} from '../../src/shared/protocol';

type Layout = TimelineView['layout'];
type Row = Layout['rows'][number];
type Bar = Row['bars'][number];
type Marker = Layout['markers'][number];

interface WebviewApi {
  postMessage(message: TimelineToHost): void;
  getState(): unknown;
  setState(state: TimelineSavedState): void;
}
declare function acquireVsCodeApi(): WebviewApi;

const vscode = acquireVsCodeApi();
const SVG_NS = 'http://www.w3.org/2000/svg';
const ROW_HEIGHT = 24;
/** The label column: as wide as the longest label (measured), within these bounds. */
const LABEL_MIN = 240;
// With the side panel open beside a default-width sidebar at 1280 px, 60 % keeps the slot labels whole.
const LABEL_MAX_SHARE = 0.6;
const OVERSCAN = 10;
const AXIS_HEIGHT = 40;
/** Rows an exported image holds at most (a PNG this tall is already past what a canvas draws). */
const EXPORT_ROWS = { svg: 5000, png: 1500 } as const;
const DAY_MS = 86_400_000;

let view: TimelineView | undefined;
let cursor: number | undefined;
let chartWidth = 600;
let labelWidth = 320;
let measuredFor: Row[] | undefined;
let measuredWidth = 320;
let x: ScaleTime<number, number> = scaleUtc();
let restoredScroll = false;
/**
 * The scroller's size and scroll position as last read: drawing uses these and never reads layout after writing the
 * DOM (a read then forces the browser to lay the page out again, mid-draw). Read once before the first draw, then
 * kept by the ResizeObserver, the scroll events and this script's own scrolling.
 */
const viewport = { width: 0, height: 0, top: 0, known: false };

// ---------------------------------------------------------------------------------------------
// The static frame
// ---------------------------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; id?: string; text?: string } = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.id) node.id = props.id;
  if (props.text !== undefined) node.textContent = props.text;
  for (const c of children) if (c !== undefined) node.append(c);
  return node;
}

function button(id: string, label: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = el('button', { id, text: label });
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function post(message: TimelineToHost): void {
  vscode.postMessage(message);
}

const app = document.getElementById('app')!;
const nowText = el('span', { className: 'now', id: 'now' });
const planButton = button('plan', 'Plan OAuth Certificate Renewal…', () => post(view?.plan ? { type: 'closePlan' } : { type: 'plan' }));
const realTimeButton = button('real-time', 'Back to Real Time', () => post({ type: 'realTime' }));
// A date field costs Chromium tens of milliseconds to create (its picker's locale data): it starts as a text field
// of the same size (yyyy-mm-dd) and becomes a date field once the first view is on screen (upgradeDateInput).
const dateInput = el('input', { id: 'date' });
dateInput.placeholder = 'yyyy-mm-dd';
dateInput.setAttribute('aria-label', 'Date to set the simulated clock to (UTC)');
const setDateButton = button('set-date', 'Set Clock', () => {
  if (/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) post({ type: 'setDate', date: `${dateInput.value}T00:00:00Z` });
}, 'Moves the model\'s simulated clock to this date (00:00 UTC); the tree, the status bar and the Problems panel follow.');
const exportButtons = [button('export-svg', 'Export SVG', () => exportImage('svg')), button('export-png', 'Export PNG', () => exportImage('png'))];
const toolbar = el('header', { className: 'toolbar' },
  el('h1', { text: 'Certificate Timeline' }), nowText, planButton, realTimeButton,
  el('span', { className: 'date-form' }, dateInput, setDateButton),
  ...exportButtons);
const notice = el('div', { className: 'notice', id: 'notice' });
notice.setAttribute('role', 'status');
notice.setAttribute('aria-live', 'polite');

const axisSvg = document.createElementNS(SVG_NS, 'svg');
axisSvg.id = 'axis';
axisSvg.setAttribute('class', 'axis');
// Its height from the start: the first render reads the scroller's size before it draws the axis.
axisSvg.setAttribute('height', String(AXIS_HEIGHT));
axisSvg.setAttribute('tabindex', '0');
axisSvg.setAttribute('role', 'slider');
axisSvg.setAttribute('aria-label', 'Date: click or press Enter to set the simulated clock there');
const axisMarks = select(axisSvg).append('g').attr('class', 'marks');
const axisRow = el('div', { className: 'axis-row' }, el('div', { className: 'label-head', text: 'Certificate slot' }));
axisRow.append(axisSvg);
const spacer = el('div', { className: 'spacer' });
const windowEl = el('div', { className: 'rows', id: 'rows' });
windowEl.setAttribute('role', 'list');
spacer.append(windowEl);
const scroller = el('div', { className: 'scroller', id: 'scroller' }, spacer);
const legend = el('div', { className: 'legend' });
const side = el('aside', { className: 'side', id: 'side' });
const chart = el('div', { className: 'chart' }, axisRow, scroller, legend);
app.append(toolbar, notice, el('div', { className: 'main' }, chart, side));

for (const [cls, text] of [['tone-ok', 'valid'], ['tone-warning', 'warning'], ['tone-error', 'error'], ['proposed', 'proposed (what-if)'], ['gap', 'no valid certificate'], ['m-today', 'now'], ['m-lead', '24 h OAuth lead'], ['m-warning', 'expiry warning window'], ['m-plan', 'plan']] as const) {
  legend.append(el('span', { className: `key ${cls}` }), el('span', { text }));
}

// ---------------------------------------------------------------------------------------------
// Drawing: the axis, one row's SVG (also used for the exported image), the virtual window
// ---------------------------------------------------------------------------------------------

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

function barText(b: Bar): string {
  const role = b.role === 'proposed' ? 'proposed' : b.role;
  return `${b.label}: ${role}, valid ${day(b.from)} to ${day(b.to)}${b.effective !== undefined ? `, ${b.role === 'previous' || b.role === 'current' ? 'current since' : 'takes effect'} ${day(b.effective)}` : ''}${b.tone === 'ok' ? '' : ` (${b.tone})`}`;
}

/** Markers as bands (windows) and lines (moments), across `height`. */
function drawMarkers(g: Selection<SVGGElement, unknown, null, undefined>, markers: Marker[], height: number): void {
  const windows = markers.filter((m) => m.to !== undefined);
  g.selectAll('rect.band').data(windows).join('rect')
    .attr('class', (m) => `band m-${m.kind === 'oauth-lead' ? 'lead' : 'warning'}`)
    .attr('x', (m) => x(m.at)).attr('width', (m) => Math.max(2, x(m.to!) - x(m.at))).attr('y', 0).attr('height', height);
  g.selectAll('line.marker').data(markers.filter((m) => m.to === undefined)).join('line')
    .attr('class', (m) => `marker m-${m.kind === 'today' ? 'today' : m.kind === 'plan' ? 'plan' : 'roll'}`)
    .attr('x1', (m) => x(m.at)).attr('x2', (m) => x(m.at)).attr('y1', 0).attr('y2', height);
}

/** One row's bars and gaps into `g` (height ROW_HEIGHT). */
function drawRow(g: Selection<SVGGElement, unknown, null, undefined>, row: Row, interactive: boolean): void {
  g.selectAll('rect.gap').data(row.gaps).join('rect').attr('class', 'gap')
    .attr('x', (d) => x(d.from)).attr('width', (d) => Math.max(1, x(d.to) - x(d.from))).attr('y', 2).attr('height', ROW_HEIGHT - 4)
    .selectAll('title').data((d) => [d.why]).join('title').text((t) => t);
  const bars = g.selectAll<SVGGElement, Bar>('g.bar').data(row.bars, (b) => `${b.role}:${b.thumbprint}`).join('g')
    .attr('class', (b) => `bar role-${b.role} tone-${b.tone}`);
  bars.selectAll('rect').data((b) => [b]).join('rect')
    .attr('x', (b) => x(b.from)).attr('width', (b) => Math.max(2, x(b.to) - x(b.from)))
    .attr('y', (b) => (b.lane === 0 ? 3 : ROW_HEIGHT / 2 + 1)).attr('height', (b) => (b.lane === 0 && !row.bars.some((o) => o.lane === 1) ? ROW_HEIGHT - 6 : ROW_HEIGHT / 2 - 4))
    .attr('rx', 2);
  bars.selectAll('line.effective').data((b) => (b.effective !== undefined && b.effective > b.from ? [b] : [])).join('line').attr('class', 'effective')
    .attr('x1', (b) => x(b.effective!)).attr('x2', (b) => x(b.effective!)).attr('y1', 1).attr('y2', ROW_HEIGHT - 1);
  bars.selectAll('title').data((b) => [barText(b)]).join('title').text((t) => t);
  if (!interactive) return;
  bars.attr('tabindex', 0).attr('role', 'button').attr('aria-label', (b) => barText(b))
    .attr('aria-pressed', (b) => String(view?.card?.rowId === row.id && view.card.thumbprint === b.thumbprint))
    .on('click', (_e, b) => { if (b.role !== 'proposed') post({ type: 'selectBar', rowId: row.id, thumbprint: b.thumbprint }); })
    .on('keydown', (e: KeyboardEvent, b) => {
      if ((e.key === 'Enter' || e.key === ' ') && b.role !== 'proposed') {
        e.preventDefault();
        post({ type: 'selectBar', rowId: row.id, thumbprint: b.thumbprint });
      }
    });
}

function drawAxis(): void {
  if (!view) return;
  const axis = select(axisSvg).attr('width', chartWidth).attr('height', AXIS_HEIGHT);
  const ticks = x.ticks(Math.max(2, Math.floor(chartWidth / 90)));
  const format = x.tickFormat();
  const g = axis.selectAll<SVGGElement, Date>('g.tick').data(ticks, (d) => String(d.getTime())).join('g').attr('class', 'tick')
    .attr('transform', (d) => `translate(${x(d)},0)`);
  g.selectAll('line').data([0]).join('line').attr('y1', AXIS_HEIGHT - 8).attr('y2', AXIS_HEIGHT);
  g.selectAll('text').data((d) => [d]).join('text').attr('y', AXIS_HEIGHT - 12).attr('text-anchor', 'middle').text((d) => format(d));
  const marks = axisMarks;
  drawMarkers(marks, view.layout.markers, AXIS_HEIGHT - 22);
  marks.selectAll<SVGLineElement, Marker>('line.marker').selectAll('title').data((m) => [m.label]).join('title').text((t) => t);
  marks.selectAll<SVGRectElement, Marker>('rect.band').selectAll('title').data((m) => [m.label]).join('title').text((t) => t);
  const at = cursor ?? view.layout.now;
  axis.selectAll('line.cursor').data(cursor === undefined ? [] : [at]).join('line').attr('class', 'cursor')
    .attr('x1', (d) => x(d)).attr('x2', (d) => x(d)).attr('y1', 0).attr('y2', AXIS_HEIGHT);
  axisSvg.setAttribute('aria-valuemin', String(view.layout.domain[0]));
  axisSvg.setAttribute('aria-valuemax', String(view.layout.domain[1]));
  axisSvg.setAttribute('aria-valuenow', String(at));
  axisSvg.setAttribute('aria-valuetext', `${day(at)}${cursor === undefined ? ' (now)' : ''}`);
}

function rowElement(row: Row, index: number): HTMLElement {
  const line = el('div', { className: `row kind-${row.kind} tone-${row.tone}` });
  line.setAttribute('role', 'listitem');
  line.dataset.id = row.id;
  line.dataset.index = String(index);
  line.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
  let label: HTMLElement;
  if (row.kind === 'group') {
    label = button(`toggle-${row.id}`, `${row.expanded ? '▾' : '▸'} ${row.label}`, () => post({ type: 'toggleGroup', group: row.id }));
    label.setAttribute('aria-expanded', String(Boolean(row.expanded)));
    label.title = `${row.label}: ${row.summary ?? ''} (${row.count ?? 0} rows)`;
  } else {
    label = el('span', { text: row.label });
    label.title = row.summary ? `${row.label}: ${row.summary}` : row.label;
  }
  label.classList.add('row-label');
  label.dataset.nav = 'label';
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', String(chartWidth));
  svg.setAttribute('height', String(ROW_HEIGHT));
  svg.setAttribute('class', 'lane');
  const g = select(svg);
  drawMarkers(g.append('g').attr('class', 'marks'), view!.layout.markers, ROW_HEIGHT);
  drawRow(g.append('g'), row, true);
  line.append(el('div', { className: 'label-cell' }, label, row.kind === 'group' ? el('span', { className: 'summary', text: row.summary ?? '' }) : undefined), svg);
  return line;
}

/** A row the host has not sent yet (a large deployment's first view holds only the first rows; the rest follows). */
function pendingRow(index: number): HTMLElement {
  const line = el('div', { className: 'row pending' }, el('div', { className: 'label-cell' }, el('span', { className: 'row-label', text: 'Loading…' })));
  line.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
  line.setAttribute('aria-hidden', 'true');
  return line;
}

/** Only the rows in the viewport (and OVERSCAN around it) are in the DOM. */
function drawWindow(): void {
  if (!view) return;
  const rows = view.layout.rows;
  const first = Math.max(0, Math.floor(viewport.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(view.layout.rowCount, Math.ceil((viewport.top + viewport.height) / ROW_HEIGHT) + OVERSCAN);
  const focused = document.activeElement instanceof Element ? document.activeElement.closest<HTMLElement>('.row') : null;
  const focus = focused ? { id: focused.dataset.id, nav: (document.activeElement as HTMLElement).dataset.nav ?? 'bar' } : undefined;
  const shown: HTMLElement[] = [];
  for (let i = first; i < last; i++) shown.push(i < rows.length ? rowElement(rows[i], i) : pendingRow(i));
  windowEl.replaceChildren(...shown);
  if (focus) restoreFocus(focus.id, focus.nav);
}

function restoreFocus(id: string | undefined, nav: string): void {
  const row = [...windowEl.querySelectorAll<HTMLElement>('.row')].find((r) => r.dataset.id === id);
  const target = nav === 'label' ? row?.querySelector<HTMLElement>('button.row-label') : row?.querySelector<SVGGElement>('g.bar');
  (target ?? row?.querySelector<HTMLElement>('[tabindex="0"], button'))?.focus();
}

const measure = document.createElement('canvas').getContext('2d');
let fonts: { group: string; slot: string } | undefined;

/** The scroller's size and position, read once before drawing (the first render, or the side panel opened or closed). */
function readViewport(): void {
  viewport.width = scroller.clientWidth;
  viewport.height = scroller.clientHeight;
  viewport.top = scroller.scrollTop;
  viewport.known = true;
}

/** The width the longest labels need (the 40 longest by length are measured: 36,000 rows stay cheap). */
function labelsWidth(rows: Row[]): number {
  if (rows === measuredFor) return measuredWidth;
  if (!fonts) {
    // The body's font, read once (a style read), right after readViewport's layout and before any drawing.
    const style = getComputedStyle(document.body);
    fonts = { group: `600 ${style.fontSize} ${style.fontFamily}`, slot: `${style.fontWeight} ${style.fontSize} ${style.fontFamily}` };
  }
  const longest = (kind: Row['kind']) => rows.filter((r) => r.kind === kind).sort((a, b) => b.label.length - a.label.length).slice(0, 40);
  let width = 0;
  for (const [kind, extra] of [['group', '▾  ●'], ['slot', ' ●']] as const) {
    if (!measure) break;
    measure.font = fonts[kind];
    // Indent and padding of the label cell (timeline.css: .label-cell, .kind-slot .label-cell, button.row-label).
    const inset = kind === 'slot' ? 24 + 8 + 4 : 8 + 8 + 4 + 4;
    for (const r of longest(kind)) width = Math.max(width, Math.ceil(measure.measureText(`${r.label}${extra}`).width) + inset);
  }
  measuredFor = rows;
  measuredWidth = width;
  return width;
}

function layoutChart(): void {
  if (!view) return;
  labelWidth = Math.max(LABEL_MIN, Math.min(labelsWidth(view.layout.rows), Math.floor(viewport.width * LABEL_MAX_SHARE)));
  document.documentElement.style.setProperty('--tl-label', `${labelWidth}px`);
  chartWidth = Math.max(200, viewport.width - labelWidth - 4);
  x = scaleUtc().domain(view.layout.domain.map((t) => new Date(t))).range([0, chartWidth]);
  spacer.style.height = `${view.layout.rowCount * ROW_HEIGHT}px`;
  drawAxis();
  drawWindow();
}

// ---------------------------------------------------------------------------------------------
// The side panel: certificate card and renewal plan
// ---------------------------------------------------------------------------------------------

function cardElement(card: TimelineCardView): HTMLElement {
  const list = el('dl', { className: 'fields' });
  for (const f of card.fields) list.append(el('dt', { text: f.label }), el('dd', { text: f.value }));
  const where = el('ul', { className: 'assigned' });
  for (const a of card.assigned.length ? card.assigned : ['not assigned']) where.append(el('li', { text: a }));
  return el('section', { className: `card tone-${card.tone}`, id: 'card' }, el('h2', { text: card.title }), list, el('h3', { text: 'Assigned' }), where,
    el('div', { className: 'actions' }, button('close-card', 'Close', () => post({ type: 'closeCard' }))));
}

function planElement(plan: TimelinePlanView): HTMLElement {
  const section = el('section', { className: 'plan', id: 'plan-panel' }, el('h2', { text: 'Plan OAuth Certificate Renewal' }),
    el('p', { className: 'effective', text: `New certificate current from ${plan.effectiveText}` }));
  if (plan.candidates.length) {
    const choose = el('select', { id: 'candidate' });
    choose.setAttribute('aria-label', 'Certificate to roll in');
    for (const c of plan.candidates) {
      const o = el('option', { text: `${c.label} — ${c.thumbprint.slice(0, 12)}…${c.fit ? '' : ' (does not meet the requirements)'}` });
      o.value = c.thumbprint;
      o.selected = c.chosen;
      choose.append(o);
    }
    choose.addEventListener('change', () => post({ type: 'plan', thumbprint: choose.value }));
    section.append(el('label', { className: 'field', text: 'Certificate ' }, choose));
  }
  const steps = el('ol', { className: 'steps' });
  for (const s of plan.steps) {
    const item = el('li', { className: `step step-${s.kind}` }, el('strong', { text: s.title }), el('span', { className: 'when', text: s.when }), el('p', { text: s.detail }));
    for (const line of s.powershell) item.append(el('code', { text: line }));
    steps.append(item);
  }
  section.append(steps);
  if (plan.warnings.length) {
    const list = el('ul', { className: 'warnings' });
    for (const w of plan.warnings) list.append(el('li', { text: w }));
    section.append(list);
  }
  const apply = button('apply-plan', 'Apply', () => post({ type: 'applyPlan' }), plan.applyHint);
  apply.className = 'primary';
  apply.disabled = !plan.canApply;
  const hint = el('p', { className: 'hint', id: 'apply-hint', text: plan.applyHint ?? '' });
  apply.setAttribute('aria-describedby', hint.id);
  // The same plan as a script for the real servers, dates filled in (Export Renewal Plan as PowerShell…).
  const exportPlan = button('export-plan', 'Export as PowerShell…', () => post({ type: 'exportPlan' }), 'Writes this plan as a .ps1 for the Management Shell on the real servers, each step with its date; nothing is applied in the model.');
  exportPlan.disabled = !plan.canApply && plan.situation !== 'staged';
  section.append(el('div', { className: 'actions' }, apply, exportPlan, button('close-plan', 'Close', () => post({ type: 'closePlan' }))), hint, el('p', { className: 'note', text: plan.note }));
  return section;
}

// ---------------------------------------------------------------------------------------------
// Render, keyboard, export, state
// ---------------------------------------------------------------------------------------------

function render(next: TimelineView): void {
  view = next;
  nowText.textContent = next.nowText;
  planButton.textContent = next.plan ? 'Hide Renewal Plan' : 'Plan OAuth Certificate Renewal…';
  planButton.setAttribute('aria-pressed', String(Boolean(next.plan)));
  realTimeButton.hidden = !next.layout.simulated;
  // The rows after a large deployment's first screen are still on their way: an image now would lack them.
  for (const b of exportButtons) b.disabled = next.layout.rows.length < next.layout.rowCount;
  dateInput.disabled = setDateButton.disabled = !next.simulatedClockAllowed;
  notice.textContent = next.notice?.text ?? '';
  notice.className = `notice${next.notice ? ` tone-${next.notice.tone}` : ''}`;
  side.replaceChildren(...[next.plan && planElement(next.plan), next.card && cardElement(next.card)].filter((n): n is HTMLElement => Boolean(n)));
  const sideWasHidden = side.hidden;
  side.hidden = !next.plan && !next.card;
  // The chart's width changes with the side panel: read the layout then (once), else draw from what is known.
  if (!viewport.known || side.hidden !== sideWasHidden) readViewport();
  let restore: number | undefined;
  if (!restoredScroll) {
    restoredScroll = true;
    restore = next.saved.scrollTop;
    if (restore) viewport.top = restore;
  }
  layoutChart();
  // The browser keeps it within the rows; its scroll event then says where it is.
  if (restore) scroller.scrollTop = restore;
  save();
}

function save(): void {
  if (view) vscode.setState({ ...view.saved, scrollTop: viewport.top });
}

function setClockAt(t: number): void {
  post({ type: 'setDate', date: new Date(utcDay.round(new Date(t)).getTime()).toISOString() });
}

axisSvg.addEventListener('click', (e) => {
  const box = axisSvg.getBoundingClientRect();
  setClockAt(x.invert(e.clientX - box.left).getTime());
});
axisSvg.addEventListener('keydown', (e) => {
  if (!view) return;
  const step = e.key === 'ArrowLeft' ? -DAY_MS : e.key === 'ArrowRight' ? DAY_MS : e.key === 'PageUp' ? -30 * DAY_MS : e.key === 'PageDown' ? 30 * DAY_MS : 0;
  if (step) {
    e.preventDefault();
    cursor = Math.min(view.layout.domain[1], Math.max(view.layout.domain[0], (cursor ?? view.layout.now) + step));
    drawAxis();
  } else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    setClockAt(cursor ?? view.layout.now);
    cursor = undefined;
  } else if (e.key === 'Escape') {
    cursor = undefined;
    drawAxis();
  }
});

windowEl.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const row = (e.target as Element).closest<HTMLElement>('.row');
  if (!row || !view) return;
  e.preventDefault();
  const index = Number(row.dataset.index) + (e.key === 'ArrowDown' ? 1 : -1);
  if (index < 0 || index >= view.layout.rows.length) return;
  const nav = (e.target as HTMLElement).dataset.nav ?? 'bar';
  const top = index * ROW_HEIGHT;
  if (top < viewport.top) scroller.scrollTop = viewport.top = top;
  else if (top + ROW_HEIGHT > viewport.top + viewport.height) scroller.scrollTop = viewport.top = top + ROW_HEIGHT - viewport.height;
  drawWindow();
  restoreFocus(view.layout.rows[index].id, nav);
});

let scrollFrame = 0;
scroller.addEventListener('scroll', () => {
  if (scrollFrame) return;
  scrollFrame = requestAnimationFrame(() => {
    scrollFrame = 0;
    viewport.top = scroller.scrollTop;
    drawWindow();
    save();
  });
});
// Called once the scroller is first laid out (the size the first render read: nothing to do), then on each resize.
new ResizeObserver(() => {
  const width = scroller.clientWidth;
  const height = scroller.clientHeight;
  if (viewport.known && width === viewport.width && height === viewport.height) return;
  Object.assign(viewport, { width, height, known: true });
  layoutChart();
}).observe(scroller);

/** The colours of the current theme, written into the exported image (it is viewed outside VS Code). */
function exportStyle(): string {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return [
    `text{font:11px sans-serif;fill:${v('--vscode-foreground', '#333')}}`,
    `.bg{fill:${v('--vscode-editor-background', '#fff')}}`,
    `.tone-ok rect{fill:${v('--vscode-charts-green', '#388a34')}}`, `.tone-info rect{fill:${v('--vscode-charts-blue', '#1a85ff')}}`,
    `.tone-warning rect{fill:${v('--vscode-charts-yellow', '#bf8803')}}`, `.tone-error rect{fill:${v('--vscode-charts-red', '#e51400')}}`,
    '.role-previous rect{opacity:.45}', '.role-proposed rect{opacity:.6;stroke-dasharray:4 2;stroke:#888}',
    `.gap{fill:${v('--vscode-charts-red', '#e51400')};opacity:.25}`, '.band{opacity:.12}', `.m-lead{fill:${v('--vscode-charts-red', '#e51400')}}`, `.m-warning{fill:${v('--vscode-charts-yellow', '#bf8803')}}`,
    `.marker{stroke-width:1.5}`, `.m-today{stroke:${v('--vscode-charts-blue', '#1a85ff')}}`, `.m-roll{stroke:${v('--vscode-charts-purple', '#652d90')}}`, `.m-plan{stroke:${v('--vscode-charts-orange', '#d18616')};stroke-dasharray:3 2}`,
    `.tick line{stroke:${v('--vscode-foreground', '#333')}}`, '.effective{stroke:#000;stroke-width:1}',
  ].join('\n');
}

function exportImage(format: 'svg' | 'png'): void {
  if (!view) return;
  const rows = view.layout.rows.slice(0, EXPORT_ROWS[format]);
  const width = labelWidth + chartWidth;
  const height = AXIS_HEIGHT + rows.length * ROW_HEIGHT;
  const svg = select(document.createElementNS(SVG_NS, 'svg')).attr('xmlns', SVG_NS).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  svg.append('style').text(exportStyle());
  svg.append('rect').attr('class', 'bg').attr('width', width).attr('height', height);
  svg.append('text').attr('x', 4).attr('y', 14).text(`Certificate timeline — ${view.nowText}`);
  const axis = svg.append('g').attr('transform', `translate(${labelWidth},0)`);
  const format_ = x.tickFormat();
  for (const t of x.ticks(Math.max(2, Math.floor(chartWidth / 90)))) {
    const tick = axis.append('g').attr('class', 'tick').attr('transform', `translate(${x(t)},0)`);
    tick.append('line').attr('y1', AXIS_HEIGHT - 8).attr('y2', AXIS_HEIGHT);
    tick.append('text').attr('y', AXIS_HEIGHT - 12).attr('text-anchor', 'middle').text(format_(t));
  }
  rows.forEach((row, i) => {
    const g = svg.append('g').attr('transform', `translate(0,${AXIS_HEIGHT + i * ROW_HEIGHT})`);
    g.append('text').attr('x', row.depth * 12 + 4).attr('y', 16).text(row.kind === 'group' ? `${row.expanded ? '▾' : '▸'} ${row.label}` : row.label);
    const lane = g.append('g').attr('transform', `translate(${labelWidth},0)`);
    drawMarkers(lane.append('g'), view!.layout.markers, ROW_HEIGHT);
    drawRow(lane.append('g'), row, false);
  });
  const text = new XMLSerializer().serializeToString(svg.node()!);
  if (format === 'svg') {
    post({ type: 'export', format, data: text });
    return;
  }
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')!.drawImage(image, 0, 0);
    post({ type: 'export', format: 'png', data: canvas.toDataURL('image/png') });
  };
  image.src = `data:image/svg+xml;base64,${base64(text)}`;
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

window.addEventListener('message', (event: MessageEvent<TimelineToWebview>) => {
  if (event.data?.type === 'render') render(event.data.view);
});

// A new webview draws the view sent with its HTML at once, then says `ready`; one with saved state (reloaded after
// being hidden, or restored) waits for the host's view, as the one in its HTML may be stale.
const stored = vscode.getState();
const saved = parseTimelineSavedState(stored);
const first = stored === undefined || stored === null ? readFirstView<TimelineView>(document) : undefined;
if (first) render(first);
post(saved.ok ? { type: 'ready', state: saved.msg } : { type: 'ready' });
// After the frame that shows the first view.
requestAnimationFrame(() => setTimeout(() => { dateInput.type = 'date'; }, 0));
