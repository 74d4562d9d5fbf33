import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
describe('activation', () => {
  it('activates', async () => {
    const ext = vscode.extensions.getExtension('sfb-certificates.sfb-certificates');
    assert.ok(ext);
    const api = await ext.activate();
    assert.equal(api.ping(), 'pong');
  });
});
