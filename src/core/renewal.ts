// "Plan OAuth Certificate Renewal…" (issue #17): from the current OAuthTokenIssuer certificate's expiry, the steps
// and dates of the next roll, and the one operation that stages it. Nothing here changes the deployment: the
// proposal is a what-if (drawn on the timeline) until the admin applies `request`, which is one Set-CsCertificate
// and so one undo step. Every fact comes from its one place: the 24-hour lead from the -Type table (cmdlets.ts),
// the requirements from the rules (checkOAuthCandidate, checkPendingRoll), the roll's own findings from the
// operation itself (a dry run of `request`).
import { formatUsDateTime } from './calendar';
import { certUseFacts, renderPowerShell } from './cmdlets';
import { displayText } from './displayText';
import { applyDueRolls } from './clock';
import { sfbError, type SfbError } from './errors';
import type { CertificateRecord, Deployment, Finding, StoredCertificate } from './model';
import { runOperation, type OperationRequest } from './operations';
import { rollHistory } from './operations/frame';
import { MIN_OAUTH_KEY_BITS, OAUTH_GLOBAL_PATH, REQUEST_OAUTH_CERTIFICATE, checkOAuthCandidate, checkPendingRoll } from './certificateChecks';
import type { TimelineBar, TimelineMarker, TimelineOverlay, TimelineTone } from './timeline';
import { defaultComputer } from './topology';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How many candidates the proposal judges and lists (the best first). */
export const RENEWAL_CANDIDATES = 25;
export type RenewalSituation =
  /** No OAuthTokenIssuer certificate is assigned: assign one now (no roll). */
  | 'no-certificate'
  /** The current one has expired: replace it now (no roll). */
  | 'expired'
  /** It expires in less than the lead time: the roll can no longer lead by 24 hours. */
  | 'under-lead'
  /** A roll is staged already: the plan follows it. */
  | 'staged'
  | 'normal';

export interface RenewalCandidate {
  thumbprint: string;
  /** Friendly name or subject, safe to show. */
  label: string;
  /** 'global' (held by the Central Management store) or the FQDN of the computer whose store holds it. */
  holder: string;
  notBefore: string;
  notAfter: string;
  /** The rules' findings for it as OAuthTokenIssuer at the proposal's effective date. */
  findings: Finding[];
  /** No finding of severity error. */
  fit: boolean;
}

export type RenewalStepKind = 'obtain' | 'import' | 'roll' | 'verify' | 'remove-previous';

export interface RenewalStep {
  kind: RenewalStepKind;
  /** ISO: when to do it (or by when). */
  at: string;
  title: string;
  detail: string;
  /** The lines to run on a Front End (empty for a step done outside the Management Shell). */
  powershell: string[];
}

export interface RenewalProposal {
  situation: RenewalSituation;
  /** The current certificate, when there is one. */
  current?: { thumbprint: string; label: string; notAfter: string };
  /** ISO: when the new certificate becomes current. */
  effectiveDate: string;
  chosen?: RenewalCandidate;
  candidates: RenewalCandidate[];
  steps: RenewalStep[];
  /** What to weigh before applying it: the situation's and the dry run's findings. */
  warnings: string[];
  /** The one operation Apply runs; undefined when there is nothing to apply (no fit certificate, or the roll is staged). */
  request?: OperationRequest<'Set-CsCertificate'>;
  /** Bars and markers for the timeline's what-if. */
  overlay: TimelineOverlay;
}

export interface RenewalOptions {
  /** The certificate to roll in; by default the staged one, else the best fit candidate. */
  thumbprint?: string;
  expiryWarningDays?: number;
}

function ceilHour(t: number): number {
  return Math.ceil(t / HOUR_MS) * HOUR_MS;
}

function nextHour(t: number): number {
  return Math.floor(t / HOUR_MS) * HOUR_MS + HOUR_MS;
}

function floorDay(t: number): number {
  return Math.floor(t / DAY_MS) * DAY_MS;
}

/** Certificates that could become OAuthTokenIssuer, the CMS's own first, then the computers' (one per thumbprint). */
function candidatePool(state: Deployment, exclude: Set<string>): { cert: StoredCertificate; holder: string }[] {
  const seen = new Map<string, { cert: StoredCertificate; holder: string }>();
  const add = (cert: StoredCertificate, holder: string) => {
    if (exclude.has(cert.thumbprint)) return;
    const had = seen.get(cert.thumbprint);
    if (!had || (!had.cert.hasPrivateKey && cert.hasPrivateKey)) seen.set(cert.thumbprint, { cert, holder });
  };
  for (const c of state.cms.certificates) add(c, 'global');
  for (const pool of state.pools) for (const s of pool.servers) for (const c of s.certificates) add(c, s.fqdn);
  return [...seen.values()];
}

/** The requirements as the rules state them, plus the exportable key the Central Management store needs [S8]. */
function judge(state: Deployment, cert: StoredCertificate, holder: string, now: Date, effectiveDate: Date, options: RenewalOptions): RenewalCandidate {
  const findings = checkOAuthCandidate(cert, state.sipDomains, now, { effectiveDate, expiryWarningDays: options.expiryWarningDays });
  if (cert.hasPrivateKey && !cert.exportable) {
    findings.push({
      rule: 'renewal.key-not-exportable', severity: 'error',
      message: `The private key of ${cert.thumbprint} is not exportable; the OAuthTokenIssuer certificate needs an exportable key, so the Central Management store can deploy it to every Front End.`,
      fix: `Request it again with -PrivateKeyExportable $True: ${REQUEST_OAUTH_CERTIFICATE}`,
      where: { path: OAUTH_GLOBAL_PATH, thumbprint: cert.thumbprint, use: 'OAuthTokenIssuer' },
      source: 'product',
    });
  }
  return {
    thumbprint: cert.thumbprint, label: displayText(cert.friendlyName || cert.subject || cert.thumbprint), holder,
    notBefore: cert.notBefore, notAfter: cert.notAfter, findings, fit: !findings.some((f) => f.severity === 'error'),
  };
}

/** Cheap requirements first (the rules judge only the best few of up to 50,000 certificates). */
function plausible(cert: CertificateRecord, effective: number): boolean {
  return cert.hasPrivateKey && !cert.isCA && cert.keyAlgorithm === 'RSA' && cert.keySize >= MIN_OAUTH_KEY_BITS && Date.parse(cert.notAfter) > effective;
}

/** When the roll should take effect: midnight (UTC) of the day that leaves the lead time before `expiry`, not before now. */
export function proposedEffectiveDate(expiry: number, now: number): number {
  const lead = (certUseFacts('OAuthTokenIssuer').leadTimeHours ?? 0) * HOUR_MS;
  return Math.max(floorDay(expiry - lead), ceilHour(now));
}

/** The proposal for the next roll of the global OAuthTokenIssuer certificate at `now`. */
export function proposeOAuthRenewal(state: Deployment, now: Date, options: RenewalOptions = {}): RenewalProposal {
  const leadHours = certUseFacts('OAuthTokenIssuer').leadTimeHours ?? 0;
  const slot = state.cms.assignments.OAuthTokenIssuer;
  const lookup = (t: string) => state.cms.certificates.find((c) => c.thumbprint === t);
  const currentCert = slot?.current && lookup(slot.current.thumbprint);
  const expiry = currentCert ? Date.parse(currentCert.notAfter) : undefined;
  const pending = slot?.pending;
  const warnings: string[] = [];

  let situation: RenewalSituation;
  let effective: number;
  if (expiry === undefined) {
    situation = 'no-certificate';
    effective = now.getTime();
    warnings.push('No OAuthTokenIssuer certificate is assigned: server-to-server authentication (e.g. with Exchange) does not work until one is. The plan assigns one at once, without a roll.');
  } else if (expiry <= now.getTime()) {
    situation = 'expired';
    effective = now.getTime();
    warnings.push(`The current OAuthTokenIssuer certificate expired on ${formatUsDateTime(new Date(expiry))}: server-to-server authentication fails until it is replaced. The plan replaces it at once, without a roll.`);
  } else if (pending && (options.thumbprint === undefined || options.thumbprint === pending.thumbprint)) {
    situation = 'staged';
    effective = Date.parse(pending.effectiveDate);
  } else if (expiry - now.getTime() < leadHours * HOUR_MS) {
    situation = 'under-lead';
    effective = nextHour(now.getTime());
    warnings.push(`The current certificate expires on ${formatUsDateTime(new Date(expiry))}, in less than ${leadHours} hours: a roll can no longer lead its expiry by the ${leadHours} hours partners need, so some may reject tokens for a while. The plan stages the roll for the next full hour.`);
  } else {
    situation = 'normal';
    effective = proposedEffectiveDate(expiry, now.getTime());
  }

  // The candidates, judged at the effective date; the chosen one may move it (a certificate not valid yet).
  const exclude = new Set([slot?.current?.thumbprint, slot?.previous?.thumbprint].filter((t): t is string => t !== undefined));
  const pool = candidatePool(state, exclude);
  const ranked = pool.filter((c) => plausible(c.cert, effective))
    .sort((a, b) => Number(b.holder === 'global') - Number(a.holder === 'global') || Date.parse(b.cert.notAfter) - Date.parse(a.cert.notAfter));
  const wanted = options.thumbprint ?? (situation === 'staged' ? pending?.thumbprint : undefined);
  const wantedEntry = wanted === undefined ? undefined : pool.find((c) => c.cert.thumbprint === wanted);
  if (wanted !== undefined && !wantedEntry) warnings.push(`${wanted} is in no store of the deployment: import it first.`);
  const judgeAt = (e: { cert: StoredCertificate; holder: string }) => judge(state, e.cert, e.holder, now, new Date(effective), options);
  const candidates = ranked.slice(0, RENEWAL_CANDIDATES).map(judgeAt);
  let chosen = wantedEntry ? candidates.find((c) => c.thumbprint === wantedEntry.cert.thumbprint) ?? judgeAt(wantedEntry) : candidates.find((c) => c.fit);

  // A chosen certificate that is not valid yet moves the effective date to its NotBefore (next full hour).
  if (chosen && situation !== 'staged' && Date.parse(chosen.notBefore) > effective) {
    const valid = ceilHour(Date.parse(chosen.notBefore));
    warnings.push(`${chosen.thumbprint} is not valid before ${formatUsDateTime(new Date(chosen.notBefore))}, so the roll takes effect on ${formatUsDateTime(new Date(valid))}${expiry !== undefined && valid > expiry - leadHours * HOUR_MS ? `, less than ${leadHours} hours before the current certificate expires` : ''}.`);
    effective = valid;
    chosen = judgeAt(wantedEntry ?? pool.find((c) => c.cert.thumbprint === chosen?.thumbprint)!);
  }
  if (!chosen) warnings.push(`No certificate in the deployment meets the requirements (RSA, at least ${MIN_OAUTH_KEY_BITS} bits, an exportable private key, valid on ${formatUsDateTime(new Date(effective))}): request a new one first.`);

  let request: OperationRequest<'Set-CsCertificate'> | undefined;
  if (chosen && situation !== 'staged') {
    const rolls = situation !== 'no-certificate' && situation !== 'expired';
    request = {
      cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: chosen.thumbprint,
      ...(rolls ? { effectiveDate: new Date(effective).toISOString(), roll: true } : {}),
      ...(chosen.holder === 'global' ? {} : { computer: chosen.holder }),
    };
    const dry = runOperation(state, request, { now: () => now, expiryWarningDays: options.expiryWarningDays });
    if (!dry.ok) {
      warnings.push(`${dry.error.message} ${dry.error.fix ?? ''}`.trim());
      request = undefined;
    } else {
      for (const f of dry.findings) if (f.severity !== 'info' && !warnings.includes(f.message)) warnings.push(f.message);
    }
  }
  if (situation === 'staged' && slot) {
    const staged = checkPendingRoll(slot, 'OAuthTokenIssuer', lookup, OAUTH_GLOBAL_PATH);
    warnings.push(staged.length ? `A roll is staged already (${pending?.thumbprint}, ${formatUsDateTime(new Date(effective))}), with problems:` : `A roll is staged already: ${pending?.thumbprint} becomes current on ${formatUsDateTime(new Date(effective))}. Choose another certificate to stage a different one.`);
    warnings.push(...staged.map((f) => f.message));
  }

  const steps = planSteps(state, situation, now.getTime(), effective, expiry, chosen, request);
  const overlay = overlayOf(steps, chosen, effective, situation);
  return {
    situation, effectiveDate: new Date(effective).toISOString(), chosen, candidates, steps, warnings, request, overlay,
    ...(currentCert ? { current: { thumbprint: currentCert.thumbprint, label: displayText(currentCert.friendlyName || currentCert.subject || currentCert.thumbprint), notAfter: currentCert.notAfter } } : {}),
  };
}

function planSteps(state: Deployment, situation: RenewalSituation, now: number, effective: number, expiry: number | undefined, chosen: RenewalCandidate | undefined, request: OperationRequest<'Set-CsCertificate'> | undefined): RenewalStep[] {
  const iso = (t: number) => new Date(t).toISOString();
  const computer = defaultComputer(state)?.server.fqdn;
  const steps: RenewalStep[] = [];
  const staged = situation === 'staged';
  steps.push(chosen
    ? { kind: 'obtain', at: iso(now), title: `Use ${chosen.label}`, detail: `${chosen.thumbprint}, valid ${formatUsDateTime(new Date(chosen.notBefore))} – ${formatUsDateTime(new Date(chosen.notAfter))}${chosen.holder === 'global' ? ', held by the Central Management store' : `, in the store of ${chosen.holder}`}.`, powershell: [] }
    : { kind: 'obtain', at: iso(now), title: 'Request a new certificate', detail: `RSA, at least ${MIN_OAUTH_KEY_BITS} bits, the SIP domain in its Subject or alternative names, an exportable private key, valid on ${formatUsDateTime(new Date(effective))}.`, powershell: [REQUEST_OAUTH_CERTIFICATE] });
  if (!chosen || chosen.holder !== 'global') {
    steps.push({
      kind: 'import', at: iso(now), title: 'Import it into the Central Management store',
      detail: chosen ? `Set-CsCertificate takes a copy with its private key from the store of ${chosen.holder}; run it there.` : 'From the PFX file with its private key.',
      powershell: chosen ? [] : [renderPowerShell({ cmdlet: 'Import-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], path: 'C:\\Certificates\\ServerToServerAuth.pfx', password: '', effectiveDate: situation === 'normal' || situation === 'under-lead' ? new Date(effective) : undefined, roll: situation === 'normal' || situation === 'under-lead' ? true : undefined })],
    });
  }
  const setLine = request ? renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: request.thumbprint, effectiveDate: request.effectiveDate ? new Date(request.effectiveDate) : undefined, roll: request.roll }) : undefined;
  steps.push({
    kind: 'roll', at: iso(staged ? effective : now),
    title: staged ? `Roll staged: takes effect ${formatUsDateTime(new Date(effective))}` : request?.roll ? `Stage the roll for ${formatUsDateTime(new Date(effective))}` : 'Assign it now',
    detail: staged ? 'Already staged; nothing to run.' : expiry !== undefined && request?.roll ? `${Math.round((expiry - effective) / HOUR_MS)} hours before the current certificate expires (${formatUsDateTime(new Date(expiry))}).` : 'Without -Roll the certificate becomes current at once.',
    powershell: setLine ? [setLine] : [],
  });
  steps.push({
    kind: 'verify', at: iso(Math.max(now, effective - DAY_MS)), title: 'Verify replication on every Front End',
    detail: 'Every replica must be up to date (the new certificate deployed) before the roll takes effect.',
    powershell: [renderPowerShell({ cmdlet: 'Invoke-CsManagementStoreReplication' }), renderPowerShell({ cmdlet: 'Get-CsManagementStoreReplicationStatus' }), `${renderPowerShell({ cmdlet: 'Get-CsCertificate', type: ['OAuthTokenIssuer'] })}${computer ? `  # on each Front End, e.g. ${computer}` : ''}`],
  });
  if (expiry !== undefined && expiry > now) {
    steps.push({
      kind: 'remove-previous', at: iso(expiry), title: `Remove the previous certificate after ${formatUsDateTime(new Date(expiry))}`,
      detail: 'Once the old certificate has expired it validates nothing; remove it.',
      powershell: [renderPowerShell({ cmdlet: 'Remove-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], previous: true })],
    });
  }
  return steps;
}

function overlayOf(steps: RenewalStep[], chosen: RenewalCandidate | undefined, effective: number, situation: RenewalSituation): TimelineOverlay {
  const markers: TimelineMarker[] = steps.map((s) => ({ kind: 'plan', at: Date.parse(s.at), label: `Plan: ${s.title}` }));
  markers.push({ kind: 'plan', at: effective, label: `Plan: the new certificate becomes current (${formatUsDateTime(new Date(effective))})` });
  const bars: TimelineBar[] = [];
  if (chosen && situation !== 'staged') {
    const tone: TimelineTone = chosen.fit ? (chosen.findings.some((f) => f.severity === 'warning') ? 'warning' : 'ok') : 'error';
    bars.push({ thumbprint: chosen.thumbprint, role: 'proposed', from: Date.parse(chosen.notBefore), to: Date.parse(chosen.notAfter), effective, label: `Proposed: ${chosen.label}`, tone, lane: 1 });
  }
  return { bars, markers };
}

/** The renewal plan as operations run on a copy of the deployment: its history from `from` on is the plan, dated. */
export interface RenewalRehearsal {
  state: Deployment;
  /** The first history entry (1-based) of the plan. */
  from: number;
}

/**
 * Runs `proposal` on a copy of `state` (nothing is saved): the roll (or assignment) at `now`, replication to every
 * Front End, the roll taking effect at its effective date, and the previous certificate's removal once it has
 * expired — each history entry dated when the plan does it, so the plan export (src/powershell/plan.ts) writes it
 * with the dates filled in. Fails when there is nothing to plan (no certificate fits, and no roll is staged).
 */
export function rehearseRenewal(state: Deployment, proposal: RenewalProposal, now: Date, options: { expiryWarningDays?: number } = {}): { ok: true; rehearsal: RenewalRehearsal } | { ok: false; error: SfbError } {
  const at = (t: Date) => ({ now: () => t, expiryWarningDays: options.expiryWarningDays });
  let s = state;
  if (!proposal.request && proposal.situation !== 'staged') {
    return { ok: false, error: sfbError('renewal-nothing', 'There is no renewal to export: no certificate in the deployment meets the requirements.', `Request a new certificate first (${REQUEST_OAUTH_CERTIFICATE}), import it, then plan the renewal again.`, 'extension-rule') };
  }
  if (proposal.request) {
    const set = runOperation(s, proposal.request, at(now));
    if (!set.ok) return { ok: false, error: set.error };
    s = set.state;
  }
  const replicated = runOperation(s, { cmdlet: 'Invoke-CsManagementStoreReplication' }, at(now));
  if (replicated.ok) s = replicated.state;
  const effective = new Date(proposal.effectiveDate);
  if (effective.getTime() > now.getTime()) {
    const rolled = applyDueRolls(s, effective);
    if (rolled.applied.length) s = { ...rolled.state, history: [...rolled.state.history, rollHistory(rolled.applied, effective)] };
  }
  const removal = proposal.steps.find((step) => step.kind === 'remove-previous');
  if (removal) {
    const removed = runOperation(s, { cmdlet: 'Remove-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], previous: true }, at(new Date(removal.at)));
    if (removed.ok) s = removed.state;
  }
  return { ok: true, rehearsal: { state: s, from: state.history.length + 1 } };
}
