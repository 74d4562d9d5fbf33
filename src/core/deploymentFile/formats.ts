// The string rules of the deployment file: each format's check and its JSON Schema form, side by side so the loader
// and the editor's schema cannot disagree (schema.test.ts tries good and bad samples of each against both).
//
// The values a file holds by the hundred thousand (thumbprints, dates, serial numbers, OIDs, certificates) are checked
// character by character: a regular expression costs several times more per value.

import { daysInMonth, parseIsoDateTime } from '../calendar';
import { FQDN_PATTERN, isFqdn } from '../topology';

/** How a string is checked (a code, not a callback, so the JSON Schema can be generated from it). */
export type StringFormat = 'any' | 'non-empty' | 'dns-name' | 'date-time' | 'thumbprint' | 'hex' | 'oid' | 'der-base64';

// The DNS-name rule is the model's FQDN rule (topology.ts, its one home).
const DNS_NAME_PATTERN = FQDN_PATTERN;
// RFC 3339, as JSON Schema's "date-time" (the editor's check) reads it.

/** What the JSON Schema says for each format (the editor's check of the same rule). */
export const FORMAT_SCHEMA: Readonly<Record<StringFormat, { pattern?: string; format?: string }>> = {
  any: {},
  'non-empty': { pattern: '\\S' },
  'dns-name': { pattern: DNS_NAME_PATTERN },
  'date-time': { format: 'date-time' },
  thumbprint: { pattern: '^[0-9A-F]{40}$' },
  hex: { pattern: '^[0-9A-F]+$' },
  oid: { pattern: '^\\d+(?:\\.\\d+)+$' },
  'der-base64': { pattern: '^MI[A-Za-z0-9+/]+={0,2}$' },
};

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isUpperHex(v: string, length?: number): boolean {
  if (v.length === 0 || (length !== undefined && v.length !== length)) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!(isDigit(c) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** The two digits at `at` as a number, or -1. */
function twoDigits(v: string, at: number): number {
  const a = v.charCodeAt(at) - 48;
  const b = v.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Date.toISOString's form "2025-03-01T08:00:00.000Z", which nearly every date in a file has; other ISO 8601 forms go the slow way. */
function isCanonicalIso(v: string): boolean {
  if (v.length !== 24 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58
    || v.charCodeAt(16) !== 58 || v.charCodeAt(19) !== 46 || v.charCodeAt(23) !== 90) return false;
  const month = twoDigits(v, 5);
  const day = twoDigits(v, 8);
  const hour = twoDigits(v, 11);
  const minute = twoDigits(v, 14);
  const second = twoDigits(v, 17);
  const century = twoDigits(v, 0);
  const year = twoDigits(v, 2);
  return century >= 0 && year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(century * 100 + year, month) && hour >= 0 && hour <= 23
    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && twoDigits(v, 20) >= 0 && isDigit(v.charCodeAt(22));
}

export function isIsoDateTime(v: string): boolean {
  return isCanonicalIso(v) || parseIsoDateTime(v) !== undefined;
}

function isOid(v: string): boolean {
  let dots = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 46) {
      if (i === 0 || i === v.length - 1 || v.charCodeAt(i - 1) === 46) return false;
      dots++;
    } else if (!isDigit(c)) return false;
  }
  return dots > 0;
}

function isBase64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 47 && c <= 57) || c === 43;
}

/**
 * A DER certificate is a SEQUENCE with a long-form length, so its base64 starts with "MI". Checking every character
 * of 50,000 certificates would cost more than parsing the file; the length, the start and the end catch what goes
 * wrong in practice (PEM armour, hex, truncation). The certificate is decoded in full when it is used; whether the
 * DER is a certificate rather than a private key is the private-key guard's question (privateKeys.ts).
 */
function looksLikeDerBase64(v: string): boolean {
  if (v.length < 16 || v.length % 4 !== 0 || v.charCodeAt(0) !== 77 || v.charCodeAt(1) !== 73) return false;
  for (let i = 2; i < 16; i++) if (!isBase64Char(v.charCodeAt(i))) return false;
  const last = v.charCodeAt(v.length - 1);
  const beforeLast = v.charCodeAt(v.length - 2);
  return (isBase64Char(last) || last === 61) && (isBase64Char(beforeLast) || (beforeLast === 61 && last === 61));
}

const isAny = (): boolean => true;
const isNonEmpty = (v: string): boolean => v.trim().length > 0;
const isDnsName = (v: string): boolean => isFqdn(v);
const isThumbprint = (v: string): boolean => isUpperHex(v, 40);
const isHex = (v: string): boolean => isUpperHex(v);

/** The check of each format. */
export const FORMAT_CHECK: Readonly<Record<StringFormat, (v: string) => boolean>> = {
  any: isAny,
  'non-empty': isNonEmpty,
  'dns-name': isDnsName,
  'date-time': isIsoDateTime,
  thumbprint: isThumbprint,
  hex: isHex,
  oid: isOid,
  'der-base64': looksLikeDerBase64,
};
