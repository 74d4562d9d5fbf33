// Get-SfbCertificateInventory.ps1: it parses with the PowerShell grammar without a single error, every cmdlet and
// parameter it uses is in the reference table (COLLECTOR_CMDLETS), it has comment-based help, and it only reads.
// Also: the shipped inventory JSON Schema is what the shapes generate, and `sfb-cert inventory script | import`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COLLECTOR_CMDLETS, COMMON_PARAMETERS, INVENTORY_SCHEMA, collectorScript, inventoryJsonSchemaText, parseDeployment } from '../../src/core';
import { firstError, loadParser, parseScript, type Node } from '../../src/powershell/grammar';
import { runCli } from '../fixtures/cli';
import { bytesOf, computer, consistentInventory, makeInventoryCertificates } from '../fixtures/inventory';

const ROOT = path.resolve(__dirname, '../../..');

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const c of node.namedChildren) if (c) walk(c, visit);
}

describe('inventory collector script', () => {
  let commands: { name: string; parameters: string[]; line: number }[];
  let root: Node;
  before(async () => {
    const parser = await loadParser();
    const parsed = parseScript(parser, collectorScript());
    assert.ok(parsed, 'the grammar parses the script');
    root = parsed.tree.rootNode;
    commands = [];
    walk(root, (n) => {
      if (n.type !== 'command') return;
      const name = n.namedChildren.find((c) => c?.type === 'command_name');
      if (!name) return; // `& $scriptBlock …`: runs the script's own block
      const parameters: string[] = [];
      walk(n, (c) => { if (c.type === 'command_parameter') parameters.push(c.text.replace(/^-/, '').replace(/:$/, '')); });
      commands.push({ name: name.text, parameters, line: n.startPosition.row + 1 });
    });
  });

  it('parses without an error in the PowerShell grammar', () => {
    const error = firstError(root);
    assert.equal(error, undefined, error && `line ${error.startPosition.row + 1}: ${error.text.slice(0, 80)}`);
    assert.ok(commands.length > 20, `found ${commands.length} commands`);
  });

  it('uses only cmdlets and parameters of the reference table', () => {
    const known = new Map(Object.entries(COLLECTOR_CMDLETS).map(([name, params]) => [name.toLowerCase(), params.map((p) => p.toLowerCase())]));
    for (const c of commands) {
      const params = known.get(c.name.toLowerCase());
      assert.ok(params, `line ${c.line}: ${c.name} is not in COLLECTOR_CMDLETS`);
      for (const p of c.parameters) {
        assert.ok(params.includes(p.toLowerCase()) || COMMON_PARAMETERS.some((q) => q.toLowerCase() === p.toLowerCase()), `line ${c.line}: ${c.name} -${p} is not in the reference table`);
      }
    }
    const used = new Set(commands.map((c) => c.name.toLowerCase()));
    for (const name of Object.keys(COLLECTOR_CMDLETS)) assert.ok(used.has(name.toLowerCase()), `${name} is in the table but the script does not use it`);
  });

  it('has comment-based help, error handling, and only reads', () => {
    const text = collectorScript();
    for (const keyword of ['.SYNOPSIS', '.DESCRIPTION', '.PARAMETER OutFile', '.PARAMETER LocalOnly', '.EXAMPLE', '.NOTES']) assert.ok(text.includes(keyword), keyword);
    assert.ok(text.includes("$ErrorActionPreference = 'Stop'") && text.includes('-ErrorAction Stop'));
    assert.ok(text.includes(`'${INVENTORY_SCHEMA}'`));
    const verbs = new Set(commands.map((c) => c.name.split('-')[0].toLowerCase()));
    for (const verb of verbs) assert.ok(['get', 'write', 'convertto', 'join', 'new', 'import', 'invoke', 'set', 'foreach', 'where'].includes(verb), `verb ${verb}`);
    assert.deepEqual(commands.filter((c) => c.name.startsWith('Set-')).map((c) => c.name), ['Set-StrictMode']);
    assert.deepEqual(commands.filter((c) => c.name.startsWith('Import-')).map((c) => c.name), ['Import-Module']);
    assert.doesNotMatch(text, /Export-PfxCertificate|\.Export\(|ExportParameters|Remove-|Set-CsCertificate|Invoke-CsManagementStoreReplication/);
    assert.match(text, /\r\n/);
    assert.doesNotMatch(text, /[^\r]\n/);
  });
});

describe('inventory schema and CLI', function () {
  this.timeout(30_000);

  it('ships schemas/sfb-inventory.schema.json as the shapes generate it (npm run schema)', () => {
    assert.equal(fs.readFileSync(path.join(ROOT, 'schemas', 'sfb-inventory.schema.json'), 'utf8'), inventoryJsonSchemaText());
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.ok(manifest.contributes.jsonValidation.some((v: { url: string }) => v.url === './schemas/sfb-inventory.schema.json'));
  });

  it('sfb-cert inventory script writes the collector; import writes a deployment file and refuses bad files with exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-inventory-'));
    try {
      const printed = await runCli(['inventory', 'script']);
      assert.equal(printed.code, 0);
      assert.equal(printed.stdout, collectorScript());
      const script = path.join(dir, 'Get-SfbCertificateInventory.ps1');
      assert.equal((await runCli(['inventory', 'script', '--out', script])).code, 0);
      assert.equal(fs.readFileSync(script, 'utf8'), collectorScript());

      const certs = await makeInventoryCertificates(new Date());
      const good = consistentInventory(certs);
      const file = path.join(dir, 'sfb-inventory-fe01.json');
      fs.writeFileSync(file, bytesOf(good));
      const out = path.join(dir, 'sfb-deployment.json');
      const first = await runCli(['inventory', 'import', file, '--out', out]);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Wrote .*8 servers, 8 read, 0 could not be read/);
      assert.ok(parseDeployment(fs.readFileSync(out)).ok);

      const changed = JSON.parse(JSON.stringify(good));
      Object.assign(computer(changed, 'edge01.contoso.com'), { error: 'Access is denied.', csCertificates: [], store: [] });
      fs.writeFileSync(file, bytesOf(changed));
      const again = await runCli(['inventory', 'import', file, '--out', out, '--json']);
      assert.equal(again.code, 0, again.stderr);
      const report = JSON.parse(again.stdout);
      assert.equal(report.counts.failed, 1);
      assert.ok(report.untold.some((u: string) => u.includes('edge01.contoso.com could not be read (Access is denied.)')));

      const notInventory = path.join(dir, 'other.json');
      fs.writeFileSync(notInventory, '{"name": "x"}');
      const bad = await runCli(['inventory', 'import', notInventory]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /other\.json is not an SfB Certificates inventory/);
      assert.equal((await runCli(['inventory', 'import'])).code, 2);
      assert.equal((await runCli(['inventory', 'frobnicate'])).code, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
