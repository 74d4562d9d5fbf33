// The walk of issue 15, repeated as a new admin would, at 1280 × 800 with the sidebar at its default width, in the
// light and the dark theme: the tree expanded (with a certificate whose common name is long), every context-menu
// item of every kind of tree node run and what it shows looked at (in the light theme; the dark one opens each
// menu), the Certificate Wizard's pages, the timeline, the walkthrough's steps and the Management Shell. After each
// step the same generic checks run over whatever is on screen: no notification or dialog button and no menu item
// cut off, no tree row cut off, no table cell of a webview breaking a word or spilling out of its column. Every
// screenshot is saved as test/ui/screenshots/walk-<theme>-*.png for a person to look at.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { generateCertificate, writePfx } from '../../src/core';
import { TEST_CRL_DISTRIBUTION_POINTS } from '../fixtures/crl';
import { brokenWords, clipped, spillingCells, treeRows, workbenchFaults } from './layoutChecks';
import { GLOBAL_SLOT_FULL, widestRollDate } from './seedStates';
import { Workbench, repoRoot } from './workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');
/** A real pool's web certificate name: longer than a default-width sidebar row has room for at the store's depth. */
export const LONG_CN = 'sfb2019-pool01.emea.corp.contoso.com';

/** The sample, in the seed procedure's middle (current, previous and pending OAuth certificates), with a long-named certificate in fe01's store. */
export function prepareWalk(ws: string): void {
  execFileSync(process.execPath, [cli, 'sample', '--out', path.join(ws, 'sfb-deployment.json')], { stdio: 'pipe' });
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'terminal.integrated.gpuAcceleration': 'off' }));
  const cert = generateCertificate({ subject: { CN: LONG_CN, O: 'Contoso' }, dnsNames: [LONG_CN, 'pool01.contoso.com', 'fe01.contoso.com'], keySize: 2048, crlDistributionPoints: TEST_CRL_DISTRIBUTION_POINTS });
  fs.writeFileSync(path.join(ws, 'long-name.pfx'), writePfx(cert, 'L0ng!Name', { friendlyName: 'EMEA pool web (long name)' }));
  fs.writeFileSync(path.join(ws, 'walk-seed.ps1'), `${GLOBAL_SLOT_FULL(widestRollDate())}\n$long = ConvertTo-SecureString -String "L0ng!Name" -AsPlainText -Force\nImport-CsCertificate -Path C:\\long-name.pfx -Password $long\n`);
  execFileSync(process.execPath, [cli, 'shell', path.join(ws, 'sfb-deployment.json'), '--file', path.join(ws, 'walk-seed.ps1'), '--computer', 'fe01.contoso.com'], { stdio: 'pipe' });
  fs.rmSync(path.join(ws, 'walk-seed.ps1'));
}

for (const [theme, tag] of [['Default Light Modern', 'light'], ['Default Dark Modern', 'dark']] as const) {
  describe(`UI: the walk at 1280 px, ${tag} theme`, function () {
    let wb: Workbench;
    const faults: string[] = [];

    before(async () => {
      wb = await Workbench.open((ws) => prepareWalk(ws), { viewport: { width: 1280, height: 800 } });
      await wb.openContainer({ widen: false });
      await wb.row('fe01.contoso.com').waitFor({ timeout: 60000 });
      // The theme as a user picks it (a workspace setting alone is not applied by this VS Code server build).
      await wb.runCommand('Preferences: Color Theme');
      await wb.pickQuickItem(new RegExp(`^${theme.replace(/^Default /, '')}`));
      await wb.page.locator(`.monaco-workbench.${tag === 'dark' ? 'vs-dark' : 'vs'}`).waitFor();
    });
    after(async () => { await wb?.close(); });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await wb.screenshot(`FAILED-walk-${tag}-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
    });

    /** The long-named certificate's row: its name shortened at whole DNS labels to fit (the tooltip has it all). */
    const longRow = () => wb.row(/^sfb2019-pool01…contoso\.com$/);

    /** The webview in front, if one is (its document), else undefined. */
    const webview = async (): Promise<FrameLocator | undefined> => {
      const frame = wb.webview();
      return (await frame.locator('body').count().catch(() => 0)) ? frame : undefined;
    };

    /** Screenshots what is on screen and runs the generic checks over it: the workbench's buttons and menus, the tree, a webview's tables. */
    async function look(name: string): Promise<void> {
      // A hover left from the last click (a tree row's tooltip) fades first; it is not what the step shows.
      await wb.page.mouse.move(1, 1);
      await wb.page.waitForTimeout(600);
      await wb.screenshot(`walk-${tag}-${name}`);
      const found = await wb.page.locator('.monaco-workbench').evaluate(workbenchFaults);
      const rows = await wb.sidebar.evaluate(treeRows);
      found.push(...rows.filter((r) => r.cut).map((r) => `tree row "${r.text.trim()}" cut off (${r.cut})`));
      const frame = await webview();
      if (frame) {
        const body = frame.locator('body');
        found.push(...(await body.evaluate(brokenWords, { skip: '.mono', cells: 'table td, table th, dd, code, .plan p, .plan li' }).catch(() => [] as string[])).map((w) => `webview: word broken ${w}`));
        found.push(...(await body.evaluate(clipped, '.row-label, button').catch(() => [] as string[])).map((c) => `webview: cut off ${c}`));
        found.push(...(await body.evaluate(spillingCells).catch(() => [] as string[])).map((c) => `webview: cell spills ${c}`));
      }
      faults.push(...found.map((f) => `${name}: ${f}`));
    }

    /** Closes whatever a step left open: quick inputs, dialogs, menus, notifications, editors. */
    async function tidy(): Promise<void> {
      for (let i = 0; i < 3; i++) await wb.page.keyboard.press('Escape');
      // Keys go to the workbench, not to a webview that took the focus (F1 there opens no palette).
      await wb.page.locator('.statusbar').click({ position: { x: 700, y: 10 } }).catch(() => undefined);
      await wb.runCommand('Notifications: Clear All Notifications');
      await wb.runCommand('View: Close All Editors');
      // The panel a step opened (the Management Shell) takes half the height the next step needs.
      const hidePanel = wb.page.locator('.part.panel .action-label[aria-label^="Hide Panel"]').first();
      if (await hidePanel.isVisible().catch(() => false)) await hidePanel.click();
      await wb.page.keyboard.press('Escape');
      const dialog = wb.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: /^(Don't Save|Cancel)$/ }).first();
      if (await dialog.isVisible().catch(() => false)) await dialog.click();
    }

    /** The items of a row's context menu (opened, read, screenshotted, closed). */
    async function menuItems(row: Locator, name: string): Promise<string[]> {
      await row.click({ button: 'right' });
      const menu = wb.page.locator('.monaco-menu');
      await menu.locator('.action-item').first().waitFor();
      await wb.page.waitForTimeout(150);
      const items = (await menu.locator('.action-item:not(.disabled) .action-label:not(.separator)').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      await wb.page.screenshot({ path: path.join(repoRoot, 'test', 'ui', 'screenshots', `walk-${tag}-menu-${name}.png`), animations: 'disabled' });
      faults.push(...(await wb.page.locator('.monaco-workbench').evaluate(workbenchFaults)).map((f) => `menu of ${name}: ${f}`));
      await wb.page.keyboard.press('Escape');
      return items;
    }

    it('the tree, expanded at the store\'s depth: every row whole, the long common name too', async () => {
      await wb.expand('OAuthTokenIssuer (global)');
      await wb.row('Pending').waitFor();
      await wb.expand('fe01.contoso.com');
      await wb.expand('Local certificate store');
      await longRow().waitFor();
      await wb.expand('edge01.contoso.com');
      await look('tree');
      await longRow().hover();
      await wb.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: `CN=${LONG_CN}` }).first().waitFor();
      await wb.page.screenshot({ path: path.join(repoRoot, 'test', 'ui', 'screenshots', `walk-${tag}-tree-long-name-tooltip.png`), animations: 'disabled' });
    });

    it('every context-menu item of every kind of tree node', async function () {
      this.timeout(900000);
      const nodes: [string, () => Locator][] = [
        ['cms', () => wb.row('Central Management Store')],
        ['global-slot', () => wb.row('OAuthTokenIssuer (global)')],
        ['slot-entry', () => wb.row('Current')],
        ['store-certificate', longRow],
        ['server', () => wb.row('fe02.contoso.com')],
      ];
      const ran: string[] = [];
      for (const [name, row] of nodes) {
        await row().waitFor();
        const items = await menuItems(row(), name);
        assert.ok(items.length > 0, `${name} has a context menu`);
        if (tag !== 'light') continue;
        for (const item of items) {
          const shot = `${name}-${item.replace(/\W+/g, '-').replace(/^-|-$/g, '').slice(0, 40)}`;
          try {
            await row().waitFor({ timeout: 10000 });
            await wb.contextMenu(row(), item);
            await wb.page.waitForTimeout(1500);
            await look(shot);
            ran.push(shot);
          } catch (e) {
            faults.push(`${shot}: did not run (${(e as Error).message.split('\n')[0]})`);
          } finally {
            await tidy();
          }
        }
      }
      if (tag === 'light') assert.ok(ran.length >= 20, `ran ${ran.length}: ${ran.join(', ')}`);
    });

    it('the Certificate Wizard: Certificate Wizard, Certificate Assignment and Certificate Store pages', async () => {
      await wb.contextMenu(wb.row('fe01.contoso.com'), 'Open Certificate Wizard…');
      const frame = wb.webview();
      const title = (text: string) => frame.locator('#title', { hasText: new RegExp(`^${text}$`) }).waitFor({ timeout: 60000 });
      await title('Skype for Business Server Deployment Wizard');
      await look('wizard-deployment');
      await frame.locator('[data-action="install-or-update"]').click();
      await title('Skype for Business Server');
      await frame.locator('[data-action="run-step3"]').click();
      await title('Certificate Wizard');
      await look('wizard-certificates');
      await frame.locator('tr[data-use="Default"]').click();
      await frame.locator('[data-action="assign"]').click();
      await title('Certificate Assignment');
      await frame.locator('[data-action="next"]').click();
      await title('Certificate Store');
      await frame.locator('td', { hasText: LONG_CN }).first().waitFor();
      await look('wizard-store');
      await tidy();
    });

    it('the timeline', async () => {
      await wb.runCommand('SfB Certificates: Open Certificate Timeline');
      await wb.webview().locator('.row[data-id="global:current"]').waitFor({ timeout: 60000 });
      await look('timeline');
      await tidy();
    });

    it('the walkthrough: each step chosen in turn', async () => {
      await wb.runCommand('Welcome: Open Walkthrough...');
      await wb.pickQuickItem('Server-to-server certificate');
      const steps = wb.page.locator('button.getting-started-step');
      await steps.first().waitFor();
      const ids = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id') ?? ''));
      for (const id of ids) {
        await wb.page.locator(`button.getting-started-step[data-step-id="${id}"] .step-title`).click();
        await wb.page.locator(`button.getting-started-step.expanded[data-step-id="${id}"]`).waitFor();
        await wb.page.waitForTimeout(400);
        await look(`walkthrough-${id.split('#').pop()}`);
      }
      await tidy();
    });

    it('the Management Shell: Get-CsCertificate', async () => {
      await wb.runCommand('SfB Certificates: Open Management Shell');
      const rows = wb.page.locator('.terminal-wrapper.active .xterm-rows').first();
      await wb.waitForText(rows, /PS C:\\Users\\Administrator>/);
      await wb.page.locator('.terminal-wrapper.active .xterm').first().click();
      await wb.page.keyboard.type('Get-CsCertificate -Type OAuthTokenIssuer');
      await wb.page.keyboard.press('Enter');
      await wb.waitForText(rows, /Thumbprint/);
      await look('management-shell');
    });

    it('finds none of the layout faults', () => {
      assert.deepEqual(faults, []);
    });
  });
}
