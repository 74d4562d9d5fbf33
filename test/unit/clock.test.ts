// The model's clock: reading -EffectiveDate values and applying rolls whose date has come.
import * as assert from 'node:assert/strict';
import { UTC_NOTE, applyDueRolls, clockFor, fixedClock, parseEffectiveDate, systemClock } from '../../src/core/clock';
import type { Deployment, Slot } from '../../src/core/model';
import { assigned, deployment, pool, server as buildServer, slotEntry } from '../fixtures/builders';

function parsed(text: string): string {
  const r = parseEffectiveDate(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error.message}`);
  return r.date.toISOString();
}

function rejected(text: string): string {
  const r = parseEffectiveDate(text);
  assert.ok(!r.ok, `${text} should be rejected`);
  assert.equal(r.error.code, 'invalid-date');
  assert.match(r.error.fix ?? '', /7\/1\/2015/);
  return r.error.message;
}

describe('clock', () => {
  describe('parseEffectiveDate', () => {
    it('reads the US style the cmdlets take (month first), as UTC', () => {
      assert.equal(parsed('7/1/2015'), '2015-07-01T00:00:00.000Z');
      assert.equal(parsed('7/22/2015 6:00:00 AM'), '2015-07-22T06:00:00.000Z');
      assert.equal(parsed('7/31/2012 8:00 AM'), '2012-07-31T08:00:00.000Z');
      assert.equal(parsed('7/21/2015 1:00:00 PM'), '2015-07-21T13:00:00.000Z');
      assert.equal(parsed('12/28/2015 12:00:00 AM'), '2015-12-28T00:00:00.000Z');
      assert.equal(parsed('12/28/2015 12:30 PM'), '2015-12-28T12:30:00.000Z');
      assert.equal(parsed('7/22/2015 18:15'), '2015-07-22T18:15:00.000Z');
      assert.equal(parsed(' "7/1/2015" '), '2015-07-01T00:00:00.000Z', 'quotes copied from a PowerShell line are accepted');
    });

    it('says that a time without a zone is read as UTC', () => {
      const r = parseEffectiveDate('7/1/2015');
      assert.ok(r.ok);
      assert.deepEqual(r.notes, [UTC_NOTE]);
      assert.match(UTC_NOTE, /UTC/);
    });

    it('reads ISO 8601, keeping an explicit zone', () => {
      assert.equal(parsed('2015-07-01'), '2015-07-01T00:00:00.000Z');
      assert.equal(parsed('2015-07-01T06:00:00Z'), '2015-07-01T06:00:00.000Z');
      assert.equal(parsed('2015-07-01T08:00:00+02:00'), '2015-07-01T06:00:00.000Z');
      assert.equal(parsed('2015-07-01T01:00-0500'), '2015-07-01T06:00:00.000Z');
      assert.equal(parsed('2015-07-01T06:00:00.250Z'), '2015-07-01T06:00:00.250Z');
      const r = parseEffectiveDate('2015-07-01T06:00:00Z');
      assert.ok(r.ok);
      assert.deepEqual(r.notes, []);
    });

    it('refuses anything else with a clear error', () => {
      assert.match(rejected('next Tuesday'), /neither a US-style date/);
      assert.match(rejected(''), /empty/);
      assert.match(rejected('22/7/2015'), /month first.*Did you mean 7\/22\/2015\?/);
      assert.match(rejected('2/30/2015'), /no day 30/);
      assert.match(rejected('2/29/2015'), /no day 29/);
      assert.equal(parsed('2/29/2016'), '2016-02-29T00:00:00.000Z');
      assert.match(rejected('13/13/2015'), /no month 13/);
      assert.match(rejected('7/1/2015 13:00 PM'), /12-hour clock/);
      assert.match(rejected('7/1/2015 24:00'), /there is no hour 24/);
      rejected('7/1/15');
      rejected('2015-07-01T06:00:00+25:00');
    });
  });

  describe('clocks', () => {
    it('uses the deployment\'s simulated now when it has one, else the real clock', () => {
      const real = fixedClock('2030-01-01T00:00:00Z');
      assert.equal(clockFor({ simulatedNow: '2015-07-01T00:00:00.000Z' } as Deployment, real).now().toISOString(), '2015-07-01T00:00:00.000Z');
      assert.equal(clockFor({} as Deployment, real).now().toISOString(), '2030-01-01T00:00:00.000Z');
      const before = Date.now();
      assert.ok(systemClock.now().getTime() >= before);
    });
  });

  describe('applyDueRolls', () => {
    const entry = slotEntry;
    const rolling: Slot = { current: entry('OLD', '2015-01-01T00:00:00.000Z'), previous: entry('OLDER', '2014-01-01T00:00:00.000Z'), pending: entry('NEW', '2015-07-01T00:00:00.000Z') };
    const server = (fqdn: string, slot: Slot) =>
      buildServer(fqdn, { assignments: { OAuthTokenIssuer: slot, Default: assigned('DEF', '2015-01-01T00:00:00.000Z') }, replica: { appliedVersion: 2, unreachable: false, productVersion: '7.0.2046.0' } });
    const state = (): Deployment => deployment({
      name: 'roll',
      pools: [pool('pool01.contoso.com', 'FrontEndEnterprise', [server('fe01.contoso.com', rolling), server('fe02.contoso.com', assigned('OLD', '2015-01-01T00:00:00.000Z'))], { siteId: 's', hostsCms: true })],
      cms: { version: 2, versionCreated: '2015-06-01T00:00:00.000Z', certificates: [], assignments: { OAuthTokenIssuer: rolling } },
    });

    it('leaves everything as it is before the effective date (same object)', () => {
      const d = state();
      const r = applyDueRolls(d, new Date('2015-06-30T23:59:59Z'));
      assert.equal(r.state, d);
      assert.deepEqual(r.applied, []);
    });

    it('at the effective date makes pending current and current previous, in the CMS and on each server holding the roll', () => {
      const d = state();
      const snapshot = JSON.stringify(d);
      const r = applyDueRolls(d, new Date('2015-07-01T00:00:00Z'));
      assert.equal(JSON.stringify(d), snapshot, 'input not mutated');
      const expected: Slot = { current: entry('NEW', '2015-07-01T00:00:00.000Z'), previous: entry('OLD', '2015-01-01T00:00:00.000Z') };
      assert.deepEqual(r.state.cms.assignments.OAuthTokenIssuer, expected);
      assert.deepEqual(r.state.pools[0].servers[0].assignments.OAuthTokenIssuer, expected);
      assert.equal(r.state.pools[0].servers[1], d.pools[0].servers[1], 'a server without a roll is shared, not copied');
      assert.equal(r.state.pools[0].servers[0].assignments.Default, d.pools[0].servers[0].assignments.Default);
      assert.deepEqual(r.applied.map((a) => [a.use, a.serverFqdn, a.thumbprint, a.previousThumbprint]), [
        ['OAuthTokenIssuer', undefined, 'NEW', 'OLD'],
        ['OAuthTokenIssuer', 'fe01.contoso.com', 'NEW', 'OLD'],
      ]);
    });
  });
});
