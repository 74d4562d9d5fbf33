// The tree as data: node ids, parents (for reveal), labels, expiry descriptions, contextValues and severities.
import * as assert from 'node:assert/strict';
import type { Deployment, Finding, StoredCertificate } from '../../src/core/model';
import { assigned, deployment as buildDeployment, pool, server as buildServer, slotEntry, storedCertificate } from '../fixtures/builders';
import { buildIndex, childNodes, escapeMarkdown, parentNode, rootNodes, viewOf, type TreeNode } from '../../src/ui/treeModel';
import { expiryText } from '../../src/present/certificate';

const NOW = new Date('2026-06-01T12:00:00Z');

/** Valid 1/1/2026 – 1/1/2027, so the expiry texts below are fixed against NOW. */
const cert = (thumbprint: string, over: Partial<StoredCertificate> = {}) =>
  storedCertificate(NOW, thumbprint, { subject: `CN=${thumbprint.toLowerCase()}.contoso.com`, notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', ...over });

const JAN = '2026-01-01T00:00:00.000Z';

const server = (fqdn: string, certs: StoredCertificate[], appliedVersion: number) =>
  buildServer(fqdn, { certificates: certs, assignments: { Default: assigned(certs[0].thumbprint, JAN) }, replica: { appliedVersion, unreachable: false, productVersion: '7.0.2046.0' } });

function deployment(): Deployment {
  const a = cert('AAAA'), b = cert('BBBB', { notAfter: '2026-06-20T00:00:00.000Z', exportable: false }), old = cert('CCCC', { notAfter: '2026-05-01T00:00:00.000Z' });
  return buildDeployment({
    sites: [{ id: '1', name: 'Redmond', kind: 'central' }],
    pools: [pool('pool01.contoso.com', 'FrontEndEnterprise', [server('fe01.contoso.com', [a, b], 3), server('fe02.contoso.com', [a], 2)], { siteId: '1', hostsCms: true })],
    cms: {
      version: 3, versionCreated: '2026-05-01T00:00:00.000Z', certificates: [a, old],
      assignments: { OAuthTokenIssuer: { current: slotEntry('AAAA', '2026-05-01T00:00:00.000Z'), previous: slotEntry('CCCC', JAN) } },
    },
  });
}

function walk(d: Deployment, findings: Finding[] = []): Map<string, TreeNode> {
  const idx = buildIndex(d, findings);
  const all = new Map<string, TreeNode>();
  const visit = (n: TreeNode) => { all.set(n.id, n); for (const c of childNodes(d, idx, n)) visit(c); };
  rootNodes(d).forEach(visit);
  return all;
}

describe('tree model', () => {
  it('lists the CMS with its OAuthTokenIssuer slot, then sites → pools → servers → slots and the local store', () => {
    const nodes = walk(deployment());
    for (const id of ['cms', 'cms/OAuthTokenIssuer', 'cms/OAuthTokenIssuer/current', 'cms/OAuthTokenIssuer/previous', 'site/1', 'pool/pool01.contoso.com',
      'server/fe01.contoso.com', 'server/fe01.contoso.com/Default', 'server/fe01.contoso.com/Default/current', 'server/fe01.contoso.com/OAuthTokenIssuer',
      'server/fe01.contoso.com/store', 'server/fe01.contoso.com/store/AAAA', 'server/fe01.contoso.com/store/BBBB']) {
      assert.ok(nodes.has(id), id);
    }
  });

  it('gives every node unique ids and a parent that lists it as a child (reveal works)', () => {
    const d = deployment();
    const idx = buildIndex(d, []);
    for (const node of walk(d).values()) {
      const parent = parentNode(d, idx, node);
      if (!parent) { assert.ok(rootNodes(d).some((r) => r.id === node.id), node.id); continue; }
      assert.ok(childNodes(d, idx, parent).some((c) => c.id === node.id), `${node.id} under ${parent.id}`);
    }
  });

  it('describes slots and certificates shortly (a default-width sidebar shows them whole) and the replication state of servers', () => {
    const d = deployment();
    const idx = buildIndex(d, []);
    const nodes = walk(d);
    const slot = viewOf(d, idx, nodes.get('cms/OAuthTokenIssuer')!, NOW);
    assert.equal(slot.label, 'OAuthTokenIssuer (global)');
    assert.equal(slot.description, '', 'the Current row below names it');
    assert.equal(slot.contextValue, 'slot+global+oauth+hasCurrent+hasPrevious');
    assert.equal(viewOf(d, idx, nodes.get('server/fe01.contoso.com')!, NOW).description, '', 'up to date: nothing to say (the tooltip says UpToDate: True)');
    assert.equal(viewOf(d, idx, nodes.get('server/fe02.contoso.com')!, NOW).description, 'behind');
    // The global slot's entries: the role, the thumbprint's first digits and the state (the row above has no room).
    const cur = viewOf(d, idx, nodes.get('cms/OAuthTokenIssuer/current')!, NOW);
    assert.deepEqual([cur.label, cur.description], ['Current', 'AAAA · 213 d left']);
    const prev = viewOf(d, idx, nodes.get('cms/OAuthTokenIssuer/previous')!, NOW);
    assert.deepEqual([prev.label, prev.description], ['Previous', 'CCCC · expired']);
    assert.equal(prev.accessibleName, 'Previous: CN=cccc.contoso.com, expired 31 days ago', 'a screen reader hears the full name and state');
    assert.equal(prev.contextValue, 'certificate+global+hasKey+exportable+previous+expired');
    // A server's slot: the use, and nothing more while assigned (its entries below say which certificate and its state).
    const fe01Default = viewOf(d, idx, nodes.get('server/fe01.contoso.com/Default')!, NOW);
    assert.deepEqual([fe01Default.label, fe01Default.description], ['Default', '']);
    assert.equal(viewOf(d, idx, nodes.get('server/fe01.contoso.com/WebServicesInternal')!, NOW).description, 'not assigned');
    const entry = viewOf(d, idx, nodes.get('server/fe01.contoso.com/Default/current')!, NOW);
    assert.deepEqual([entry.label, entry.description], ['Current', 'AAAA · 213 d left']);
    // A store's certificate: its subject's common name (the snap-in's Issued To); the thumbprint's first digits only
    // where another certificate of the store has the same name.
    const b = viewOf(d, idx, nodes.get('server/fe01.contoso.com/store/BBBB')!, NOW);
    assert.equal(b.contextValue, 'certificate+onServer+hasKey');
    assert.deepEqual([b.label, b.description], ['bbbb.contoso.com', '']);
    const twin = cert('DDDD', { subject: 'CN=bbbb.contoso.com' });
    d.pools[0].servers[0].certificates.push(twin);
    const idx2 = buildIndex(d, []);
    assert.deepEqual([viewOf(d, idx2, nodes.get('server/fe01.contoso.com/store/BBBB')!, NOW).description, viewOf(d, idx2, { ...nodes.get('server/fe01.contoso.com/store/BBBB')!, id: 'server/fe01.contoso.com/store/DDDD', thumbprint: 'DDDD' } as TreeNode, NOW).description], ['BBBB', 'DDDD']);
  });

  it('shows a pending roll as its own row with its date, and names certificates without a subject CN by their friendly name', () => {
    const d = deployment();
    const long = cert('0123456789ABCDEF0123456789ABCDEF01234567', { subject: 'O=Contoso, C=US', friendlyName: 'Skype for Business Server Default certificate 7/1/2026' });
    d.cms.certificates.push(long);
    d.pools[0].servers[0].certificates.push(long);
    d.cms.assignments.OAuthTokenIssuer!.pending = slotEntry(long.thumbprint, '2026-07-01T00:00:00.000Z');
    const idx = buildIndex(d, []);
    const nodes = walk(d);
    const pending = viewOf(d, idx, nodes.get('cms/OAuthTokenIssuer/pending')!, NOW);
    assert.deepEqual([pending.label, pending.description], ['Pending', '01234567 · 7/1/2026']);
    assert.match(pending.accessibleName ?? '', /^Pending roll: Skype for Business Server Default certificate 7\/1\/2026, expires in 213 days, becomes current 7\/1\/2026$/);
    const stored = viewOf(d, idx, nodes.get(`server/fe01.contoso.com/store/${long.thumbprint}`)!, NOW);
    // Too long for a row five levels deep at the default sidebar width: cut at a word, the whole name spoken.
    assert.equal(stored.label, 'Skype for Business Server…');
    assert.match(stored.accessibleName ?? '', /, issued to Skype for Business Server Default certificate 7\/1\/2026$/);
  });

  it('colours nodes by the worst finding under them', () => {
    const d = deployment();
    const findings: Finding[] = [
      { rule: 'cert.expiring', severity: 'warning', message: 'expiring', where: { path: 'pools[0].servers[0].certificates[1]' }, source: 'product' },
      { rule: 'oauth.previousExpired', severity: 'error', message: 'x', where: { path: 'cms.assignments.OAuthTokenIssuer.previous' }, source: 'product' },
    ];
    const idx = buildIndex(d, findings);
    const nodes = walk(d, findings);
    assert.equal(viewOf(d, idx, nodes.get('server/fe01.contoso.com/store/BBBB')!, NOW).severity, 'warning');
    assert.equal(viewOf(d, idx, nodes.get('server/fe01.contoso.com')!, NOW).severity, 'warning');
    assert.equal(viewOf(d, idx, nodes.get('cms/OAuthTokenIssuer/previous')!, NOW).icon, 'error');
    assert.equal(viewOf(d, idx, nodes.get('cms/OAuthTokenIssuer')!, NOW).severity, 'error');
    assert.equal(viewOf(d, idx, nodes.get('server/fe02.contoso.com')!, NOW).severity, undefined);
  });

  it('words expiry like a person would', () => {
    assert.equal(expiryText({ notBefore: '2026-07-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z' }, NOW), 'not valid until 7/1/2026');
    assert.equal(expiryText({ notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-06-02T00:00:00Z' }, NOW), 'expires today');
    assert.equal(expiryText({ notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-06-03T00:00:00Z' }, NOW), 'expires in 1 day');
    assert.equal(expiryText({ notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-05-31T00:00:00Z' }, NOW), 'expired 1 day ago');
  });

  it('escapes certificate text in Markdown tooltips', () => {
    assert.equal(escapeMarkdown('CN=<img src=x onerror=alert(1)>'), 'CN=\\<img src=x onerror=alert\\(1\\)\\>');
    assert.equal(escapeMarkdown('[link](command:x)'), '\\[link\\]\\(command:x\\)');
  });
});
