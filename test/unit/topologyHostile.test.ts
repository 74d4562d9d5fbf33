// Topology import against hostile and damaged files: every problem is a typed error (a code, a message naming the
// file, a fix), never an exception; references and declared encodings are read as XML defines them; nothing that is
// not the file's text (U+FFFD for bad bytes, an entity's expansion) ends up in the deployment.
import * as assert from 'node:assert/strict';
import type { SfbError } from '../../src/core/errors';
import { TOPOLOGY_MAX_BYTES, TOPOLOGY_MAX_DEPTH, importTopology, importTopologySteps, type TopologyImport } from '../../src/core/topologyImport';
import { CONTOSO, publishedTopology, tbxml } from '../fixtures/topologyXml';

const NOW = new Date('2026-03-01T12:00:00Z');
const PUBLISHED = publishedTopology(CONTOSO);
const EXPECTED = ok(importTopology(PUBLISHED, 'topology.xml', NOW)).deployment;

function ok(result: TopologyImport) {
  if (!result.ok) assert.fail(`expected the topology to import: ${result.error.message}`);
  return result;
}

/** Refused with a typed error: a code, a message that names the file, a fix, and no parser jargon. */
function refused(input: string | Uint8Array, code: string, message: RegExp): SfbError {
  let result: TopologyImport;
  assert.doesNotThrow(() => { result = importTopology(input, 'hostile.xml', NOW); });
  assert.equal(result!.ok, false, 'expected the topology to be refused');
  if (result!.ok) throw new Error('unreachable');
  const { error } = result!;
  assert.equal(error.code, code, error.message);
  assert.match(error.message, message);
  assert.match(error.message, /^hostile\.xml\b/, 'the message names the file first');
  assert.ok(error.fix, 'the error says what to do');
  assert.doesNotMatch(error.message, /\[SECURITY\]|undefined|Cannot read|Maximum call stack|Invalid tag/);
  return error;
}

const siteNamed = (name: string) => ({ ...CONTOSO, sites: CONTOSO.sites.map((s) => (s.id === 2 ? { ...s, name } : s)) });
const withDoctype = (doctype: string, body = PUBLISHED) => body.replace('?>\n', `?>\n${doctype}\n`);

describe('topology import: hostile and damaged files', () => {
  describe('document type declarations are refused before anything is expanded or fetched', () => {
    const cases: [string, string, RegExp][] = [
      ['an external entity (file)', '<!DOCTYPE Topology [<!ENTITY x SYSTEM "file:///etc/passwd">]>', /declares an external entity/],
      ['an external entity (URL, PUBLIC)', '<!DOCTYPE Topology [<!ENTITY x PUBLIC "-//x//y" "http://example.com/x">]>', /declares an external entity/],
      ['an external parameter entity', '<!DOCTYPE Topology [<!ENTITY % p SYSTEM "http://example.com/evil.dtd"> %p;]>', /declares an external entity/],
      ['a billion laughs', `<!DOCTYPE Topology [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i || ''};`.repeat(10)}">`).join('')}]>`, /declares 10 entities/],
      ['more entities than any limit', `<!DOCTYPE Topology [${Array.from({ length: 5000 }, (_, i) => `<!ENTITY e${i} "x">`).join('')}]>`, /declares 5000 entities/],
      ['one large entity', `<!DOCTYPE Topology [<!ENTITY big "${'x'.repeat(200_000)}">]>`, /declares 1 entity/],
      ['an external DTD', '<!DOCTYPE Topology SYSTEM "http://example.com/topology.dtd">', /declares a document type/],
      ['a bare document type', '<!DOCTYPE Topology>', /declares a document type/],
    ];
    for (const [what, doctype, message] of cases) {
      it(what, () => {
        const error = refused(withDoctype(doctype), 'topology-doctype', message);
        assert.match(error.fix!, /Remove the <!DOCTYPE/);
      });
    }

    it('after comments and processing instructions in the prolog, too', () => {
      refused(withDoctype('<!-- exported --><?pi x?>\n<!DOCTYPE Topology [<!ENTITY x SYSTEM "file:///etc/hosts">]>'), 'topology-doctype', /external entity/);
    });

    it('anywhere in the file, in any case', () => {
      refused(PUBLISHED.replace('<Sites>', '<Sites><!DOCTYPE x [<!ENTITY y SYSTEM "file:///etc/passwd">]>'), 'topology-doctype', /external entity/);
      refused(withDoctype('<!doctype Topology [<!ENTITY y "z">]>'), 'topology-doctype', /declares 1 entity/);
    });
  });

  describe('structure', () => {
    it(`refuses nesting deeper than ${TOPOLOGY_MAX_DEPTH} levels, without recursing over it`, () => {
      for (const depth of [TOPOLOGY_MAX_DEPTH + 2, 5_000, 50_000]) {
        refused(`<Topology>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</Topology>`, 'topology-too-deep', /nests elements more than 100 levels deep/);
      }
    });

    it('reads a topology nested exactly as deep as the limit allows in an ignored element', () => {
      const nested = `<Deep>${'<a>'.repeat(TOPOLOGY_MAX_DEPTH - 3)}${'</a>'.repeat(TOPOLOGY_MAX_DEPTH - 3)}</Deep>`;
      const result = ok(importTopology(PUBLISHED.replace('<Sites>', `${nested}<Sites>`), 'topology.xml', NOW));
      assert.deepEqual(result.deployment, EXPECTED);
    });

    for (const name of ['__proto__', 'constructor', 'prototype', 't:__proto__']) {
      it(`refuses an element named ${name}`, () => {
        refused(PUBLISHED.replace('<Sites>', `<${name} Fqdn="x" /><Sites>`), 'topology-not-xml', new RegExp(`an element named "${name}"`));
      });
      it(`refuses an attribute named ${name}`, () => {
        refused(PUBLISHED.replace('<Sites>', `<Sites ${name}="polluted">`), 'topology-not-xml', new RegExp(`an attribute named "${name}"`));
      });
    }

    it('leaves Object.prototype alone whatever the file names', () => {
      for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf']) {
        importTopology(`<Topology><${name}><polluted>yes</polluted></${name}></Topology>`, 'x.xml', NOW);
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe('references', () => {
    it('decodes character references in attributes and text (decimal and hex)', () => {
      const xml = publishedTopology(siteNamed('Montr&#233;al &#x26; Qu&#xE9;bec')).replace(/contoso\.com/g, 'cont&#111;so.com');
      const d = ok(importTopology(xml, 'topology.xml', NOW)).deployment;
      assert.equal(d.sites[1].name, 'Montréal & Québec');
      assert.deepEqual(d.pools.map((p) => p.fqdn), EXPECTED.pools.map((p) => p.fqdn));
      assert.equal(d.name, 'contoso.com');
    });

    it('decodes the five XML entities, and a reference beyond the BMP', () => {
      const d = ok(importTopology(publishedTopology(siteNamed('R&amp;D &lt;1&gt; &quot;x&quot; &apos;y&apos; &#x1F600;')), 'topology.xml', NOW)).deployment;
      assert.equal(d.sites[1].name, 'R&D <1> "x" \'y\' 😀');
    });

    it('keeps character data as written', () => {
      const d = ok(importTopology(publishedTopology(siteNamed('<![CDATA[A&amp;B]]>')), 'topology.xml', NOW)).deployment;
      assert.equal(d.sites[1].name, 'A&amp;B');
    });

    const bad: [string, string, RegExp][] = [
      ['an HTML entity', 'Caf&eacute;', /uses the entity &eacute;, which XML does not define/],
      ['&nbsp;', 'A&nbsp;B', /&nbsp;/],
      ['a bare ampersand', 'R & D', /'&' is not expected/],
      ['an unterminated reference', 'R&amp D', /'&' is not expected/],
      ['a reference to NUL', 'A&#0;B', /&#0;, U\+0000, a character XML does not allow/],
      ['a reference to ESC', 'A&#27;]0;title', /U\+001B/],
      ['a reference to a surrogate', 'A&#xD800;', /U\+D800/],
      ['a reference beyond Unicode', 'A&#x110000;', /U\+110000/],
      ['an empty reference', 'A&#;', /&#;/],
    ];
    it('refuses a bare ampersand in an attribute', () => {
      assert.match(PUBLISHED, /City="Dublin"/);
      refused(PUBLISHED.replace('City="Dublin"', 'City="R & D"'), 'topology-not-xml', /the attribute City of <Location> has an "&" that does not start a reference/);
    });

    for (const [what, name, message] of bad) {
      it(`refuses ${what}`, () => {
        refused(publishedTopology(siteNamed(name)), 'topology-not-xml', message);
      });
    }
  });

  describe('encodings', () => {
    const declared = (encoding: string, xml = publishedTopology(siteNamed('Montréal'))) => xml.replace('encoding="utf-8"', `encoding="${encoding}"`);

    for (const encoding of ['ISO-8859-1', 'iso-8859-1', 'latin1', 'windows-1252']) {
      it(`honours encoding="${encoding}"`, () => {
        const d = ok(importTopology(Buffer.from(declared(encoding), 'latin1'), 'topology.xml', NOW)).deployment;
        assert.equal(d.sites[1].name, 'Montréal');
      });
    }

    it('reads windows-1252 characters that ISO-8859-1 lacks (the euro sign)', () => {
      const bytes = Buffer.from(declared('windows-1252', publishedTopology(siteNamed('Site X'))).replace('Site X', 'Site \u0080'), 'latin1');
      assert.equal(ok(importTopology(bytes, 'topology.xml', NOW)).deployment.sites[1].name, 'Site €');
    });

    it('reads UTF-16 with and without a byte order mark, little and big endian', () => {
      const xml = declared('utf-16');
      const le = Buffer.from(xml, 'utf16le');
      const be = Buffer.from(le).swap16();
      for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), le, Buffer.concat([Buffer.from([0xfe, 0xff]), be]), be]) {
        assert.equal(ok(importTopology(bytes, 'topology.xml', NOW)).deployment.sites[1].name, 'Montréal');
      }
    });

    it('reads an 8-bit file that declares UTF-16 as UTF-8, with a warning', () => {
      const result = ok(importTopology(Buffer.from(declared('utf-16')), 'topology.xml', NOW));
      assert.equal(result.deployment.sites[1].name, 'Montréal');
      assert.match(result.warnings.join('\n'), /says encoding="utf-16", but the file is not UTF-16; it is read as UTF-8/);
    });

    it('refuses an encoding it cannot read', () => {
      for (const encoding of ['x-unknown', 'EBCDIC-XYZ']) refused(Buffer.from(declared(encoding)), 'topology-encoding', new RegExp(`declares encoding="${encoding}"`));
    });

    it('refuses invalid UTF-8 instead of turning it into U+FFFD', () => {
      const xml = publishedTopology(siteNamed('Montréal'));
      const cases = [
        Buffer.from(xml, 'latin1'), // Latin-1 bytes without a declaration
        Buffer.concat([Buffer.from(xml.slice(0, 200)), Buffer.from([0xff]), Buffer.from(xml.slice(200))]),
        Buffer.concat([Buffer.from(xml.slice(0, 200)), Buffer.from([0xc3]), Buffer.from(xml.slice(200))]), // truncated sequence
        Buffer.concat([Buffer.from(xml.slice(0, 200)), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(xml.slice(200))]), // an encoded surrogate
        Buffer.concat([Buffer.from(xml.slice(0, 200)), Buffer.from([0xc0, 0xaf]), Buffer.from(xml.slice(200))]), // overlong
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'latin1')]), // a UTF-8 mark on Latin-1 bytes
      ];
      for (const bytes of cases) {
        const error = refused(bytes, 'topology-encoding', /is not valid UTF-8 \(line \d+ has bytes that are not a character in that encoding\)/);
        assert.match(error.fix!, /UTF-8/);
      }
    });

    it('keeps a real U+FFFD that the file spells out', () => {
      assert.equal(ok(importTopology(Buffer.from(publishedTopology(siteNamed('A\uFFFDB'))), 'topology.xml', NOW)).deployment.sites[1].name, 'A\uFFFDB');
    });

    it('refuses characters XML does not allow, with their line', () => {
      for (const ch of ['\u0001', '\u001b', '\u007f'.replace('\u007f', '\u000b'), '\uFFFE', '\uD800']) {
        refused(publishedTopology(siteNamed(`A${ch}B`)), 'topology-not-xml', /contains the character U\+[0-9A-F]{4} \(line \d+\), which XML does not allow/);
      }
    });
  });

  describe('size', () => {
    it(`refuses a file over ${TOPOLOGY_MAX_BYTES / 1024 / 1024} MB before reading it`, () => {
      const big = new Uint8Array(TOPOLOGY_MAX_BYTES + 1); // zeros: nothing is decoded or parsed
      const error = refused(big, 'topology-too-large', /is 64 MB; SfB Certificates reads topology files of up to 64 MB/);
      assert.match(error.fix!, /Check that this is the topology file/);
      refused('<a/>'.padEnd(TOPOLOGY_MAX_BYTES + 1, ' '), 'topology-too-large', /of text/);
    });
  });

  it('goes through its phases in order, so a caller can report progress and stop between them', () => {
    const steps = importTopologySteps(Buffer.from(PUBLISHED), 'topology.xml', NOW);
    const phases: string[] = [];
    let step = steps.next();
    for (; !step.done; step = steps.next()) phases.push(step.value);
    assert.deepEqual(phases, ['decode', 'parse', 'build']);
    assert.deepEqual(ok(step.value).deployment, EXPECTED);
    // Stopping early is just not asking for the next step: nothing was built.
    const stopped = importTopologySteps(Buffer.from(PUBLISHED), 'topology.xml', NOW);
    assert.equal(stopped.next().value, 'decode');
    assert.deepEqual(stopped.return({ ok: false, error: { code: 'cancelled', message: 'cancelled', source: 'product' } }).done, true);
  });

  it('reads a tbxml whose values use references like the published topology', () => {
    const xml = tbxml(CONTOSO).replace(/contoso\.com/g, 'contoso&#46;com');
    assert.deepEqual(ok(importTopology(xml, 'contoso.tbxml', NOW)).deployment, ok(importTopology(tbxml(CONTOSO), 'contoso.tbxml', NOW)).deployment);
  });
});
