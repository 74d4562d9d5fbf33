// Inside the real VS Code extension host: hostile deployment files (issue #11). The live store reads the file's bytes
// itself (not through the CLI's path), so each class is tried here too: the file is reported as not loading with its
// reason, a command on it changes nothing on disk, and the store recovers when the file is repaired. A read-only file
// is refused on save and the change is undone; a heading that is only text does not lock the file.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseDeployment, serializeDeployment } from '../../src/core';
import { largeDeployment } from '../bench/largeDeployment';
import type { SfbCertificatesApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeModel';
import { api, openSample, storeFile, workspaceDir, waitFor } from './helpers';

const run = (id: string, node?: TreeNode) => vscode.commands.executeCommand(`sfbCertificates.${id}`, node);
const serverNode = (fqdn: string): TreeNode => ({ kind: 'server', id: `server/${fqdn}`, serverFqdn: fqdn });

/** A PKCS#8 private key (DER, base64) and as PEM with every "-" hidden behind a \u escape. */
function privateKey(): { der: string; escapedPem: string } {
  const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
  const pem = key.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { der: (key.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64'), escapedPem: pem.replace(/-/g, '\\u002d').replace(/\n/g, '\\n') };
}

describe('hostile deployment files in VS Code (issue #11)', function () {
  this.timeout(120_000);
  let a: SfbCertificatesApi;
  let good: string;
  before(async () => {
    a = await api();
    await openSample(a);
    good = fs.readFileSync(storeFile(), 'utf8');
  });
  afterEach(async () => {
    fs.chmodSync(storeFile(), 0o644);
    fs.writeFileSync(storeFile(), good);
    await waitFor('the good file to be loaded again', () => a.live.problem === undefined && a.live.state !== undefined);
  });

  const key = privateKey();
  const cases: [string, () => Buffer, RegExp][] = [
    ['invalid UTF-8', () => Buffer.concat([Buffer.from(good.slice(0, 200)), Buffer.from([0xe9]), Buffer.from(good.slice(200))]), /not valid UTF-8/],
    ['a duplicate key', () => Buffer.from(good.replace('\n  "cms"', '\n  "pools": [],\n  "cms"')), /"pools" appears twice in the same object/],
    ['5,000 levels of nesting', () => Buffer.from(`{"schemaVersion": 1, "name": ${'['.repeat(5000)}`), /nested more than \d+ levels/],
    ['a private key as derBase64', () => Buffer.from(good.replace(/"derBase64": "MI[^"]+"/, `"derBase64": "${key.der}"`)), /holds a private key \(PKCS#8 or PKCS#1 DER\), not a certificate/],
    ['a PEM private key behind \\u escapes', () => Buffer.from(good.replace(/"name": "Contoso[^"]*"/, `"name": "${key.escapedPem}"`)), /a PEM private key block/],
  ];
  it('a load reads a file of 1 MB or more in a worker thread (dist/deployment-worker.js), with the same refusals and positions', async () => {
    await a.live.load();
    assert.equal(a.live.loadedBy, 'thread', 'the sample (a few KB) is read in the thread');
    const large = serializeDeployment(largeDeployment(100));
    assert.ok(large.length > 1024 * 1024);
    fs.writeFileSync(storeFile(), large);
    await a.live.load();
    assert.equal(a.live.loadedBy, 'worker');
    assert.equal(a.live.problem, undefined);
    assert.equal(a.live.state?.pools.flatMap((p) => p.servers).length, 100);
    const bytes = Buffer.from(large.replace('\n  "cms"', '\n  "pools": [],\n  "cms"'));
    fs.writeFileSync(storeFile(), bytes);
    await a.live.load();
    assert.equal(a.live.loadedBy, 'worker');
    const parsed = parseDeployment(bytes);
    assert.ok(!parsed.ok);
    const problem = (a.live as { problem?: { message: string; problems: unknown } }).problem;
    assert.deepEqual(problem?.problems, parsed.errors);
    assert.match(problem?.message ?? '', /line \d+, column \d+: "pools" appears twice in the same object/);
  });

  for (const [what, content, reason] of cases) {
    it(`${what}: reported with its reason; a command leaves the file untouched`, async () => {
      const bytes = content();
      const before = a.live.state;
      fs.writeFileSync(storeFile(), bytes);
      await waitFor('the file to be reported', () => a.live.problem !== undefined);
      assert.match(a.live.problem!.message, /cannot be loaded/);
      assert.match(a.live.problem!.message, reason);
      assert.equal(a.live.state, before, 'the last good state is kept');
      await run('toggleReplicaReachable', serverNode('fe03.contoso.com'));
      await run('replicateNow');
      assert.deepEqual(fs.readFileSync(storeFile()), bytes, 'the file is untouched');
      assert.deepEqual(fs.readdirSync(workspaceDir()).filter((f) => f.includes('.tmp-')), [], 'no temporary file');
    });
  }

  it('a read-only file: the change is refused and undone, the file and its mode stay', async () => {
    fs.chmodSync(storeFile(), 0o444);
    const before = fs.readFileSync(storeFile());
    const reachable = () => a.live.state!.pools.flatMap((p) => p.servers).find((s) => s.fqdn === 'fe03.contoso.com')!.replica.unreachable;
    const was = reachable();
    await run('toggleReplicaReachable', serverNode('fe03.contoso.com'));
    assert.equal(reachable(), was, 'the change is undone in memory');
    assert.deepEqual(fs.readFileSync(storeFile()), before, 'the file is untouched');
    assert.equal(fs.statSync(storeFile()).mode & 0o777, 0o444);
    assert.equal(a.live.problem, undefined, 'the file itself loads: the store is not read-only');
  });

  it('a site named "-----BEGIN PRIVATE KEY-----" loads, and the next save keeps it loadable', async () => {
    const d = JSON.parse(good);
    d.sites[0].name = '-----BEGIN PRIVATE KEY-----';
    fs.writeFileSync(storeFile(), JSON.stringify(d, null, 2));
    await waitFor('the edited file to be loaded', () => a.live.state?.sites[0].name === '-----BEGIN PRIVATE KEY-----');
    await run('toggleReplicaReachable', serverNode('fe03.contoso.com'));
    await run('toggleReplicaReachable', serverNode('fe03.contoso.com'));
    assert.equal(a.live.problem, undefined);
    assert.equal(JSON.parse(fs.readFileSync(storeFile(), 'utf8')).sites[0].name, '-----BEGIN PRIVATE KEY-----');
    await a.live.load();
    assert.equal(a.live.problem, undefined, 'it loads again');
  });

  it('an orphaned temporary file of an interrupted save is removed when the file is loaded', async () => {
    const orphan = path.join(workspaceDir(), 'sfb-deployment.json.tmp-4206969-0123456789ab');
    fs.writeFileSync(orphan, '{ half a save');
    await a.live.load();
    assert.ok(!fs.existsSync(orphan));
  });
});
