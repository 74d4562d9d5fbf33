// Layout at a normal width (issue #15 point 8), measured in the real workbench in Chromium at 1280 × 800 with the
// sidebar at its default width: every row of the expanded tree (label and description) is whole, no table cell of
// the wizard breaks a word (each word's line boxes, from Range.getClientRects, lie on one line; only thumbprints may
// break anywhere), no notification button is truncated, the walkthrough's title is not clamped and each step's text
// and buttons show whole, and the timeline's row labels are whole. Each measurement is first shown to catch the
// fault it looks for (a self-check on a planted example).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { Workbench, repoRoot } from './workbench';
import { brokenWords, clipped, spillingCells, treeRows } from './layoutChecks';
import { GLOBAL_SLOT_FULL, widestRollDate } from './seedStates';

const cli = path.join(repoRoot, 'dist', 'cli.js');

describe('UI: layout at 1280 px', function () {
  let wb: Workbench;
  let frame: FrameLocator;

  const wordsBroken = (target: Locator, skip = '.mono') => target.evaluate(brokenWords, { skip });
  const clippedIn = (target: Locator, selector: string) => target.evaluate(clipped, selector);

  before(async () => {
    wb = await Workbench.open((ws) => {
      execFileSync(process.execPath, [cli, 'sample', '--out', path.join(ws, 'sfb-deployment.json')], { stdio: 'pipe' });
    }, { viewport: { width: 1280, height: 800 } });
    await wb.openContainer({ widen: false });
    await wb.row('fe01.contoso.com').waitFor({ timeout: 60000 });
    frame = wb.webview();
  });

  after(async () => { await wb?.close(); });

  it('Get Certificate\'s notification buttons are not truncated', async () => {
    await wb.runCommand('SfB Certificates: Get Certificate (Get-CsCertificate)');
    const toast = wb.page.locator('.notification-toast', { hasText: /returned nothing/ }).first();
    await toast.waitFor();
    const buttons = toast.locator('.notification-list-item-buttons-container .monaco-text-button');
    const labels = await buttons.allInnerTexts();
    assert.deepEqual(labels, ['Import…', 'Use Default', 'Wizard…']);
    await buttons.first().evaluate((b) => { b.textContent = 'Assign Default Certificate as OAuthTokenIssuer Right Now'; });
    const planted = await clippedIn(toast, '.monaco-text-button');
    await buttons.first().evaluate((b) => { b.textContent = 'Import…'; });
    assert.ok(planted.length > 0, 'the check sees a truncated button');
    assert.deepEqual(await clippedIn(toast, '.monaco-text-button'), []);
    await wb.screenshot('layout-notification-1280');
    await toast.hover();
    await toast.locator('.codicon-notifications-clear').first().click().catch(() => undefined);
  });

  it('no table cell of the wizard breaks a word: Certificate Wizard and Certificate Store pages', async () => {
    await wb.contextMenu(wb.row('fe01.contoso.com'), 'Open Certificate Wizard…');
    const title = (text: string) => frame.locator('#title', { hasText: new RegExp(`^${text}$`) }).waitFor();
    await title('Skype for Business Server Deployment Wizard');
    await frame.locator('[data-action="install-or-update"]').click();
    await title('Skype for Business Server');
    await frame.locator('[data-action="run-step3"]').click();
    await title('Certificate Wizard');
    const content = frame.locator('main.content');
    // The measurement sees a word broken inside: plant one (a narrow cell that breaks anywhere), then remove it.
    await content.evaluate((root) => {
      const table = root.ownerDocument.createElement('table');
      table.id = 'planted';
      const cell = table.insertRow().insertCell();
      cell.textContent = 'Contoso server-to-server';
      cell.style.width = '3em';
      cell.style.overflowWrap = 'anywhere';
      cell.style.display = 'block';
      root.append(table);
    });
    const planted = await wordsBroken(content);
    await content.evaluate((root) => root.querySelector('#planted')?.remove());
    assert.ok(planted.length > 0, 'the check sees a broken word');
    assert.deepEqual(await wordsBroken(content), []);
    await wb.screenshot('layout-wizard-certificates-1280');

    await frame.locator('tr[data-use="OAuthTokenIssuer"]').click();
    await frame.locator('[data-action="assign"]').click();
    await title('Certificate Assignment');
    await frame.locator('[data-action="next"]').click();
    await title('Certificate Store');
    assert.deepEqual(await wordsBroken(content), []);
    // No cell's text reaches past its column (a long name with nowhere to wrap): plant one, then remove it.
    await content.evaluate((root) => {
      const cell = root.querySelector<HTMLElement>('table.store td.subject')!;
      cell.dataset.text = cell.textContent ?? '';
      cell.textContent = 'CN=averyveryverylongcommonnamewithnowheretowrap.contoso.com';
    });
    const spilling = await content.evaluate(spillingCells);
    await content.evaluate((root) => { const cell = root.querySelector<HTMLElement>('table.store td.subject')!; cell.textContent = cell.dataset.text ?? ''; });
    assert.ok(spilling.length > 0, 'the check sees a cell spilling out of its column');
    assert.deepEqual(await content.evaluate(spillingCells), []);
    const [scrollWidth, clientWidth] = await content.evaluate((m) => [m.scrollWidth, m.clientWidth]);
    assert.ok(scrollWidth <= clientWidth + 1, `the page fits (${scrollWidth} px in ${clientWidth}): no column is cut off at the right`);
    // One note of the extension's own rules, after the page's content.
    assert.equal(await frame.locator('.unconfirmed').count(), 1);
    assert.equal(await content.evaluate((m) => m.lastElementChild?.classList.contains('unconfirmed')), true);
    await wb.screenshot('layout-wizard-store-1280');
  });

  it('the timeline\'s row labels are whole (the label column takes their width; the full text is in the title)', async () => {
    await wb.runCommand('SfB Certificates: Open Certificate Timeline');
    await frame.locator('.row[data-id="global:current"]').waitFor({ timeout: 60000 });
    await frame.locator('.row[data-id^="slot:edge01"]').first().scrollIntoViewIfNeeded().catch(() => undefined);
    const labels = await frame.locator('#rows .row-label').evaluateAll((els) => els.map((e) => e.textContent));
    assert.ok(labels.some((l) => /WebServicesInternal/.test(l ?? '')), labels.join(' | '));
    assert.deepEqual(await clippedIn(frame.locator('#rows'), '.row-label'), []);
    const titles = await frame.locator('#rows .kind-slot .row-label').evaluateAll((els) => els.map((e) => [e.textContent, (e as HTMLElement).title]));
    for (const [text, tip] of titles) assert.ok(tip?.startsWith(text ?? '?'), `title of ${text}: ${tip}`);
    await wb.screenshot('layout-timeline-1280');
  });

  it('the walkthrough\'s title and description are not clamped, and each step\'s text and buttons show whole when it is chosen', async () => {
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickQuickItem('Server-to-server certificate');
    const header = wb.page.locator('.getting-started-category:has(h2.category-title)');
    await header.waitFor();
    assert.deepEqual(await clippedIn(header, 'h2.category-title, .category-description'), []);
    // A chosen step — its title, its text and its buttons — must lie inside the visible box of the step list (VS
    // Code sizes the list to what the header and the media leave and scrolls it to the chosen step; after a longer
    // step closes, a step whose text is too long has its title scrolled above the list's top) and its text must
    // not be clamped (scrollHeight <= clientHeight).
    const steps = wb.page.locator('button.getting-started-step');
    const ids = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id') ?? ''));
    assert.equal(ids.length, 4);
    const chosen = wb.page.locator('button.getting-started-step.expanded');
    const stepCut = () => chosen.evaluate((step) => {
      const list = step.closest('.steps-container')!.getBoundingClientRect();
      const d = step.querySelector<HTMLElement>('.step-description-container')!;
      const top = step.querySelector<HTMLElement>('.step-title')!.getBoundingClientRect().top;
      const bottom = d.getBoundingClientRect().bottom;
      const hidden = Math.max(0, bottom - list.bottom) + Math.max(0, list.top - top) + Math.max(0, d.scrollHeight - d.clientHeight);
      return hidden > 1 ? `${Math.round(hidden)} px of "${(step.textContent ?? '').slice(0, 60)}…" hidden` : '';
    });
    // The measurement sees a step cut off: plant four more lines in the first step's description, then take them away.
    await chosen.waitFor();
    await chosen.evaluate((step) => {
      const p = step.ownerDocument.createElement('p');
      p.id = 'planted';
      for (let i = 0; i < 8; i++) p.append('a line', step.ownerDocument.createElement('br'));
      step.querySelector('.step-description-container')!.prepend(p);
    });
    const planted = await stepCut();
    await chosen.evaluate((d) => d.querySelector('#planted')?.remove());
    assert.ok(planted, 'the check sees a step cut off');
    const cut: string[] = [];
    for (const id of ids) {
      await wb.page.locator(`button.getting-started-step[data-step-id="${id}"] .step-title`).click();
      await wb.page.locator(`button.getting-started-step.expanded[data-step-id="${id}"]`).waitFor();
      await wb.page.waitForTimeout(400); // VS Code scrolls the list to the chosen step
      const hidden = await stepCut();
      if (hidden) cut.push(`${id.split('#').pop()}: ${hidden}`);
      await wb.screenshot(`layout-walkthrough-${id.split('#').pop()}-1280`);
    }
    assert.deepEqual(cut, []);
    await wb.screenshot('layout-walkthrough-1280');
  });

  it('every row of the expanded tree is whole at the default sidebar width (servers, slots, stores, certificates, the global slot\'s current / previous / pending)', async () => {
    const file = path.join(wb.workspace, 'sfb-deployment.json');
    const script = path.join(wb.workspace, 'layout-seed.ps1');
    fs.writeFileSync(script, GLOBAL_SLOT_FULL(widestRollDate()));
    // The file changes on disk: the extension reloads it and the tree follows.
    execFileSync(process.execPath, [cli, 'shell', file, '--file', script], { stdio: 'pipe' });
    await wb.page.keyboard.press('Escape');
    await wb.expand('OAuthTokenIssuer (global)');
    await wb.row('Previous').waitFor();
    await wb.row('Pending').waitFor();
    const box = await wb.sidebar.boundingBox();
    assert.ok(box && box.width < 400, `the sidebar is at its default width (${box?.width} px)`);

    // The measurement sees a cut-off row: plant a long description, then take it away.
    const description = wb.sidebar.locator('.monaco-list-row .label-description').first();
    const text = await description.evaluate((d) => d.textContent ?? '');
    await description.evaluate((d, t) => { d.textContent = `${t} ${'and a very long description '.repeat(4)}`; }, text);
    const planted = await wb.sidebar.evaluate(treeRows);
    await description.evaluate((d, t) => { d.textContent = t; }, text);
    assert.ok(planted.some((r) => r.cut), 'the check sees a cut-off row');

    // Walk the whole tree from the keyboard, expanding every row (→), so each row is drawn and measured at rest.
    await wb.page.mouse.move(1, 1);
    await wb.sidebar.locator('.monaco-list').first().focus();
    await wb.page.keyboard.press('Home');
    const rows = new Map<string, { text: string; cut: string | undefined }>();
    const focused = wb.sidebar.locator('.monaco-list-rows .monaco-list-row.focused');
    /** Waits until the focused row is expanded, or (with `leaving`) is another row than the one at that index. */
    const focusedIs = (leaving?: string) => wb.page.waitForFunction((from) => {
      const row = document.querySelector<HTMLElement>('.part.sidebar .monaco-list-rows .monaco-list-row.focused');
      return Boolean(row) && (from === null ? row!.getAttribute('aria-expanded') === 'true' : row!.dataset.index !== from);
    }, leaving ?? null, { timeout: leaving === undefined ? 30000 : 3000 });
    for (let step = 0; step < 400; step++) {
      if ((await focused.getAttribute('aria-expanded')) === 'false') {
        await wb.page.keyboard.press('ArrowRight');
        await focusedIs();
        await wb.page.waitForTimeout(100);
      }
      for (const r of await wb.sidebar.evaluate(treeRows)) rows.set(r.index, r);
      const at = (await focused.getAttribute('data-index')) ?? '';
      await wb.page.keyboard.press('ArrowDown');
      // The end of the tree: ↓ moves the focus no more.
      if (!(await focusedIs(at).then(() => true, () => false))) break;
    }
    await wb.page.keyboard.press('ArrowUp'); // the last row, measured at rest too
    await wb.page.waitForTimeout(200);
    for (const r of await wb.sidebar.evaluate(treeRows)) rows.set(r.index, r);
    const all = [...rows.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, r]) => r);
    const listing = all.map((r) => `${r.text}${r.cut ? `   ← cut off (${r.cut})` : ''}`).join('\n');
    // Every kind of row was seen: the global slot's three entries, a store's certificates, an Edge server's uses.
    for (const expected of [/^ {4}Current/m, /^ {4}Previous/m, /^ {4}Pending/m, /^ {6}Local certificate store/m, /^ {8}contoso\.com/m, /^ {6}AudioVideoAuthentication/m, /^ {4}fe02\.contoso\.combehind$/m, /^ {8}se01\.dublin\.contoso\.com$/m]) {
      assert.match(listing, expected);
    }
    assert.deepEqual(all.filter((r) => r.cut).map((r) => r.text.trim()), [], listing);
    await wb.page.keyboard.press('Home');
    await wb.screenshot('layout-tree-1280');
  });
});
