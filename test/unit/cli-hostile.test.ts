// `sfb-cert` on hostile input: exit 2 with the reason on stderr (never exit 1, "internal error", or a stack), and
// nothing from the input reaches the terminal as a control sequence.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../fixtures/cli';
import { CONTOSO, publishedTopology } from '../fixtures/topologyXml';


describe('sfb-cert on hostile input', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-cli-hostile-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('topology: exit 2 with the reason for every hostile file', () => {
    const xml = publishedTopology(CONTOSO);
    const cases: [string, string | Buffer, RegExp][] = [
      ['an external entity', xml.replace('?>\n', '?>\n<!DOCTYPE Topology [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'), /declares an external entity/],
      ['too many entities', xml.replace('?>\n', `?>\n<!DOCTYPE Topology [${Array.from({ length: 1500 }, (_, i) => `<!ENTITY e${i} "x">`).join('')}]>\n`), /declares 1500 entities/],
      ['deep nesting', `<Topology>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Topology>`, /nests elements more than 100 levels deep/],
      ['__proto__', xml.replace('<Sites>', '<__proto__/><Sites>'), /an element named "__proto__"/],
      ['constructor', xml.replace('<Sites>', '<constructor/><Sites>'), /an element named "constructor"/],
      ['invalid UTF-8', Buffer.concat([Buffer.from(xml), Buffer.from([0xc3, 0x28])]), /is not valid UTF-8/],
    ];
    for (const [what, content, message] of cases) {
      it(what, async () => {
        const file = path.join(dir, 'hostile.xml');
        fs.writeFileSync(file, content);
        const r = await runCli(['topology', file]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /internal error|\[SECURITY\]|Maximum/);
        assert.equal(r.stdout, '');
      });
    }

    it('decodes character references and an ISO-8859-1 declaration', async () => {
      const file = path.join(dir, 'latin1.xml');
      fs.writeFileSync(file, Buffer.from(xml.replace('encoding="utf-8"', 'encoding="ISO-8859-1"').replace('<Name>Dublin</Name>', '<Name>Dübl&#237;n</Name>').replace(/contoso\.com/g, 'cont&#111;so.com'), 'latin1'));
      const r = await runCli(['topology', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Düblín \(central site/m);
      assert.match(r.stdout, /pool01\.contoso\.com/);
    });
  });
});
