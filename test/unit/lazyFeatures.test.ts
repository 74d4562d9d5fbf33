// The extension's features loaded on first use (src/ui/lazy.ts, scripts/build.js LAZY), checked on the bundles in
// dist/: activating the extension loads none of the wizard's, the timeline's or the PowerShell features' files; each
// loads when asked, and uses the extension's own copy of the core (an error it throws is the extension's class).
// Activation runs in a child Node process against a stand-in for the `vscode` module that answers every call.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ensureBuilt } from './cliBuild';

const DIST = path.resolve(__dirname, '..', '..', '..', 'dist');
const FEATURES = ['wizard-host.js', 'timeline-host.js', 'powershell-host.js'];

const SCRIPT = `
const Module = require('node:module');
const path = require('node:path');
const OVERRIDES = { 'workspace.workspaceFolders': undefined, 'workspace.textDocuments': [], 'window.activeTextEditor': undefined };
const stand = (at) => new Proxy(function () {}, {
  get: (_t, k) => {
    const p = at ? at + '.' + String(k) : String(k);
    if (p in OVERRIDES) return OVERRIDES[p];
    if (k === 'then') return undefined;
    if (k === Symbol.toPrimitive) return () => '';
    if (k === Symbol.iterator) return [][Symbol.iterator];
    return stand(p);
  },
  apply: () => stand(''), construct: () => stand(''), set: () => true,
});
const vscode = Object.create(stand(''));
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const dist = process.argv[1];
const loaded = () => Object.keys(require.cache).filter((f) => f.startsWith(dist + path.sep)).map((f) => path.basename(f)).sort();
const ext = require(path.join(dist, 'extension.js'));
const api = ext.activate({ subscriptions: [], extensionUri: stand(''), workspaceState: stand('') });
const out = { afterActivate: loaded(), featuresAfterActivate: api.loadedFeatures(), exports: {} };
for (const f of ${JSON.stringify(FEATURES)}) out.exports[f] = Object.keys(require(path.join(dist, f))).sort();
const core = globalThis[Symbol.for('sfbCertificates.sharedModules')]['src/core/index.ts'];
const plan = require(path.join(dist, 'powershell-host.js')).exportPlanScript;
plan(core.createEmptyDeployment('contoso.com', new Date('2026-01-01T00:00:00Z'))).then(
  () => { out.planError = 'none'; },
  (e) => { out.planError = e instanceof core.ExpectedError ? 'the extension\\'s ExpectedError' : 'another class: ' + (e && e.constructor && e.constructor.name); },
).then(() => { out.afterAll = loaded(); process.stdout.write(JSON.stringify(out)); process.exit(0); });
`;

describe('features loaded on first use (the bundles in dist/)', function () {
  this.timeout(120000);

  it('activation loads none of them; each loads on demand and shares the extension\'s core', () => {
    ensureBuilt();
    const out = JSON.parse(execFileSync(process.execPath, ['-e', SCRIPT, DIST], { encoding: 'utf8' })) as {
      afterActivate: string[]; featuresAfterActivate: string[]; exports: Record<string, string[]>; planError: string; afterAll: string[];
    };
    assert.deepEqual(out.afterActivate, ['extension.js'], 'activation loaded more than the extension bundle');
    assert.deepEqual(out.featuresAfterActivate, []);
    assert.deepEqual(out.exports, {
      'wizard-host.js': ['WizardPanel'],
      'timeline-host.js': ['TimelinePanel'],
      'powershell-host.js': ['DryRunPanel', 'ScriptEditorFeatures', 'createShellPty', 'dryRunCommand', 'exportPlanScript', 'exportRenewalPlanScript'],
    });
    assert.equal(out.planError, "the extension's ExpectedError");
    for (const f of FEATURES) assert.ok(out.afterAll.includes(f), `${f} not loaded: ${out.afterAll.join(', ')}`);
  });
});
