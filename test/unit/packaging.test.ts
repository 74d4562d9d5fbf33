// The VSIX contains only what runs: dist/, media/, schemas/, package.json, README.md, CHANGELOG.md, LICENSE; and it
// stays under 1 MB with the grammar's .wasm aside (issue #18's target; `vsce package` builds the production bundle).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

/** Each entry of a zip file with its compressed size, from the central directory (no unzip tool needed). */
function zipEntries(zip: Buffer): { name: string; compressed: number }[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip file');
  const entries: { name: string; compressed: number }[] = [];
  for (let i = 0, at = zip.readUInt32LE(eocd + 16); i < zip.readUInt16LE(eocd + 10); i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry expected');
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), compressed: zip.readUInt32LE(at + 20) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

describe('packaging (vsce)', function () {
  this.timeout(180000);

  it('lists only runtime files in the VSIX', () => {
    const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).trim().split('\n').map((l) => l.trim()).filter(Boolean);
    for (const required of ['dist/extension.js', 'dist/deployment-worker.js', 'dist/cli.js', 'dist/wizard.js', 'dist/wizard.css', 'dist/wizard-host.js', 'dist/timeline-host.js', 'dist/powershell-host.js', 'dist/forge.js', 'dist/fast-xml-parser.js', 'dist/web-tree-sitter.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-powershell.wasm', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/activity.svg', 'schemas/sfb-deployment.schema.json']) {
      assert.ok(files.includes(required), `${required} missing from: ${files.join(', ')}`);
    }
    for (const f of files) {
      assert.match(f, /^(dist\/|media\/|schemas\/|package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$)/, `unexpected file in the VSIX: ${f}`);
      assert.doesNotMatch(f, /\.(ts|map)$|^src\/|^test\/|node_modules/, `source or dev file in the VSIX: ${f}`);
    }
  });

  it('shows in the README every screenshot that ships, and each one it links exists', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const linked = [...readme.matchAll(/\]\((media\/screenshots\/[^)\s]+)\)/g)].map((m) => m[1]);
    const shipped = fs.readdirSync(path.join(root, 'media', 'screenshots')).map((f) => `media/screenshots/${f}`);
    assert.ok(linked.length >= 10, `README screenshot links: ${linked.join(', ')}`);
    for (const l of linked) assert.ok(shipped.includes(l), `README links ${l}, which does not exist`);
    for (const f of shipped) assert.ok(linked.includes(f), `${f} ships in the VSIX but the README does not show it`);
  });

  it('builds a .vsix under 1 MB (the .wasm grammar aside) that ships the README screenshots', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-vsix-')), 'sfb-certificates.vsix');
    try {
      execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
      const zip = fs.readFileSync(out);
      const entries = zipEntries(zip);
      const wasm = entries.filter((e) => e.name.endsWith('.wasm')).reduce((n, e) => n + e.compressed, 0);
      const screenshots = entries.filter((e) => e.name.startsWith('extension/media/screenshots/'));
      assert.ok(screenshots.length >= 10, `the README's screenshots ship: ${screenshots.map((e) => e.name).join(', ')}`);
      const kb = (n: number) => `${Math.round(n / 1024)} KB`;
      assert.ok(zip.length - wasm < 1024 * 1024, `VSIX ${kb(zip.length)}, ${kb(zip.length - wasm)} without the .wasm (limit 1 MB); screenshots ${kb(screenshots.reduce((n, e) => n + e.compressed, 0))} (\`npm run screenshots\` shrinks them)`);
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
