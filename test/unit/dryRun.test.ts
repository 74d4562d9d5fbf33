// The dry run of a script on a copy of the model (src/powershell/dryRun.ts), the diff of two models it reports
// (src/core/deploymentDiff.ts), and the script checker's cross-statement check built on it (src/powershell/outcome.ts):
// completed, error, stopped at a prompt, a loop that never ends, and nothing changed in the model it started from.
import * as assert from 'node:assert/strict';
import { createSampleDeployment, diffDeployments, findServer, oauthGroups, withReachability, type Deployment, type SampleDeployment } from '../../src/core';
import { dryRunScript } from '../../src/powershell/dryRun';
import { checkScriptOutcome } from '../../src/powershell/outcome';
import { parseDryRunToHost } from '../../src/shared/protocol';
import { dryRunView } from '../../src/ui/scripts/dryRunView';

const NOW = new Date('2015-06-01T08:00:00Z');

describe('Dry run of a script', function () {
  this.timeout(60_000);
  let sample: SampleDeployment;
  let d: Deployment;
  let defaultOf: (fqdn: string) => string;
  before(async () => {
    sample = await createSampleDeployment(NOW);
    d = sample.deployment;
    defaultOf = (fqdn) => findServer(d, fqdn)!.server.certificates.find((c) => c.friendlyName?.endsWith('Default'))!.thumbprint;
  });
  const run = (script: string, state = d, extra: Parameters<typeof dryRunScript>[2] extends infer O ? Partial<O> : never = {}) => dryRunScript(script, state, { now: () => NOW, ...extra });
  const text = (r: Awaited<ReturnType<typeof dryRunScript>>) => r.output.map((w) => w.text).join('');

  describe('diffDeployments', () => {
    it('nothing changed: no assignments, no stores, same CMS version', () => {
      const diff = diffDeployments(d, d);
      assert.equal(diff.unchanged, true);
      assert.deepEqual([diff.assignments, diff.stores, diff.history], [[], [], []]);
      assert.deepEqual(diff.cmsVersion, { before: d.cms.version, after: d.cms.version });
    });

    it('a global OAuth assignment and its replication: the slot, the CMS store, the version, the Front Ends\' slots and stores, replicas behind', async () => {
      const thumb = defaultOf('fe01.contoso.com');
      const r = await run(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${thumb}\nInvoke-CsManagementStoreReplication -ReplicaFqdn fe02.contoso.com`);
      assert.deepEqual(r.end, { kind: 'completed' });
      const diff = r.diff;
      assert.deepEqual(diff.assignments.filter((a) => a.scope === 'global'), [{ scope: 'global', use: 'OAuthTokenIssuer', part: 'current', after: thumb }]);
      assert.ok(diff.assignments.some((a) => a.scope === 'fe02.contoso.com' && a.use === 'OAuthTokenIssuer' && a.after === thumb));
      assert.ok(!diff.assignments.some((a) => a.scope === 'fe03.contoso.com'), 'fe03 was not replicated to');
      assert.deepEqual(diff.stores.find((s) => s.store === 'Central Management store')?.added.map((c) => c.thumbprint), [thumb]);
      assert.ok(diff.cmsVersion.after > diff.cmsVersion.before);
      const behind = diff.replicasBehind.map((b) => b.fqdn);
      assert.ok(behind.includes('fe03.contoso.com') && !behind.includes('fe02.contoso.com'), behind.join());
      assert.equal(diff.history.length, 2);
    });
  });

  it('runs on a copy: the state it started from is unchanged, the output is the shell\'s', async () => {
    const snapshot = JSON.stringify(d);
    const r = await run(`Get-CsCertificate -Type Default\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${defaultOf('fe01.contoso.com')}`);
    assert.equal(JSON.stringify(d), snapshot);
    assert.equal(r.before, d);
    assert.notEqual(r.after, d);
    assert.match(text(r), /Thumbprint\s*:/);
    assert.equal(r.statementsRun, 2);
  });

  it('an error record: end "error" with its first line, and the run goes on unless it is terminating', async () => {
    const r = await run('Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint 0000000000000000000000000000000000000000\nGet-CsCertificate -Type Default');
    assert.equal(r.end.kind, 'error');
    assert.equal(r.end.kind === 'error' && r.end.stopped, false);
    assert.equal(r.statementsRun, 2);
    const stop = await run('Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint 0000000000000000000000000000000000000000 -ErrorAction Stop\nGet-CsCertificate -Type Default');
    assert.equal(stop.end.kind === 'error' && stop.end.stopped, true);
    assert.equal(stop.statementsRun, 1);
  });

  it('prompts: with nobody to answer the run stops there, saying so; answered, it goes on', async () => {
    const script = '$answer = Read-Host "Which thumbprint"\nWrite-Output "got $answer"';
    const r = await run(script);
    assert.deepEqual(r.end, { kind: 'stopped', message: 'The script stopped at the prompt "Which thumbprint": nobody can answer it here; the rest did not run.' });
    assert.equal(r.statementsRun, 1);
    const asked: string[] = [];
    const answered = await run(script, d, { readHost: async (p) => { asked.push(p); return 'ABC'; } });
    assert.deepEqual(answered.end, { kind: 'completed' });
    assert.deepEqual(asked, ['Which thumbprint: ']);
    assert.match(text(answered), /got ABC/);
    const cancelled = await run(script, d, { readHost: async () => undefined });
    assert.match(cancelled.end.kind === 'stopped' ? cancelled.end.message : '', /it was cancelled/);
  });

  it('a loop that never ends is stopped after the time limit', async () => {
    const r = await run('while ($true) { $a = 1 }', d, { timeLimitMs: 300 });
    assert.deepEqual(r.end, { kind: 'stopped', message: 'The script was stopped after 0 seconds of running (a loop that never ends?); the rest did not run.' });
  });

  it('a long script of quick statements gives the event loop turns as it runs, and the time limit stops it', async () => {
    const script = Array.from({ length: 4000 }, (_, i) => `$a${i % 7} = Get-CsCertificate -Type Default`).join('\n');
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    try {
      const r = await run(script, d, { timeLimitMs: 150 });
      assert.equal(r.end.kind, 'stopped');
      assert.match((r.end as { message: string }).message, /stopped after 0 seconds of running/);
      assert.ok(r.statementsRun > 0 && r.statementsRun < 4000, `${r.statementsRun} statements ran`);
      assert.ok(turns > 0, 'the event loop had no turn during the run');
    } finally {
      clearInterval(ticker);
    }
  });

  it('files the script writes stay in memory', async () => {
    const files = { read: async () => { throw Object.assign(new Error('none'), { code: 'ENOENT' }); }, write: async () => { throw new Error('must not write'); }, exists: async () => false, list: async () => [] };
    const r = await run('Request-CsCertificate -New -Type Default -Output C:\\req\\x.req -ComputerFqdn fe01.contoso.com', d, { files });
    assert.notEqual(r.end.kind === 'error' ? r.end.message : '', 'must not write');
    assert.ok(!text(r).includes('must not write'), text(r));
  });

  describe('cross-statement check: Front Ends left with different OAuth certificates', () => {
    it('an OAuthTokenIssuer Set on this computer only: a warning on that statement, saying why and how to fix it', async () => {
      const script = `Get-CsCertificate\nSet-CsCertificate -Type OAuthTokenIssuer -Thumbprint ${defaultOf('fe01.contoso.com')}\nGet-CsCertificate -Type OAuthTokenIssuer`;
      const ds = await checkScriptOutcome(script, d, { now: NOW });
      assert.equal(ds.length, 1, JSON.stringify(ds));
      assert.equal(ds[0].code, 'oauth-front-ends-differ');
      assert.equal(ds[0].severity, 'warning');
      assert.equal(script.slice(ds[0].start, ds[0].end), script.split('\n')[1]);
      assert.match(ds[0].message, /different OAuth certificates/);
      assert.match(ds[0].message, /Without -Identity global/);
      assert.match(ds[0].message, /assign it once at global scope \(Set-CsCertificate -Identity global/);
      assert.match(ds[0].message, /SfB Certificates' rule/);
    });

    it('a global assignment while one replica is unreachable', async () => {
      const fe02 = findServer(d, 'fe02.contoso.com')!;
      const cut = withReachability(d, fe02, false);
      const script = `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${defaultOf('fe01.contoso.com')}`;
      const ds = await checkScriptOutcome(script, cut, { now: NOW });
      assert.deepEqual(ds.map((x) => x.code), ['oauth-front-ends-differ']);
      assert.match(ds[0].message, /fe02\.contoso\.com would use no OAuthTokenIssuer certificate/);
      assert.deepEqual(await checkScriptOutcome(script, d, { now: NOW }), [], 'all replicas reachable: no warning');
    });

    it('negative: a global assignment, a global roll, scripts that only read, and a per-server split the script repairs later', async () => {
      const a = defaultOf('fe01.contoso.com');
      const ok = [
        `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${a}`,
        `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${a}\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${defaultOf('fe02.contoso.com')} -EffectiveDate "7/1/2015" -Roll`,
        'Get-CsCertificate -Type OAuthTokenIssuer',
        `Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint ${a}\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${a}`,
      ];
      for (const script of ok) assert.deepEqual(await checkScriptOutcome(script, d, { now: NOW }), [], script);
      assert.equal(oauthGroups(d).length, 1);
    });
  });

  describe('the view and its messages', () => {
    it('Apply only for a run that completed and changed something, on the deployment as it still is', async () => {
      const assign = await run(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${defaultOf('fe01.contoso.com')}`);
      const open = dryRunView(assign, 'a.ps1', NOW, 'open');
      assert.equal(open.status, 'completed');
      assert.equal(open.canApply, true);
      assert.equal(open.applyHint, undefined);
      assert.match(open.assignments[0].after, /^[0-9A-F]{40} \(/);
      const stale = dryRunView(assign, 'a.ps1', NOW, 'stale');
      assert.deepEqual([stale.status, stale.canApply, stale.canRerun], ['stale', false, true]);
      assert.match(stale.applyHint!, /changed since the dry run/);
      assert.deepEqual([dryRunView(assign, 'a.ps1', NOW, 'applied').status, dryRunView(assign, 'a.ps1', NOW, 'applied').canApply], ['applied', false]);
      const reads = dryRunView(await run('Get-CsCertificate -Type Default'), 'r.ps1', NOW, 'open');
      assert.deepEqual([reads.status, reads.canApply], ['unchanged', false]);
      const stopped = dryRunView(await run('Read-Host "x"'), 's.ps1', NOW, 'open');
      assert.deepEqual([stopped.status, stopped.canApply], ['stopped', false]);
      assert.match(stopped.applyHint!, /stopped early/);
    });

    it('escapes control and bidi characters the script prints', async () => {
      const view = dryRunView(await run('Write-Output "a\u202Eb"'), 'x.ps1', NOW, 'open');
      assert.ok(!view.output.some((w) => w.text.includes('\u202E')), JSON.stringify(view.output));
    });

    it('messages from the webview: four types, nothing else', () => {
      for (const type of ['ready', 'apply', 'cancel', 'rerun']) assert.deepEqual(parseDryRunToHost({ type }), { ok: true, msg: { type } });
      for (const bad of [null, 'apply', { type: 'applyAll' }, { type: 'apply', state: {} }, []]) assert.equal(parseDryRunToHost(bad).ok, false, JSON.stringify(bad));
    });
  });
});
