// Certificate Assignment, Certificate Store page: the computer's certificates with the rules' verdict for the use.
// A certificate that fails a requirement cannot be chosen; one with warnings needs the explicit override.
import { displayText, formatUsDateTime, type Deployment, type Server, type ServerLocation, type StoredCertificate } from '../../../core';
import type { CertificateDetailsView, CertificateRowView, UseRowId } from '../../../shared/protocol';
import { certificateFields, certificateName } from '../../../present/certificate';
import type { Page } from '../page';
import { ROW_LABELS, TONE_OF, currentThumbprint, refusedFor, storeCertificate, verdict, worst } from '../rows';
import { go, refuse, toCertificates, type AssignIntroUi, type AssignStoreUi, type AssignUi, type PageEnv, type RuleTime } from '../state';
import { LAYOUT_NOT_CONFIRMED, button, wizardButtons } from '../widgets';

function certificateRow(state: Deployment, server: Server, cert: StoredCertificate, row: UseRowId, time: RuleTime, current: string | undefined): CertificateRowView {
  const findings = verdict(state, server, cert, row, time);
  const w = worst(findings);
  return {
    thumbprint: cert.thumbprint,
    friendlyName: displayText(cert.friendlyName ?? ''),
    subject: displayText(cert.subject),
    expiration: formatUsDateTime(new Date(cert.notAfter)),
    keySize: `${cert.keyAlgorithm} ${cert.keySize}`,
    selectable: w?.severity !== 'error',
    tone: w ? TONE_OF[w.severity] : 'ok',
    reasons: findings.map((f) => displayText(f.message)),
    currentlyAssigned: cert.thumbprint === current,
  };
}

/** The selected certificate when Next may go on with it, else why not. */
export function chosenCertificate(ui: AssignUi, { state, at, ctx }: PageEnv): { ok: true; cert: StoredCertificate } | { ok: false; reason: string } {
  const cert = storeCertificate(at.server, ui.thumbprint);
  if (!cert) return { ok: false, reason: 'no certificate is selected' };
  const findings = verdict(state, at.server, cert, ui.use, ctx);
  if (findings.some((f) => f.severity === 'error')) return { ok: false, reason: `${cert.thumbprint} fails a requirement for ${ROW_LABELS[ui.use]}` };
  if (findings.some((f) => f.severity === 'warning') && !ui.override) return { ok: false, reason: 'the selected certificate has warnings that were not accepted' };
  return { ok: true, cert };
}

/** Drops a selection or details whose certificate left the store. */
export function keepChoice<S extends AssignIntroUi | AssignStoreUi>(ui: S, at: ServerLocation): S {
  let next: S = ui;
  if (next.thumbprint !== undefined && !storeCertificate(at.server, next.thumbprint)) next = { ...next, thumbprint: undefined, override: false };
  if (next.details !== undefined && !storeCertificate(at.server, next.details)) next = { ...next, details: undefined };
  return next;
}

function detailsOf(cert: StoredCertificate): CertificateDetailsView {
  return { thumbprint: cert.thumbprint, title: `Certificate details: ${certificateName(cert)}`, fields: certificateFields(cert).map(({ label, value }) => ({ label, value })) };
}

export const assignStorePage: Page<AssignStoreUi> = {
  navigate(ui, action, env) {
    if (action === 'back') return go({ ...ui, page: 'assign-intro' });
    if (action === 'cancel') return go(toCertificates(ui));
    if (action !== 'next') return undefined;
    const chosen = chosenCertificate(ui, env);
    return chosen.ok ? go({ ...ui, page: 'assign-summary', thumbprint: chosen.cert.thumbprint, details: undefined }) : refuse(`Next is not available: ${chosen.reason}`);
  },
  receive(ui, msg, { state, at, ctx }) {
    switch (msg.type) {
      case 'selectCertificate': {
        const cert = storeCertificate(at.server, msg.thumbprint);
        if (!cert) return refuse(`no certificate ${msg.thumbprint} is in the store of ${at.server.fqdn}`);
        if (refusedFor(state, at.server, cert, ui.use, ctx)) return refuse(`${msg.thumbprint} fails a requirement for ${ROW_LABELS[ui.use]} and cannot be chosen`);
        if (msg.thumbprint === ui.thumbprint) return go(ui);
        return go({ ...ui, thumbprint: msg.thumbprint, override: false, details: ui.details === msg.thumbprint ? ui.details : undefined });
      }
      case 'overrideWarning': {
        const cert = storeCertificate(at.server, ui.thumbprint);
        if (!cert || !verdict(state, at.server, cert, ui.use, ctx).some((f) => f.severity === 'warning')) return refuse('the selected certificate has no warning to accept');
        return go({ ...ui, override: msg.checked });
      }
      case 'viewCertificateDetails':
        return storeCertificate(at.server, msg.thumbprint) ? go({ ...ui, details: msg.thumbprint }) : refuse(`no certificate ${msg.thumbprint} is in the store of ${at.server.fqdn}`);
      default:
        return undefined;
    }
  },
  settle: (ui, { at }) => keepChoice(ui, at),
  render(ui, env) {
    const { state, at, ctx } = env;
    const current = currentThumbprint(state, at, ui.use);
    const certificates = at.server.certificates.map((c) => certificateRow(state, at.server, c, ui.use, ctx, current));
    const selected = certificates.find((c) => c.thumbprint === ui.thumbprint);
    const detailsCert = storeCertificate(at.server, ui.details);
    const intro = at.server.certificates.length
      ? `Select the certificate to assign to ${ROW_LABELS[ui.use]} on ${at.server.fqdn}. A certificate that fails a requirement for this use is shown with the reason and cannot be chosen.`
      : `The certificate store of ${at.server.fqdn} is empty: cancel, and use Import Certificate to add a certificate first.`;
    return {
      body: {
        kind: 'store',
        intro,
        certificates,
        selected: ui.thumbprint,
        ...(selected?.tone === 'warning' ? { override: { checked: ui.override, label: 'Use this certificate despite the warnings shown for it' } } : {}),
        actions: [button('view-details', 'View Certificate Details', ui.thumbprint ? { type: 'viewCertificateDetails', thumbprint: ui.thumbprint } : undefined, Boolean(ui.thumbprint), { hint: ui.thumbprint ? undefined : 'Select a certificate first.' })],
        ...(detailsCert ? { details: detailsOf(detailsCert) } : {}),
      },
      buttons: wizardButtons({ back: true, next: chosenCertificate(ui, env).ok }),
      unconfirmed: `Columns ${LAYOUT_NOT_CONFIRMED}; the requirement checks are SfB Certificates' rules.`,
    };
  },
};
