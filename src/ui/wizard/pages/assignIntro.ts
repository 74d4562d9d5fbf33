// Certificate Assignment, first page: what will be assigned where (a global use is assigned once, in the Central
// Management store, and replicated to every Front End).
import type { Page } from '../page';
import { ROW_LABELS, currentThumbprint, frontEndNames, isGlobalRow, refusedFor, storeCertificate, usesAt } from '../rows';
import { go, toCertificates, type AssignIntroUi } from '../state';
import { wizardButtons } from '../widgets';
import { keepChoice } from './assignStore';

export const assignIntroPage: Page<AssignIntroUi> = {
  navigate(ui, action, { state, at, ctx }) {
    if (action === 'next') {
      // Preselect the certificate chosen before (Back) or the one assigned now, when it may be chosen.
      const candidate = storeCertificate(at.server, ui.thumbprint ?? currentThumbprint(state, at, ui.use));
      const keep = candidate && !refusedFor(state, at.server, candidate, ui.use, ctx) ? candidate.thumbprint : undefined;
      return go({ ...ui, page: 'assign-store', thumbprint: keep });
    }
    return action === 'cancel' ? go(toCertificates(ui)) : undefined;
  },
  settle: (ui, { at }) => keepChoice(ui, at),
  render(ui, { state, at }) {
    const paragraphs = [`This wizard assigns a certificate from the certificate store of ${at.server.fqdn} to ${ROW_LABELS[ui.use]} (-Type ${usesAt(state, at.server, ui.use).join(',')}).`];
    paragraphs.push(isGlobalRow(ui.use)
      ? `OAuthTokenIssuer is a global certificate: it is assigned once, in the Central Management store, and replication deploys it to every Front End Server and Director (${frontEndNames(state).join(', ')}). Do not assign it again on each Front End.`
      : `The assignment applies to ${at.server.fqdn} only.`);
    paragraphs.push('Click Next to choose the certificate.');
    return { body: { kind: 'message', paragraphs }, buttons: wizardButtons({ back: false, next: true }) };
  },
};
