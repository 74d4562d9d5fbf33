import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api } from './helpers';

describe('activation', () => {
  it('runs in a real VS Code extension host and activates', async () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const a = await api();
    assert.ok(a.live && a.tree && a.provider);
    assert.equal(a.tree.visible === true || a.tree.visible === false, true);
  });

  it('opens its output channel and view without errors', async () => {
    await vscode.commands.executeCommand('sfbCertificates.showLog');
    await vscode.commands.executeCommand('workbench.view.extension.sfbCertificates');
    const a = await api();
    await vscode.commands.executeCommand('sfbCertificates.refresh');
    assert.equal(a.live.problem, undefined);
  });
});
