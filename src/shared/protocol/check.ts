// What every webview message parser shares: the result type, the checks of one field (plain object, only the known
// keys, one of a list, text within a length and without control characters, host name, thumbprint) and the one
// way a failed check becomes a reason. No DOM and no 'vscode': both sides of each webview and the unit tests import it.

// The FQDN rule is the model's own; it comes from the pure leaf module that holds it, not from the core's public
// entry, because the webviews bundle this file and must not pull in the rest of the core (node:crypto and all).
import { isFqdn } from '../../core/topology';

export { isFqdn };

export const MAX_FQDN_LENGTH = 253;

export const MAX_PATH_LENGTH = 4096;

export const MAX_PASSWORD_LENGTH = 1024;

const THUMBPRINT = /^[0-9A-F]{40}$/;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export type Parsed<T> = { ok: true; msg: T } | { ok: false; reason: string };

export class Invalid extends Error {}
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

export function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Invalid(`${what} is not a plain object`);
  return value;
}

/** Only the listed keys may be present. */
export function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length) throw new Invalid(`${what} has unexpected field${extra.length === 1 ? '' : 's'} ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new Invalid(`${what} must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new Invalid(`${what} must be true or false`);
  return value;
}

export function text(value: unknown, what: string, max: number, options: { allowEmpty?: boolean; allowControl?: boolean } = {}): string {
  if (typeof value !== 'string') throw new Invalid(`${what} must be a string`);
  if (value.length > max) throw new Invalid(`${what} is longer than ${max} characters`);
  if (!options.allowEmpty && !value.trim()) throw new Invalid(`${what} is empty`);
  if (!options.allowControl && CONTROL_CHARACTERS.test(value)) throw new Invalid(`${what} contains control characters`);
  return value;
}

export function fqdn(value: unknown, what: string): string {
  const s = text(value, what, MAX_FQDN_LENGTH);
  if (!isFqdn(s)) throw new Invalid(`${what} is not a host name`);
  return s;
}

export function thumbprint(value: unknown, what: string): string {
  if (typeof value !== 'string' || !THUMBPRINT.test(value)) throw new Invalid(`${what} must be 40 uppercase hexadecimal characters`);
  return value;
}

/** Turns a checking function (which throws Invalid) into a parser that answers with the message or the reason. */
export function parsing<T>(check: (value: unknown) => T): (value: unknown) => Parsed<T> {
  return (value) => {
    try {
      return { ok: true, msg: check(value) };
    } catch (e) {
      if (e instanceof Invalid) return { ok: false, reason: e.message };
      throw e;
    }
  };
}
