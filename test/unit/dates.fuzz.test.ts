// Fuzz: impossible dates (#11 class 7). Random calendar fields, some out of range, written as ISO 8601 and as US-style
// dates, must be read exactly when they name a real instant and refused (invalid-date, with a fix) otherwise. The
// oracle is independent of the reader: Date.UTC rolls an impossible date over, so a date is real when every field is in
// range and Date.UTC gives the same day back. Fixed seed in CI; SFB_FUZZ_LONG=1 runs many more.
import * as assert from 'node:assert/strict';
import { parseEffectiveDate } from '../../src/core/clock';
import { FUZZ_LONG, random } from '../fixtures/fuzz';

const SEED = 0x0da7e5;
const CASES = FUZZ_LONG ? 200_000 : 4_000;

interface Fields { year: number; month: number; day: number; hour: number; minute: number; second: number }

/** The instant the fields name, or undefined when they name none. */
function oracle(f: Fields): number | undefined {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.hour > 23 || f.minute > 59 || f.second > 59) return undefined;
  const t = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  const back = new Date(t);
  return back.getUTCMonth() === f.month - 1 && back.getUTCDate() === f.day ? t : undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function iso(f: Fields): string {
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}Z`;
}

/** The cmdlet's US style with a 12-hour clock, as Get-CsCertificate prints it ("7/22/2015 6:00:00 AM"). */
function us(f: Fields): string {
  const twelve = f.hour % 12 === 0 ? 12 : f.hour % 12;
  const hour = f.hour > 23 ? f.hour : twelve; // an hour past 23 stays as typed: it must be refused
  return `${f.month}/${f.day}/${f.year} ${hour}:${pad(f.minute)}:${pad(f.second)} ${f.hour >= 12 && f.hour <= 23 ? 'PM' : 'AM'}`;
}

describe('impossible dates: fuzz', function () {
  this.timeout(300_000); // a hang guard, not a speed target

  it(`reads ${CASES} random dates, ISO 8601 and US style, exactly when they exist and refuses the rest`, () => {
    const next = random(SEED);
    const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
    let refused = 0;
    for (let i = 0; i < CASES; i++) {
      // Mostly near the edges: months 0–13, days 0–32, hours 0–24, minutes and seconds 0–60, leap and century years.
      const f: Fields = {
        year: [2000, 2100, 2024, 2030, 1900, 2400][int(0, 5)] + (next() < 0.5 ? 0 : int(0, 40)),
        month: int(0, 13), day: next() < 0.5 ? int(27, 32) : int(0, 32), hour: int(0, 24), minute: next() < 0.9 ? int(0, 59) : 60, second: next() < 0.9 ? int(0, 59) : 60,
      };
      const expected = oracle(f);
      for (const text of [iso(f), us(f)]) {
        const parsed = parseEffectiveDate(text);
        if (expected === undefined) {
          assert.equal(parsed.ok, false, `${text} does not exist but was read as ${parsed.ok ? parsed.date.toISOString() : ''}`);
          if (!parsed.ok) {
            assert.equal(parsed.error.code, 'invalid-date', text);
            assert.ok(parsed.error.fix, `${text}: no fix`);
          }
          refused++;
        } else {
          assert.ok(parsed.ok, `${text} exists but was refused: ${parsed.ok ? '' : parsed.error.message}`);
          if (parsed.ok) assert.equal(parsed.date.getTime(), expected, text);
        }
      }
    }
    assert.ok(refused > CASES / 4 && refused < CASES * 1.75, `the generator should make both kinds (${refused} refused)`);
  });
});
