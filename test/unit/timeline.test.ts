// The certificate timeline's layout model and the OAuth renewal proposal (issue #17): pure data, checked here; the
// webview only draws it.
import * as assert from 'node:assert/strict';
import {
  EXPAND_SERVERS_LIMIT, ExpectedError, GLOBAL_GROUP, IncrementalRules, TimelineCache, clockFor, evaluateRules, proposeOAuthRenewal, proposedEffectiveDate, runOperation,
  slotGaps, timelineLayout, timelineLayoutSteps, type Deployment, type TimelineBar, type TimelineLayout, type TimelineOptions,
} from '../../src/core';
import { exportRenewalPlanScript } from '../../src/powershell';
import { firstError, loadParser, parseScript } from '../../src/powershell/grammar';
import { largeDeployment } from '../bench/largeDeployment';
import { DAY, assigned, deployment, pool, server, slotEntry, storedCertificate } from '../fixtures/builders';
import { random } from '../fixtures/fuzz';
import { randomRequest } from '../fixtures/randomOperations';

const NOW = new Date('2026-06-15T10:00:00.000Z');
const HOUR = 3_600_000;
const tp = (n: number) => n.toString(16).toUpperCase().padStart(40, '0');

/** A Front End pool of `count` servers, each with its Default certificate assigned; the CMS holds `oauth` as current. */
function sample(options: { count?: number; oauthExpiresInDays?: number; noOAuth?: boolean; extra?: ReturnType<typeof storedCertificate>[] } = {}): Deployment {
  const oauth = storedCertificate(NOW, tp(1), { notAfter: new Date(NOW.getTime() + (options.oauthExpiresInDays ?? 30) * DAY).toISOString(), friendlyName: 'OAuth 2025' });
  const servers = Array.from({ length: options.count ?? 2 }, (_, i) => {
    const def = storedCertificate(NOW, tp(100 + i), { subject: 'CN=pool01.contoso.com', notAfter: new Date(NOW.getTime() + (20 + i) * DAY).toISOString() });
    return server(`fe${i}.contoso.com`, { certificates: [def], assignments: { Default: assigned(def.thumbprint, '2026-01-01T00:00:00.000Z') } });
  });
  return deployment({
    pools: [pool('pool01.contoso.com', 'FrontEndEnterprise', servers, { hostsCms: true })],
    cms: { version: 1, versionCreated: '2026-01-01T00:00:00.000Z', certificates: options.noOAuth ? [...(options.extra ?? [])] : [oauth, ...(options.extra ?? [])], assignments: options.noOAuth ? {} : { OAuthTokenIssuer: assigned(oauth.thumbprint, '2026-01-01T00:00:00.000Z') } },
  });
}

function layout(d: Deployment, expanded?: string[]): TimelineLayout {
  return timelineLayout(d, { now: NOW, simulated: false, expiryWarningDays: 45, findings: evaluateRules(d, NOW, { expiryWarningDays: 45 }), expanded });
}

describe('timeline layout', () => {
  it('lists the global OAuthTokenIssuer slot first (current, previous, pending), then each pool with its servers\' uses', () => {
    const l = layout(sample());
    assert.deepEqual(l.rows.map((r) => r.id), [
      GLOBAL_GROUP, 'global:current', 'global:previous', 'global:pending',
      'pool:pool01.contoso.com',
      'slot:fe0.contoso.com:Default', 'slot:fe0.contoso.com:WebServicesInternal', 'slot:fe0.contoso.com:WebServicesExternal',
      'slot:fe1.contoso.com:Default', 'slot:fe1.contoso.com:WebServicesInternal', 'slot:fe1.contoso.com:WebServicesExternal',
    ]);
    assert.equal(l.totalRows, l.rows.length);
    assert.ok(l.rows.every((r) => (r.kind === 'group') === (r.depth === 0)));
  });

  it('draws a certificate as a bar from NotBefore to NotAfter, coloured by the rules\' findings', () => {
    const d = sample({ oauthExpiresInDays: 30 });
    const l = layout(d);
    const current = l.rows.find((r) => r.id === 'global:current')!;
    assert.equal(current.bars.length, 1);
    const bar = current.bars[0];
    assert.equal(bar.from, Date.parse(d.cms.certificates[0].notBefore));
    assert.equal(bar.to, Date.parse(d.cms.certificates[0].notAfter));
    assert.equal(bar.label, 'OAuth 2025');
    assert.equal(bar.tone, 'warning', 'expires within the 45-day warning window');
    assert.equal(layout(sample({ oauthExpiresInDays: 200 })).rows.find((r) => r.id === 'global:current')!.bars[0].tone, 'ok');
  });

  it('marks today, the expiry warning window and the 24-hour OAuth lead window before the current certificate expires', () => {
    const d = sample({ oauthExpiresInDays: 30 });
    const expiry = Date.parse(d.cms.certificates[0].notAfter);
    const l = layout(d);
    const kinds = new Map(l.markers.map((m) => [m.kind, m]));
    assert.equal(kinds.get('today')?.at, NOW.getTime());
    assert.equal(kinds.get('today')?.label, 'Today');
    assert.deepEqual([kinds.get('oauth-lead')?.at, kinds.get('oauth-lead')?.to], [expiry - 24 * HOUR, expiry]);
    assert.deepEqual([kinds.get('expiry-warning')?.at, kinds.get('expiry-warning')?.to], [expiry - 45 * DAY, expiry]);
    const simulated = timelineLayout(d, { now: NOW, simulated: true, expiryWarningDays: 10, findings: [] });
    assert.match(simulated.markers.find((m) => m.kind === 'today')!.label, /simulated/);
    assert.equal(simulated.markers.find((m) => m.kind === 'expiry-warning')?.at, expiry - 10 * DAY, 'the setting');
    assert.ok(l.domain[0] < NOW.getTime() && l.domain[1] > expiry, 'the axis holds now and the expiry');
  });

  it('marks each roll\'s effective date and draws the staged certificate below the current one', () => {
    const d = sample({ extra: [storedCertificate(NOW, tp(2), { notAfter: new Date(NOW.getTime() + 400 * DAY).toISOString() })] });
    const effective = '2026-07-10T00:00:00.000Z';
    d.cms.assignments.OAuthTokenIssuer = { ...d.cms.assignments.OAuthTokenIssuer, pending: slotEntry(tp(2), effective) };
    const l = layout(d);
    const roll = l.markers.find((m) => m.kind === 'roll');
    assert.equal(roll?.at, Date.parse(effective));
    const pending = l.rows.find((r) => r.id === 'global:pending')!;
    assert.equal(pending.bars[0].thumbprint, tp(2));
    assert.equal(pending.bars[0].effective, Date.parse(effective));
    const gaps = l.rows.find((r) => r.id === 'global:current')!.gaps;
    assert.ok(gaps.every((g) => g.from >= pending.bars[0].to), 'the roll takes over before the current one expires: no gap until the new one expires');
  });

  it('draws gaps: no certificate assigned, an expired one with no roll, a roll that takes effect too late', () => {
    const none = layout(sample({ noOAuth: true }));
    const current = none.rows.find((r) => r.id === 'global:current')!;
    assert.deepEqual(current.gaps.map((g) => [g.from, g.to]), [none.domain]);
    assert.match(current.gaps[0].why, /No certificate is assigned/);
    const missing = none.rows.find((r) => r.id === 'slot:fe0.contoso.com:WebServicesInternal')!;
    assert.equal(missing.gaps.length, 1, 'a use without a certificate is one gap');
    assert.equal(missing.tone, 'error', 'a gap at now');
    assert.equal(layout(sample({ oauthExpiresInDays: 200 })).rows.find((r) => r.id === 'global:current')!.tone, 'ok', 'a gap only after the warning window does not colour the row');
    assert.equal(layout(sample({ oauthExpiresInDays: 30 })).rows.find((r) => r.id === 'global:current')!.tone, 'warning', 'a gap within the warning window');

    const c: TimelineBar = { thumbprint: 'A', role: 'current', from: 0, to: 100, label: 'a', tone: 'ok', lane: 0 };
    assert.deepEqual(slotGaps(c, undefined, 0, 150).map((g) => [g.from, g.to]), [[100, 150]], 'after expiry, no roll');
    const late: TimelineBar = { thumbprint: 'B', role: 'pending', from: 0, to: 300, effective: 120, label: 'b', tone: 'ok', lane: 1 };
    assert.deepEqual(slotGaps(c, late, 0, 300).map((g) => [g.from, g.to]), [[100, 120]], 'between expiry and the late roll');
    const notYetValid: TimelineBar = { ...late, from: 130, effective: 90 };
    const gaps = slotGaps(c, notYetValid, 0, 300);
    assert.deepEqual(gaps.map((g) => [g.from, g.to]), [[90, 130]], 'the roll took over before its certificate is valid');
    assert.match(gaps[0].why, /not valid yet/);
    assert.deepEqual(slotGaps(c, { ...late, effective: 50 }, 0, 300), [], 'a timely roll leaves no gap');
  });

  it('collapses groups: a collapsed pool is one row with its worst tone and earliest expiry', () => {
    const d = sample({ count: 3 });
    const l = layout(d, [GLOBAL_GROUP]);
    const group = l.rows.find((r) => r.id === 'pool:pool01.contoso.com')!;
    assert.equal(group.expanded, false);
    assert.equal(group.count, 9);
    assert.equal(l.rows.filter((r) => r.group === group.id).length, 1);
    assert.match(group.summary ?? '', /3 servers; earliest expiry 2026-07-05/);
    assert.equal(group.tone, 'error', 'its servers have no WebServices certificates: a gap now');
    assert.equal(l.totalRows, 4 + 1 + 9);
    assert.equal(layout(d, []).rows.length, 2, 'every group collapsed');
  });

  it('a closed pool\'s row says what the same pool opened says (built without its rows), whatever its servers hold', () => {
    const iso = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
    const cert = (n: number, notAfterDays: number, over: Parameters<typeof storedCertificate>[2] = {}) => storedCertificate(NOW, tp(n), { notAfter: iso(notAfterDays), friendlyName: `cert ${n}`, ...over });
    const servers = [
      // a staged roll whose certificate is not valid yet; a WebServices certificate expired; a 1024-bit key (a finding)
      server('fe0.contoso.com', { certificates: [cert(10, 40), cert(11, 400, { notBefore: iso(60) }), cert(12, -5)], assignments: { Default: { current: slotEntry(tp(10), iso(-50)), pending: slotEntry(tp(11), iso(30)) }, WebServicesInternal: assigned(tp(12), iso(-50)) } }),
      server('fe1.contoso.com', { certificates: [cert(20, 25, { keySize: 1024 }), cert(21, 25)], assignments: { Default: { current: slotEntry(tp(20), iso(-10)), previous: slotEntry(tp(21), iso(-60)) }, WebServicesExternal: assigned(tp(21), iso(-10)) } }),
      // assigned a certificate its store does not hold, and nothing else
      server('fe2.contoso.com', { assignments: { Default: assigned(tp(99), iso(-10)) } }),
      server('fe3.contoso.com', { certificates: [cert(30, 25)], assignments: { Default: assigned(tp(30), iso(-10)), WebServicesInternal: assigned(tp(30), iso(-10)), WebServicesExternal: assigned(tp(30), iso(-10)) } }),
    ];
    const edge = server('edge.contoso.com', { roles: ['Edge'], certificates: [cert(40, 200)], assignments: { Internal: assigned(tp(40), iso(-10)) } });
    const d = deployment({ pools: [pool('pool01.contoso.com', 'FrontEndEnterprise', servers, { hostsCms: true }), pool('edge.contoso.com', 'Edge', [edge]), pool('empty.contoso.com', 'FrontEndEnterprise', [])] });
    const groups = (l: TimelineLayout) => l.rows.filter((r) => r.kind === 'group' && r.id !== GLOBAL_GROUP).map(({ expanded: _, ...r }) => r);
    const open = layout(d, d.pools.map((p) => `pool:${p.fqdn}`));
    const closed = layout(d, []);
    assert.deepEqual(groups(closed), groups(open));
    assert.equal(closed.totalRows, open.totalRows);
    assert.deepEqual(groups(open).map((g) => g.tone), ['error', 'error', 'ok'], 'gaps now in both pools; an empty pool is fine');
    assert.match(groups(open)[0].summary ?? '', /earliest expiry .* \(cert 12\); \d+ uses without a certificate/);
  });

  it(`opens pools by default only while the deployment has at most ${EXPAND_SERVERS_LIMIT} servers, and stays linear on 12,000`, () => {
    const big = sample({ count: EXPAND_SERVERS_LIMIT + 1 });
    assert.equal(layout(big).rows.find((r) => r.id === 'pool:pool01.contoso.com')?.expanded, false);
    const servers = Array.from({ length: 12_000 }, (_, i) => server(`fe${i}.contoso.com`));
    const huge = deployment({ pools: Array.from({ length: 1000 }, (_, p) => pool(`pool${p}.contoso.com`, 'FrontEndEnterprise', servers.slice(p * 12, p * 12 + 12))) });
    const l = timelineLayout(huge, { now: NOW, simulated: false, expiryWarningDays: 45, findings: [] });
    assert.equal(l.rows.length, 1 + 3 + 1000);
    assert.equal(l.totalRows, 4 + 1000 + 36_000);
  });

  it('escapes control and bidi characters in certificate names', () => {
    const d = sample();
    d.cms.certificates[0] = { ...d.cms.certificates[0], friendlyName: 'evil\u202Ename\n' };
    const bar = layout(d).rows.find((r) => r.id === 'global:current')!.bars[0];
    assert.doesNotMatch(bar.label, /[\u202E\n]/);
  });
});

describe('timeline layout on large deployments: cache, first rows, steps', () => {
  it('a layout with the cache equals one computed fresh after every step of random operation sequences, and so do its first rows', () => {
    const next = random(1717);
    let reused = 0;
    let computed = 0;
    for (let sequence = 0; sequence < 4; sequence++) {
      // 72 servers in 6 pools: more than EXPAND_SERVERS_LIMIT, so pools start closed and their rows are summaries.
      let state: Deployment = { ...largeDeployment(72), simulatedNow: '2026-01-01T00:00:00.000Z' };
      const cache = new TimelineCache();
      const rules = new IncrementalRules();
      for (let step = 0; step < 30; step++) {
        const outcome = runOperation(state, randomRequest(state, next), clockFor(state));
        if (outcome.ok) state = outcome.state;
        const now = clockFor(state).now();
        const warn = next() < 0.9 ? 45 : 400;
        const pools = state.pools.map((p) => `pool:${p.fqdn}`);
        const expanded = next() < 0.3 ? [GLOBAL_GROUP, pools[Math.floor(next() * pools.length)]] : undefined;
        const options: TimelineOptions = { now, simulated: true, expiryWarningDays: warn, expanded, findings: rules.evaluate(state, now, { expiryWarningDays: warn }) };
        // Fresh: no cache, and findings evaluated from scratch (new objects, as after a reload).
        const fresh = timelineLayout(state, { ...options, findings: evaluateRules(state, now, { expiryWarningDays: warn }) });
        const before = cache.computedSummaries;
        const cached = timelineLayout(state, { ...options, cache });
        assert.deepEqual(cached, { ...fresh }, `sequence ${sequence}, step ${step}`);
        const closed = fresh.rows.filter((r) => r.kind === 'group' && r.id !== GLOBAL_GROUP && !r.expanded).length;
        computed += cache.computedSummaries - before;
        reused += closed - (cache.computedSummaries - before);
        assert.equal(fresh.rowCount, fresh.rows.length);
        for (const limit of [1, 5, 9]) {
          const first = timelineLayout(state, { ...options, cache, rowLimit: limit });
          assert.deepEqual(first.rows, fresh.rows.slice(0, limit), `the first ${limit} rows, sequence ${sequence}, step ${step}`);
          assert.equal(first.rowCount, fresh.rows.length);
          assert.equal(first.totalRows, fresh.totalRows);
          assert.deepEqual(first.domain, fresh.domain);
        }
      }
    }
    // A clock change or a global Set changes every pool's inputs; a per-server change only its own pool's.
    assert.ok(reused > computed / 4, `the cache was used (${reused} summaries reused, ${computed} computed)`);
  });

  it('recomputes only the summary of the pool an operation touched', () => {
    const state = largeDeployment(120);
    const now = new Date('2026-01-01T00:00:00Z');
    const cache = new TimelineCache();
    const rules = new IncrementalRules();
    const options = (d: Deployment): TimelineOptions => ({ now, simulated: false, expiryWarningDays: 45, findings: rules.evaluate(d, now, { expiryWarningDays: 45 }), cache });
    timelineLayout(state, options(state));
    assert.equal(cache.computedSummaries, 10, 'ten pools of twelve');
    const server = state.pools[3].servers[5];
    const outcome = runOperation(state, { cmdlet: 'Set-CsCertificate', computer: server.fqdn, type: ['Default'], thumbprint: server.certificates[1].thumbprint }, clockFor(state));
    assert.ok(outcome.ok);
    timelineLayout(outcome.state, options(outcome.state));
    assert.equal(cache.computedSummaries, 11, 'only pool 3 again');
  });

  it('works in steps on 12,000 servers, and builds only the first rows when asked', () => {
    const servers = Array.from({ length: 12_000 }, (_, i) => server(`fe${i}.contoso.com`));
    const huge = deployment({ pools: Array.from({ length: 1000 }, (_, p) => pool(`pool${p}.contoso.com`, 'FrontEndEnterprise', servers.slice(p * 12, p * 12 + 12))) });
    const options: TimelineOptions = { now: NOW, simulated: false, expiryWarningDays: 45, findings: [] };
    const steps = timelineLayoutSteps(huge, options);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    assert.ok(yields >= 20, `the work is cut into steps (${yields})`);
    assert.deepEqual(step.value, timelineLayout(huge, options));
    const first = timelineLayout(huge, { ...options, rowLimit: 100 });
    assert.equal(first.rows.length, 100);
    assert.equal(first.rowCount, 4 + 1000);
    assert.deepEqual(first.rows, step.value.rows.slice(0, 100));
  });
});

describe('OAuth renewal proposal', () => {
  const spare = (over: Parameters<typeof storedCertificate>[2] = {}) => storedCertificate(NOW, tp(2), { friendlyName: 'OAuth 2026', notBefore: new Date(NOW.getTime() - DAY).toISOString(), notAfter: new Date(NOW.getTime() + 700 * DAY).toISOString(), ...over });

  it('proposes a roll at midnight UTC at least 24 hours before the current certificate expires, with every step dated', () => {
    const d = sample({ oauthExpiresInDays: 30, extra: [spare()] });
    const expiry = Date.parse(d.cms.certificates[0].notAfter);
    const p = proposeOAuthRenewal(d, NOW);
    assert.equal(p.situation, 'normal');
    const effective = Date.parse(p.effectiveDate);
    assert.ok(expiry - effective >= 24 * HOUR, 'leads by 24 hours');
    assert.ok(expiry - effective < 48 * HOUR, 'not more than a day earlier than needed');
    assert.equal(new Date(effective).getUTCHours(), 0);
    assert.equal(p.chosen?.thumbprint, tp(2));
    assert.deepEqual(p.request, { cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: tp(2), effectiveDate: p.effectiveDate, roll: true });
    assert.deepEqual(p.steps.map((s) => s.kind), ['obtain', 'roll', 'verify', 'remove-previous']);
    assert.match(p.steps[1].powershell[0], /^Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint 0+2 -EffectiveDate "\d+\/\d+\/2026" -Roll$/);
    assert.equal(Date.parse(p.steps[3].at), expiry, 'remove the previous one once it has expired');
    assert.deepEqual(p.warnings, []);
    assert.equal(p.overlay.bars[0].role, 'proposed');
    assert.ok(p.overlay.markers.some((m) => m.at === effective));
    assert.equal(proposedEffectiveDate(Date.parse('2026-08-01T00:00:00Z'), NOW.getTime()), Date.parse('2026-07-31T00:00:00Z'), 'exactly 24 hours when the expiry is at midnight');
  });

  it('the new certificate not yet valid: the roll waits for its NotBefore and says so', () => {
    const notBefore = new Date(NOW.getTime() + 29.5 * DAY).toISOString();
    const d = sample({ oauthExpiresInDays: 30, extra: [spare({ notBefore })] });
    const p = proposeOAuthRenewal(d, NOW, { thumbprint: tp(2) });
    assert.ok(Date.parse(p.effectiveDate) >= Date.parse(notBefore));
    assert.ok(p.warnings.some((w) => /not valid before/.test(w) && /less than 24 hours/.test(w)), p.warnings.join('\n'));
    assert.ok(p.warnings.some((w) => /24 hours/.test(w) && /recommends/.test(w)), 'the roll\'s own lead-time finding');
    assert.ok(p.request, 'still applicable: the admin weighs the warnings');
  });

  it('expiry in under 24 hours: the roll is staged for the next full hour, with the lost lead named', () => {
    const d = sample({ oauthExpiresInDays: 0.5, extra: [spare()] });
    const p = proposeOAuthRenewal(d, NOW);
    assert.equal(p.situation, 'under-lead');
    assert.equal(p.effectiveDate, '2026-06-15T11:00:00.000Z');
    assert.ok(p.warnings[0].includes('less than 24 hours'));
    assert.equal(p.request?.roll, true);
  });

  it('a roll already staged: the plan follows it, applies nothing, and reports its problems', () => {
    const d = sample({ oauthExpiresInDays: 30, extra: [spare()] });
    const expiry = Date.parse(d.cms.certificates[0].notAfter);
    d.cms.assignments.OAuthTokenIssuer!.pending = slotEntry(tp(2), new Date(expiry - 2 * HOUR).toISOString());
    const p = proposeOAuthRenewal(d, NOW);
    assert.equal(p.situation, 'staged');
    assert.equal(p.request, undefined);
    assert.equal(p.chosen?.thumbprint, tp(2));
    assert.ok(p.warnings.some((w) => /staged already/.test(w)));
    assert.ok(p.warnings.some((w) => /less than 24 hours/.test(w)), 'the staged roll\'s lead-time finding');
    assert.equal(p.overlay.bars.length, 0, 'the staged roll is in the deployment already');
    const other = proposeOAuthRenewal({ ...d, cms: { ...d.cms, certificates: [...d.cms.certificates, spare({ thumbprint: tp(3) })] } }, NOW, { thumbprint: tp(3) });
    assert.equal(other.situation, 'normal', 'choosing another certificate stages a new roll');
    assert.equal(other.request?.thumbprint, tp(3));
  });

  it('no OAuth certificate at all: assign one at once, without a roll; without a fit one, request a new one first', () => {
    const d = sample({ noOAuth: true, extra: [spare()] });
    const p = proposeOAuthRenewal(d, NOW);
    assert.equal(p.situation, 'no-certificate');
    assert.equal(p.request?.roll, undefined);
    assert.equal(p.request?.effectiveDate, undefined);
    assert.ok(!p.steps.some((s) => s.kind === 'remove-previous'));
    const bare = proposeOAuthRenewal(sample({ noOAuth: true, count: 0 }), NOW);
    assert.equal(bare.request, undefined);
    assert.equal(bare.steps[0].kind, 'obtain');
    assert.match(bare.steps[0].powershell[0], /^Request-CsCertificate -New -Type OAuthTokenIssuer -KeySize 2048 -PrivateKeyExportable \$True/);
    assert.ok(bare.warnings.some((w) => /request a new one/.test(w)));
  });

  it('an expired certificate is replaced at once', () => {
    const d = sample({ oauthExpiresInDays: -2, extra: [spare()] });
    const p = proposeOAuthRenewal(d, NOW);
    assert.equal(p.situation, 'expired');
    assert.equal(p.request?.roll, undefined);
  });

  it('judges candidates by the rules: short keys, keys not exportable and certificates expired by then are not fit', () => {
    const d = sample({ oauthExpiresInDays: 30, extra: [spare({ exportable: false })] });
    d.pools[0].servers[0].certificates.push(storedCertificate(NOW, tp(4), { keySize: 1024 }));
    const p = proposeOAuthRenewal(d, NOW, { thumbprint: tp(2) });
    assert.equal(p.chosen?.fit, false);
    assert.ok(p.chosen?.findings.some((f) => f.rule === 'renewal.key-not-exportable'));
    assert.ok(!p.candidates.some((c) => c.thumbprint === tp(4)), 'a 1024-bit key is no candidate');
    const fromServer = proposeOAuthRenewal(sample({ oauthExpiresInDays: 10 }), NOW);
    assert.equal(fromServer.chosen?.holder, 'fe1.contoso.com', 'the Default certificate valid longest, from a Front End\'s store');
    assert.equal(fromServer.request?.computer, 'fe1.contoso.com');
    assert.deepEqual(fromServer.steps.map((s) => s.kind), ['obtain', 'import', 'roll', 'verify', 'remove-previous']);
  });
});

describe('OAuth renewal plan export (as PowerShell)', () => {
  const spare = () => storedCertificate(NOW, tp(2), { friendlyName: 'OAuth 2026', notBefore: new Date(NOW.getTime() - DAY).toISOString(), notAfter: new Date(NOW.getTime() + 700 * DAY).toISOString() });

  async function parsesCleanly(script: string): Promise<void> {
    const parsed = parseScript(await loadParser(), script)!;
    try {
      assert.equal(firstError(parsed.tree.rootNode)?.text, undefined);
    } finally {
      parsed.tree.delete();
    }
  }

  it('writes the roll with its EffectiveDate, replication, the roll taking effect and the removal, each step dated; nothing applied', async () => {
    const d = sample({ oauthExpiresInDays: 30, extra: [spare()] });
    const before = JSON.stringify(d);
    const expiry = new Date(d.cms.certificates[0].notAfter);
    const p = proposeOAuthRenewal(d, NOW);
    const script = await exportRenewalPlanScript(d, p, NOW);
    assert.equal(JSON.stringify(d), before, 'the deployment is not changed');
    await parsesCleanly(script);
    const effective = new Date(p.effectiveDate);
    assert.equal(effective.toISOString(), '2026-07-14T00:00:00.000Z');
    assert.match(script, /^# OAuthTokenIssuer certificate renewal plan, exported by SfB Certificates/);
    assert.match(script, /^Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint 0+2 -EffectiveDate "7\/14\/2026" -Roll -ErrorAction Stop$/m);
    assert.match(script, /^# Step 1 of 4: .*\n# Planned for 6\/15\/2026 10:00:00 AM \(UTC\)\./m);
    assert.match(script, /^Invoke-CsManagementStoreReplication -ErrorAction Stop$/m);
    assert.match(script, /^# Step 3 of 4: OAuthTokenIssuer roll took effect .*\n# Planned for 7\/14\/2026 12:00:00 AM \(UTC\)\.\n# Not a cmdlet/m);
    assert.match(script, /^# Step 4 of 4: .*\n# Planned for 7\/15\/2026 10:00:00 AM \(UTC\)\.\nif \(\[DateTimeOffset\]::UtcNow -lt \[DateTimeOffset\]::Parse\("2026-07-15T10:00:00\.000Z"\)\) \{ throw "Step 4 of 4 is planned for 7\/15\/2026 10:00:00 AM \(UTC\)\. Steps 1–3 are done/m);
    assert.equal(expiry.toISOString(), '2026-07-15T10:00:00.000Z');
    assert.match(script, /^Remove-CsCertificate -Identity global -Type OAuthTokenIssuer -Previous -ErrorAction Stop$/m);
    assert.equal((script.match(/\[DateTimeOffset\]::UtcNow/g) ?? []).length, 1, 'only the later step waits for its date');
  });

  it('no certificate assigned: one assignment now, no roll and no removal; nothing fit: refused with what to do', async () => {
    const d = sample({ noOAuth: true, extra: [spare()] });
    const script = await exportRenewalPlanScript(d, proposeOAuthRenewal(d, NOW), NOW);
    await parsesCleanly(script);
    assert.match(script, /^Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint 0+2 -ErrorAction Stop$/m);
    assert.doesNotMatch(script, /-Roll|Remove-CsCertificate|DateTimeOffset/);
    const bare = sample({ noOAuth: true, count: 0 });
    await assert.rejects(exportRenewalPlanScript(bare, proposeOAuthRenewal(bare, NOW), NOW), (e: unknown) => e instanceof ExpectedError && e.error.code === 'renewal-nothing' && /Request-CsCertificate -New/.test(e.error.fix ?? ''));
  });
});
