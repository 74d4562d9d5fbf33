// Libraries loaded on first use (src/core/vendor/): nothing loads them when the core (or the extension) starts, and
// the constants kept in their place are forge's own.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as forge from 'node-forge';
import { Class, Type } from '../../src/core/pfx/der';

const CORE = path.resolve(__dirname, '..', '..', 'src', 'core', 'index.js');
const GRAMMAR = path.resolve(__dirname, '..', '..', 'src', 'powershell', 'index.js');

/** The node_modules packages a fresh Node process has loaded after running `script` (with `core` and `shell` bound). */
function packagesLoadedBy(script: string): string[] {
  const out = execFileSync(process.execPath, ['-e', `
    const core = require(${JSON.stringify(CORE)});
    const shell = require(${JSON.stringify(GRAMMAR)});
    Promise.resolve(eval(${JSON.stringify(script)})).then(() => {
      const names = Object.keys(require.cache).map((f) => /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f)?.[1]).filter(Boolean);
      process.stdout.write(JSON.stringify([...new Set(names)]));
    });
  `], { encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

describe('libraries loaded on first use', function () {
  this.timeout(30000);

  it('loading the core and the Management Shell loads neither node-forge, fast-xml-parser nor web-tree-sitter', () => {
    const loaded = packagesLoadedBy('undefined');
    for (const lib of ['node-forge', 'fast-xml-parser', 'web-tree-sitter']) assert.ok(!loaded.includes(lib), `${lib} loaded at start: ${loaded.join(', ')}`);
  });

  it('each is loaded by the first feature that needs it', () => {
    assert.ok(packagesLoadedBy('core.generateCertificate({ subject: { CN: "x" }, keySize: 1024 })').includes('node-forge'));
    assert.ok(packagesLoadedBy('core.importTopology("<Topology/>", "t.xml")').includes('fast-xml-parser'));
    assert.ok(packagesLoadedBy('shell.ManagementShell.create({}).catch(() => undefined)').includes('web-tree-sitter'));
  });

  it("keeps forge's ASN.1 tag classes and universal types", () => {
    assert.deepEqual({ ...Class }, { ...forge.asn1.Class });
    assert.deepEqual({ ...Type }, { ...forge.asn1.Type });
  });
});
