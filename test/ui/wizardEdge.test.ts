// The Certificate Wizard on a Skype for Business Server 2015 Edge, as a user drives it in Chromium against the real
// workbench (issue #14): the Edge external row lists XMPPServer with the external uses, and the assignment walked
// page by page runs the Set-CsCertificate line with XMPPServer (reference C11). The sample's replicas are rewritten to
// a 2015 build first, as an inventory of a 2015 deployment would have them.
// Screenshots go to test/ui/screenshots/wizard-edge-*.png.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { Workbench, repoRoot } from './workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const EXTERNAL_2015 = 'AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication,XMPPServer';

describe('UI: Certificate Wizard on a 2015 Edge', function () {
  let wb: Workbench;
  let frame: FrameLocator;
  let externalThumbprint = '';
  const deploymentFile = (ws: string) => path.join(ws, 'sfb-deployment.json');

  const title = async (text: string) => {
    await frame.locator('#title', { hasText: new RegExp(`^${text}$`) }).waitFor();
  };
  const click = (action: string) => frame.locator(`[data-action="${action}"]`).click();

  before(async () => {
    wb = await Workbench.open((ws) => {
      execFileSync(process.execPath, [cli, 'sample', '--out', deploymentFile(ws)], { stdio: 'pipe' });
      const file = JSON.parse(fs.readFileSync(deploymentFile(ws), 'utf8'));
      for (const pool of file.pools) for (const server of pool.servers) server.replica.productVersion = '6.0.9319.0';
      const edge = file.pools.find((p: { kind: string }) => p.kind === 'Edge').servers[0];
      externalThumbprint = edge.assignments.AccessEdgeExternal.current.thumbprint;
      fs.writeFileSync(deploymentFile(ws), JSON.stringify(file, null, 2));
    });
    await wb.openContainer();
    frame = wb.webview();
  });

  after(async () => { await wb?.close(); });

  it('walks the Edge external assignment: every page names XMPPServer, and the line the wizard runs assigns it', async () => {
    await wb.row('fe01.contoso.com').waitFor({ timeout: 60000 });
    await wb.contextMenu(wb.row('fe01.contoso.com'), 'Open Certificate Wizard…');
    await title('Skype for Business Server Deployment Wizard');
    await frame.locator('#server').selectOption('edge01.contoso.com');
    await click('install-or-update');
    await title('Skype for Business Server');
    await click('run-step3');
    await title('Certificate Wizard');
    assert.match(await frame.locator('tr[data-use="EdgeExternal"]').innerText(), /Edge external[\s\S]*-Type AccessEdgeExternal,\s*DataEdgeExternal,\s*AudioVideoAuthentication,\s*XMPPServer/);
    await frame.locator('#use-EdgeExternal').click();
    await frame.locator('tr[data-use="EdgeExternal"].selected').waitFor();
    await wb.screenshot('wizard-edge-2015-certificate-wizard');
    await click('assign');

    await title('Certificate Assignment');
    assert.match(await frame.locator('main').innerText(), new RegExp(`Edge external \\(-Type ${EXTERNAL_2015}\\)`));
    await click('next');

    await title('Certificate Store');
    await frame.locator(`tr[data-thumbprint="${externalThumbprint}"]`).click();
    await frame.locator(`tr[data-thumbprint="${externalThumbprint}"].selected`).waitFor();
    await click('next');

    await title('Certificate Assignment Summary');
    assert.match(await frame.locator('pre.powershell').innerText(), new RegExp(`^Set-CsCertificate -Type ${EXTERNAL_2015} -Thumbprint ${externalThumbprint} -Confirm:\\$false -Report`));
    await wb.screenshot('wizard-edge-2015-summary');
    await click('next');

    await title('Executing Commands');
    assert.match(await frame.locator('#output').innerText(), /Task status: Completed\./);
    await click('finish');
    await title('Certificate Wizard');
    assert.match(await frame.locator('tr[data-use="EdgeExternal"]').innerText(), /Assigned/);

    // The deployment file now holds the XMPPServer assignment on edge01 (saved like every change).
    const saved = () => {
      try {
        const file = JSON.parse(fs.readFileSync(deploymentFile(wb.workspace), 'utf8'));
        return file.pools.find((p: { kind: string }) => p.kind === 'Edge').servers[0].assignments.XMPPServer?.current?.thumbprint;
      } catch {
        return undefined;
      }
    };
    for (const deadline = Date.now() + 15000; saved() !== externalThumbprint;) {
      if (Date.now() > deadline) throw new Error('the XMPPServer assignment was not saved');
      await wb.page.waitForTimeout(200);
    }
  });
});
