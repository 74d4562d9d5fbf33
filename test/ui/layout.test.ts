/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Layout at a normal width (issue #15 point 8), measured in the real workbench in Chromium at 1280 × 800 with the
// sidebar at its default width: tree descriptions are not cut off, no table cell of the wizard breaks a word
// (each word's line boxes, from Range.getClientRects, lie on one line; only thumbprints may break anywhere), no
// notification button is truncated, the walkthrough's title is not clamped, and the timeline's row labels are
// whole. Each measurement is first shown to catch the fault it looks for (a self-check on a planted example).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { Workbench, repoRoot } from './workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');

/** In the page: the words (runs of letters and digits) of `root`'s table cells whose line boxes span two lines. */
function brokenWords(root: Element, skip: string): string[] {
  const bad: string[] = [];
  for (const cell of root.querySelectorAll('table td, table th')) {
    if (cell.closest(skip)) continue;
    const walker = cell.ownerDocument.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const m of text.matchAll(/[\p{L}\p{N}_]+/gu)) {
        const range = cell.ownerDocument.createRange();
        range.setStart(node, m.index!);
        range.setEnd(node, m.index! + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) bad.push(`"${m[0]}" in "${(cell.textContent ?? '').slice(0, 80)}"`);
      }
    }
  }
  return bad;
}

/** In the page: the elements matching `selector` whose text overflows their box (cut off or ellipsized). */
function clipped(root: Element, selector: string): string[] {
  return [...root.querySelectorAll<HTMLElement>(selector)]
    .filter((e) => e.offsetParent !== null && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
    .map((e) => `"${e.textContent}" (${e.scrollWidth}×${e.scrollHeight} in ${e.clientWidth}×${e.clientHeight})`);
}

describe('UI: layout at 1280 px', function () {
  let wb: Workbench;
  let frame: FrameLocator;

  const wordsBroken = (target: Locator, skip = '.mono') => target.evaluate(brokenWords, skip);
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

  it('the tree\'s descriptions are whole at the default sidebar width (details in the tooltips)', async () => {
    await wb.expand('fe01.contoso.com');
    await wb.row('Default').waitFor();
    // The measurement sees a cut-off description: plant one, then take it away.
    const description = wb.sidebar.locator('.monaco-list-row .label-description').first();
    const text = await description.evaluate((d) => d.textContent ?? '');
    await description.evaluate((d, t) => { d.textContent = `${t} ${'and a very long description '.repeat(4)}`; }, text);
    const planted = await clippedIn(wb.sidebar, '.monaco-list-row .monaco-icon-label-container');
    await description.evaluate((d, t) => { d.textContent = t; }, text);
    assert.ok(planted.length > 0, 'the check sees a cut-off description');
    const rows = await wb.sidebar.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    const cut = await clippedIn(wb.sidebar, '.monaco-list-row:not(:has(.codicon-verified, .codicon-warning, .codicon-error)) .monaco-icon-label-container');
    assert.deepEqual(cut, [], `rows: ${rows.join(' | ')}`);
    const box = await wb.sidebar.boundingBox();
    assert.ok(box && box.width < 400, `the sidebar is at its default width (${box?.width} px)`);
    await wb.screenshot('layout-tree-1280');
  });

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

  it('the walkthrough\'s title and description are not clamped', async () => {
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickQuickItem('Server-to-server certificate');
    const header = wb.page.locator('.getting-started-category:has(h2.category-title)');
    await header.waitFor();
    assert.deepEqual(await clippedIn(header, 'h2.category-title, .category-description'), []);
    await wb.screenshot('layout-walkthrough-1280');
  });
});
