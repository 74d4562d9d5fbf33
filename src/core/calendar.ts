// The calendar facts every date reader shares: how many days a month has, and what a valid ISO 8601 date-time is.
// JavaScript's Date rolls impossible dates over (2030-02-31 becomes 3 March; T24:00:00 the next day) and reads
// years 0–99 as 1900–1999; nothing here relies on it to validate. No imports: the store file's validator, the
// clock and the CLI all use it.

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year` (proleptic Gregorian); 0 for a month that does not exist. */
export function daysInMonth(year: number, month: number): number {
  if (month < 1 || month > 12) return 0;
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Milliseconds since 1970 for a calendar date and time in UTC, for any four-digit year (Date.UTC maps 0–99 to 19xx). */
export function utcTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year);
  return date.getTime();
}

/** Why a calendar date and time of day cannot be, or undefined when it can. */
export function impossibleDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): string | undefined {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day < 1 || day > daysInMonth(year, month)) return `${month}/${year} has no day ${day}${month === 2 && day === 29 ? ` (${year} is not a leap year)` : ''}`;
  if (hour > 23) return `there is no hour ${hour} (hours run from 0 to 23; midnight at the end of a day is 0:00 of the next)`;
  if (minute > 59) return `there is no minute ${minute}`;
  if (second > 59) return `there is no second ${second}`;
  return undefined;
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * A complete ISO 8601 date-time with seconds and a zone (2025-03-01T08:00:00.000Z, 2025-03-01T10:00:00+02:00), as
 * the deployment file stores dates; undefined for anything else, including impossible dates and zone offsets.
 */
export function parseIsoDateTime(text: string): Date | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (impossibleDate(year, month, day, hour, minute, second)) return undefined;
  let time = utcTime(year, month, day, hour, minute, second, m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0);
  if (m[8] !== 'Z') {
    const [offsetHours, offsetMinutes] = [Number(m[9]), Number(m[10])];
    if (offsetHours > 14 || offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60) return undefined;
    time -= (m[8].startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60000;
  }
  return new Date(time);
}

// ---------------------------------------------------------------------------------------------
// The one date format of the UI: the cmdlets' own (en-US, as Get-CsCertificate prints NotAfter), in UTC. Every
// surface (tree, tooltips, prompts, notifications, the wizard, the shell, the rules' messages) writes dates with
// these two functions and nothing else.
// ---------------------------------------------------------------------------------------------

/** "12/28/2015 3:35:41 PM" (UTC), the Format-List style of DateTime values. */
export function formatUsDateTime(date: Date): string {
  const h = date.getUTCHours();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${formatUsDate(date)} ${h % 12 || 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** "12/28/2015" (UTC): the day part of formatUsDateTime, where a day is enough (tree descriptions). */
export function formatUsDate(date: Date): string {
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`;
}
