// Import Inventory… and Save Inventory Collector Script… inside the real extension host: an inventory made at test
// time from real certificates imported into an empty workspace shows in the tree, the Problems panel and the status
// bar; a second import over the model shows the drift view, replaces the model only when told to, and Undo brings
// the model before back; a file that is not an inventory changes nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { collectorScript, type Deployment, type Inventory } from '../../src/core';
import type { SfbCertificatesApi } from '../../src/extension';
import { REPLACE_LABEL } from '../../src/ui/inventoryCommands';
import { bytesOf, computer, consistentInventory, copyOf, csEntry, DAY, makeInventoryCertificates, storeEntry, thumbprintOf, type InventoryCertificates } from '../fixtures/inventory';
import { api, resetWorkspace, storeFile, withAnswers, workspaceDir } from './helpers';

const run = (id: string) => vscode.commands.executeCommand(`sfbCertificates.${id}`);

async function until<T>(what: string, get: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const serverOf = (d: Deployment, fqdn: string) => d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fqdn)!;

describe('Import Inventory… in the extension host', () => {
  let a: SfbCertificatesApi;
  let certs: InventoryCertificates;
  let first: Inventory;
  const file = (name: string) => path.join(workspaceDir(), name);

  before(async function () {
    this.timeout(60_000);
    a = await api();
    await resetWorkspace(a);
    certs = await makeInventoryCertificates(new Date());
    first = copyOf(consistentInventory(certs));
    const fe3 = computer(first, 'fe03.contoso.com');
    fe3.csCertificates[2] = csEntry(certs.other, 'OAuthTokenIssuer', { EffectiveDate: new Date(Date.now() - DAY).toISOString() });
    fe3.store.push(storeEntry(certs.other));
    fs.writeFileSync(file('sfb-inventory-fe01.json'), bytesOf(first));
  });

  after(() => {
    for (const f of ['sfb-inventory-fe01.json', 'sfb-inventory-second.json', 'not-an-inventory.json', 'Get-SfbCertificateInventory.ps1']) fs.rmSync(file(f), { force: true });
  });

  it('imports into an empty workspace: the tree, the Problems panel and the status bar show the real deployment', async () => {
    assert.equal(a.live.state, undefined, 'no deployment yet');
    await withAnswers(a, [[file('sfb-inventory-fe01.json')]], () => run('importInventory'));
    const d = a.live.state!;
    assert.ok(d && fs.existsSync(storeFile()), 'the deployment file is written');
    assert.equal(d.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, thumbprintOf(certs.oauth));

    const roots = a.provider.getChildren();
    const slot = a.provider.getChildren(roots[0])[0];
    assert.equal(slot.id, 'cms/OAuthTokenIssuer');
    assert.doesNotMatch(String(a.provider.getTreeItem(slot).description), /^none$/);
    const servers = roots.slice(1).flatMap((s) => a.provider.getChildren(s)).flatMap((p) => a.provider.getChildren(p));
    assert.equal(servers.length, 8, servers.map((s) => s.id).join(', '));
    const fe2 = servers.find((s) => s.kind === 'server' && s.serverFqdn === 'fe02.contoso.com')!;
    const store = a.provider.getChildren(fe2).find((n) => n.id.endsWith('/store'))!;
    assert.equal(a.provider.getChildren(store).length, 2, 'its Personal store holds its Default and the OAuth certificate');

    const uri = vscode.Uri.file(storeFile());
    const problem = await until('the Front End on another OAuth certificate in the Problems panel',
      () => vscode.languages.getDiagnostics(uri).find((x) => x.message.includes('fe03.contoso.com') && x.message.includes(thumbprintOf(certs.other))));
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.match(a.statusBarText(), /OAuth cert: expires in \d+ d/);
  });

  it('over the model, shows the drift, replaces only on Replace, and Undo brings the model before back', async function () {
    this.timeout(30_000);
    const before = a.live.state!;
    const second = copyOf(first);
    Object.assign(computer(second, 'edge02.contoso.com'), { error: 'Connecting to remote server edge02.contoso.com failed.', csCertificates: [], store: [] });
    const fe3 = computer(second, 'fe03.contoso.com');
    fe3.csCertificates[2] = csEntry(certs.oauth, 'OAuthTokenIssuer', { EffectiveDate: new Date(Date.now() - DAY).toISOString() });
    fe3.store = fe3.store.filter((s) => s.Thumbprint !== thumbprintOf(certs.other));
    fs.writeFileSync(file('sfb-inventory-second.json'), bytesOf(second));

    await withAnswers(a, [[file('sfb-inventory-second.json')], 'Keep the model'], () => run('importInventory'));
    assert.equal(a.live.state, before, 'Keep leaves the model as it is');

    let shown: readonly vscode.QuickPickItem[] = [];
    await withAnswers(a, [[file('sfb-inventory-second.json')], (items: readonly vscode.QuickPickItem[]) => { shown = items; return items.find((i) => i.label === REPLACE_LABEL); }], () => run('importInventory'));
    const labels = shown.map((i) => `${i.label} ${i.description ?? ''}`);
    assert.ok(labels.some((l) => l.startsWith('Re-assigned')), labels.join('\n'));
    assert.ok(labels.some((l) => l.includes('fe03.contoso.com') && l.includes(`${thumbprintOf(certs.other)} →`)), labels.join('\n'));
    assert.ok(labels.some((l) => l.includes('edge02.contoso.com could not be read') && l.includes('left as they were')), labels.join('\n'));
    const after = a.live.state!;
    assert.notEqual(after, before);
    assert.equal(serverOf(after, 'fe03.contoso.com').assignments.OAuthTokenIssuer?.current?.thumbprint, thumbprintOf(certs.oauth));
    assert.deepEqual(serverOf(after, 'edge02.contoso.com').certificates, serverOf(before, 'edge02.contoso.com').certificates, 'what it could not tell is kept');
    await until('the file saved', () => JSON.parse(fs.readFileSync(storeFile(), 'utf8')).history.length === after.history.length || undefined);

    await run('undo');
    assert.equal(serverOf(a.live.state!, 'fe03.contoso.com').assignments.OAuthTokenIssuer?.current?.thumbprint, thumbprintOf(certs.other));
  });

  it('refuses a file that is not an inventory with its reason, and changes nothing', async () => {
    fs.writeFileSync(file('not-an-inventory.json'), '{"schemaVersion": 1}');
    const state = a.live.state;
    const disk = fs.readFileSync(storeFile());
    const shown: string[] = [];
    const original = vscode.window.showErrorMessage;
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = (m: string) => { shown.push(m); return Promise.resolve(undefined); };
    try {
      await withAnswers(a, [[file('not-an-inventory.json')]], () => run('importInventory'));
    } finally {
      (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
    }
    assert.equal(shown.length, 1);
    assert.match(shown[0], /not-an-inventory\.json is not an SfB Certificates inventory/);
    assert.equal(a.live.state, state);
    assert.deepEqual(fs.readFileSync(storeFile()), disk);
  });

  it('Save Inventory Collector Script… writes Get-SfbCertificateInventory.ps1', async () => {
    await withAnswers(a, [file('Get-SfbCertificateInventory.ps1')], () => run('saveInventoryScript'));
    assert.equal(fs.readFileSync(file('Get-SfbCertificateInventory.ps1'), 'utf8'), collectorScript());
  });
});
