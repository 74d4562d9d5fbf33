// The deployment store file (sfb-deployment.json): parse + validate (+ migrate), serialize, and an atomic save.
// Pure apart from the small fs-like interface below, so tests can inject failures. A file that cannot be loaded
// (corrupt, invalid, holding secrets, or written by a newer version) is never overwritten: parseDeployment says why,
// the caller keeps it read-only, and saveDeployment refuses to replace it.
//
// Validation is hand-written (no schema library). STORE_SHAPE describes each model type once, typed against
// model.ts so a field added there without a shape here does not compile; it gives the saved key order, the walk that
// reports the first MAX_PROBLEMS problems with their JSON paths, and what the editor's JSON schema is tested against.
// A fast path with direct property reads checks the same rules first, so a sound file (nearly always) is not walked:
// loading a 12,000-server, 50,000-certificate file costs about 1.4 × its JSON.parse (test/bench/store.bench.ts).
import { isAscii } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { CERT_USES } from './cmdlets';
import {
  SCHEMA_VERSION,
  type CentralManagementStore, type Deployment, type ExtendedKeyUsage, type HistoryEntry, type PendingRoll, type Pool, type PoolKind,
  type ReplicaState, type SanType, type Server, type ServerRole, type SipDomain, type Site, type Slot, type SlotEntry,
  type StoredCertificate, type SubjectAltName,
} from './model';
import { serverPath } from './replication';

export const DEFAULT_STORE_FILE = 'sfb-deployment.json';
/** A load reports at most this many problems (the first ones in file order). */
export const MAX_PROBLEMS = 10;

export interface StoreFileProblem {
  /** JSON path of the offending value, e.g. "pools[2].servers[0].fqdn"; '' for the file as a whole. */
  path: string;
  /** What is wrong and what is expected instead, for a person. */
  message: string;
  /** 1-based position in the text, for syntax errors and forbidden private key blocks. */
  line?: number;
  column?: number;
}

export type ParseResult =
  | { ok: true; deployment: Deployment; warnings: string[] }
  | { ok: false; errors: StoreFileProblem[]; readOnlyReason: string };

const READ_ONLY_INVALID =
  'SfB Certificates leaves the file exactly as it is and saves nothing until it loads cleanly: fix the problems listed, or restore the previous version from the .bak copy next to it.';
const READ_ONLY_NEWER =
  'It was written by a newer version of SfB Certificates: update the extension to work with it. This version does not change the file, so nothing in it is lost.';

// ---------------------------------------------------------------------------------------------
// Shapes: what each value of the store file must be
// ---------------------------------------------------------------------------------------------

/** How a string is checked (a code, not a callback: the walk calls each check directly, which keeps it fast). */
export type StringFormat = 'any' | 'non-empty' | 'dns-name' | 'date-time' | 'thumbprint' | 'hex' | 'oid' | 'der-base64';

export type Shape =
  | { kind: 'string'; expect: string; format: StringFormat }
  | { kind: 'integer'; expect: string; min: number }
  | { kind: 'boolean'; expect: string }
  | EnumShape
  | { kind: 'array'; expect: string; items: Shape }
  | ObjectShape
  /** An object keyed by certificate use (Assignments). */
  | { kind: 'map'; expect: string; keys: readonly string[]; keySet: ReadonlySet<string>; values: Shape };

export interface EnumShape {
  kind: 'enum';
  expect: string;
  values: readonly string[];
  set: ReadonlySet<string>;
}

export interface ObjectShape {
  kind: 'object';
  expect: string;
  /** What it is, for messages: "server", "certificate". */
  name: string;
  /** In the model's order, which is also the order the file is written in. */
  keys: readonly string[];
  fields: readonly Field[];
  byKey: ReadonlyMap<string, Field>;
  requiredCount: number;
}

export interface Field {
  shape: Shape;
  optional: boolean;
}
interface Required_ extends Field { optional: false }
interface Optional_ extends Field { optional: true }
/** Every key of T, optional exactly where T's property is optional. */
type Fields<T> = { [K in keyof T]-?: undefined extends T[K] ? Optional_ : Required_ };

const required = (shape: Shape): Required_ => ({ shape, optional: false });
const optional = (shape: Shape): Optional_ => ({ shape, optional: true });

const text = (expect: string, format: StringFormat = 'any'): Shape => ({ kind: 'string', expect, format });
const integer = (min: number): Shape => ({ kind: 'integer', expect: min === 0 ? 'a whole number (0 or more)' : `a whole number (${min} or more)`, min });
const BOOLEAN: Shape = { kind: 'boolean', expect: 'true or false' };

function oneOf(values: readonly string[]): EnumShape {
  return { kind: 'enum', expect: `one of ${values.join(', ')}`, values, set: new Set(values) };
}

/** The members of a string union, checked complete by the compiler. */
function members<T extends string>(all: Record<T, true>): T[] {
  return Object.keys(all) as T[];
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function object<T>(name: string, fields: Fields<T>): ObjectShape {
  const byKey = new Map(Object.entries<Field>(fields));
  return {
    kind: 'object', expect: `${article(name)} object`, name, keys: [...byKey.keys()], fields: [...byKey.values()], byKey,
    requiredCount: [...byKey.values()].filter((f) => !f.optional).length,
  };
}

function list(items: Shape): Shape {
  return { kind: 'array', expect: items.kind === 'object' ? `a list of ${items.name} objects` : `a list of values, each ${items.expect}`, items };
}

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
// SfB allows standard characters only in FQDNs: A–Z, a–z, 0–9 and hyphens (reference §6.1).
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})+$`);
// RFC 3339, as JSON Schema's "date-time" (the editor's check) reads it.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

// The values a store holds by the hundred thousand (thumbprints, dates, serial numbers, OIDs, certificates) are
// checked character by character: a regular expression costs several times more per value.

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpperHex(v: string, length?: number): boolean {
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

/** Date.toISOString's form "2025-03-01T08:00:00.000Z", which nearly every date in a store has; other ISO 8601 forms go the slow way. */
function isCanonicalIso(v: string): boolean {
  if (v.length !== 24 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58
    || v.charCodeAt(16) !== 58 || v.charCodeAt(19) !== 46 || v.charCodeAt(23) !== 90) return false;
  const month = twoDigits(v, 5);
  const day = twoDigits(v, 8);
  const hour = twoDigits(v, 11);
  const minute = twoDigits(v, 14);
  const second = twoDigits(v, 17);
  return twoDigits(v, 0) >= 0 && twoDigits(v, 2) >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23
    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && twoDigits(v, 20) >= 0 && isDigit(v.charCodeAt(22));
}

function isIsoDateTime(v: string): boolean {
  return isCanonicalIso(v) || (ISO_TIME.test(v) && !Number.isNaN(Date.parse(v)));
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
 * wrong in practice (PEM armour, hex, truncation). The certificate is decoded in full when it is used.
 */
function looksLikeDerBase64(v: string): boolean {
  if (v.length < 16 || v.length % 4 !== 0 || v.charCodeAt(0) !== 77 || v.charCodeAt(1) !== 73) return false;
  for (let i = 2; i < 16; i++) if (!isBase64Char(v.charCodeAt(i))) return false;
  const last = v.charCodeAt(v.length - 1);
  const beforeLast = v.charCodeAt(v.length - 2);
  return (isBase64Char(last) || last === 61) && (isBase64Char(beforeLast) || (beforeLast === 61 && last === 61));
}

function formatOk(format: StringFormat, v: string): boolean {
  switch (format) {
    case 'any': return true;
    case 'non-empty': return v.trim().length > 0;
    case 'dns-name': return DNS_NAME.test(v);
    case 'date-time': return isIsoDateTime(v);
    case 'thumbprint': return isUpperHex(v, 40);
    case 'hex': return isUpperHex(v);
    case 'oid': return isOid(v);
    case 'der-base64': return looksLikeDerBase64(v);
  }
}

const FQDN = text('a fully qualified domain name such as "fe01.contoso.com" (letters, digits, hyphens and dots only)', 'dns-name');
const DOMAIN = text('a domain name such as "contoso.com"', 'dns-name');
const ISO_DATE = text('an ISO 8601 date and time with a zone, such as "2025-03-01T08:00:00.000Z"', 'date-time');
const THUMBPRINT_TEXT = text('a thumbprint: 40 hexadecimal characters in upper case, as Windows shows it', 'thumbprint');
const NON_EMPTY = text('a non-empty string', 'non-empty');
const ANY_TEXT = text('a string');

const SAN_TYPES = members<SanType>({ dns: true, ip: true, email: true, uri: true, other: true });
const POOL_KINDS = members<PoolKind>({ FrontEndEnterprise: true, StandardEdition: true, Director: true, Edge: true, Mediation: true });
export const SERVER_ROLES = members<ServerRole>({
  FrontEnd: true, Registrar: true, UserServices: true, Director: true, Edge: true, Mediation: true, WebServices: true, CentralManagement: true,
});
const CERTIFICATE_SOURCES = members<StoredCertificate['source']>({ sample: true, import: true, replication: true, 'mmc-import': true, request: true });
const SITE_KINDS = members<Site['kind']>({ central: true, branch: true });

const SLOT_ENTRY = object<SlotEntry>('slot entry', { thumbprint: required(THUMBPRINT_TEXT), effectiveDate: required(ISO_DATE), updateTime: required(ISO_DATE) });
const PENDING_ROLL = object<PendingRoll>('pending roll', { thumbprint: required(THUMBPRINT_TEXT), effectiveDate: required(ISO_DATE), updateTime: required(ISO_DATE) });
const SLOT = object<Slot>('assignment slot', { current: optional(SLOT_ENTRY), previous: optional(SLOT_ENTRY), pending: optional(PENDING_ROLL) });
const USES = CERT_USES.map((f) => f.use);
const ASSIGNMENTS: Shape = {
  kind: 'map', expect: 'an object keyed by certificate use (-Type), such as { "Default": { "current": … } }', keys: USES, keySet: new Set(USES), values: SLOT,
};

const SAN_TYPE = oneOf(SAN_TYPES);
const ALT_NAME = object<SubjectAltName>('alternative name', { type: required(SAN_TYPE), value: required(ANY_TEXT) });
const EKU = object<ExtendedKeyUsage>('enhanced key usage', { oid: required(text('an object identifier such as "1.3.6.1.5.5.7.3.1"', 'oid')), name: required(ANY_TEXT) });
const SOURCE = oneOf(CERTIFICATE_SOURCES);
const CERTIFICATE = object<StoredCertificate>('certificate', {
  thumbprint: required(THUMBPRINT_TEXT),
  serialNumber: required(text('the serial number in upper-case hexadecimal', 'hex')),
  subject: required(ANY_TEXT),
  issuer: required(ANY_TEXT),
  subjectAlternativeNames: required(list(ALT_NAME)),
  notBefore: required(ISO_DATE),
  notAfter: required(ISO_DATE),
  keyAlgorithm: required(NON_EMPTY),
  keySize: required(integer(0)),
  keyCurve: optional(NON_EMPTY),
  signatureAlgorithm: required(ANY_TEXT),
  enhancedKeyUsages: required(list(EKU)),
  isCA: required(BOOLEAN),
  hasPrivateKey: required(BOOLEAN),
  friendlyName: optional(ANY_TEXT),
  derBase64: required(text('the certificate (DER) in base64, starting "MI"', 'der-base64')),
  exportable: required(BOOLEAN),
  source: required(SOURCE),
  addedAt: required(ISO_DATE),
  sourceFile: optional(NON_EMPTY),
});

const REPLICA = object<ReplicaState>('replica state', {
  appliedVersion: required(integer(0)),
  unreachable: required(BOOLEAN),
  lastStatusReport: optional(ISO_DATE),
  lastUpdateCreation: optional(ISO_DATE),
  productVersion: required(ANY_TEXT),
});
const SETUP = object<Server['setup']>('setup state', { localStoreInstalled: required(BOOLEAN), componentsInstalled: required(BOOLEAN), servicesStarted: required(BOOLEAN) });
const ROLE = oneOf(SERVER_ROLES);
const SERVER = object<Server>('server', {
  fqdn: required(FQDN),
  roles: required(list(ROLE)),
  certificates: required(list(CERTIFICATE)),
  assignments: required(ASSIGNMENTS),
  replica: required(REPLICA),
  setup: required(SETUP),
});

const POOL_KIND = oneOf(POOL_KINDS);
const POOL = object<Pool>('pool', {
  fqdn: required(FQDN),
  siteId: required(NON_EMPTY),
  kind: required(POOL_KIND),
  servers: required(list(SERVER)),
  hostsCms: required(BOOLEAN),
  internalWebFqdn: optional(FQDN),
  externalWebFqdn: optional(FQDN),
});
const SIP_DOMAIN = object<SipDomain>('SIP domain', { name: required(DOMAIN), isDefault: required(BOOLEAN) });
const SITE_KIND = oneOf(SITE_KINDS);
const SITE = object<Site>('site', { id: required(NON_EMPTY), name: required(NON_EMPTY), kind: required(SITE_KIND), city: optional(ANY_TEXT), country: optional(ANY_TEXT) });
const CMS = object<CentralManagementStore>('Central Management store', {
  version: required(integer(1)), versionCreated: required(ISO_DATE), certificates: required(list(CERTIFICATE)), assignments: required(ASSIGNMENTS),
});
const HISTORY_ENTRY = object<HistoryEntry>('history entry', { at: required(ISO_DATE), cmdlet: required(NON_EMPTY), powershell: required(ANY_TEXT), summary: required(ANY_TEXT) });

/** The whole store file. Exported for the tests, which keep schemas/sfb-deployment.schema.json and the fast path in step. */
export const STORE_SHAPE = object<Deployment>('deployment', {
  schemaVersion: required(integer(1)),
  name: required(ANY_TEXT),
  sipDomains: required(list(SIP_DOMAIN)),
  sites: required(list(SITE)),
  pools: required(list(POOL)),
  cms: required(CMS),
  simulatedNow: optional(ISO_DATE),
  history: required(list(HISTORY_ENTRY)),
});

// ---------------------------------------------------------------------------------------------
// The walk
// ---------------------------------------------------------------------------------------------

type Segment = string | number;
/** A parsed JSON object. */
type Document = Record<string, unknown>;

class Walk {
  readonly problems: StoreFileProblem[] = [];
  readonly warnings: string[] = [];
  readonly at: Segment[] = [];

  get full(): boolean {
    return this.problems.length >= MAX_PROBLEMS;
  }

  problem(message: string, at: string = formatPath(this.at)): void {
    if (!this.full) this.problems.push({ path: at, message });
  }
}

/** "pools[0].servers[1].fqdn: expected …" — a problem as one line for a person. */
export function formatProblem(p: StoreFileProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 60 ? `${JSON.stringify(value.slice(0, 57))}…` : JSON.stringify(value);
  return String(value);
}

function mismatch(w: Walk, shape: Shape, value: unknown): void {
  w.problem(`expected ${shape.expect}, found ${describeValue(value)}.`);
}

const SECRET_KEY = /private.?key|password|secret/i;

/** A string, number or boolean shape holds for `value`. */
function scalarOk(shape: Shape, value: unknown): boolean {
  switch (shape.kind) {
    case 'string': return typeof value === 'string' && formatOk(shape.format, value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value) && value >= shape.min;
    case 'boolean': return typeof value === 'boolean';
    case 'enum': return typeof value === 'string' && shape.set.has(value);
    default: return false; // containers are not scalars
  }
}

/** Checks one member (object field, list item, map entry); its path segment is pushed only for a container or a problem. */
function visitMember(shape: Shape, value: unknown, segment: Segment, w: Walk): void {
  if (shape.kind === 'object' || shape.kind === 'array' || shape.kind === 'map') {
    w.at.push(segment);
    if (shape.kind === 'object') visitObject(shape, value, w);
    else if (shape.kind === 'array') visitArray(shape, value, w);
    else visitMap(shape, value, w);
    w.at.pop();
  } else if (!scalarOk(shape, value)) {
    w.at.push(segment);
    mismatch(w, shape, value);
    w.at.pop();
  }
}

function isObject(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function visitArray(shape: Extract<Shape, { kind: 'array' }>, value: unknown, w: Walk): void {
  if (!Array.isArray(value)) return mismatch(w, shape, value);
  for (let i = 0; i < value.length && !w.full; i++) visitMember(shape.items, value[i], i, w);
}

// Driven by the object's own keys (in file order): V8 reads `value[key]` inside for-in from its enum cache, which is
// much faster than looking the model's keys up one by one, and unknown keys show up on the way.
function visitObject(shape: ObjectShape, value: unknown, w: Walk): void {
  if (!isObject(value)) return mismatch(w, shape, value);
  let requiredSeen = 0;
  for (const key in value) {
    if (w.full) return;
    const v = value[key];
    const field = shape.byKey.get(key);
    if (field === undefined) unknownKey(shape, value, key, w);
    else if (v !== undefined) {
      if (!field.optional) requiredSeen++;
      visitMember(field.shape, v, key, w);
    }
  }
  if (requiredSeen < shape.requiredCount) {
    shape.keys.forEach((key, i) => {
      if (value[key] === undefined && !shape.fields[i].optional) w.problem(`missing; expected ${shape.fields[i].shape.expect}.`, formatPath([...w.at, key]));
    });
  }
}

function unknownKey(shape: ObjectShape, value: Document, key: string, w: Walk): void {
  const at = formatPath([...w.at, key]);
  if (SECRET_KEY.test(key)) {
    w.problem(`"${key}" looks like a private key or password. The deployment file never holds secrets: only the public certificate, ` +
      'the hasPrivateKey flag and sourceFile (the PFX file that keeps the key). Remove the field; keep the key in its PFX file.', at);
  } else {
    w.warnings.push(`${at}: "${key}" is not part of ${article(shape.name)}; it is ignored and dropped the next time SfB Certificates saves the file.`);
    delete value[key];
  }
}

function visitMap(shape: Extract<Shape, { kind: 'map' }>, value: unknown, w: Walk): void {
  if (!isObject(value)) return mismatch(w, shape, value);
  for (const key in value) {
    if (w.full) return;
    if (shape.keySet.has(key)) visitMember(shape.values, value[key], key, w);
    else w.problem(`"${key}" is not a certificate use. Use one of ${shape.keys.join(', ')}.`, formatPath([...w.at, key]));
  }
}

// ---------------------------------------------------------------------------------------------
// The fast path: does the document conform? (yes, nearly always)
// ---------------------------------------------------------------------------------------------
// The walk explains problems with their paths, but interpreting shapes costs about three times what direct
// property reads do. These hand-written checks state the same rules for the happy path and answer only yes or no;
// on no, the walk runs to say what and where. storeFile.test.ts corrupts every field STORE_SHAPE describes, one at
// a time, and checks each corruption is refused, so the two cannot drift apart.

function keyCount(o: Document): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

const isText = (v: unknown): boolean => typeof v === 'string';
const isNonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim().length > 0;
const isBool = (v: unknown): boolean => typeof v === 'boolean';
const isWhole = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isDate = (v: unknown): boolean => typeof v === 'string' && isIsoDateTime(v);
const isThumbprint = (v: unknown): boolean => typeof v === 'string' && isUpperHex(v, 40);
const isFqdn = (v: unknown): boolean => typeof v === 'string' && DNS_NAME.test(v);
const isMember = (shape: EnumShape, v: unknown): boolean => typeof v === 'string' && shape.set.has(v);

/** For an optional field: 0 when absent, 1 when present and right, NaN when wrong (so no key count matches). */
function optionalOk(v: unknown, ok: (v: unknown) => boolean): number {
  return v === undefined ? 0 : ok(v) ? 1 : NaN;
}

function allOk(v: unknown, ok: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!ok(v[i])) return false;
  return true;
}

function slotEntryOk(v: unknown): boolean {
  return isObject(v) && isThumbprint(v.thumbprint) && isDate(v.effectiveDate) && isDate(v.updateTime) && keyCount(v) === SLOT_ENTRY.requiredCount;
}

function assignmentsOk(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const use in v) {
    const slot = v[use];
    if (!USE_SET.has(use) || !isObject(slot)) return false;
    if (keyCount(slot) !== optionalOk(slot.current, slotEntryOk) + optionalOk(slot.previous, slotEntryOk) + optionalOk(slot.pending, slotEntryOk)) return false;
  }
  return true;
}
const USE_SET: ReadonlySet<string> = new Set(USES);

const altNameOk = (v: unknown): boolean => isObject(v) && isMember(SAN_TYPE, v.type) && isText(v.value) && keyCount(v) === ALT_NAME.requiredCount;
const ekuOk = (v: unknown): boolean => isObject(v) && typeof v.oid === 'string' && isOid(v.oid) && isText(v.name) && keyCount(v) === EKU.requiredCount;

function certificateOk(c: unknown): boolean {
  return isObject(c)
    && keyCount(c) === CERTIFICATE.requiredCount + optionalOk(c.keyCurve, isNonEmpty) + optionalOk(c.friendlyName, isText) + optionalOk(c.sourceFile, isNonEmpty)
    && isThumbprint(c.thumbprint) && typeof c.serialNumber === 'string' && isUpperHex(c.serialNumber) && isText(c.subject) && isText(c.issuer)
    && allOk(c.subjectAlternativeNames, altNameOk) && isDate(c.notBefore) && isDate(c.notAfter) && isNonEmpty(c.keyAlgorithm) && isWhole(c.keySize, 0)
    && isText(c.signatureAlgorithm) && allOk(c.enhancedKeyUsages, ekuOk) && isBool(c.isCA) && isBool(c.hasPrivateKey)
    && typeof c.derBase64 === 'string' && looksLikeDerBase64(c.derBase64) && isBool(c.exportable) && isMember(SOURCE, c.source) && isDate(c.addedAt);
}

function replicaOk(r: unknown): boolean {
  return isObject(r) && keyCount(r) === REPLICA.requiredCount + optionalOk(r.lastStatusReport, isDate) + optionalOk(r.lastUpdateCreation, isDate)
    && isWhole(r.appliedVersion, 0) && isBool(r.unreachable) && isText(r.productVersion);
}

function serverOk(s: unknown): boolean {
  return isObject(s) && keyCount(s) === SERVER.requiredCount && isFqdn(s.fqdn) && allOk(s.roles, (r) => isMember(ROLE, r))
    && allOk(s.certificates, certificateOk) && assignmentsOk(s.assignments) && replicaOk(s.replica)
    && isObject(s.setup) && keyCount(s.setup) === SETUP.requiredCount && isBool(s.setup.localStoreInstalled) && isBool(s.setup.componentsInstalled) && isBool(s.setup.servicesStarted);
}

function poolOk(p: unknown): boolean {
  return isObject(p) && keyCount(p) === POOL.requiredCount + optionalOk(p.internalWebFqdn, isFqdn) + optionalOk(p.externalWebFqdn, isFqdn)
    && isFqdn(p.fqdn) && isNonEmpty(p.siteId) && isMember(POOL_KIND, p.kind) && allOk(p.servers, serverOk) && isBool(p.hostsCms);
}

function conforms(d: Document): boolean {
  const cms = d.cms;
  return keyCount(d) === STORE_SHAPE.requiredCount + optionalOk(d.simulatedNow, isDate) && isWhole(d.schemaVersion, 1) && isText(d.name)
    && allOk(d.sipDomains, (s) => isObject(s) && keyCount(s) === SIP_DOMAIN.requiredCount && isFqdn(s.name) && isBool(s.isDefault))
    && allOk(d.sites, (s) => isObject(s) && keyCount(s) === SITE.requiredCount + optionalOk(s.city, isText) + optionalOk(s.country, isText)
      && isNonEmpty(s.id) && isNonEmpty(s.name) && isMember(SITE_KIND, s.kind))
    && allOk(d.pools, poolOk)
    && isObject(cms) && keyCount(cms) === CMS.requiredCount && isWhole(cms.version, 1) && isDate(cms.versionCreated) && allOk(cms.certificates, certificateOk) && assignmentsOk(cms.assignments)
    && allOk(d.history, (h) => isObject(h) && keyCount(h) === HISTORY_ENTRY.requiredCount && isDate(h.at) && isNonEmpty(h.cmdlet) && isText(h.powershell) && isText(h.summary));
}

// ---------------------------------------------------------------------------------------------
// Cross-references the shapes cannot express (run once the shapes hold)
// ---------------------------------------------------------------------------------------------

function checkReferences(d: Deployment, w: Walk): void {
  const defaults = d.sipDomains.filter((s) => s.isDefault);
  if (defaults.length > 1) {
    w.problem(`${defaults.length} SIP domains are marked as the default (${defaults.map((s) => s.name).join(', ')}); a topology has exactly one default SIP domain. Set isDefault to false on all but one.`, 'sipDomains');
  } else if (d.sipDomains.length && !defaults.length) {
    w.warnings.push(`sipDomains: none is marked as the default; ${d.sipDomains[0].name} (the first) is used as the default SIP domain.`);
  }
  unique(d.sipDomains, (s) => s.name.toLowerCase(), (i) => `sipDomains[${i}].name`, 'SIP domain', w);
  unique(d.sites, (s) => s.id, (i) => `sites[${i}].id`, 'site id', w);

  const siteIds = new Set(d.sites.map((s) => s.id));
  const servers = new Map<string, Server>();
  d.pools.forEach((pool, poolIndex) => {
    if (!siteIds.has(pool.siteId)) {
      w.problem(`names site "${pool.siteId}", which is not in sites (${[...siteIds].join(', ') || 'none defined'}). Use one of those ids or add the site.`, `pools[${poolIndex}].siteId`);
    }
    pool.servers.forEach((server, serverIndex) => {
      const at = (): string => serverPath({ poolIndex, serverIndex });
      const key = server.fqdn.toLowerCase();
      const first = servers.get(key);
      if (first) w.problem(`${server.fqdn} is already listed at ${locateServer(d, first)}; each server appears once in the topology.`, `${at()}.fqdn`);
      else servers.set(key, server);
      const certs = server.certificates;
      for (let i = 1; i < certs.length; i++) {
        const j = certs.findIndex((c) => c.thumbprint === certs[i].thumbprint);
        if (j < i) w.problem(`duplicate thumbprint ${certs[i].thumbprint} (first at ${at()}.certificates[${j}]); a computer's store holds a certificate once.`, `${at()}.certificates[${i}].thumbprint`);
      }
      if (server.replica.appliedVersion > d.cms.version) {
        w.problem(`the replica says it applied version ${server.replica.appliedVersion}, but the Central Management store is only at version ${d.cms.version} (cms.version).`, `${at()}.replica.appliedVersion`);
      }
    });
  });
  unique(d.pools, (p) => p.fqdn.toLowerCase(), (i) => `pools[${i}].fqdn`, 'pool FQDN', w);
  unique(d.cms.certificates, (c) => c.thumbprint, (i) => `cms.certificates[${i}].thumbprint`, 'thumbprint', w);
}

function locateServer(d: Deployment, server: Server): string {
  const poolIndex = d.pools.findIndex((p) => p.servers.includes(server));
  return serverPath({ poolIndex, serverIndex: d.pools[poolIndex].servers.indexOf(server) });
}

function unique<T>(items: readonly T[], key: (item: T) => string, at: (index: number) => string, what: string, w: Walk): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const j = first.get(k);
    if (j === undefined) first.set(k, i);
    else w.problem(`duplicate ${what} "${k}" (first at ${at(j)}).`, at(i));
  });
}

// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

/**
 * MIGRATIONS[n] turns a version-n document into version n+1. Version 1 is the first, so there are none yet;
 * when SCHEMA_VERSION becomes 2, the v1 → v2 step goes here under key 1.
 */
const MIGRATIONS: Readonly<Record<number, (doc: Document) => Document>> = {};

function migrate(doc: Document, from: number, w: Walk): Document {
  let out = doc;
  for (let v = from; v < SCHEMA_VERSION; v++) out = MIGRATIONS[v](out);
  if (from < SCHEMA_VERSION) w.warnings.push(`The file was written with schema version ${from}; it is upgraded to version ${SCHEMA_VERSION} when SfB Certificates next saves it.`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parse / validate
// ---------------------------------------------------------------------------------------------

function failed(errors: StoreFileProblem[], readOnlyReason = READ_ONLY_INVALID): ParseResult {
  return { ok: false, errors, readOnlyReason };
}

/** Validates an already-parsed store document against the model (and migrates an older one). */
export function checkDeployment(doc: unknown): ParseResult {
  const w = new Walk();
  if (!isObject(doc)) return failed([{ path: '', message: `The file must hold one deployment object ({ "schemaVersion": ${SCHEMA_VERSION}, "name": …, "pools": […], … }), not ${describeValue(doc)}.` }]);
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    w.problem(version === undefined ? `missing; add "schemaVersion": ${SCHEMA_VERSION}.` : `expected a schema version (a whole number, ${SCHEMA_VERSION} for this version of SfB Certificates), found ${describeValue(version)}.`, 'schemaVersion');
    return failed(w.problems);
  }
  if (version > SCHEMA_VERSION) {
    w.problem(`schema version ${version}: the file was made by a newer version of SfB Certificates (this one reads up to version ${SCHEMA_VERSION}); update the extension.`, 'schemaVersion');
    return failed(w.problems, READ_ONLY_NEWER);
  }
  const current = migrate(doc, version, w);
  if (!conforms(current)) visitObject(STORE_SHAPE, current, w);
  if (!w.problems.length) checkReferences(current as unknown as Deployment, w);
  if (w.problems.length) return failed(w.problems);
  return { ok: true, deployment: current as unknown as Deployment, warnings: w.warnings };
}

const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/** Reads the text of a store file: JSON syntax, secrets, schema version, then the model. */
export function parseDeployment(input: string): ParseResult {
  const source = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // A plain substring search first: it is cheap even on a 100 MB file, and the regex runs only near a hit.
  const hint = source.indexOf('PRIVATE KEY-----');
  if (hint >= 0) {
    const from = Math.max(0, hint - 64);
    const m = PEM_PRIVATE_KEY.exec(source.slice(from, hint + 16));
    if (m) return privateKeyBlock(source, from + m.index);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (e) {
    return failed([syntaxProblem(source, (e as Error).message)]);
  }
  return checkDeployment(doc);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function privateKeyBlock(text: string, offset: number): ParseResult {
  const { line, column } = lineAndColumn(text, offset);
  return failed([{
    path: scanJson(text, offset)?.path ?? '', line, column,
    message: `line ${line}, column ${column}: a PEM private key block. The deployment file never holds private keys — only the public certificate ` +
      '(derBase64), the hasPrivateKey flag and sourceFile, the PFX file that keeps the key. Remove the block and keep the key in its PFX file.',
  }]);
}

function syntaxProblem(text: string, parserMessage: string): StoreFileProblem {
  if (!text.trim()) return { path: '', line: 1, column: 1, message: 'The file is empty. Restore it from the .bak copy next to it, or delete it and create the deployment again.' };
  const stop = scanJson(text);
  if (!stop?.problem) return { path: '', message: `The file is not valid JSON (${parserMessage}).` };
  const { line, column } = lineAndColumn(text, stop.offset);
  return { path: stop.path, line, column, message: `not valid JSON at line ${line}, column ${column}: ${stop.problem}.` };
}

/** Where a scan stopped: at the first syntax error (with what is wrong), or in the string that covers its target. */
class ScanStop {
  constructor(readonly offset: number, readonly path: string, readonly problem?: string) {}
}

/**
 * Reads JSON text as a parser does, keeping the JSON path, to say where and why it is not valid — or, given a
 * target offset, which value covers it. JSON.parse does neither (its messages give at most an offset), and this
 * runs only for a file that has already failed, so it favours clear messages over speed.
 */
function scanJson(text: string, target = Infinity): ScanStop | undefined {
  let i = 0;
  const at: Segment[] = [];
  const stop = (problem?: string, offset = i): never => {
    throw new ScanStop(offset, formatPath(at), problem);
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
    if (text[i] === '/') stop('comments are not allowed in the deployment file');
  };
  const unexpected = (): never => {
    if (i >= text.length) return stop('the file ends too early: an object or list is not closed');
    const word = /[A-Za-z_$][\w$]*/y;
    word.lastIndex = i;
    const found = word.exec(text)?.[0];
    if (found) return stop(`unexpected word "${found}": text needs double quotes ("${found}"), and the only bare words are true, false and null`);
    if (text[i] === "'") return stop('strings need double quotes ("), not single quotes');
    return stop(`unexpected character ${JSON.stringify(text[i])}`);
  };
  const string = (): string => {
    const start = i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (i >= text.length || c === 10 || c === 13) stop('a string is not closed with " before the end of the line', start);
      if (c === 34) break;
      if (c < 32) stop('a control character (such as a tab) inside a string must be escaped as \\t, \\n, …');
      if (c === 92) {
        const escape = /\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/y;
        escape.lastIndex = i;
        if (!escape.test(text)) stop('invalid escape sequence in a string (write a backslash as \\\\)');
        i = escape.lastIndex;
      } else i++;
    }
    i++;
    if (start <= target && target < i) stop(undefined, start);
    return JSON.parse(text.slice(start, i)) as string;
  };
  const members = (close: string, member: (index: number) => void): void => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      member(index);
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') stop(i >= text.length ? `the file ends before "${close}"` : `expected "," or "${close}"`);
      i++;
      space();
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      members('}', () => {
        if (text[i] !== '"') stop(text[i] === '}' ? 'expected a property name (JSON allows no comma after the last property)' : 'expected a property name in double quotes');
        const key = string();
        space();
        if (text[i] !== ':') stop('expected ":" after the property name');
        i++;
        at.push(key);
        value();
        at.pop();
      });
    } else if (c === '[') {
      members(']', (index) => {
        at.push(index);
        value();
        at.pop();
      });
    } else if (c === '"') {
      string();
    } else if (c === ']' || c === '}') {
      stop('expected a value (JSON allows no comma after the last item)');
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      number.lastIndex = i;
      if (!number.test(text)) stop('malformed number');
      i = number.lastIndex;
    } else {
      const literal = ['true', 'false', 'null'].find((w) => text.startsWith(w, i) && !/[\w$]/.test(text[i + w.length] ?? ''));
      if (!literal) unexpected();
      i += literal!.length;
    }
  };
  try {
    value();
    space();
    if (i < text.length) stop('unexpected text after the end of the deployment object');
  } catch (e) {
    if (e instanceof ScanStop) return e;
    throw e;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Serialize
// ---------------------------------------------------------------------------------------------

/** A copy with keys in the model's order; absent (undefined) optional fields are left out. */
function canonical(shape: Shape, value: unknown): unknown {
  if (shape.kind === 'array' && Array.isArray(value)) return value.map((v) => canonical(shape.items, v));
  if (!isObject(value)) return value;
  const out: Document = {};
  if (shape.kind === 'object') {
    for (let i = 0; i < shape.keys.length; i++) {
      const v = value[shape.keys[i]];
      if (v !== undefined) out[shape.keys[i]] = canonical(shape.fields[i].shape, v);
    }
  } else if (shape.kind === 'map') {
    for (const key of shape.keys) if (value[key] !== undefined) out[key] = canonical(shape.values, value[key]);
  }
  return out;
}

/** The file text: keys in a stable order (the model's), two-space indentation, a final newline. */
export function serializeDeployment(d: Deployment): string {
  return `${JSON.stringify(canonical(STORE_SHAPE, d), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Load / save
// ---------------------------------------------------------------------------------------------

/** The file operations the store needs; node:fs fits it, tests substitute failing ones. */
export interface StoreFs {
  readFileSync(file: string): Uint8Array;
  openSync(file: string, flags: string): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
}

/** saveDeployment refused to replace a file that does not load (corrupt, invalid or newer): it is left untouched. */
export class StoreFileError extends Error {
  constructor(message: string, readonly problems: StoreFileProblem[]) {
    super(message);
    this.name = 'StoreFileError';
  }
}

/** Reads and validates a store file. File-system errors (e.g. ENOENT) are thrown as node:fs throws them. */
export function loadDeployment(fs: StoreFs, filePath: string): ParseResult {
  return parseDeployment(utf8(fs.readFileSync(filePath)));
}

function utf8(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Store files are nearly always pure ASCII; then latin1 decodes to the same text, and faster.
  return buffer.toString(isAscii(buffer) ? 'latin1' : 'utf8');
}

function readIfPresent(fs: StoreFs, file: string): Uint8Array | undefined {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function tempName(file: string): string {
  return `${file}.tmp-${randomBytes(6).toString('hex')}`;
}

function removeQuietly(fs: StoreFs, file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Already gone, or never created.
  }
}

/** Writes `bytes` to a new file and flushes it to disk; on any failure the new file is removed. */
function writeDurably(fs: StoreFs, file: string, bytes: Uint8Array): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'wx');
    for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
    const closing = fd;
    fd = undefined;
    fs.closeSync(closing);
  } catch (e) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* the write already failed; report that */ }
    }
    removeQuietly(fs, file);
    throw e;
  }
}

/** Replaces `file` atomically: write a temporary file in the same folder, flush it, rename it over. */
function replaceAtomically(fs: StoreFs, file: string, bytes: Uint8Array): void {
  const tmp = tempName(file);
  writeDurably(fs, tmp, bytes);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    removeQuietly(fs, tmp);
    throw e;
  }
}

/**
 * Saves atomically, keeping exactly one `<file>.bak` with the previous content, and returns the text written. On any
 * failure the original file is intact and no temporary file is left. Refuses (StoreFileError) to replace a file that
 * does not load.
 */
export function saveDeployment(fs: StoreFs, filePath: string, d: Deployment): string {
  const previous = readIfPresent(fs, filePath);
  if (previous !== undefined) {
    const check = parseDeployment(utf8(previous));
    if (!check.ok) {
      throw new StoreFileError(`${path.basename(filePath)} was not saved: the file on disk does not load (${formatProblem(check.errors[0])}). ${check.readOnlyReason}`, check.errors);
    }
  }
  const text = serializeDeployment(d);
  const tmp = tempName(filePath);
  writeDurably(fs, tmp, Buffer.from(text, 'utf8'));
  try {
    if (previous !== undefined) replaceAtomically(fs, `${filePath}.bak`, previous);
    fs.renameSync(tmp, filePath);
  } catch (e) {
    removeQuietly(fs, tmp);
    throw e;
  }
  return text;
}
