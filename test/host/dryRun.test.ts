// Dry Run Script Against Deployment in the real extension host: the CodeLens at the top of a .ps1, the command
// running the script on a copy of the model, the view's render (lastRender, the one protocol), Apply as ONE undo
// step saved to the file, Cancel and an erroring script changing nothing, a prompt answered through an input box,
// Apply refusing after the deployment changed (and Re-run), and the cross-statement check in the Problems panel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SfbCertificatesApi } from '../../src/extension';
import type { DryRunPanel } from '../../src/ui/scripts/dryRunPanel';
import { api, openSample, storeFile, withAnswers, workspaceDir } from './helpers';

describe('Dry Run Script Against Deployment', function () {
  this.timeout(180000);
  let a: SfbCertificatesApi;
  let thumbprint: string;
  const file = (name: string) => path.join(workspaceDir(), name);
  const writeScript = async (name: string, lines: string[]) => {
    fs.writeFileSync(file(name), `${lines.join('\n')}\n`);
    return vscode.workspace.openTextDocument(file(name));
  };
  const dryRun = async (doc: vscode.TextDocument) => (await vscode.commands.executeCommand<DryRunPanel>('sfbCertificates.dryRunScript', doc.uri))!;

  before(async () => {
    a = await api();
    await openSample(a);
    thumbprint = a.live.state!.pools[0].servers[0].assignments.Default!.current!.thumbprint;
  });

  after(async () => {
    a.dryRunPanel()?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of ['assign.ps1', 'broken.ps1', 'ask.ps1', 'split.ps1']) fs.rmSync(file(name), { force: true });
  });

  it('a CodeLens at the top of a .ps1 runs the dry run; the view shows the output and what would change; nothing changes yet', async () => {
    const doc = await writeScript('assign.ps1', [`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${thumbprint}`, 'Invoke-CsManagementStoreReplication -ReplicaFqdn fe01.contoso.com', 'Get-CsCertificate -Type OAuthTokenIssuer']);
    await vscode.window.showTextDocument(doc);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const lens = lenses.find((l) => l.command?.command === 'sfbCertificates.dryRunScript');
    assert.ok(lens, lenses.map((l) => l.command?.title).join(', '));
    assert.equal(lens.range.start.line, 0);
    const before = a.live.state!;
    const panel = (await vscode.commands.executeCommand<DryRunPanel>(lens.command!.command, ...(lens.command!.arguments ?? [])))!;
    assert.equal(a.dryRunPanel(), panel);
    const view = panel.lastRender!;
    assert.equal(view.status, 'completed', view.statusText);
    assert.equal(view.canApply, true);
    assert.equal(view.script, 'assign.ps1');
    assert.ok(view.assignments.some((x) => x.scope === 'global' && x.use === 'OAuthTokenIssuer' && x.before === '(none)' && x.after.startsWith(thumbprint)), JSON.stringify(view.assignments));
    assert.ok(view.stores.some((s) => s.store === 'Central Management store' && s.added.some((c) => c.startsWith(thumbprint))));
    assert.ok(view.cmsVersion.after > view.cmsVersion.before);
    assert.ok(view.replicasBehind.some((r) => r.startsWith('fe02.contoso.com (version')) && !view.replicasBehind.some((r) => r.startsWith('fe01.')), view.replicasBehind.join());
    assert.ok(view.output.some((w) => w.text.includes(thumbprint)), `Get-CsCertificate on fe01 printed the replicated assignment: ${JSON.stringify(view.output)}`);
    assert.equal(a.live.state, before, 'the dry run ran on a copy');
  });

  it('Apply commits the result as ONE undo step and saves it; Undo Last Operation brings the state before', async () => {
    const panel = a.dryRunPanel()!;
    const before = panel.before;
    await panel.receive({ type: 'apply' });
    assert.equal(panel.lastRender!.status, 'applied');
    assert.equal(panel.lastRender!.canApply, false);
    assert.equal(a.live.state!.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, thumbprint);
    await a.live.flush();
    assert.equal(JSON.parse(fs.readFileSync(storeFile(), 'utf8')).cms.assignments.OAuthTokenIssuer.current.thumbprint, thumbprint);
    assert.ok(a.live.session!.undo());
    assert.equal(a.live.state, before, 'one undo step takes the whole dry run back');
    await a.live.flush();
  });

  it('Cancel closes the view and changes nothing', async () => {
    const doc = await vscode.workspace.openTextDocument(file('assign.ps1'));
    const before = a.live.state;
    const panel = await dryRun(doc);
    await panel.receive({ type: 'cancel' });
    assert.equal(a.dryRunPanel(), undefined);
    assert.equal(a.live.state, before);
  });

  it('a script that errors: the view says so, Apply is unavailable with the reason, and nothing changes', async () => {
    const doc = await writeScript('broken.ps1', [`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${thumbprint}`, 'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint 0000000000000000000000000000000000000000']);
    const before = a.live.state;
    const panel = await dryRun(doc);
    const view = panel.lastRender!;
    assert.equal(view.status, 'error');
    assert.equal(view.canApply, false);
    assert.match(view.applyHint!, /did not run without errors/);
    assert.ok(view.output.some((w) => w.stream === 'error'));
    await panel.receive({ type: 'apply' });
    assert.equal(a.live.state, before);
  });

  it('Read-Host asks through an input box; cancelling it stops the dry run, saying so, with Apply unavailable', async () => {
    const doc = await writeScript('ask.ps1', ['$t = Read-Host "Thumbprint to assign"', 'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $t']);
    const answered = await withAnswers(a, [thumbprint], () => dryRun(doc));
    assert.deepEqual(answered.prompter.asked, ['input: Dry run of ask.ps1: the script asks']);
    assert.equal(answered.result.lastRender!.status, 'completed');
    const cancelled = await withAnswers(a, [undefined], () => dryRun(doc));
    const view = cancelled.result.lastRender!;
    assert.equal(view.status, 'stopped');
    assert.match(view.statusText, /stopped at the prompt "Thumbprint to assign": it was cancelled/);
    assert.equal(view.canApply, false);
  });

  it('Apply refuses when the deployment changed since the dry run, and Re-run runs it on the deployment as it is now', async () => {
    const doc = await vscode.workspace.openTextDocument(file('assign.ps1'));
    const panel = await dryRun(doc);
    assert.equal(panel.lastRender!.canApply, true);
    const outcome = await a.live.run({ cmdlet: 'Simulate-ReplicaReachability', replicaFqdn: 'edge01.contoso.com', reachable: false });
    assert.ok(outcome.ok);
    const changed = a.live.state;
    assert.equal(panel.lastRender!.status, 'stale');
    await panel.receive({ type: 'apply' });
    assert.equal(a.live.state, changed, 'nothing applied');
    assert.equal(panel.lastRender!.canApply, false);
    assert.equal(panel.lastRender!.canRerun, true);
    await withAnswers(a, [], () => panel.receive({ type: 'rerun' }));
    assert.equal(panel.lastRender!.status, 'completed');
    assert.equal(panel.before, changed);
    panel.dispose();
    a.live.session!.undo();
    await a.live.flush();
  });

  it('the script checker warns on the statement that would leave Front Ends with different OAuth certificates', async () => {
    const doc = await writeScript('split.ps1', ['Get-CsCertificate', `Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint ${thumbprint}`]);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await a.scripts.outcomeSettled(doc);
    const split = diagnostics.find((d) => d.code === 'oauth-front-ends-differ');
    assert.ok(split, diagnostics.map((d) => d.code).join());
    assert.equal(split.range.start.line, 1);
    assert.equal(split.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(split.message, /different OAuth certificates/);
  });
});
