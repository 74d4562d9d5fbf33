// Import Inventory in the real workbench: from the welcome view of an empty workspace (VS Code's own file dialog),
// the deployment the servers reported shows in the tree; a second inventory from the palette opens the drift view
// (what changed since the model), and Replace takes it. The drift view's screenshot is the README's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bytesOf, computer, consistentInventory, copyOf, csEntry, DAY, makeInventoryCertificates, storeEntry } from '../fixtures/inventory';
import { Workbench } from './workbench';

describe('UI: Import Inventory from the welcome view', function () {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.open(async (ws) => {
      const certs = await makeInventoryCertificates(new Date());
      const first = consistentInventory(certs);
      fs.writeFileSync(path.join(ws, 'sfb-inventory-first.json'), bytesOf(first));
      const second = copyOf(first);
      const fe3 = computer(second, 'fe03.contoso.com');
      fe3.csCertificates[2] = csEntry(certs.other, 'OAuthTokenIssuer', { EffectiveDate: new Date(Date.now() - DAY).toISOString() });
      fe3.store.push(storeEntry(certs.other, { FriendlyName: 'OAuth (MMC import)' }));
      Object.assign(computer(second, 'edge02.contoso.com'), { error: 'Connecting to remote server edge02.contoso.com failed: WinRM cannot complete the operation.', csCertificates: [], store: [] });
      fs.writeFileSync(path.join(ws, 'sfb-inventory-second.json'), bytesOf(second));
    });
    await wb.openContainer();
  });
  after(async () => { await wb?.close(); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.screenshot(`FAILED-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  it('imports an inventory from the welcome view and shows the servers it reported', async () => {
    const link = wb.sidebar.locator('a.monaco-button', { hasText: 'Import Inventory' });
    await link.waitFor();
    await link.click();
    await wb.chooseFile(path.join(wb.workspace, 'sfb-inventory-first.json'), /Import Inventory/);
    await wb.row('OAuthTokenIssuer (global)').waitFor({ timeout: 60000 });
    assert.doesNotMatch(await wb.row('OAuthTokenIssuer (global)').innerText(), /none$/);
    await wb.row('pool01.contoso.com').waitFor();
    assert.ok(fs.existsSync(path.join(wb.workspace, 'sfb-deployment.json')));
    await wb.screenshot('inventory-01-imported');
  });

  it('shows the drift view for a second inventory, and Replace takes it', async () => {
    await wb.runCommand('SfB Certificates: Import Inventory…');
    await wb.chooseFile(path.join(wb.workspace, 'sfb-inventory-second.json'), /Import Inventory/);
    const drift = wb.page.locator('.quick-input-widget', { hasText: /what changed since the model/ });
    await drift.waitFor();
    await drift.locator('.monaco-list-row', { hasText: 'fe03.contoso.com' }).first().waitFor();
    const text = await drift.innerText();
    assert.match(text, /Re-assigned/);
    assert.match(text, /edge02\.contoso\.com could not be read/);
    await wb.screenshot('inventory-02-drift');
    await wb.pickQuickItem('Replace the model with the inventory');
    await drift.waitFor({ state: 'hidden' });
    await wb.page.waitForTimeout(500);
    const saved = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'sfb-deployment.json'), 'utf8'));
    assert.match(saved.history.at(-1).summary, /sfb-inventory-second\.json/);
  });
});
