// Process Pending Request: the computer's requests waiting for a certification authority's answer, and the answer
// file (.cer, .pem or .p7b; Browse or a typed path). Next reads the answer and the request's key (its .key.pem file)
// and runs the core's Process-PendingRequest, which pairs them by public key.
import { formatUsDateTime, pendingRequests } from '../../../core';
import type { Page } from '../page';
import { go, toCertificates, type PlainUi } from '../state';
import { button, wizardButtons } from '../widgets';
import { KEY_FILE_NOTE } from './request';

/** Why the product's button and this page differ: labelled as the extension's own rule. */
export const PENDING_RULE = "Skype for Business Server's Process Pending Request retrieves requests an online CA holds for approval; SfB Certificates models no such CA, so here it completes an offline request with the CA's answer file. (SfB Certificates' rule.)";

export const pendingPage: Page<PlainUi> = {
  navigate(ui, action) {
    if (action === 'back' || action === 'cancel') return go(toCertificates(ui));
    return action === 'next' ? undefined : undefined;
  },
  receive(ui, msg, env) {
    switch (msg.type) {
      case 'browse':
        return go(ui, { kind: 'browse' });
      case 'form': {
        const requestFile = typeof msg.values.request === 'string' ? msg.values.request : '';
        const path = typeof msg.values.answer === 'string' ? msg.values.answer.trim() : '';
        const withError = (error: string) => go({ ...ui, importForm: { ...ui.importForm, path, error, revision: ui.importForm.revision + 1 } });
        if (!pendingRequests(env.state, env.at.server.fqdn).some((r) => r.requestFile === requestFile)) return withError('Choose the pending request the answer is for.');
        if (!path) return withError("Type the path of the CA's answer (.cer, .pem or .p7b), or click Browse.");
        return go({ ...ui, importForm: { ...ui.importForm, path, error: undefined } }, { kind: 'run-pending', computer: env.at.server.fqdn, requestFile, path });
      }
      default:
        return undefined;
    }
  },
  render(ui, env) {
    const pending = pendingRequests(env.state, env.at.server.fqdn);
    return {
      body: {
        kind: 'form',
        intro: pending.length
          ? `Choose the pending request of ${env.at.server.fqdn} and the certification authority's answer to it, then click Next.`
          : `${env.at.server.fqdn} has no pending certificate request.`,
        fields: [
          {
            kind: 'radio', id: 'request', label: 'Pending requests', value: pending[0]?.requestFile ?? '',
            options: pending.map((r) => ({ value: r.requestFile, label: `${r.requestFile} — ${r.subject} (${r.uses.join(', ')}), ${formatUsDateTime(new Date(r.requestedAt))}` })),
          },
          { kind: 'text', id: 'answer', label: "The CA's answer (certificate file)", value: ui.importForm.path, hint: 'A .cer, .pem or .p7b file, relative to the workspace folder or absolute.' },
        ],
        notes: [PENDING_RULE, KEY_FILE_NOTE],
        ...(ui.importForm.error ? { error: ui.importForm.error } : {}),
        actions: [button('browse', 'Browse…', { type: 'browse' })],
      },
      buttons: wizardButtons({ back: true, next: pending.length ? 'form' : false }),
    };
  },
};
