// Certificate Assignment Summary: what will run (the Set-CsCertificate line with the Deployment Wizard's additions)
// and, for a global use, whether to replicate right after it.
import { displayText, formatUsDateTime, globalCertificateReceivers, psString, renderPowerShell, type Deployment, type ServerLocation } from '../../../core';
import type { FieldView, UseRowId } from '../../../shared/protocol';
import { alternativeNamesText, certificateName } from '../../../present/certificate';
import type { Page } from '../page';
import { ROW_LABELS, currentThumbprint, frontEndNames, isGlobalRow, lookupFor, usesAt, verdict } from '../rows';
import { go, refuse, toCertificates, type AssignStoreUi, type AssignSummaryUi, type SetCertificateRequest } from '../state';
import { wizardButtons } from '../widgets';
import { chosenCertificate, keepChoice } from './assignStore';

/**
 * The name of the report file the Deployment Wizard passes to Set-CsCertificate, as observed [S17]; the time is when
 * it runs. The file is in the user's temporary folder: the observed line shows it expanded (C:\Users\…\AppData\
 * Local\Temp), so in PowerShell it is $env:TEMP — PowerShell does not expand cmd's %TEMP% [S36] (reference C9).
 */
export const REPORT_PATH_PATTERN = 'Set-CSCertificate-[yyyy_MM_dd][HH_mm_ss].html';

/** What the Deployment Wizard adds to the Set-CsCertificate line it runs [S17]: "$env:TEMP\<report>" expands in double quotes. */
export function withWizardAdditions(powershell: string, reportName: string): string {
  return `${powershell} -Confirm:$false -Report "$env:TEMP\\${psString(reportName).slice(1)}`;
}

export function setLine(request: SetCertificateRequest): string {
  return renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: request.identity, type: request.type, thumbprint: request.thumbprint });
}

function assignRequest(state: Deployment, at: ServerLocation, row: UseRowId, thumbprint: string): SetCertificateRequest {
  const type = usesAt(state, at.server, row);
  return isGlobalRow(row)
    ? { cmdlet: 'Set-CsCertificate', identity: 'global', computer: at.server.fqdn, type, thumbprint }
    : { cmdlet: 'Set-CsCertificate', computer: at.server.fqdn, type, thumbprint };
}

function describeCertificate(name: string | undefined, thumbprint: string): string {
  return name ? `${name} (${thumbprint})` : thumbprint;
}

export const assignSummaryPage: Page<AssignSummaryUi> = {
  navigate(ui, action, env) {
    if (action === 'back') return go({ ...ui, page: 'assign-store' });
    if (action === 'cancel') return go(toCertificates(ui));
    if (action !== 'next') return undefined;
    const chosen = chosenCertificate(ui, env);
    if (!chosen.ok) return refuse(`the assignment cannot run: ${chosen.reason}`);
    return go(ui, { kind: 'run-assign', request: assignRequest(env.state, env.at, ui.use, chosen.cert.thumbprint), replicate: isGlobalRow(ui.use) && ui.replicate });
  },
  receive(ui, msg) {
    if (msg.type !== 'setReplicate') return undefined;
    return isGlobalRow(ui.use) ? go({ ...ui, replicate: msg.checked }) : refuse('replication applies to a global assignment only');
  },
  settle(ui, env) {
    // The certificate left the store, or no longer passes: back to the Certificate Store page.
    const store = keepChoice<AssignStoreUi>({ ...ui, page: 'assign-store' }, env.at);
    return store.thumbprint !== undefined && chosenCertificate(store, env).ok ? { ...store, page: 'assign-summary', thumbprint: store.thumbprint } : store;
  },
  render(ui, env) {
    const { state, at, ctx } = env;
    const uses = usesAt(state, at.server, ui.use);
    const chosen = chosenCertificate(ui, env);
    const cert = chosen.ok ? chosen.cert : undefined;
    const current = currentThumbprint(state, at, ui.use);
    const global = isGlobalRow(ui.use);
    const frontEnds = frontEndNames(state);
    const accepted = cert ? verdict(state, at.server, cert, ui.use, ctx).filter((f) => f.severity === 'warning') : [];
    const currentCert = current === undefined ? undefined : lookupFor(state, at.server, ui.use)(current);
    const items: FieldView[] = [
      { label: 'Computer', value: at.server.fqdn },
      { label: 'Certificate use', value: `${ROW_LABELS[ui.use]} (-Type ${uses.join(',')})` },
      { label: 'Certificate', value: cert ? certificateName(cert) : ui.thumbprint },
      { label: 'Subject', value: displayText(cert?.subject ?? '') },
      // The page asks the admin to check the subject name and the subject alternative names [S35] (reference C3).
      { label: 'Subject alternative names', value: cert ? alternativeNamesText(cert) : '' },
      { label: 'Thumbprint', value: ui.thumbprint },
      { label: 'Expiration date', value: cert ? formatUsDateTime(new Date(cert.notAfter)) : '' },
      {
        label: 'Location',
        value: global
          ? `Global: stored in the Central Management store and replicated to all ${globalCertificateReceivers(frontEnds.length)} (${frontEnds.join(', ')})`
          : `Local: ${at.server.fqdn} only`,
      },
      { label: 'Currently assigned', value: current ? describeCertificate(currentCert && certificateName(currentCert), current) : 'nothing' },
    ];
    if (accepted.length) items.push({ label: 'Warnings accepted', value: displayText(accepted.map((f) => f.message).join(' ')) });
    const notes = [`The Deployment Wizard adds -Confirm:$false and an HTML report in the temporary folder ($env:TEMP); the report's name takes the date and time the command runs.`];
    if (global) notes.push('Run once, on one Front End: replication deploys the certificate to the others.');
    return {
      body: {
        kind: 'summary',
        intro: 'Review the assignment: check that the subject name and the subject alternative names are correct, then click Next to run it.',
        items,
        powershell: [withWizardAdditions(setLine(assignRequest(state, at, ui.use, ui.thumbprint)), REPORT_PATH_PATTERN)],
        notes,
        ...(global ? {
          replicate: {
            checked: ui.replicate,
            label: 'Then replicate to every replica now (Invoke-CsManagementStoreReplication). Skype for Business Server replicates by itself within minutes; the model waits until replication is invoked.',
          },
        } : {}),
      },
      buttons: wizardButtons({ back: true, next: true }),
    };
  },
};
