// Time in the model: the real clock or a simulated "now" (Deployment.simulatedNow), reading -EffectiveDate
// values, and applying staged rolls whose effective date has come.
//
// Model choice: the cmdlets read a date without a zone in the server's local time and regional format [S1][S8].
// The model has no server time zone, so a date or time without a zone is read as UTC, and every date the model
// shows is UTC. An ISO 8601 value with a zone (Z, +02:00) keeps its zone.
import { impossibleDate, parseIsoDateTime, utcTime } from './calendar';
import { failure, type Result } from './errors';
import type { CertUse, Clock, Deployment, Pool } from './model';
import { mapServers, updateSlot } from './replication';

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at `at` (a Date, or an ISO 8601 date-time with a zone; anything else is a bug in the caller). */
export function fixedClock(at: Date | string): Clock {
  const date = typeof at === 'string' ? parseIsoDateTime(at) : at;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`fixedClock: ${String(at)} is not a valid ISO 8601 date-time with a zone.`);
  const time = date.getTime();
  return { now: () => new Date(time) };
}

/** The deployment's simulated now when it has one, else the real clock. */
export function clockFor(state: Deployment, real: Clock = systemClock): Clock {
  return state.simulatedNow ? fixedClock(state.simulatedNow) : real;
}

// ---------------------------------------------------------------------------------------------
// Parsing -EffectiveDate
// ---------------------------------------------------------------------------------------------

export type ParsedDate = Result<{ date: Date; notes: string[] }>;

export const UTC_NOTE = 'No time zone was given, so the time is read as UTC (the model\'s rule; the real cmdlet reads it in the server\'s local time).';

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const FORMATS_HELP = 'Write it the way the cmdlet takes it on an en-US server — 7/1/2015, 7/22/2015 6:00:00 AM or 7/31/2012 8:00 AM — or as ISO 8601, e.g. 2015-07-01T06:00:00Z.';

function invalid(text: string, why: string): ParsedDate {
  return failure('invalid-date', `"${text}" is not a date the model can read: ${why}`, FORMATS_HELP);
}

/** Reads an -EffectiveDate: US style (month first) or ISO 8601. Anything else is a clear error. */
export function parseEffectiveDate(input: string): ParsedDate {
  const text = input.trim().replace(/^"(.*)"$/, '$1').trim();
  if (!text) return invalid(input, 'it is empty.');
  const us = US_DATE.exec(text);
  if (us) return fromUs(text, us);
  const iso = ISO_DATE.exec(text);
  if (iso) return fromIso(text, iso);
  return invalid(text, 'it is neither a US-style date (month/day/year) nor ISO 8601.');
}

function fromUs(text: string, m: RegExpExecArray): ParsedDate {
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month > 12 && day <= 12) {
    return invalid(text, `dates are read month first, as on an en-US server. Did you mean ${day}/${month}/${year}?`);
  }
  const meridiem = m[7]?.toUpperCase();
  let hour = m[4] === undefined ? 0 : Number(m[4]);
  const [minute, second] = [Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (meridiem) {
    if (hour < 1 || hour > 12) return invalid(text, `${hour} is not an hour on a 12-hour clock (1–12 with AM/PM).`);
    hour = (hour % 12) + (meridiem === 'P' ? 12 : 0);
  }
  return build(text, year, month, day, hour, minute, second, 0, undefined);
}

function fromIso(text: string, m: RegExpExecArray): ParsedDate {
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  return build(text, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms, m[8]);
}

function build(text: string, year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, zone: string | undefined): ParsedDate {
  const impossible = impossibleDate(year, month, day, hour, minute, second);
  if (impossible) return invalid(text, `${impossible}.`);
  let time = utcTime(year, month, day, hour, minute, second, ms);
  const notes: string[] = [];
  if (zone === undefined) notes.push(UTC_NOTE);
  else if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    if (offsetMinutes > 14 * 60 || Number(digits.slice(2)) > 59) return invalid(text, `${zone} is not a time zone offset.`);
    time -= sign * offsetMinutes * 60000;
  }
  return { ok: true, date: new Date(time), notes };
}

// ---------------------------------------------------------------------------------------------
// Rolls
// ---------------------------------------------------------------------------------------------

export interface AppliedRoll {
  use: CertUse;
  /** The server whose local slot rolled; undefined for the CMS (global) slot. */
  serverFqdn?: string;
  thumbprint: string;
  previousThumbprint?: string;
  effectiveDate: string;
}

/**
 * Applies every pending roll whose effective date is at or before `now`, in the CMS's global slots and in each
 * server's local slots (a Front End holds the replicated copy of the global roll and rolls it itself). Returns
 * the same state object when nothing was due.
 */
export function applyDueRolls(state: Deployment, now: Date): { state: Deployment; applied: AppliedRoll[] } {
  const limit = now.getTime();
  const applied: AppliedRoll[] = [];
  const rollAll = (assignments: Deployment['cms']['assignments'], serverFqdn: string | undefined) => {
    let out = assignments;
    for (const use in assignments) {
      const slot = assignments[use as CertUse];
      if (!slot?.pending || Date.parse(slot.pending.effectiveDate) > limit) continue;
      applied.push({ use: use as CertUse, serverFqdn, thumbprint: slot.pending.thumbprint, previousThumbprint: slot.current?.thumbprint, effectiveDate: slot.pending.effectiveDate });
      out = updateSlot(out, use as CertUse, { kind: 'roll' });
    }
    return out;
  };
  const cmsAssignments = rollAll(state.cms.assignments, undefined);
  let next = cmsAssignments === state.cms.assignments ? state : { ...state, cms: { ...state.cms, assignments: cmsAssignments } };
  next = mapServers(next, (server) => {
    const assignments = rollAll(server.assignments, server.fqdn);
    return assignments === server.assignments ? server : { ...server, assignments };
  }, (pool) => !(earliestPending(pool) > limit));
  return { state: next, applied };
}

/**
 * The earliest effective date (ms) of a roll staged on any server of the pool; Infinity when none, NaN when a date
 * does not parse (such a roll is treated as due). Every operation applies the due rolls twice, and on 12,000
 * servers a walk over all of them each time was most of a long script's dry run: a pool's servers are only walked
 * when one of its rolls is due. Remembered per pool object (a deployment state shares the pools an operation did not
 * touch with the state before it).
 */
function earliestPending(pool: Pool): number {
  let earliest = EARLIEST_PENDING.get(pool);
  if (earliest === undefined) {
    earliest = Infinity;
    for (const server of pool.servers) {
      for (const use in server.assignments) {
        const pending = server.assignments[use as CertUse]?.pending;
        if (pending) earliest = Math.min(earliest, Date.parse(pending.effectiveDate));
      }
    }
    EARLIEST_PENDING.set(pool, earliest);
  }
  return earliest;
}

const EARLIEST_PENDING = new WeakMap<Pool, number>();
