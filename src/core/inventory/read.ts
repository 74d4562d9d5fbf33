// Reading one inventory file. It is untrusted input (it comes from another machine, possibly edited): it goes through
// the deployment file's hardened JSON reading (strict UTF-8, nesting cap, duplicate keys, positions), then the
// inventory's shape, then the private-key guard. Every problem is a typed error naming the file.
import { failure, type Result } from '../errors';
import { findPrivateKeys, mentionsPrivateKeys, privateKeyDer } from '../deploymentFile/privateKeys';
import { formatProblem } from '../deploymentFile/problems';
import { located, readJsonDocumentSteps } from '../deploymentFile/read';
import { isObject } from '../deploymentFile/shape';
import type { JsonWording } from '../deploymentFile/syntax';
import { explainShape } from '../deploymentFile/validate';
import { INVENTORY_SCHEMA, INVENTORY_SHAPE, type Inventory } from './shape';

/** An inventory of 12,000 servers with five certificates each is about 120 MB; larger files are refused unread. */
export const INVENTORY_MAX_BYTES = 256 * 1024 * 1024;

const WORDING: JsonWording = {
  file: 'inventory', root: 'inventory object', depth: 'an inventory needs fewer than 10',
  restore: 'run Get-SfbCertificateInventory.ps1 again and import the file it writes',
};

const RUN_AGAIN = 'Run Get-SfbCertificateInventory.ps1 again (SfB Certificates: Save Inventory Collector Script…) and import the file it writes, unedited.';

export type InventoryRead = Result<{ inventory: Inventory; warnings: string[] }>;

/** The error for an inventory of `size` bytes when that is over the cap (checked before reading it), else undefined. */
export function inventorySizeProblem(size: number, fileName: string): InventoryRead | undefined {
  if (size <= INVENTORY_MAX_BYTES) return undefined;
  return failure('inventory-too-large', `${fileName} is ${(size / 1048576).toFixed(0)} MB; an inventory is at most ${INVENTORY_MAX_BYTES / 1048576} MB, so this is not one (or it is damaged).`, RUN_AGAIN);
}

function notAnInventory(doc: unknown, name: string): InventoryRead | undefined {
  if (!isObject(doc)) return failure('not-an-inventory', `${name} is not an SfB Certificates inventory: it holds ${Array.isArray(doc) ? 'a list' : 'a single value'}, not an object with "schema": "${INVENTORY_SCHEMA}".`, RUN_AGAIN);
  const schema = doc.schema;
  if (schema === INVENTORY_SCHEMA) return undefined;
  if (typeof schema === 'string' && schema.startsWith('sfb-inventory/')) {
    return failure('inventory-newer', `${name} is an inventory in the format ${JSON.stringify(schema)}, which this version of SfB Certificates does not read (it reads ${INVENTORY_SCHEMA}).`,
      'Update the extension, or collect again with the script this version saves (Save Inventory Collector Script…).');
  }
  if ('schemaVersion' in doc && 'pools' in doc) {
    return failure('not-an-inventory', `${name} is a deployment file (sfb-deployment.json), not an inventory.`, 'Open it as the workspace\'s deployment file instead, or import the JSON file Get-SfbCertificateInventory.ps1 wrote.');
  }
  return failure('not-an-inventory', `${name} is not an SfB Certificates inventory: it has no "schema": "${INVENTORY_SCHEMA}".`, RUN_AGAIN);
}

/** Reads and checks one inventory file (its bytes, or text). */
export function parseInventory(input: string | Uint8Array, name = 'The inventory'): InventoryRead {
  const steps = parseInventorySteps(input, name);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** parseInventory in steps, each one pass over the file (decode, JSON.parse, the names, the shape, the key guard). */
export function* parseInventorySteps(input: string | Uint8Array, name = 'The inventory'): Generator<void, InventoryRead, void> {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  const big = inventorySizeProblem(size, name);
  if (big) return big;
  const { document: read } = yield* readJsonDocumentSteps(input, (doc) => INVENTORY_SHAPE.ok(doc), WORDING);
  yield;
  if (!read.ok) return failure('inventory-invalid', `${name}: ${formatProblem(read.problems[0])}`, RUN_AGAIN);
  const wrongKind = notAnInventory(read.doc, name);
  if (wrongKind) return wrongKind;
  const warnings: string[] = [];
  if (!read.conforms) {
    const explained = explainShape(INVENTORY_SHAPE, read.doc, { unknownKeyFate: ' (this version of SfB Certificates does not read it)', secretWhere: 'An inventory never holds secrets: only public certificates and the HasPrivateKey flag' });
    if (explained.problems.length) {
      const shown = explained.problems.slice(0, 3).map((p) => formatProblem(p).replace(/\.$/, '')).join('; ');
      return failure('inventory-invalid', `${name} is not a valid inventory: ${shown}${explained.problems.length > 3 ? `; and ${explained.problems.length - 3} more` : ''}.`, RUN_AGAIN);
    }
    warnings.push(...explained.warnings.map((w) => `${name}: ${w}`));
  }
  const inventory = read.doc as Inventory;
  const keys = findPrivateKeys(read.doc, mentionsPrivateKeys(read.text)).map((k) => located(read.text, k.at, 'a PEM private key block'));
  inventory.computers.forEach((c, ci) => c.store.forEach((s, si) => {
    const kind = privateKeyDer(s.RawData);
    if (kind) keys.push(located(read.text, ['computers', ci, 'store', si, 'RawData'], `holds ${kind}, not a certificate`));
  }));
  if (keys.length) {
    return failure('inventory-private-key', `${name} holds a private key (${formatProblem(keys[0])}). An inventory must never carry private keys; SfB Certificates does not read this file.`,
      'Delete the file securely, and collect again with the unmodified Get-SfbCertificateInventory.ps1 (it reads only public certificates).');
  }
  return { ok: true, inventory, warnings };
}
