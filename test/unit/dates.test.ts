// Impossible dates are refused wherever a date is read: -EffectiveDate and the simulated date as typed (US style or
// ISO 8601), and every date in the deployment file (its simulated date among them). JavaScript's Date would roll
// them over silently: 2030-02-31 to 3 March, T24:00:00 to the next day, year 0099 to 1999.
import * as assert from 'node:assert/strict';
import { daysInMonth, parseIsoDateTime } from '../../src/core/calendar';
import { fixedClock, parseEffectiveDate } from '../../src/core/clock';
import { createEmptyDeployment } from '../../src/core/newDeployment';
import { setSimulatedNow } from '../../src/core/operations';
import { parseDeployment, serializeDeployment } from '../../src/core/deploymentFile';

const IMPOSSIBLE: [string, RegExp][] = [
  ['2030-02-31', /2\/2030 has no day 31/],
  ['2030-02-29', /2\/2030 has no day 29 \(2030 is not a leap year\)/],
  ['2100-02-29T00:00:00Z', /2100 is not a leap year/],
  ['2030-04-31T12:00:00Z', /4\/2030 has no day 31/],
  ['2030-00-10', /there is no month 0/],
  ['2030-13-01', /there is no month 13/],
  ['2030-01-00', /has no day 0/],
  ['2030-01-01T24:00:00', /there is no hour 24/],
  ['2030-01-01T24:00:00Z', /there is no hour 24/],
  ['2030-01-01T23:60:00Z', /there is no minute 60/],
  ['2030-01-01T23:59:60Z', /there is no second 60/],
  ['2030-01-01T12:00:00+01:75', /is not a time zone offset/],
  ['2030-01-01T12:00:00+15:00', /is not a time zone offset/],
  ['2/31/2030', /2\/2030 has no day 31/],
  ['2/29/2030 6:00 AM', /2030 is not a leap year/],
  ['6/31/2030', /6\/2030 has no day 31/],
  ['1/1/2030 24:00', /there is no hour 24/],
  ['1/1/2030 13:00 PM', /13 is not an hour on a 12-hour clock/],
  ['1/1/2030 0:00 AM', /0 is not an hour on a 12-hour clock/],
  ['1/1/2030 10:61', /there is no minute 61/],
];

describe('impossible dates', () => {
  describe('-EffectiveDate and the simulated date as typed', () => {
    for (const [text, why] of IMPOSSIBLE) {
      it(`refuses ${text}`, () => {
        const parsed = parseEffectiveDate(text);
        assert.equal(parsed.ok, false, `${text} was read as ${parsed.ok ? parsed.date.toISOString() : ''}`);
        if (parsed.ok) return;
        assert.equal(parsed.error.code, 'invalid-date');
        assert.match(parsed.error.message, why);
        assert.ok(parsed.error.fix);
      });
    }

    it('reads the dates next to them', () => {
      const read = (t: string) => { const p = parseEffectiveDate(t); assert.ok(p.ok, t); return p.date.toISOString(); };
      assert.equal(read('2032-02-29'), '2032-02-29T00:00:00.000Z');
      assert.equal(read('2000-02-29T23:59:59Z'), '2000-02-29T23:59:59.000Z');
      assert.equal(read('2/28/2030 11:59:59 PM'), '2030-02-28T23:59:59.000Z');
      assert.equal(read('12/31/2030 12:00 AM'), '2030-12-31T00:00:00.000Z');
      assert.equal(read('2030-01-01T00:00:00+14:00'), '2029-12-31T10:00:00.000Z');
      assert.equal(read('2030-01-01T00:00:00-05:30'), '2030-01-01T05:30:00.000Z');
    });

    it('reads years before 100 as written, not as 19xx', () => {
      const parsed = parseEffectiveDate('0099-03-01T00:00:00Z');
      assert.ok(parsed.ok);
      assert.equal(parsed.date.getUTCFullYear(), 99);
    });

    it('Set Simulated Date refuses them and leaves the deployment as it was', () => {
      const d = createEmptyDeployment('contoso.com', new Date('2026-03-01T00:00:00Z'));
      for (const text of ['2030-02-31', '2030-01-01T24:00:00Z', '2/30/2030']) {
        const outcome = setSimulatedNow(d, text, fixedClock('2026-03-01T00:00:00Z'));
        assert.equal(outcome.ok, false, text);
        if (!outcome.ok) assert.match(outcome.error.message, new RegExp(`"${text.replace(/[/.]/g, '\\$&')}" is not a date the model can read`));
      }
    });
  });

  describe('in the deployment file', () => {
    const base = serializeDeployment({ ...createEmptyDeployment('contoso.com', new Date('2026-03-01T00:00:00Z')), simulatedNow: '2026-04-01T00:00:00.000Z' });

    for (const bad of ['2030-02-31T00:00:00.000Z', '2030-02-29T00:00:00.000Z', '2030-01-01T24:00:00.000Z', '2030-02-31T00:00:00Z', '2030-01-01T24:00:00Z', '2030-06-31T10:00:00+02:00', '2030-01-01T10:00:00+02:75']) {
      it(`refuses the simulated date ${bad}`, () => {
        const loaded = parseDeployment(base.replace('2026-04-01T00:00:00.000Z', bad));
        assert.equal(loaded.ok, false, `${bad} was loaded`);
        if (loaded.ok) return;
        assert.match(loaded.errors.map((e) => e.message).join('\n'), /a date and time that exists \(no 31 February, no 24:00\)/);
      });
    }

    it('refuses an impossible date anywhere else in it (the CMS version date)', () => {
      const text = base.replace(/"versionCreated": "[^"]+"/, '"versionCreated": "2026-02-30T00:00:00.000Z"');
      assert.notEqual(text, base);
      assert.equal(parseDeployment(text).ok, false);
    });

    it('loads the possible dates next to them', () => {
      for (const good of ['2032-02-29T00:00:00.000Z', '2030-01-01T23:59:59.999Z', '2030-06-30T10:00:00+02:00', '2030-01-01T00:00:00.5Z']) {
        assert.ok(parseDeployment(base.replace('2026-04-01T00:00:00.000Z', good)).ok, good);
      }
    });
  });

  describe('the calendar', () => {
    it('knows the days of each month, leap years by the Gregorian rule', () => {
      assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2030, m)), [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
      assert.deepEqual([1900, 2000, 2024, 2100, 2400].map((y) => daysInMonth(y, 2)), [28, 29, 29, 28, 29]);
      assert.equal(daysInMonth(2030, 13), 0);
    });

    it('reads only complete ISO 8601 date-times with a zone', () => {
      for (const bad of ['2030-01-01', '2030-01-01T10:00Z', '2030-01-01T10:00:00', '2030-1-01T10:00:00Z', ' 2030-01-01T10:00:00Z', '2030-01-01T10:00:00z']) {
        assert.equal(parseIsoDateTime(bad), undefined, bad);
      }
      assert.equal(parseIsoDateTime('2030-01-01T10:00:00.123456789+01:00')?.toISOString(), '2030-01-01T09:00:00.123Z');
    });

    it('a fixed clock refuses an impossible date (a bug in the caller)', () => {
      assert.throws(() => fixedClock('2030-02-31T00:00:00Z'), /not a valid ISO 8601 date-time/);
      assert.throws(() => fixedClock(new Date(Number.NaN)), /not a valid/);
    });
  });
});
