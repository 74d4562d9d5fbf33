import * as assert from 'node:assert/strict';
import * as path from 'node:path';
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

  it('loads the wizard, the timeline and the PowerShell features on first use only (src/ui/lazy.ts)', async () => {
    const a = await api();
    const dist = path.join(path.dirname(require.resolve('../../../package.json')), 'dist');
    const loaded = () => Object.keys(require.cache).filter((f) => path.dirname(f) === dist).map((f) => path.basename(f)).sort();
    // This file's tests run first: nothing has asked for a feature yet.
    assert.deepEqual(a.loadedFeatures(), []);
    assert.deepEqual(loaded().filter((f) => f.endsWith('-host.js')), []);
    a.openWizard().dispose();
    assert.deepEqual(a.loadedFeatures(), ['wizard']);
    assert.ok(loaded().includes('wizard-host.js'), loaded().join(', '));
  });
});
