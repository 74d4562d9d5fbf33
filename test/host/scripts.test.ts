// PowerShell scripts in the real extension host: a .ps1 with mistakes shows the script checker's diagnostics in
// the Problems panel's collection, a quick fix from the code action provider applies and its diagnostic goes away;
// hover on a thumbprint shows the certificate card; completion offers the -Type values.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SfbCertificatesApi } from '../../src/extension';
import { ScriptChecker, lintScript } from '../../src/powershell';
import { api, openSample, withAnswers, workspaceDir, waitFor } from './helpers';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'SfB Certificates');

describe('PowerShell scripts in the editor (diagnostics, quick fixes, hover, completion)', function () {
  this.timeout(180000);
  let a: SfbCertificatesApi;
  let doc: vscode.TextDocument;

  before(async () => {
    a = await api();
    await openSample(a);
    const d = a.live.state!;
    const thumbprint = d.pools[0].servers[0].certificates[0].thumbprint;
    const file = path.join(workspaceDir(), 'rehearsal.ps1');
    fs.writeFileSync(file, [
      'Get-CsCertificate -Type OAuthTokenIssuer',
      'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Roll',
      'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certificates\\ServerToServerAuth.pfx -Password "P@ssw0rd"',
      `Get-CsCertificate -Type Default | Where-Object { $_.Thumbprint -eq "${thumbprint}" }`,
      'Set-CsCertificate -Type Default -Thumbprint ',
      '',
    ].join('\n'));
    doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    for (const name of ['rehearsal.ps1', 'plan.ps1']) fs.rmSync(path.join(workspaceDir(), name), { force: true });
  });

  it('shows the diagnostics of a .ps1 with mistakes, each with its code, at the offending text', async () => {
    const diagnostics = await waitFor('the script diagnostics', () => ours(doc.uri).length >= 2 && ours(doc.uri));
    const byCode = new Map(diagnostics.map((d) => [String(d.code), d]));
    const roll = byCode.get('roll-needs-effective-date')!;
    assert.equal(roll.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(roll.range), '-Roll');
    assert.match(roll.message, /-Roll needs -EffectiveDate/);
    const password = byCode.get('plain-text-password')!;
    assert.equal(password.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(doc.getText(password.range), '"P@ssw0rd"');
  });

  it('once typing pauses, the diagnostics equal a check from scratch (sfb-cert lint), also where an incremental re-parse reads a syntax error differently', async () => {
    const file = path.join(workspaceDir(), 'resync.ps1');
    fs.writeFileSync(file, 'Get-CsCertificate -Type Default, WebServicesInternal | Format-List Thumbprint, Use\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Roll\n');
    const script = await vscode.workspace.openTextDocument(file);
    try {
      await vscode.window.showTextDocument(script);
      await waitFor('the first check', () => ours(script.uri).some((d) => d.code === 'roll-needs-effective-date'));
      // Pasted into the middle of the second line: re-parsed incrementally, the grammar reads the syntax errors
      // differently than a parse from scratch does (checked below, so the test keeps meaning what it says).
      const before = script.getText();
      const edit = new vscode.WorkspaceEdit();
      edit.insert(script.uri, new vscode.Position(1, 'Set-CsCertificate -Identity global '.length), ', Get-CsCertificate\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const options = { now: a.live.now(), expiryWarningDays: a.live.expiryWarningDays() };
      const fresh = await lintScript(script.getText(), a.live.state!, options);
      const want = fresh.map((d) => `${d.code}@${d.start}`).sort().join(' ');
      const checker = await ScriptChecker.create(a.live.state!, options);
      checker.check(before);
      const incremental = checker.check(script.getText()).map((d) => `${d.code}@${d.start}`).sort().join(' ');
      checker.dispose();
      assert.notEqual(incremental, want, 'an incremental re-check reads this edit differently');
      await waitFor('the diagnostics of a check from scratch', () => ours(script.uri).filter((d) => d.code !== 'oauth-front-ends-differ').map((d) => `${d.code}@${script.offsetAt(d.range.start)}`).sort().join(' ') === want);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(file, { force: true });
      await vscode.window.showTextDocument(doc);
    }
  });

  it('the quick fix replaces the plain-text password with Read-Host -AsSecureString, and its diagnostic goes away', async () => {
    const password = ours(doc.uri).find((d) => d.code === 'plain-text-password')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, password.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((x) => x.title === 'Read the password with Read-Host -AsSecureString');
    assert.ok(fix?.edit, actions.map((x) => x.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.lineAt(2).text, /-Password \(Read-Host "PFX password" -AsSecureString\)$/);
    await waitFor('the password diagnostic to go', () => !ours(doc.uri).some((d) => d.code === 'plain-text-password'));
    assert.ok(ours(doc.uri).some((d) => d.code === 'roll-needs-effective-date'), 'the other diagnostic stays');
  });

  it('hover on a thumbprint shows the certificate card; on a cmdlet, its purpose and parameter sets', async () => {
    const line = doc.lineAt(3).text;
    const at = new vscode.Position(3, line.indexOf('-eq "') + 8);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Subject/);
    assert.match(text, /In the store of: fe01\\\.contoso\\\.com/);
    const cmdlet = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 3));
    const cmdletText = cmdlet.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(cmdletText, /\*\*Set-CsCertificate\*\*/);
    assert.match(cmdletText, /Parameter set Thumbprint\* \(default\)/);
  });

  it('completion offers the thumbprints of the model after -Thumbprint, and the -Type values after -Type', async () => {
    const end = new vscode.Position(4, doc.lineAt(4).text.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, end);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes(a.live.state!.pools[0].servers[0].certificates[0].thumbprint), labels.slice(0, 5).join(', '));
    const typeAt = new vscode.Position(0, 'Get-CsCertificate -Type '.length);
    const types = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, typeAt);
    assert.ok(types.items.some((i) => i.label === 'WebServicesInternal'));
  });

  it('Export Plan as PowerShell… writes the recorded operations (a chosen range) as a .ps1 and opens it', async () => {
    const d = a.live.state!;
    const thumbprint = d.pools[0].servers[0].assignments.Default!.current!.thumbprint;
    const outcome = await a.live.run({ cmdlet: 'Set-CsCertificate', identity: 'global', computer: d.pools[0].servers[0].fqdn, type: ['OAuthTokenIssuer'], thumbprint });
    assert.ok(outcome.ok);
    const count = a.live.state!.history.length;
    const target = path.join(workspaceDir(), 'plan.ps1');
    const { result, prompter } = await withAnswers(a, [`${count}-${count}`, target], () => vscode.commands.executeCommand<vscode.Uri>('sfbCertificates.exportPlan'));
    assert.equal(result?.fsPath, target);
    assert.deepEqual(prompter.asked, ['input: Export Plan as PowerShell', 'saveFile: Export Plan as PowerShell']);
    const written = fs.readFileSync(target, 'utf8');
    assert.match(written, new RegExp(`history entries ${count}–${count} of ${count}`));
    assert.match(written, new RegExp(`^Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${thumbprint} -ErrorAction Stop$`, 'm'));
    await waitFor('the plan in an editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === target);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
