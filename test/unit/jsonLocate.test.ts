// Positions for the Problems panel: locatePaths against a full JSON parse (jsonc-parser), on canonical and on
// hand-formatted text, and the grouping of a rule that fires on many servers.
import * as assert from 'node:assert/strict';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { evaluateRules, serializeDeployment, type Finding } from '../../src/core';
import { GROUP_OVER, problemEntries } from '../../src/ui/findingGroups';
import { FileText } from '../../src/ui/fileText';
import { LineIndex, locatePaths, parseJsonPath } from '../../src/ui/jsonLocate';
import { random as seeded } from '../fixtures/fuzz';
import { fullDeployment } from '../fixtures/deployment';
import { largeDeployment, thumbprint } from '../bench/largeDeployment';

/** The old way: parse the whole text, then the deepest existing node on the path (a property node for a member). */
function reference(text: string, p: string): { offset: number; length: number } | undefined {
  const root = parseTree(text);
  const segments = parseJsonPath(p);
  for (let n = segments.length; n >= 0 && root; n--) {
    const node: JsonNode | undefined = findNodeAtLocation(root, segments.slice(0, n));
    if (node && n > 0) {
      const at = node.parent?.type === 'property' ? node.parent : node;
      return { offset: at.offset, length: at.length };
    }
  }
  return undefined;
}

const PATHS = [
  'cms.assignments.OAuthTokenIssuer', 'cms.assignments.OAuthTokenIssuer.current', 'cms.certificates[0]',
  'pools[0].servers[1].assignments.Default', 'pools[0].servers[1].certificates[1]', 'pools[0].servers[0].assignments.OAuthTokenIssuer.pending',
  'pools[0].servers[1].assignments.WebServicesExternal', // absent: its server
  'pools[0].servers[7]', // absent: the servers list
  'nothing.here', // absent altogether
  'sipDomains[1].name', 'history[0]',
];

describe('locating findings in the deployment file', () => {
  const variants: [string, string][] = [
    ['canonical', serializeDeployment(fullDeployment())],
    ['minified', JSON.stringify(fullDeployment())],
    ['tabs and CRLF, with escapes in strings', JSON.stringify({ ...fullDeployment(), name: 'Con"to\\so [x] {y}' }, null, '\t').replace(/\n/g, '\r\n')],
  ];
  for (const [name, text] of variants) {
    it(`finds the same places as a full parse (${name})`, () => {
      const found = locatePaths(text, PATHS);
      for (const p of PATHS) {
        const want = reference(text, p);
        const got = found.get(p);
        if (!want) assert.equal(got, undefined, p);
        else assert.deepEqual(got, want, p);
      }
    });
  }

  it('finds the same places in a text kept in slices (FileText) as in one string', () => {
    const text = serializeDeployment(largeDeployment(30));
    const whole = locatePaths(text, PATHS);
    const random = seeded(18);
    for (let round = 0; round < 20; round++) {
      // Slices of random lengths, some empty, some one character, cut anywhere (inside keys, escapes, numbers).
      const slices: string[] = [];
      for (let at = 0; at < text.length;) {
        const n = [0, 1, 2, 17, 500, 4096][Math.floor(random() * 6)];
        slices.push(text.slice(at, at + n));
        at += n;
      }
      const sliced = new FileText(slices);
      assert.equal(sliced.length, text.length);
      assert.deepEqual(locatePaths(sliced, PATHS), whole);
      for (let i = 0; i < 50; i++) {
        const a = Math.floor(random() * text.length);
        const b = a + Math.floor(random() * 300);
        assert.equal(sliced.slice(a, b), text.slice(a, b));
        assert.equal(sliced.charCodeAt(a), text.charCodeAt(a));
        assert.equal(sliced.indexOf('"', a), text.indexOf('"', a));
        assert.equal(sliced.indexOf('\n', a), text.indexOf('\n', a));
      }
      const lines = new LineIndex(sliced);
      const reference = new LineIndex(text);
      for (const span of whole.values()) if (span) assert.deepEqual(lines.position(span.offset), reference.position(span.offset));
    }
  });

  it('stops reading once every path is found', () => {
    const text = serializeDeployment(largeDeployment(60));
    const broken = `${text.slice(0, text.length / 2)} this is not JSON`;
    const found = locatePaths(broken, ['pools[0].servers[0].assignments.Default']);
    assert.deepEqual(found.get('pools[0].servers[0].assignments.Default'), reference(text, 'pools[0].servers[0].assignments.Default'));
  });

  it('turns offsets into lines and columns with one line index per version', () => {
    const lines = new LineIndex('ab\ncd\r\n\nef');
    assert.deepEqual(lines.position(0), { line: 0, character: 0 });
    assert.deepEqual(lines.position(4), { line: 1, character: 1 });
    assert.deepEqual(lines.position(8), { line: 3, character: 0 });
    assert.equal(lines.lineEnd(3), 5, 'before the CR LF');
  });

  it('groups a rule firing on many servers into one entry; a few stay one entry each', () => {
    const d = largeDeployment(120);
    // A new global certificate (thumbprint 2) no replica has yet: every Front End waits for replication.
    const cms = { ...d.cms, version: d.cms.version + 1, assignments: { OAuthTokenIssuer: { current: { thumbprint: thumbprint(2), effectiveDate: d.cms.versionCreated, updateTime: d.cms.versionCreated } } } };
    const findings: Finding[] = evaluateRules({ ...d, cms }, new Date('2026-01-01T00:00:00Z'));
    const pending = findings.filter((f) => f.rule === 'oauth.replication-pending');
    assert.ok(pending.length > GROUP_OVER);
    const entries = problemEntries(findings);
    const grouped = entries.filter((e) => e.rule === 'oauth.replication-pending');
    assert.equal(grouped.length, 1);
    assert.equal(grouped[0].count, pending.length);
    assert.equal(grouped[0].path, pending[0].where.path);
    assert.match(grouped[0].message, new RegExp(`^${pending.length} alike`));
    assert.match(grouped[0].message, /fe1\.contoso\.com, fe2\.contoso\.com/);
    const few = entries.filter((e) => e.rule === 'oauth.replication-failed');
    assert.equal(few.length, findings.filter((f) => f.rule === 'oauth.replication-failed').length);
  });
});
