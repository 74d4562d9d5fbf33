// The one description of sfb-deployment.json's shape (and the builders the inventory's shape, src/core/inventory, uses too). Each model type of model.ts has its shape here, typed against
// it (`Fields<T>`: a field added to the model without a shape here, or the other way round, does not compile). From
// these shapes come: the validator (validate.ts: a fast yes/no compiled from them, and a walk that explains problems
// with their JSON paths), the saved key order (serialize.ts) and the shipped JSON Schema (schema.ts).
import { CERT_USES } from '../cmdlets';
import type {
  CentralManagementStore, Deployment, ExtendedKeyUsage, HistoryEntry, PendingCertificateRequest, PendingRoll, Pool, PoolKind, ProductVersion, ReplicaState, SanType, Server, ServerRole,
  SipDomain, Site, Slot, SlotEntry, StoredCertificate, SubjectAltName,
} from '../model';
import { FORMAT_CHECK, type StringFormat } from './formats';

interface ShapeBase {
  /** What is expected, for messages: "a whole number (0 or more)". */
  expect: string;
  /** The JSON Schema definition this shape is emitted as ($ref), when it has one. */
  id?: string;
  /** Does `value` conform? Compiled from the shape: direct checks, no messages, no allocation. */
  ok: (value: unknown) => boolean;
}

export type Shape =
  | (ShapeBase & { kind: 'string'; format: StringFormat })
  | (ShapeBase & { kind: 'integer'; min: number })
  | (ShapeBase & { kind: 'boolean' })
  | EnumShape
  | (ShapeBase & { kind: 'array'; items: Shape })
  | ObjectShape
  /** An object keyed by certificate use (Assignments). */
  | (ShapeBase & { kind: 'map'; keys: readonly string[]; keySet: ReadonlySet<string>; values: Shape });

export interface EnumShape extends ShapeBase {
  kind: 'enum';
  values: readonly string[];
  set: ReadonlySet<string>;
}

export interface ObjectShape extends ShapeBase {
  kind: 'object';
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

/** A parsed JSON object. */
export type Document = Record<string, unknown>;

export function isObject(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The keys the compiled checks (`ok`) have seen in conforming objects since it was last set to 0. A load compares it
 * with the property names in the text: a difference is a duplicate key, which JSON.parse keeps silent.
 */
export const keysSeen = { count: 0 };

export function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

export const required = (shape: Shape): Required_ => ({ shape, optional: false });
export const optional = (shape: Shape): Optional_ => ({ shape, optional: true });

export function text(expect: string, format: StringFormat = 'any', id?: string): Shape {
  const check = FORMAT_CHECK[format];
  const ok = format === 'any' ? (v: unknown) => typeof v === 'string' : (v: unknown) => typeof v === 'string' && check(v);
  return { kind: 'string', expect, format, id, ok };
}

export function integer(min: number): Shape {
  return {
    kind: 'integer', expect: min === 0 ? 'a whole number (0 or more)' : `a whole number (${min} or more)`, min,
    ok: (v) => typeof v === 'number' && Number.isInteger(v) && v >= min,
  };
}

export const BOOLEAN: Shape = { kind: 'boolean', expect: 'true or false', ok: (v) => typeof v === 'boolean' };

export function oneOf(values: readonly string[], id?: string): EnumShape {
  const set = new Set(values);
  return { kind: 'enum', expect: `one of ${values.join(', ')}`, values, set, id, ok: (v) => typeof v === 'string' && set.has(v) };
}

/** The members of a string union, checked complete by the compiler. */
export function members<T extends string>(all: Record<T, true>): T[] {
  return Object.keys(all) as T[];
}

export function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/**
 * The check of an object shape, generated as code: every present field conforms, no required one is missing, and
 * there is no other key (the count matches). Generated rather than interpreted because a direct read of a constant
 * property name is several times faster than a loop over the names, and a large file holds a million objects. The
 * source is made only from the shape's own field names (quoted with JSON.stringify) and indexes into `checks`.
 */
function compileObjectCheck(keys: readonly string[], fields: readonly Field[]): (v: unknown) => boolean {
  const lines = ['if (!isObject(v)) return false;', 'let present = 0;', 'let x;'];
  keys.forEach((key, i) => {
    lines.push(`x = v[${JSON.stringify(key)}];`);
    lines.push(fields[i].optional ? `if (x !== undefined) { if (!checks[${i}](x)) return false; present++; }` : `if (x === undefined || !checks[${i}](x)) return false; present++;`);
  });
  lines.push('if (keyCount(v) !== present) return false;', 'keysSeen.count += present;', 'return true;');
  const make = new Function('isObject', 'keyCount', 'keysSeen', 'checks', `return function conforms(v) {\n${lines.join('\n')}\n};`) as
    (...args: unknown[]) => (v: unknown) => boolean;
  return make(isObject, keyCount, keysSeen, fields.map((f) => f.shape.ok));
}

export function object<T>(name: string, id: string, fields: Fields<T>): ObjectShape {
  const byKey = new Map(Object.entries<Field>(fields));
  const keys = [...byKey.keys()];
  const all = [...byKey.values()];
  const ok = compileObjectCheck(keys, all);
  return {
    kind: 'object', expect: `${article(name)} object`, name, id, keys, fields: all, byKey, ok,
    requiredCount: all.filter((f) => !f.optional).length,
  };
}

export function list(items: Shape): Shape {
  const item = items.ok;
  return {
    kind: 'array', expect: items.kind === 'object' ? `a list of ${items.name} objects` : `a list of values, each ${items.expect}`, items,
    ok: (v) => {
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
      return true;
    },
  };
}

function keyedBy(keys: readonly string[], values: Shape, expect: string, id: string): Shape {
  const keySet = new Set(keys);
  const value = values.ok;
  return {
    kind: 'map', expect, keys, keySet, values, id,
    ok: (v) => {
      if (!isObject(v)) return false;
      let n = 0;
      for (const key in v) {
        if (!keySet.has(key) || !value(v[key])) return false;
        n++;
      }
      keysSeen.count += n;
      return true;
    },
  };
}

export const FQDN = text('a fully qualified domain name such as "fe01.contoso.com" (letters, digits, hyphens and dots only)', 'dns-name', 'fqdn');
const DOMAIN = text('a domain name such as "contoso.com"', 'dns-name', 'fqdn');
export const ISO_DATE = text('a date and time that exists (no 31 February, no 24:00), in ISO 8601 with a zone, such as "2025-03-01T08:00:00.000Z"', 'date-time', 'dateTime');
export const THUMBPRINT_TEXT = text('a thumbprint: 40 hexadecimal characters in upper case, as Windows shows it', 'thumbprint', 'thumbprint');
export const NON_EMPTY = text('a non-empty string', 'non-empty', 'nonEmptyString');
export const ANY_TEXT = text('a string');
const DOMAIN_OR_NAME = text('a DNS name such as "sip.contoso.com"', 'non-empty');

const SAN_TYPES = members<SanType>({ dns: true, ip: true, email: true, uri: true, other: true });
const PRODUCT_VERSIONS = members<ProductVersion>({ 2015: true, 2019: true });
const POOL_KINDS = members<PoolKind>({ FrontEndEnterprise: true, StandardEdition: true, Director: true, Edge: true, Mediation: true });
export const SERVER_ROLES = members<ServerRole>({
  FrontEnd: true, Registrar: true, UserServices: true, Director: true, Edge: true, Mediation: true, WebServices: true, CentralManagement: true,
});
const CERTIFICATE_SOURCES = members<StoredCertificate['source']>({ sample: true, import: true, replication: true, 'mmc-import': true, request: true, inventory: true });
const SITE_KINDS = members<Site['kind']>({ central: true, branch: true });

const SLOT_ENTRY = object<SlotEntry>('slot entry', 'slotEntry', { thumbprint: required(THUMBPRINT_TEXT), effectiveDate: required(ISO_DATE), updateTime: required(ISO_DATE) });
const PENDING_ROLL = object<PendingRoll>('pending roll', 'pendingRoll', { thumbprint: required(THUMBPRINT_TEXT), effectiveDate: required(ISO_DATE), updateTime: required(ISO_DATE) });
const SLOT = object<Slot>('assignment slot', 'slot', { current: optional(SLOT_ENTRY), previous: optional(SLOT_ENTRY), pending: optional(PENDING_ROLL) });
/** The certificate uses a slot may be keyed by (the -Type values). */
export const CERT_USE = oneOf(CERT_USES.map((f) => f.use), 'certUse');
const ASSIGNMENTS = keyedBy(CERT_USE.values, SLOT, 'an object keyed by certificate use (-Type), such as { "Default": { "current": … } }', 'assignments');

const ALT_NAME = object<SubjectAltName>('alternative name', 'subjectAltName', { type: required(oneOf(SAN_TYPES)), value: required(ANY_TEXT) });
const EKU = object<ExtendedKeyUsage>('enhanced key usage', 'enhancedKeyUsage', {
  oid: required(text('an object identifier such as "1.3.6.1.5.5.7.3.1"', 'oid')), name: required(ANY_TEXT),
});
export const CERTIFICATE = object<StoredCertificate>('certificate', 'certificate', {
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
  crlDistributionPoints: optional(list(ANY_TEXT)),
  hasPrivateKey: required(BOOLEAN),
  friendlyName: optional(ANY_TEXT),
  derBase64: required(text('the certificate (DER) in base64, starting "MI"', 'der-base64')),
  exportable: required(BOOLEAN),
  networkServiceCanReadKey: optional(BOOLEAN),
  source: required(oneOf(CERTIFICATE_SOURCES)),
  addedAt: required(ISO_DATE),
  sourceFile: optional(NON_EMPTY),
});

const REPLICA = object<ReplicaState>('replica state', 'replicaState', {
  appliedVersion: required(integer(0)),
  unreachable: required(BOOLEAN),
  lastStatusReport: optional(ISO_DATE),
  lastUpdateCreation: optional(ISO_DATE),
  productVersion: required(ANY_TEXT),
});
const SETUP = object<Server['setup']>('setup state', 'setupState', {
  localStoreInstalled: required(BOOLEAN), componentsInstalled: required(BOOLEAN), servicesStarted: required(BOOLEAN),
});
const RELATIVE_FILE = text('a path relative to the workspace folder', 'non-empty');
const PENDING_REQUEST = object<PendingCertificateRequest>('pending certificate request', 'pendingCertificateRequest', {
  requestedAt: required(ISO_DATE),
  uses: required(list(CERT_USE)),
  subject: required(NON_EMPTY),
  dnsNames: required(list(DOMAIN_OR_NAME)),
  friendlyName: optional(ANY_TEXT),
  keySize: required(integer(1)),
  exportable: required(BOOLEAN),
  requestFile: required(RELATIVE_FILE),
  keyFile: required(RELATIVE_FILE),
  publicKeySha1: required(THUMBPRINT_TEXT),
});
const SERVER = object<Server>('server', 'server', {
  fqdn: required(FQDN),
  roles: required(list(oneOf(SERVER_ROLES))),
  certificates: required(list(CERTIFICATE)),
  assignments: required(ASSIGNMENTS),
  replica: required(REPLICA),
  setup: required(SETUP),
  pendingRequests: optional(list(PENDING_REQUEST)),
});

const POOL = object<Pool>('pool', 'pool', {
  fqdn: required(FQDN),
  siteId: required(NON_EMPTY),
  kind: required(oneOf(POOL_KINDS)),
  servers: required(list(SERVER)),
  hostsCms: required(BOOLEAN),
  internalWebFqdn: optional(FQDN),
  externalWebFqdn: optional(FQDN),
});
const SIP_DOMAIN = object<SipDomain>('SIP domain', 'sipDomain', { name: required(DOMAIN), isDefault: required(BOOLEAN) });
const SITE = object<Site>('site', 'site', {
  id: required(NON_EMPTY), name: required(NON_EMPTY), kind: required(oneOf(SITE_KINDS)), city: optional(ANY_TEXT), country: optional(ANY_TEXT),
});
const CMS = object<CentralManagementStore>('Central Management store', 'centralManagementStore', {
  version: required(integer(1)), versionCreated: required(ISO_DATE), certificates: required(list(CERTIFICATE)), assignments: required(ASSIGNMENTS),
});
const HISTORY_ENTRY = object<HistoryEntry>('history entry', 'historyEntry', {
  at: required(ISO_DATE), cmdlet: required(NON_EMPTY), powershell: required(ANY_TEXT), summary: required(ANY_TEXT), computer: optional(FQDN),
});

/** The whole deployment file (its schema id names the root, which is not a definition). */
export const DEPLOYMENT_SHAPE = object<Deployment>('deployment', 'deployment', {
  schemaVersion: required(integer(1)),
  name: required(ANY_TEXT),
  sipDomains: required(list(SIP_DOMAIN)),
  sites: required(list(SITE)),
  pools: required(list(POOL)),
  cms: required(CMS),
  simulatedNow: optional(ISO_DATE),
  productVersion: optional(oneOf(PRODUCT_VERSIONS)),
  history: required(list(HISTORY_ENTRY)),
});
