// The text of sfb-deployment.json: keys in the model's order (shape.ts), two-space indentation, a final newline. Whole
// (for small files and the synchronous save) or in pieces whose concatenation is the same text (for the asynchronous
// save, which writes a 170 MB file without holding the event loop for long).
import type { Deployment } from '../model';
import { mentionsPrivateKeys } from './privateKeys';
import { DEPLOYMENT_SHAPE, isObject, type Document, type Shape } from './shape';

/** A copy with keys in the model's order; absent (undefined) optional fields and unknown fields are left out. */
export function canonical(shape: Shape, value: unknown): unknown {
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
  return `${JSON.stringify(canonical(DEPLOYMENT_SHAPE, d), null, 2)}\n`;
}

const listOfObjects = (shape: Shape): boolean => shape.kind === 'array' && shape.items.kind === 'object';

/**
 * Is the value written in pieces? A list of objects is (a piece per member); so is an object with a list of objects
 * that themselves hold lists of objects (the deployment, the CMS, a pool, a server). A certificate is one piece.
 */
function inPieces(shape: Shape): boolean {
  if (shape.kind === 'array') return shape.items.kind === 'object';
  return shape.kind === 'object'
    && shape.fields.some((f) => f.shape.kind === 'array' && f.shape.items.kind === 'object' && f.shape.items.fields.some((g) => listOfObjects(g.shape)));
}

/** What the pieces showed about the deployment being written (the save refuses to write what the load would refuse). */
export class WriteCheck {
  /** Every value has its shape (each piece is checked with the shapes' compiled checks as it is made). */
  conforms = true;
  /** Some piece mentions private keys: the deployment's strings need the private-key guard's full look. */
  mentionsKeys = false;

  see(text: string): string {
    if (!this.mentionsKeys && mentionsPrivateKeys(text)) this.mentionsKeys = true;
    return text;
  }
}

function leaf(shape: Shape, value: unknown, indent: string, check: WriteCheck): string {
  const copy = canonical(shape, value);
  if (!shape.ok(copy)) check.conforms = false;
  const text = check.see(JSON.stringify(copy, null, 2));
  return indent && text.includes('\n') ? text.replace(/\n/g, `\n${indent}`) : text;
}

/**
 * The same text as serializeDeployment, in pieces of about one list member (a pool's field, a server, a certificate,
 * a history entry) each. The `canonical` copy is made one piece at a time, so no second copy of the whole model exists.
 */
export function* serializeInPieces(d: Deployment, check: WriteCheck = new WriteCheck()): Generator<string> {
  yield* pieces(DEPLOYMENT_SHAPE, d, '', check);
  yield '\n';
}

function* pieces(shape: Shape, value: unknown, indent: string, check: WriteCheck): Generator<string> {
  if (!inPieces(shape)) {
    yield leaf(shape, value, indent, check);
    return;
  }
  const inner = `${indent}  `;
  if (shape.kind === 'array' && Array.isArray(value)) {
    if (!value.length) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      yield inner;
      yield* pieces(shape.items, value[i], inner, check);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
  } else if (shape.kind === 'object' && isObject(value)) {
    if (shape.fields.some((f, i) => !f.optional && value[shape.keys[i]] === undefined)) check.conforms = false;
    const present = shape.keys.flatMap((key, i) => (value[key] === undefined ? [] : [[key, shape.fields[i].shape] as const]));
    if (!present.length) {
      yield '{}';
      return;
    }
    yield '{\n';
    for (let i = 0; i < present.length; i++) {
      const [key, field] = present[i];
      yield `${inner}${JSON.stringify(key)}: `;
      yield* pieces(field, value[key], inner, check);
      yield i < present.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}}`;
  } else {
    yield leaf(shape, value, indent, check); // not a list or an object where one belongs: the leaf's check says so
  }
}
