// Drives the real VS Code workbench (code-server + Debian Chromium) for the UI tier: opens our activity-bar
// container, reads the tree, clicks context-menu items, runs palette commands, works in the wizard webview,
// and saves screenshots under test/ui/screenshots/ (git-ignored) for a person to look at.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startCodeServer, launchBrowser } = require('../../../scripts/code-server.js');

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const screenshotDir = path.join(repoRoot, 'test', 'ui', 'screenshots');

const STEP_TIMEOUT = 30000;

interface CodeServerHandle {
  workbenchUrl(o: { folder?: string; extensionDevelopmentPath?: string }): string;
  stop(o?: { keepRunDir?: boolean }): Promise<void>;
  logFile: string;
}

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly workspace: string,
    private readonly server: CodeServerHandle,
    private readonly browser: { context: BrowserContext; close(): Promise<void> },
  ) {}

  /** Starts VS Code on a fresh workspace (optionally pre-filled by `prepare`) with the extension under development. */
  static async open(prepare?: (workspace: string) => void | Promise<void>, options: { viewport?: { width: number; height: number } } = {}): Promise<Workbench> {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-ui-ws-'));
    if (prepare) await prepare(workspace);
    const server: CodeServerHandle = await startCodeServer({ workspace });
    const browser = await launchBrowser(options.viewport ? { viewport: options.viewport } : {});
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT);
    // The workbench is ready when it has drawn itself, not at the page's load event (which a busy machine can push
    // past the step timeout): wait as long for the first as for the second.
    await page.goto(server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: repoRoot }), { waitUntil: 'domcontentloaded', timeout: 90000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    return new Workbench(page, workspace, server, browser);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    fs.rmSync(this.workspace, { recursive: true, force: true });
  }

  /** Opens our activity-bar container (clicking only when it is not already open: a second click closes it). */
  async openContainer(options: { widen?: boolean } = {}): Promise<void> {
    // VS Code 1.100 puts the container's name on the inner link, not on the tab itself.
    const tab = this.page.locator('.activitybar .action-item[role=tab]:has(a[aria-label^="SfB Certificates"])');
    await tab.waitFor({ timeout: 90000 });
    const cls = (await tab.getAttribute('class')) ?? '';
    if (!cls.split(/\s+/).includes('checked')) await tab.click();
    await this.page.locator('.part.sidebar .composite.title', { hasText: 'SfB Certificates' }).waitFor();
    if (options.widen !== false) await this.widenSidebar(560);
  }

  /** Drags the sash right of the sidebar so labels and descriptions are readable in screenshots. */
  private async widenSidebar(width: number): Promise<void> {
    const box = await this.sidebar.boundingBox();
    if (!box || box.width >= width) return;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  get sidebar(): Locator {
    return this.page.locator('.part.sidebar');
  }

  /** A tree row whose label matches exactly (or by regex). */
  row(label: string | RegExp): Locator {
    const rows = this.sidebar.locator('.monaco-list-row');
    if (typeof label === 'string') {
      return rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegex(label)}$`) }) }).first();
    }
    return rows.filter({ has: this.page.locator('.label-name', { hasText: label }) }).first();
  }

  /** Expands a collapsed row (a click on a collapsed row toggles it). */
  async expand(label: string | RegExp): Promise<Locator> {
    const r = this.row(label);
    await r.waitFor();
    // A row asked to expand must be expandable: after an operation it may still be a leaf until the tree refreshes
    // (the global slot gets its Current row), so wait for the tree to give it a twistie.
    const deadline = Date.now() + STEP_TIMEOUT;
    while ((await r.getAttribute('aria-expanded')) === null) {
      if (Date.now() > deadline) throw new Error(`The row ${String(label)} did not become expandable`);
      await this.page.waitForTimeout(50);
    }
    if ((await r.getAttribute('aria-expanded')) === 'false') {
      await r.click();
      await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await r.elementHandle(), { timeout: STEP_TIMEOUT });
    }
    return r;
  }

  /**
   * Right-clicks a row and chooses a context-menu item. VS Code menu items ignore clicks during their first
   * 100 ms (they attach mouseup late), so wait, click, and re-click if the menu stayed open.
   */
  async contextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    const entry = this.page.locator('.monaco-menu .action-item', { hasText: item }).first();
    await entry.waitFor();
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.waitForTimeout(150);
      await entry.click().catch(() => undefined);
      if (await entry.waitFor({ state: 'hidden', timeout: 1000 }).then(() => true, () => false)) return;
    }
    throw new Error(`Context menu item "${item}" did not run`);
  }

  /** Runs a command from the palette by its full title ("SfB Certificates: …"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await row.click();
  }

  /** Waits until the locator's text matches (or, with `absent`, stops matching) the pattern. */
  async waitForText(target: Locator, pattern: RegExp, absent = false): Promise<string> {
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      const text = await target.innerText().catch(() => '');
      if (pattern.test(text) !== absent) return text;
      if (Date.now() > deadline) throw new Error(`Text ${absent ? 'still matches' : 'never matched'} ${pattern}: "${text}"`);
      await this.page.waitForTimeout(100);
    }
  }

  /** The quick input currently shown (QuickPick or InputBox). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  async pickQuickItem(text: string | RegExp): Promise<void> {
    const item = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
    await item.waitFor();
    await item.click();
  }

  /** Types into the quick input once it shows `prompt` (a previous box may still be closing), then Enter. */
  async typeIntoInputBox(text: string, prompt?: RegExp): Promise<void> {
    if (prompt) await this.page.locator('.quick-input-widget', { hasText: prompt }).waitFor();
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(text);
    await input.press('Enter');
  }

  /** Answers a modal message (showWarningMessage with modal: true) whose text matches, with the named button. */
  async answerDialog(message: RegExp, button: string): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box', { hasText: message });
    await dialog.waitFor();
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'hidden' });
  }

  /**
   * Chooses a file in VS Code's own (browser) file dialog. The dialog shows itself first and fills in its folder
   * afterwards, overwriting whatever was typed meanwhile; so wait until it has listed the folder, type the path,
   * make sure it is still there, and only then accept. Returns once the dialog has closed.
   */
  async chooseFile(filePath: string, title: RegExp): Promise<void> {
    const dialog = this.page.locator('.quick-input-widget', { hasText: title });
    await dialog.waitFor();
    await dialog.locator('.quick-input-list .monaco-list-row').first().waitFor();
    const input = dialog.locator('.quick-input-box input');
    for (let attempt = 0; ; attempt++) {
      await input.fill(filePath);
      await this.page.waitForTimeout(200);
      if ((await input.inputValue()) === filePath) break;
      if (attempt === 10) throw new Error(`The file dialog kept replacing the typed path; it shows "${await input.inputValue()}"`);
    }
    await input.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  }

  /** The wizard webview's document (frames are replaced as it loads, so always re-resolve). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.png`);
    await this.page.mouse.move(1, 1);
    await this.page.screenshot({ path: file, animations: 'disabled' });
    return file;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
