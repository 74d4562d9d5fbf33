// Available Certificate Tasks, the import path's first page: import from a file (requests are not simulated).
import type { Page } from '../page';
import { go, toCertificates, type PlainUi } from '../state';
import { LAYOUT_NOT_CONFIRMED, REQUEST_NOT_SIMULATED, wizardButtons } from '../widgets';

export const importTasksPage: Page<PlainUi> = {
  navigate(ui, action) {
    if (action === 'next') return go({ ...ui, page: 'import-file' });
    return action === 'cancel' ? go(toCertificates(ui)) : undefined;
  },
  render: () => ({
    body: {
      kind: 'tasks',
      intro: 'Choose a certificate task, then click Next.',
      options: [
        { id: 'import', label: 'Import a certificate from a .P7b, .pfx or .cer file', enabled: true, selected: true },
        { id: 'request', label: 'Create a new certificate request', enabled: false, selected: false, hint: REQUEST_NOT_SIMULATED },
      ],
    },
    buttons: wizardButtons({ back: false, next: true }),
    unconfirmed: `Microsoft documents this page for Edge Servers; on other servers it is assumed ${LAYOUT_NOT_CONFIRMED}.`,
  }),
};
