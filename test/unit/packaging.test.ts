// The VSIX contains only what runs: dist/, media/, schemas/, package.json, README.md, CHANGELOG.md, LICENSE.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

describe('packaging (vsce)', function () {
  this.timeout(180000);

  it('lists only runtime files in the VSIX', () => {
    const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).trim().split('\n').map((l) => l.trim()).filter(Boolean);
    for (const required of ['dist/extension.js', 'dist/cli.js', 'dist/wizard.js', 'dist/wizard.css', 'dist/wizard-host.js', 'dist/timeline-host.js', 'dist/powershell-host.js', 'dist/forge.js', 'dist/fast-xml-parser.js', 'dist/web-tree-sitter.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-powershell.wasm', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/activity.svg', 'schemas/sfb-deployment.schema.json']) {
      assert.ok(files.includes(required), `${required} missing from: ${files.join(', ')}`);
    }
    for (const f of files) {
      assert.match(f, /^(dist\/|media\/|schemas\/|package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$)/, `unexpected file in the VSIX: ${f}`);
      assert.doesNotMatch(f, /\.(ts|map)$|^src\/|^test\/|node_modules/, `source or dev file in the VSIX: ${f}`);
    }
  });

  it('builds a .vsix', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-vsix-')), 'sfb-certificates.vsix');
    try {
      execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
      assert.ok(fs.statSync(out).size > 10000);
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
