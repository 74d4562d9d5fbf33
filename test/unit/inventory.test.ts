// Import Inventory: inventories made at test time from real certificates, in the published JSON shape, into a
// deployment the rules then judge: a consistent deployment, a Front End on another OAuth certificate, an unreachable
// server, a pending roll, previous certificates, several -LocalOnly files; the drift against the model before; and
// malformed or hostile files refused with a clear reason.
import * as assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import {
  evaluateRules, generateCertificate, importInventories, importInventoriesSteps, inventoryDrift, parseDeployment, serializeDeployment, UNCONFIRMED_RULE,
  type Deployment, type Finding, type Inventory, type InventoryImported, type InventoryImportProgress, type SfbError,
} from '../../src/core';
import { publishedTopology, type ClusterSpec } from '../fixtures/topologyXml';
import { bytesOf, computer, consistentInventory, copyOf, csEntry, DAY, FRONT_ENDS, makeInventoryCertificates, storeEntry, thumbprintOf, type InventoryCertificates } from '../fixtures/inventory';

const NOW = new Date('2026-06-01T12:00:00Z');

function imported(inventories: Inventory[], previous?: Deployment): InventoryImported {
  const result = importInventories(inventories.map((inv, i) => ({ name: `inventory-${i + 1}.json`, bytes: bytesOf(inv) })), { previous, now: NOW });
  if (!result.ok) assert.fail(`expected the inventory to import: ${result.error.message}`);
  return result;
}

function refused(bytes: string | Uint8Array, name = 'bad.json'): SfbError {
  const result = importInventories([{ name, bytes }], { now: NOW });
  assert.equal(result.ok, false, 'expected the inventory to be refused');
  if (result.ok) throw new Error('unreachable');
  assert.ok(result.error.message.includes(name), `the message names the file: ${result.error.message}`);
  assert.ok(result.error.fix, 'the error says what to do');
  return result.error;
}

const rules = (d: Deployment): Finding[] => evaluateRules(d, NOW, { expiryWarningDays: 45 });
const ruleIds = (d: Deployment): string[] => rules(d).map((f) => f.rule);
const serverOf = (d: Deployment, fqdn: string) => d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fqdn)!;

describe('inventory import', function () {
  this.timeout(20_000);
  let certs: InventoryCertificates;
  before(async () => {
    certs = await makeInventoryCertificates(NOW);
  });

  it('builds a consistent deployment from the topology, the stores and Get-CsCertificate, and the deployment file loads it', () => {
    const { deployment, counts, untold } = imported([consistentInventory(certs)]);
    assert.deepEqual(counts, { files: 1, servers: 8, read: 8, failed: 0, certificates: 13 });
    assert.equal(deployment.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, thumbprintOf(certs.oauth));
    assert.deepEqual(deployment.cms.certificates.map((c) => c.thumbprint), [thumbprintOf(certs.oauth)]);
    const fe = serverOf(deployment, 'fe02.contoso.com');
    assert.deepEqual(fe.certificates.map((c) => [c.thumbprint, c.keySize, c.hasPrivateKey, c.exportable, c.source]), [
      [thumbprintOf(certs.defaults.get('fe02.contoso.com')!), 2048, true, true, 'inventory'],
      [thumbprintOf(certs.oauth), 2048, true, true, 'inventory'],
    ]);
    assert.equal(fe.assignments.Default?.current?.thumbprint, thumbprintOf(certs.defaults.get('fe02.contoso.com')!));
    assert.equal(fe.assignments.OAuthTokenIssuer?.current?.thumbprint, thumbprintOf(certs.oauth));
    assert.ok(deployment.pools.flatMap((p) => p.servers).every((s) => s.replica.appliedVersion === deployment.cms.version));
    const reloaded = parseDeployment(serializeDeployment(deployment));
    assert.ok(reloaded.ok, 'the deployment file loads what the import made');
    const ids = ruleIds(deployment);
    for (const bad of ['oauth.fe-mismatch', 'oauth.missing', 'oauth.replication-pending', 'cert.not-in-store', 'oauth.expiring']) assert.ok(!ids.includes(bad), `${bad} in ${ids.join(', ')}`);
    assert.deepEqual(untold, []);
  });

  it('shows a Front End on a different OAuth certificate (the MMC path gone wrong) as oauth.fe-mismatch', () => {
    const inv = copyOf(consistentInventory(certs));
    const fe3 = computer(inv, 'fe03.contoso.com');
    fe3.csCertificates[2] = csEntry(certs.other, 'OAuthTokenIssuer', { EffectiveDate: new Date(NOW.getTime() - DAY).toISOString() });
    fe3.store.push(storeEntry(certs.other));
    const { deployment } = imported([inv]);
    assert.equal(deployment.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, thumbprintOf(certs.oauth), 'the collecting Front End\'s view is the global one');
    const mismatch = rules(deployment).filter((f) => f.rule === 'oauth.fe-mismatch');
    assert.deepEqual(mismatch.map((f) => f.where.serverFqdn), ['fe03.contoso.com']);
  });

  it('records an unreachable server with its error, shows it empty on a first import and keeps what it knew over a model', () => {
    const inv = copyOf(consistentInventory(certs));
    Object.assign(computer(inv, 'edge02.contoso.com'), { error: 'Connecting to remote server edge02.contoso.com failed: WinRM cannot complete the operation.', csCertificates: [], store: [] });
    const first = imported([inv]);
    assert.equal(first.counts.failed, 1);
    assert.ok(first.untold.some((u) => u.startsWith('edge02.contoso.com could not be read (Connecting to remote server') && u.includes('unknown')), first.untold.join('\n'));
    assert.deepEqual(serverOf(first.deployment, 'edge02.contoso.com').certificates, []);

    const before = imported([consistentInventory(certs)]).deployment;
    const over = imported([inv], before);
    assert.deepEqual(serverOf(over.deployment, 'edge02.contoso.com').certificates, serverOf(before, 'edge02.contoso.com').certificates);
    assert.ok(over.untold.some((u) => u.includes('edge02.contoso.com') && u.includes('left as they were')));
    assert.equal(over.deployment.history.length, before.history.length + 1);
  });

  it('reads a pending roll (EffectiveDate in the future) and flags one staged less than 24 hours before expiry', () => {
    const inv = copyOf(consistentInventory(certs));
    const rollAt = new Date(NOW.getTime() + 10 * DAY).toISOString();
    for (const fqdn of FRONT_ENDS) {
      computer(inv, fqdn).csCertificates.push(csEntry(certs.next, 'OAuthTokenIssuer', { EffectiveDate: rollAt }));
      computer(inv, fqdn).store.push(storeEntry(certs.next));
    }
    const { deployment, untold } = imported([inv]);
    const slot = deployment.cms.assignments.OAuthTokenIssuer!;
    assert.equal(slot.current?.thumbprint, thumbprintOf(certs.oauth));
    assert.deepEqual([slot.pending?.thumbprint, slot.pending?.effectiveDate], [thumbprintOf(certs.next), rollAt]);
    assert.ok(deployment.cms.certificates.some((c) => c.thumbprint === thumbprintOf(certs.next)));
    assert.ok(!ruleIds(deployment).includes('roll.lead-time'));
    assert.ok(untold.some((u) => u.includes('staged roll') && u.endsWith(`${UNCONFIRMED_RULE}.`)), untold.join('\n'));

    const late = copyOf(inv);
    const oauthEnd = Date.parse(csEntry(certs.oauth, 'OAuthTokenIssuer').NotAfter!);
    for (const fqdn of FRONT_ENDS) computer(late, fqdn).csCertificates[3].EffectiveDate = new Date(oauthEnd - 12 * 3600_000).toISOString();
    assert.ok(ruleIds(imported([late]).deployment).includes('roll.lead-time'));
  });

  it('reads the previous certificate and flags one kept after it expired', () => {
    const inv = copyOf(consistentInventory(certs));
    for (const fqdn of FRONT_ENDS) {
      computer(inv, fqdn).csCertificates[2].PreviousThumbprint = thumbprintOf(certs.expired);
      computer(inv, fqdn).store.push(storeEntry(certs.expired));
    }
    const { deployment } = imported([inv]);
    assert.equal(deployment.cms.assignments.OAuthTokenIssuer?.previous?.thumbprint, thumbprintOf(certs.expired));
    assert.ok(ruleIds(deployment).includes('previous.expired'));
  });

  it('shows a replica that has not applied the latest CMS version, and an OAuth certificate expiring with no roll staged', () => {
    const inv = copyOf(consistentInventory(certs));
    inv.replication.find((r) => r.ReplicaFqdn === 'fe02.contoso.com')!.UpToDate = false;
    computer(inv, 'fe02.contoso.com').csCertificates[2] = csEntry(certs.other, 'OAuthTokenIssuer', { EffectiveDate: new Date(NOW.getTime() - 200 * DAY).toISOString() });
    computer(inv, 'fe02.contoso.com').store.push(storeEntry(certs.other));
    const { deployment } = imported([inv]);
    assert.equal(serverOf(deployment, 'fe02.contoso.com').replica.appliedVersion, deployment.cms.version - 1);
    assert.deepEqual(rules(deployment).filter((f) => f.rule === 'oauth.replication-pending').map((f) => f.where.serverFqdn), ['fe02.contoso.com']);

    const soon = generateCertificate({ subject: { CN: 'contoso.com' }, keyPair: certs.keyPair, issuer: certs.ca, notBefore: new Date(NOW.getTime() - 300 * DAY), notAfter: new Date(NOW.getTime() + 20 * DAY) });
    const expiring = copyOf(consistentInventory(certs));
    for (const fqdn of FRONT_ENDS) {
      computer(expiring, fqdn).csCertificates[2] = csEntry(soon, 'OAuthTokenIssuer', { EffectiveDate: new Date(NOW.getTime() - 200 * DAY).toISOString() });
      computer(expiring, fqdn).store.push(storeEntry(soon));
    }
    const d = imported([expiring]).deployment;
    assert.ok(ruleIds(d).includes('oauth.expiring'));
    assert.ok(inventoryDrift(undefined, d, NOW, 45).some((x) => x.kind === 'expiring' && x.where === 'global' && x.text.includes('no roll staged')));
  });

  it('imports -LocalOnly files, one per server, together (the topology from the one that has it)', () => {
    const whole = consistentInventory(certs);
    const parts = whole.computers.map((c, i): Inventory => ({
      ...whole, collectedOn: c.fqdn, computers: [c], ...(i === 0 ? {} : { topologyXml: undefined, replication: [] }),
    }));
    const together = imported(parts);
    const single = imported([whole]);
    assert.equal(together.counts.read, 8);
    assert.deepEqual(together.deployment.pools, single.deployment.pools);
    assert.deepEqual(together.deployment.cms.assignments, single.deployment.cms.assignments);
  });

  it('lists the drift from the model before: new, removed, re-assigned, expiring', () => {
    const before = imported([consistentInventory(certs)]).deployment;
    const inv = copyOf(consistentInventory(certs));
    const fe3 = computer(inv, 'fe03.contoso.com');
    fe3.csCertificates[2] = csEntry(certs.other, 'OAuthTokenIssuer', { EffectiveDate: new Date(NOW.getTime() - DAY).toISOString() });
    fe3.store = [fe3.store[0], storeEntry(certs.other)];
    const after = imported([inv], before).deployment;
    const drift = inventoryDrift(before, after, NOW, 45);
    const on = (where: string) => drift.filter((d) => d.where === where).map((d) => d.kind).sort();
    assert.deepEqual(on('fe03.contoso.com'), ['new', 'reassigned', 'removed']);
    assert.deepEqual(on('fe01.contoso.com'), []);
    assert.deepEqual(inventoryDrift(before, before, NOW, 45), []);
  });
});

describe('inventory import in steps (#16: the extension host stays free)', function () {
  this.timeout(20_000);
  let certs: InventoryCertificates;
  before(async () => {
    certs = await makeInventoryCertificates(NOW);
  });

  it('yields after each pass over a file, the topology, every few servers and each pass of the check; ends with what importInventories returns', () => {
    const files = [consistentInventory(certs), consistentInventory(certs)].map((inv, i) => ({ name: `inventory-${i + 1}.json`, bytes: bytesOf(inv) }));
    const steps = importInventoriesSteps(files, { now: NOW });
    const seen: InventoryImportProgress[] = [];
    let step = steps.next();
    for (; !step.done; step = steps.next()) seen.push(step.value);
    const phases = seen.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
    assert.deepEqual(phases, ['read', 'topology', 'servers', 'check']);
    assert.ok(seen.filter((p) => p.phase === 'read' && p.done === 0).length >= 3 && seen.some((p) => p.phase === 'read' && p.done === 1), 'each file is read in several passes');
    assert.equal(seen.filter((p) => p.phase === 'check').length, 3);
    assert.deepEqual(step.value, importInventories(files, { now: NOW }));
  });

  it('fills the servers 10 per step', () => {
    const clusters: ClusterSpec[] = [0, 1, 2].map((p) => ({
      fqdn: `pool${p}.contoso.com`, machines: Array.from({ length: 20 }, (_, m) => `fe${p}-${m}.contoso.com`), singleMachine: false,
      services: [{ role: 'UserServices' }, { role: 'Registrar' }, { role: 'WebServices' }, ...(p === 0 ? [{ role: 'CentralMgmt' as const }] : [])],
    }));
    const inv: Inventory = {
      ...consistentInventory(certs),
      topologyXml: publishedTopology({ sipDomains: ['contoso.com'], sites: [{ id: 1, name: 'Redmond', clusters }] }),
      replication: [],
      computers: clusters.flatMap((c) => c.machines.map((fqdn) => ({ fqdn: fqdn!, csCertificates: [csEntry(certs.oauth, 'OAuthTokenIssuer')], store: [storeEntry(certs.oauth)] }))),
    };
    const steps = importInventoriesSteps([{ name: 'sixty.json', bytes: bytesOf(inv) }], { now: NOW });
    const done: number[] = [];
    let step = steps.next();
    for (; !step.done; step = steps.next()) if (step.value.phase === 'servers') done.push(step.value.done);
    assert.deepEqual(done, [0, 10, 20, 30, 40, 50]);
    assert.ok(step.value.ok && step.value.counts.read === 60, step.value.ok ? JSON.stringify(step.value.counts) : step.value.error.message);
  });

  it('stopped part-way (the user cancelled), it leaves the model before untouched', () => {
    const before = imported([consistentInventory(certs)]).deployment;
    const text = JSON.stringify(before);
    const inv = copyOf(consistentInventory(certs));
    computer(inv, 'fe03.contoso.com').store = [];
    const steps = importInventoriesSteps([{ name: 'changed.json', bytes: bytesOf(inv) }], { previous: before, now: NOW });
    for (let i = 0; i < 7; i++) assert.equal(steps.next().done, false);
    steps.return(undefined as never);
    assert.equal(JSON.stringify(before), text);
  });
});

describe('inventory import refuses bad files', function () {
  this.timeout(20_000);
  let certs: InventoryCertificates;
  let good: Inventory;
  before(async () => {
    certs = await makeInventoryCertificates(NOW);
    good = consistentInventory(certs);
  });
  const text = (inv: unknown) => JSON.stringify(inv);

  it('refuses what is not JSON, not an inventory, or a deployment file, saying so', () => {
    assert.match(refused('').message, /empty/);
    assert.match(refused('{"schema": "sfb-inventory/1",').message, /not valid JSON at line 1/);
    assert.match(refused('[1, 2]').message, /not an SfB Certificates inventory/);
    assert.match(refused('{"hello": 1}').message, /not an SfB Certificates inventory: it has no "schema"/);
    assert.match(refused(serializeDeployment({ schemaVersion: 1, name: 'x', sipDomains: [], sites: [], pools: [], cms: { version: 1, versionCreated: NOW.toISOString(), certificates: [], assignments: {} }, history: [] })).message, /is a deployment file/);
    assert.match(refused(text({ ...good, schema: 'sfb-inventory/2' })).message, /format "sfb-inventory\/2"/);
    assert.match(refused(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])).message, /not valid UTF-8/);
  });

  it('refuses duplicate keys, deep nesting and __proto__ keys', () => {
    assert.match(refused(text(good).replace('"collectedOn"', '"collectedAt": "2020-01-01T00:00:00Z", "collectedOn"')).message, /"collectedAt" appears twice/);
    assert.match(refused(`{"schema":"sfb-inventory/1","x":${'['.repeat(100)}${']'.repeat(100)},"x":1}`).message, /nested more than 64 levels/);
    const deepInField = text(good).replace('"collectedOn"', `"replication": ${'['.repeat(5000)}${']'.repeat(5000)}, "collectedOn"`);
    assert.match(refused(deepInField).message, /nested more than 64 levels|appears twice/);
    const proto = text(good).replace('"collectedOn"', '"__proto__": {"polluted": true}, "collectedOn"');
    const result = importInventories([{ name: 'proto.json', bytes: proto }], { now: NOW });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    if (result.ok) assert.ok(result.warnings.some((w) => w.includes('"__proto__" is not part of an inventory')), result.warnings.join('\n'));
  });

  it('refuses wrong types, impossible dates, bad base64, a certificate whose thumbprint is not its own', () => {
    assert.match(refused(text({ ...good, replication: [{ ReplicaFqdn: 'fe01.contoso.com', UpToDate: 'yes' }] })).message, /replication\[0\]\.UpToDate: expected true or false/);
    assert.match(refused(text({ ...good, collectedAt: '2026-02-31T00:00:00Z' })).message, /collectedAt: expected a date and time that exists/);
    const badBase64 = copyOf(good);
    const raw = computer(badBase64, 'fe01.contoso.com').store[0].RawData;
    computer(badBase64, 'fe01.contoso.com').store[0].RawData = `${raw.slice(0, 100)}!${raw.slice(101)}`;
    assert.match(refused(text(badBase64)).message, /RawData is not valid base64/);
    const notCert = copyOf(good);
    computer(notCert, 'fe01.contoso.com').store[0].RawData = 'MIIBAAAAAAAAAAAAAAAAAAAA';
    assert.match(refused(text(notCert)).message, /RawData is not a certificate SfB Certificates can read/);
    const swapped = copyOf(good);
    computer(swapped, 'fe01.contoso.com').store[0].Thumbprint = thumbprintOf(certs.other);
    assert.match(refused(text(swapped)).message, /Thumbprint says .* but the certificate in RawData is/);
  });

  it('refuses a private key anywhere: a PEM block in a string, or key DER where the certificate belongs', () => {
    const pem = copyOf(good);
    computer(pem, 'fe01.contoso.com').store[0].FriendlyName = certs.oauth.keyPem;
    assert.match(refused(text(pem)).message, /holds a private key/);
    const der = copyOf(good);
    computer(der, 'fe01.contoso.com').store[0].RawData = createPrivateKey(certs.oauth.keyPem).export({ type: 'pkcs8', format: 'der' }).toString('base64');
    assert.match(refused(text(der)).message, /holds a private key .*RawData/);
  });

  it('refuses an inventory without a topology when there is no model to update, and a topology that is not one', () => {
    assert.match(refused(text({ ...good, topologyXml: undefined })).message, /holds no topology/);
    assert.match(refused(text({ ...good, topologyXml: '<!DOCTYPE x><Topology/>' })).message, /DOCTYPE/);
  });
});
