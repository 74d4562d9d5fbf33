// schemas/sfb-deployment.schema.json (the editor's validation of sfb-deployment.json) against the model: the same
// fields, required-ness, enums and string rules as the store file's own validation, a description on every field,
// and the sample deployment valid under it (checked by a small schema walker below).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Deployment } from '../../src/core/model';
import { createSampleDeployment } from '../../src/core/sample';
import { DEFAULT_DEPLOYMENT_FILE, DEPLOYMENT_SHAPE, deploymentJsonSchemaText, parseDeployment, type Shape, type StringFormat } from '../../src/core/deploymentFile';
import { AT, fullDeployment } from '../fixtures/deployment';

const ROOT = path.resolve(__dirname, '../../..');
const SCHEMA_FILE = 'schemas/sfb-deployment.schema.json';

interface JsonSchema {
  $schema?: string;
  $ref?: string;
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean' | 'number';
  required?: string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  pattern?: string;
  format?: string;
  minimum?: number;
  definitions?: Record<string, JsonSchema>;
}

const schema: JsonSchema = JSON.parse(fs.readFileSync(path.join(ROOT, SCHEMA_FILE), 'utf8'));

/** Follows $ref; keywords next to the $ref (a description) win, as in VS Code's JSON language service. */
function resolve(node: JsonSchema): JsonSchema {
  if (!node.$ref) return node;
  const name = /^#\/definitions\/(.+)$/.exec(node.$ref)?.[1];
  const target = name && schema.definitions?.[name];
  assert.ok(target, `unresolved $ref ${node.$ref}`);
  const { $ref: _ref, ...own } = node;
  return { ...resolve(target), ...own };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** A tiny validator: type, required, enum, properties, items, additionalProperties, propertyNames, pattern, minimum, date-time. */
function validate(node: JsonSchema, value: unknown, at: string, errors: string[]): void {
  const s = resolve(node);
  const where = at || '(root)';
  const typeOk = {
    object: typeof value === 'object' && value !== null && !Array.isArray(value),
    array: Array.isArray(value),
    string: typeof value === 'string',
    integer: Number.isInteger(value),
    number: typeof value === 'number',
    boolean: typeof value === 'boolean',
  };
  if (s.type && !typeOk[s.type]) return void errors.push(`${where}: not ${s.type}`);
  if (s.enum && !s.enum.includes(value)) errors.push(`${where}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string') {
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) errors.push(`${where}: does not match ${s.pattern}`);
    if (s.format === 'date-time' && !(RFC3339.test(value) && !Number.isNaN(Date.parse(value)))) errors.push(`${where}: not a date-time`);
  }
  if (typeof value === 'number' && s.minimum !== undefined && value < s.minimum) errors.push(`${where}: below ${s.minimum}`);
  if (Array.isArray(value) && s.items) value.forEach((v, i) => validate(s.items!, v, `${at}[${i}]`, errors));
  if (typeOk.object) {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) errors.push(`${where}: missing ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      const child = at ? `${at}.${key}` : key;
      if (s.propertyNames) validate(s.propertyNames, key, `${child} (name)`, errors);
      if (s.properties?.[key]) validate(s.properties[key], v, child, errors);
      else if (s.additionalProperties === false) errors.push(`${where}: unexpected ${key}`);
      else if (typeof s.additionalProperties === 'object') validate(s.additionalProperties, v, child, errors);
    }
  }
}

function errorsOf(value: unknown): string[] {
  const errors: string[] = [];
  validate(schema, value, '', errors);
  return errors;
}

/** Values each string format must accept and refuse, in the store file's validation and in the schema alike. */
const STRING_SAMPLES: Record<StringFormat, { good: string[]; bad: string[] }> = {
  any: { good: ['', 'anything at all'], bad: [] },
  'non-empty': { good: ['x', ' redmond '], bad: ['', '  '] },
  'dns-name': { good: ['fe01.contoso.com', 'contoso.com', 'sfb-pool-1.emea.contoso.com'], bad: ['fe01', 'fe_01.contoso.com', 'fe01.contoso.com.', '-fe.contoso.com', 'fe 01.contoso.com'] },
  'date-time': { good: [AT, '2026-03-01T12:00:00Z', '2026-03-01T14:00:00+02:00'], bad: ['2026-03-01', '2026-03-01T12:00Z', 'yesterday'] },
  thumbprint: { good: ['0123456789ABCDEF0123456789ABCDEF01234567'], bad: ['0123456789abcdef0123456789abcdef01234567', '0123', `${'A'.repeat(40)} `] },
  hex: { good: ['0A1B', '00'], bad: ['', '0a1b', '0x1B'] },
  oid: { good: ['1.3.6.1.5.5.7.3.1', '2.5'], bad: ['1', '1..3', '.1.3', 'server'] },
  'der-base64': { good: ['MIIDdzCCAl+gAwIBAgIQTm9ORU5PTk5PTg=='], bad: ['', '-----BEGIN CERTIFICATE-----', 'MII DdzCCAl+gAwIBAgIQ'] },
};

/** The schema node matches the store file's shape: same keys in the same order, required-ness, enums, string rules. */
function compare(shape: Shape, node: JsonSchema, at: string): void {
  const s = resolve(node);
  switch (shape.kind) {
    case 'object': {
      assert.equal(s.type, 'object', at);
      assert.equal(s.additionalProperties, false, `${at}: additionalProperties false`);
      assert.deepEqual(Object.keys(s.properties ?? {}), shape.keys, `${at}: the schema's properties are the model's fields, in order`);
      assert.deepEqual(s.required ?? [], shape.keys.filter((_, i) => !shape.fields[i].optional), `${at}: required`);
      shape.keys.forEach((key, i) => {
        const property = s.properties![key];
        assert.ok(resolve(property).description?.trim(), `${at}.${key} has a description`);
        compare(shape.fields[i].shape, property, at ? `${at}.${key}` : key);
      });
      return;
    }
    case 'map':
      assert.equal(s.type, 'object', at);
      assert.deepEqual(resolve(s.propertyNames!).enum, shape.keys, `${at}: the certificate uses`);
      compare(shape.values, s.additionalProperties as JsonSchema, `${at}.<use>`);
      return;
    case 'array':
      assert.equal(s.type, 'array', at);
      compare(shape.items, s.items!, `${at}[]`);
      return;
    case 'enum':
      assert.equal(s.type, 'string', at);
      assert.deepEqual(s.enum, shape.values, `${at}: enum`);
      return;
    case 'integer':
      assert.equal(s.type, 'integer', at);
      assert.equal(s.minimum, shape.min, `${at}: minimum`);
      return;
    case 'boolean':
      assert.equal(s.type, 'boolean', at);
      return;
    case 'string': {
      assert.equal(s.type, 'string', at);
      const { good, bad } = STRING_SAMPLES[shape.format];
      for (const v of good) assert.deepEqual(stringErrors(s, v), [], `${at}: the schema accepts ${JSON.stringify(v)}`);
      for (const v of bad) assert.notDeepEqual(stringErrors(s, v), [], `${at}: the schema refuses ${JSON.stringify(v)}`);
    }
  }
}

function stringErrors(s: JsonSchema, value: string): string[] {
  const errors: string[] = [];
  validate(s, value, 'value', errors);
  return errors;
}

/** Every key of every object in `value` has a description in the schema. */
function undescribedKeys(node: JsonSchema, value: unknown, at: string, out: string[]): string[] {
  const s = resolve(node);
  if (Array.isArray(value) && s.items) value.forEach((v, i) => undescribedKeys(s.items!, v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const property = s.properties?.[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      const describedHere = s.properties?.[key] ? resolve(s.properties[key]).description : resolve(s.propertyNames ?? {}).enum?.includes(key) && resolve(s).description;
      if (!property || !describedHere) out.push(at ? `${at}.${key}` : key);
      else undescribedKeys(property, v, at ? `${at}.${key}` : key, out);
    }
  }
  return out;
}

/** For each string format, the last field (in file order) of `doc` that has it: [path segments]. */
function lastFieldOfEachFormat(shape: Shape, value: any, at: (string | number)[], out: Map<StringFormat, (string | number)[]>): Map<StringFormat, (string | number)[]> {
  if (shape.kind === 'string') out.set(shape.format, at);
  else if (shape.kind === 'object') shape.keys.forEach((k, i) => value?.[k] !== undefined && lastFieldOfEachFormat(shape.fields[i].shape, value[k], [...at, k], out));
  else if (shape.kind === 'array') (value as unknown[]).forEach((v, i) => lastFieldOfEachFormat(shape.items, v, [...at, i], out));
  else if (shape.kind === 'map') for (const k of Object.keys(value)) lastFieldOfEachFormat(shape.values, value[k], [...at, k], out);
  return out;
}

describe('the store file\'s JSON schema', () => {
  let sample: Deployment;
  before(async function () {
    this.timeout(60_000); // real certificates: RSA key generation
    sample = JSON.parse(JSON.stringify((await createSampleDeployment(new Date(AT))).deployment));
  });

  it('is a draft-07 schema that the manifest points sfb-deployment.json at', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const entry = manifest.contributes.jsonValidation.find((v: { url: string }) => v.url === `./${SCHEMA_FILE}`);
    assert.ok(entry, 'contributes.jsonValidation names the schema');
    assert.ok(entry.fileMatch.includes(DEFAULT_DEPLOYMENT_FILE));
  });

  it('is the schema generated from the shapes (after changing the model, run `npm run schema`)', () => {
    assert.equal(fs.readFileSync(path.join(ROOT, SCHEMA_FILE), 'utf8'), deploymentJsonSchemaText());
  });

  it('describes exactly the model the store file validates (fields, order, required, enums, string rules)', () => {
    compare(DEPLOYMENT_SHAPE, schema, '');
  });

  it('agrees with the store file on every string rule', () => {
    for (const [format, at] of lastFieldOfEachFormat(DEPLOYMENT_SHAPE, fullDeployment(), [], new Map())) {
      const { good, bad } = STRING_SAMPLES[format];
      const withValue = (v: string) => {
        const d: any = fullDeployment();
        at.slice(0, -1).reduce((o, k) => o[k], d)[at.at(-1)!] = v;
        return parseDeployment(JSON.stringify(d));
      };
      for (const v of good) assert.ok(withValue(v).ok, `${format} at ${at.join('.')}: the store file accepts ${JSON.stringify(v)}`);
      for (const v of bad) assert.equal(withValue(v).ok, false, `${format} at ${at.join('.')}: the store file refuses ${JSON.stringify(v)}`);
    }
  });

  it('accepts the sample deployment and a deployment using every optional field', () => {
    assert.deepEqual(errorsOf(sample), []);
    assert.deepEqual(errorsOf(JSON.parse(JSON.stringify(fullDeployment()))), []);
  });

  it('describes every key of the sample deployment', () => {
    assert.deepEqual(undescribedKeys(schema, sample, '', []), []);
    assert.deepEqual(undescribedKeys(schema, fullDeployment(), '', []), []);
  });

  it('flags what the store file refuses (the walker is not blind)', () => {
    const d: any = JSON.parse(JSON.stringify(fullDeployment()));
    d.pools[0].servers[0].privateKey = 'x';
    d.pools[0].kind = 'Enterprise';
    d.cms.assignments.OAuth = {};
    d.cms.certificates[0].thumbprint = 'abc';
    delete d.sites[0].kind;
    assert.deepEqual(errorsOf(d).sort(), [
      'cms.assignments.OAuth (name): "OAuth" not in enum',
      'cms.certificates[0].thumbprint: does not match ^[0-9A-F]{40}$',
      'pools[0].kind: "Enterprise" not in enum',
      'pools[0].servers[0]: unexpected privateKey',
      'sites[0]: missing kind',
    ]);
  });
});
