// The certificate timeline's messages (src/ui/timeline/panel.ts ↔ media/timeline/main.ts), issue #17.
// The view types are the core's layout model; a type-only import, erased from the webview bundle.
import type { RenewalSituation, RenewalStepKind, TimelineLayout } from '../../core';
import { Invalid, isFqdn, oneOf, onlyKeys, parsing, record, text, thumbprint } from './check';
import type { FieldView, StatusTone, StatusView } from './wizard';

/** What the timeline webview keeps with `setState` (and sends back in `ready`). */
export interface TimelineSavedState {
  /** Group ids shown expanded; absent = the default. */
  expanded?: string[];
  scrollTop?: number;
  /** The renewal plan is shown (a what-if), with this certificate when one was chosen. */
  plan?: { thumbprint?: string };
}

export const TIMELINE_EXPORT_FORMATS = ['svg', 'png'] as const;
export type TimelineExportFormat = (typeof TIMELINE_EXPORT_FORMATS)[number];

export type TimelineToHost =
  | { type: 'ready'; state?: TimelineSavedState }
  | { type: 'toggleGroup'; group: string }
  /** A date on the axis was clicked (or entered): the simulated clock moves there. ISO 8601 with a zone. */
  | { type: 'setDate'; date: string }
  | { type: 'realTime' }
  /** A bar was clicked or focused: show its certificate card. */
  | { type: 'selectBar'; rowId: string; thumbprint: string }
  | { type: 'closeCard' }
  /** Show the renewal plan (optionally rolling in `thumbprint`), or hide it. */
  | { type: 'plan'; thumbprint?: string }
  | { type: 'closePlan' }
  | { type: 'applyPlan' }
  /** Write the plan shown as a PowerShell script (Export Renewal Plan as PowerShell…). */
  | { type: 'exportPlan' }
  /** The view as an image, for a change request: SVG text or a PNG data URL. */
  | { type: 'export'; format: TimelineExportFormat; data: string };

export interface TimelineCardView {
  rowId: string;
  thumbprint: string;
  title: string;
  fields: FieldView[];
  /** Where it is assigned ("OAuthTokenIssuer (global, current)", "Default on fe01.contoso.com"). */
  assigned: string[];
  tone: StatusTone;
}

export interface TimelinePlanView {
  situation: RenewalSituation;
  effectiveDate: string;
  /** e.g. "7/30/2026 12:00:00 AM (UTC)". */
  effectiveText: string;
  steps: { kind: RenewalStepKind; when: string; title: string; detail: string; powershell: string[] }[];
  warnings: string[];
  candidates: { thumbprint: string; label: string; fit: boolean; chosen: boolean }[];
  canApply: boolean;
  /** Why Apply is disabled, when it is. */
  applyHint?: string;
  /** The extension's own rules the plan applies (the lead's rounding to midnight, the step dates). */
  note: string;
}

export interface TimelineView {
  layout: TimelineLayout;
  /** The dates as the model writes them, for the header: "Today: 6/15/2026 10:00:00 AM (UTC)". */
  nowText: string;
  simulatedClockAllowed: boolean;
  card?: TimelineCardView;
  plan?: TimelinePlanView;
  /** A message for the user (an applied plan, a refused date). */
  notice?: StatusView;
  saved: TimelineSavedState;
}

export type TimelineToWebview = { type: 'render'; view: TimelineView };

/** An exported PNG or SVG may be large (12,000 servers), but not unbounded. */
export const MAX_TIMELINE_EXPORT_LENGTH = 64 * 1024 * 1024;
const MAX_GROUP_ID_LENGTH = 300;
const MAX_EXPANDED_GROUPS = 20_000;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function groupId(value: unknown, what: string): string {
  const s = text(value, what, MAX_GROUP_ID_LENGTH);
  if (s !== 'global' && !(s.startsWith('pool:') && isFqdn(s.slice(5)))) throw new Invalid(`${what} is not a timeline group`);
  return s;
}

function timelineSavedState(value: unknown): TimelineSavedState {
  const obj = record(value, 'state');
  onlyKeys(obj, ['expanded', 'scrollTop', 'plan'], 'state');
  const out: TimelineSavedState = {};
  if (obj.expanded !== undefined) {
    if (!Array.isArray(obj.expanded) || obj.expanded.length > MAX_EXPANDED_GROUPS) throw new Invalid('state.expanded must be a list of group ids');
    out.expanded = obj.expanded.map((g, i) => groupId(g, `state.expanded[${i}]`));
  }
  if (obj.scrollTop !== undefined) {
    if (typeof obj.scrollTop !== 'number' || !Number.isFinite(obj.scrollTop) || obj.scrollTop < 0) throw new Invalid('state.scrollTop must be a number ≥ 0');
    out.scrollTop = obj.scrollTop;
  }
  if (obj.plan !== undefined) {
    const plan = record(obj.plan, 'state.plan');
    onlyKeys(plan, ['thumbprint'], 'state.plan');
    out.plan = plan.thumbprint === undefined ? {} : { thumbprint: thumbprint(plan.thumbprint, 'state.plan.thumbprint') };
  }
  return out;
}

const TIMELINE_TO_HOST_TYPES: readonly TimelineToHost['type'][] = ['ready', 'toggleGroup', 'setDate', 'realTime', 'selectBar', 'closeCard', 'plan', 'closePlan', 'applyPlan', 'exportPlan', 'export'];

function timelineToHost(value: unknown): TimelineToHost {
  const obj = record(value, 'message');
  const type = oneOf(obj.type, TIMELINE_TO_HOST_TYPES, 'message.type');
  const fields = (...keys: string[]) => onlyKeys(obj, ['type', ...keys], `"${type}" message`);
  switch (type) {
    case 'ready':
      fields('state');
      return obj.state === undefined ? { type } : { type, state: timelineSavedState(obj.state) };
    case 'toggleGroup':
      fields('group');
      return { type, group: groupId(obj.group, 'toggleGroup.group') };
    case 'setDate': {
      fields('date');
      const date = text(obj.date, 'setDate.date', 40);
      if (!ISO_WITH_ZONE.test(date) || Number.isNaN(Date.parse(date))) throw new Invalid('setDate.date must be an ISO 8601 date-time with a zone');
      return { type, date };
    }
    case 'selectBar':
      fields('rowId', 'thumbprint');
      return { type, rowId: text(obj.rowId, 'selectBar.rowId', MAX_GROUP_ID_LENGTH + 40), thumbprint: thumbprint(obj.thumbprint, 'selectBar.thumbprint') };
    case 'plan':
      fields('thumbprint');
      return obj.thumbprint === undefined ? { type } : { type, thumbprint: thumbprint(obj.thumbprint, 'plan.thumbprint') };
    case 'export': {
      fields('format', 'data');
      const format = oneOf(obj.format, TIMELINE_EXPORT_FORMATS, 'export.format');
      const data = text(obj.data, 'export.data', MAX_TIMELINE_EXPORT_LENGTH, { allowControl: true });
      if (format === 'png' && !data.startsWith('data:image/png;base64,')) throw new Invalid('export.data must be a PNG data URL');
      if (format === 'svg' && !data.startsWith('<svg')) throw new Invalid('export.data must be SVG text');
      return { type, format, data };
    }
    case 'realTime':
    case 'closeCard':
    case 'closePlan':
    case 'applyPlan':
    case 'exportPlan':
      fields();
      return { type };
  }
}

/** Checks a message from the timeline webview, as parseToHost does the wizard's. */
export const parseTimelineToHost = parsing<TimelineToHost>(timelineToHost);

/** Checks timeline UI state saved by the webview (its own getState, or VS Code's serializer). */
export const parseTimelineSavedState = parsing<TimelineSavedState>(timelineSavedState);
