// The certificate timeline panel inside the real VS Code extension host: the messages the webview sends go through
// `panel.receive` (the same validation path), and the test checks the live deployment and the view the panel built
// (`lastRender`). A date click moves the same simulated clock the tree and the status bar read; the renewal plan is
// a what-if until applied, and applying it is one undo step; invalid messages change nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SfbCertificatesApi } from '../../src/extension';
import type { TimelineToHost } from '../../src/shared/protocol';
import type { TimelinePanel } from '../../src/ui/timeline/panel';
import { serializeDeployment } from '../../src/core';
import { largeDeployment } from '../bench/largeDeployment';
import { ScriptedPrompter, api, openSample, storeFile, waitFor, withAnswers, workspaceDir } from './helpers';

async function send(panel: TimelinePanel, ...messages: unknown[]): Promise<void> {
  for (const m of messages) await panel.receive(m);
}

function recordRejections(a: SfbCertificatesApi): { reasons: string[]; restore(): void } {
  const reasons: string[] = [];
  const original = a.live.logRejected;
  a.live.logRejected = (reason: string) => { reasons.push(reason); original.call(a.live, reason); };
  return { reasons, restore: () => { a.live.logRejected = original; } };
}

describe('timeline panel in the extension host', function () {
  this.timeout(120000);
  let a: SfbCertificatesApi;

  before(async () => {
    a = await api();
    await openSample(a);
  });

  afterEach(() => a.timelinePanel()?.dispose());

  it('opens from the palette command on one panel, with the global OAuthTokenIssuer rows first and today marked', async () => {
    await vscode.commands.executeCommand('sfbCertificates.openTimeline');
    const panel = a.timelinePanel();
    assert.ok(panel, 'the command opened the panel');
    await vscode.commands.executeCommand('sfbCertificates.openTimeline');
    assert.equal(a.timelinePanel(), panel, 'opening again reveals the same panel');
    const view = panel.lastRender;
    assert.ok(view);
    assert.deepEqual(view.layout.rows.slice(0, 4).map((r) => r.id), ['global', 'global:current', 'global:previous', 'global:pending']);
    assert.ok(view.layout.rows.some((r) => r.id.startsWith('slot:fe01.contoso.com:')), 'the sample\'s pools are small enough to open');
    assert.equal(view.layout.markers.find((m) => m.kind === 'today')?.at !== undefined, true);
    assert.equal(view.plan, undefined);
  });

  it('a new panel sends its first view with the HTML: the webview draws it, says ready, and is sent nothing more until something changes', async () => {
    a.timelinePanel()?.dispose();
    await vscode.commands.executeCommand('sfbCertificates.openTimeline');
    const panel = a.timelinePanel()!;
    assert.ok(panel.sentWithHtml, 'the first view went with the HTML');
    assert.equal(panel.lastRender, panel.sentWithHtml);
    await waitFor('the webview to say ready', () => panel.readyAt !== undefined);
    assert.equal(panel.posted, 0, 'no render message: the webview drew the view from its HTML');
    await send(panel, { type: 'toggleGroup', group: 'global' });
    assert.equal(panel.posted, 1, 'a change is sent');
  });

  it('a date click sets the simulated clock the whole extension uses, and applies the rolls due by then', async () => {
    const panel = a.openTimeline();
    await send(panel, { type: 'ready' });
    const date = '2031-01-15T00:00:00.000Z';
    await send(panel, { type: 'setDate', date });
    assert.equal(a.live.state?.simulatedNow, date);
    assert.equal(a.live.now().toISOString(), date);
    assert.equal(panel.lastRender?.layout.now, Date.parse(date));
    assert.equal(panel.lastRender?.layout.simulated, true);
    assert.match(panel.lastRender?.notice?.text ?? '', /clock now reads 1\/15\/2031/);
    await send(panel, { type: 'realTime' });
    assert.equal(a.live.state?.simulatedNow, undefined);
    assert.equal(panel.lastRender?.layout.simulated, false);
  });

  it('expands and collapses a pool, and shows a bar\'s certificate card with where it is assigned', async () => {
    const panel = a.openTimeline();
    const pool = panel.lastRender!.layout.rows.find((r) => r.kind === 'group' && r.id.startsWith('pool:'))!;
    assert.equal(pool.expanded, true);
    await send(panel, { type: 'toggleGroup', group: pool.id });
    assert.equal(panel.lastRender!.layout.rows.find((r) => r.id === pool.id)?.expanded, false);
    assert.ok(!panel.lastRender!.layout.rows.some((r) => r.kind === 'slot' && r.group === pool.id));
    assert.ok(!panel.lastRender!.saved.expanded?.includes(pool.id), 'the webview saves it');
    await send(panel, { type: 'toggleGroup', group: pool.id });
    const row = panel.lastRender!.layout.rows.find((r) => r.id === 'slot:fe01.contoso.com:Default')!;
    const bar = row.bars[0];
    await send(panel, { type: 'selectBar', rowId: row.id, thumbprint: bar.thumbprint });
    const card = panel.lastRender?.card;
    assert.equal(card?.thumbprint, bar.thumbprint);
    assert.ok(card?.fields.some((f) => f.label === 'Valid to'));
    assert.ok(card?.assigned.some((w) => /Default on fe01\.contoso\.com/.test(w)), card?.assigned.join('; '));
    await send(panel, { type: 'closeCard' });
    assert.equal(panel.lastRender?.card, undefined);
  });

  it('Plan OAuth Certificate Renewal…: a what-if until applied, then one Set-CsCertificate that one Undo takes back', async () => {
    // The sample has no OAuthTokenIssuer certificate yet: assign one, so there is a current certificate to renew.
    const fe01 = a.live.state!.pools[0].servers.find((s) => s.fqdn === 'fe01.contoso.com')!;
    const first = fe01.certificates.find((c) => /^CN=contoso\.com\b/.test(c.subject) && c.keySize >= 2048 && c.hasPrivateKey)!;
    const assign = await a.live.run({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: first.thumbprint, computer: 'fe01.contoso.com' });
    assert.ok(assign.ok, assign.ok ? '' : assign.error.message);

    await vscode.commands.executeCommand('sfbCertificates.planOAuthRenewal');
    const panel = a.timelinePanel()!;
    const plan = panel.lastRender?.plan;
    assert.ok(plan, 'the plan is shown');
    assert.deepEqual(plan.steps.map((s) => s.kind).slice(-2), ['verify', 'remove-previous']);
    assert.ok(panel.lastRender!.layout.markers.some((m) => m.kind === 'plan'), 'the plan\'s dates on the timeline');
    const before = a.live.state!;
    assert.equal(before.cms.assignments.OAuthTokenIssuer?.pending, undefined, 'nothing applied yet');

    if (!plan.canApply) {
      // No other certificate fits in the sample: the plan says so and Apply changes nothing.
      assert.ok(plan.warnings.length > 0);
      await send(panel, { type: 'applyPlan' });
      assert.equal(a.live.state, before);
      return;
    }
    const chosen = plan.candidates.find((c) => c.chosen)!;
    await send(panel, { type: 'applyPlan' });
    const pending = a.live.state!.cms.assignments.OAuthTokenIssuer?.pending;
    assert.equal(pending?.thumbprint, chosen.thumbprint);
    assert.equal(pending?.effectiveDate, plan.effectiveDate);
    assert.equal(panel.lastRender?.plan, undefined, 'the plan closes once applied');
    assert.match(panel.lastRender?.notice?.text ?? '', /^Applied: Set-CsCertificate -Identity global -Type OAuthTokenIssuer/);
    assert.ok(await a.live.undo(), 'one undo step');
    assert.equal(a.live.state, before);
  });

  it('Export as PowerShell… in the plan area (and the palette command) writes the renewal plan with its dates, applying nothing', async () => {
    if (!a.live.state!.cms.assignments.OAuthTokenIssuer?.current) {
      const fe01 = a.live.state!.pools[0].servers.find((s) => s.fqdn === 'fe01.contoso.com')!;
      const first = fe01.certificates.find((c) => /^CN=contoso\.com\b/.test(c.subject) && c.keySize >= 2048 && c.hasPrivateKey)!;
      assert.ok((await a.live.run({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: first.thumbprint, computer: 'fe01.contoso.com' })).ok);
    }
    await vscode.commands.executeCommand('sfbCertificates.planOAuthRenewal');
    const panel = a.timelinePanel()!;
    const plan = panel.lastRender!.plan!;
    assert.ok(plan.canApply, plan.warnings.join('\n'));
    const before = a.live.state;
    const target = path.join(workspaceDir(), 'oauth-renewal-plan.ps1');
    const { result, prompter } = await withAnswers(a, [target], async () => {
      await send(panel, { type: 'exportPlan' });
      return panel.lastPlanExport;
    });
    assert.equal(result?.fsPath, target);
    assert.deepEqual(prompter.asked, ['saveFile: Export Renewal Plan as PowerShell']);
    assert.equal(a.live.state, before, 'nothing applied');
    const chosen = plan.candidates.find((c) => c.chosen)!;
    const effective = new Date(plan.effectiveDate);
    const usDate = `${effective.getUTCMonth() + 1}/${effective.getUTCDate()}/${effective.getUTCFullYear()}`;
    const written = fs.readFileSync(target, 'utf8');
    assert.match(written, /^# OAuthTokenIssuer certificate renewal plan, exported by SfB Certificates/);
    assert.ok(written.includes(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${chosen.thumbprint} -EffectiveDate "${usDate}" -Roll -ErrorAction Stop`), written);
    assert.match(written, /^Remove-CsCertificate -Identity global -Type OAuthTokenIssuer -Previous -ErrorAction Stop$/m);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // The palette command writes the same plan (the chosen certificate of the timeline's plan).
    fs.rmSync(target);
    const again = await withAnswers(a, [target], () => vscode.commands.executeCommand<vscode.Uri>('sfbCertificates.exportRenewalPlan'));
    assert.equal(again.result?.fsPath, target);
    const fromPalette = fs.readFileSync(target, 'utf8');
    assert.ok(fromPalette.includes(`-Thumbprint ${chosen.thumbprint} -EffectiveDate "${usDate}" -Roll -ErrorAction Stop`));
    assert.equal(fromPalette.match(/^# Step \d+ of \d+:/gm)?.length, written.match(/^# Step \d+ of \d+:/gm)?.length);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('exports the view as SVG and PNG where the user saves it', async () => {
    const panel = a.openTimeline();
    const svgFile = path.join(workspaceDir(), 'timeline-test.svg');
    const pngFile = path.join(workspaceDir(), 'timeline-test.png');
    const previous = a.setPrompter(new ScriptedPrompter([vscode.Uri.file(svgFile), vscode.Uri.file(pngFile)]));
    try {
      await send(panel, { type: 'export', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' });
      assert.equal(await panel.lastExport, svgFile);
      assert.equal(fs.readFileSync(svgFile, 'utf8'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
      await send(panel, { type: 'export', format: 'png', data: `data:image/png;base64,${png.toString('base64')}` });
      assert.deepEqual(fs.readFileSync(pngFile), png);
    } finally {
      a.setPrompter(previous);
      fs.rmSync(svgFile, { force: true });
      fs.rmSync(pngFile, { force: true });
    }
  });

  it('refuses invalid messages and changes nothing', async () => {
    const panel = a.openTimeline();
    const rejected = recordRejections(a);
    const before = a.live.state;
    try {
      const bad: unknown[] = [
        { type: 'setDate', date: '15/1/2031' },
        { type: 'setDate', date: '2031-01-15T00:00:00' },
        { type: 'toggleGroup', group: 'pool:<img src=x>' },
        { type: 'selectBar', rowId: 'global:current', thumbprint: 'abc' },
        { type: 'export', format: 'svg', data: '<script>alert(1)</script>' },
        { type: 'export', format: 'gif', data: 'x' },
        { type: 'applyPlan', extra: true },
        { type: 'runScript' },
        'ready',
      ] satisfies unknown[];
      await send(panel, ...bad);
      await send(panel, { type: 'applyPlan' } satisfies TimelineToHost);
      assert.equal(rejected.reasons.length, bad.length + 1, rejected.reasons.join('\n'));
      assert.equal(a.live.state, before);
    } finally {
      rejected.restore();
    }
  });

  it('on a large deployment, the HTML carries the first screen\'s rows and the rest follows once built, sent once', async () => {
    // 1,260 servers in 105 pools (closed beyond 50 servers): 4 global rows and 105 pool rows, more than the first view holds.
    a.timelinePanel()?.dispose();
    fs.writeFileSync(storeFile(), serializeDeployment(largeDeployment(1260)));
    await a.live.load();
    try {
      await vscode.commands.executeCommand('sfbCertificates.openTimeline');
      const panel = a.timelinePanel()!;
      const first = panel.sentWithHtml!;
      assert.equal(first.layout.rows.length, 100, 'the first screen\'s rows only');
      assert.equal(first.layout.rowCount, 4 + 105);
      await waitFor('the webview to say ready', () => panel.readyAt !== undefined);
      await panel.completed;
      await waitFor('the whole view sent', () => panel.posted === 1);
      const whole = panel.lastRender!;
      assert.equal(whole.layout.rows.length, whole.layout.rowCount);
      assert.deepEqual(whole.layout.rows.slice(0, 100), first.layout.rows, 'the first rows stay as drawn');
      assert.equal(whole.layout.rows.at(-1)?.id, 'pool:pool104.contoso.com');
      // A change now builds the whole view at once (the pools' summaries come from the cache).
      await send(panel, { type: 'toggleGroup', group: 'pool:pool104.contoso.com' });
      assert.equal(panel.lastRender!.layout.rows.length, 4 + 105 + 12 * 3);
    } finally {
      a.timelinePanel()?.dispose();
      await openSample(a);
    }
  });
});
