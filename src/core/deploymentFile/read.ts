// Reading sfb-deployment.json: bytes → text (strict UTF-8) → JSON (with positions for syntax errors and duplicate keys)
// → no private key → a valid deployment (migrated when older). A file that cannot be loaded is never overwritten: the
// result says why, the caller keeps it read-only, and the save refuses to replace it.
import { SCHEMA_VERSION } from '../model';
import { findPrivateKeys, mentionsPrivateKeys } from './privateKeys';
import { MAX_PROBLEMS, formatPath, type DeploymentFileProblem, type ParseResult, type Segment } from './problems';
import { DEPLOYMENT_SHAPE, isObject, keysSeen } from './shape';
import { DEPLOYMENT_WORDING, countPropertyNames, decodeUtf8, duplicateKey, lineAndColumn, offsetOf, syntaxProblem, type JsonWording } from './syntax';
import { checkDeployment, failed } from './validate';

/** The keys of every object in a parsed document, without recursion (its depth is not trusted). */
function countKeys(doc: unknown): number {
  let n = 0;
  const stack = [doc];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (isObject(v)) {
      for (const key in v) {
        n++;
        stack.push(v[key]);
      }
    }
  }
  return n;
}

export function located(text: string, at: Segment[], message: string): DeploymentFileProblem {
  const offset = offsetOf(text, at);
  if (offset === undefined) return { path: formatPath(at), message };
  const { line, column } = lineAndColumn(text, offset);
  return { path: formatPath(at), line, column, message: `line ${line}, column ${column}: ${message}` };
}

export type JsonDocument =
  | { ok: true; text: string; doc: unknown; conforms: boolean }
  | { ok: false; problems: DeploymentFileProblem[] };

/**
 * The hardened JSON reading every file SfB Certificates reads goes through (the deployment file, an inventory): bytes
 * decoded as strict UTF-8 (or text), a byte order mark dropped, JSON.parse with the position and JSON path of a
 * syntax error, nesting deeper than MAX_NESTING refused, and duplicate keys refused (JSON.parse keeps the last one
 * silently). `conforms` is the shape's compiled check, run once here: when it holds, the keys it saw are compared with
 * the property names in the text (no second walk); `conforms(doc)` must count keys in keysSeen as the shapes do.
 */
export function readJsonDocument(input: string | Uint8Array, conforms: (doc: unknown) => boolean, wording: JsonWording = DEPLOYMENT_WORDING): JsonDocument {
  return finish(readJsonDocumentSteps(input, conforms, wording)).document;
}

/**
 * readJsonDocument in steps, each one pass over the file (decode, JSON.parse, the property names, the shape): a caller
 * that must not block (the extension host) does other work between them. `decoded`: the text the input decoded to,
 * byte order mark included (undefined when it is not UTF-8), so that the caller need not decode it again.
 */
export function* readJsonDocumentSteps(input: string | Uint8Array, conforms: (doc: unknown) => boolean, wording: JsonWording = DEPLOYMENT_WORDING):
  Generator<void, { document: JsonDocument; decoded: string | undefined }, void> {
  let source: string;
  if (typeof input === 'string') source = input;
  else {
    const decoded = decodeUtf8(input);
    if (!decoded.ok) return { document: { ok: false, problems: [decoded.problem] }, decoded: undefined };
    source = decoded.text;
    yield;
  }
  const decoded = source;
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (e) {
    return { document: { ok: false, problems: [syntaxProblem(source, (e as Error).message, wording)] }, decoded };
  }
  yield;
  const names = countPropertyNames(source);
  yield;
  keysSeen.count = 0;
  const holds = conforms(doc);
  // JSON.parse keeps the last of two equal keys: fewer keys in the objects than names in the text means a duplicate.
  if ((holds ? keysSeen.count : countKeys(doc)) !== names) {
    const duplicate = duplicateKey(source, wording);
    if (duplicate) return { document: { ok: false, problems: [duplicate] }, decoded };
  }
  return { document: { ok: true, text: source, doc, conforms: holds }, decoded };
}

/** Runs a generator of steps to its end, at once. */
function finish<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Reads a deployment file: its bytes (decoded as strict UTF-8) or its text. Syntax, duplicate keys, private keys,
 * schema version, then the model.
 */
export function parseDeployment(input: string | Uint8Array): ParseResult {
  return finish(parseDeploymentSteps(input)).parsed;
}

/**
 * parseDeployment in steps (readJsonDocumentSteps, then the private-key scan, then the model): the extension yields to
 * other work between them. Also returns the decoded text (undefined when the bytes are not UTF-8).
 */
export function* parseDeploymentSteps(input: string | Uint8Array): Generator<void, { parsed: ParseResult; text: string | undefined }, void> {
  const { document: read, decoded: text } = yield* readJsonDocumentSteps(input, (doc) => isObject(doc) && doc.schemaVersion === SCHEMA_VERSION && DEPLOYMENT_SHAPE.ok(doc));
  if (!read.ok) return { parsed: failed(read.problems), text };
  yield;
  const { text: source, doc, conforms } = read;
  const keys = findPrivateKeys(doc, mentionsPrivateKeys(source));
  if (keys.length) return { parsed: failed(keys.slice(0, MAX_PROBLEMS).map((k) => located(source, k.at, k.message))), text };
  yield;
  return { parsed: checkDeployment(doc, conforms), text };
}
