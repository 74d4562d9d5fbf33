// Reading sfb-deployment.json: bytes → text (strict UTF-8) → JSON (with positions for syntax errors and duplicate keys)
// → no private key → a valid deployment (migrated when older). A file that cannot be loaded is never overwritten: the
// result says why, the caller keeps it read-only, and the save refuses to replace it.
import { SCHEMA_VERSION } from '../model';
import { findPrivateKeys, mentionsPrivateKeys } from './privateKeys';
import { MAX_PROBLEMS, formatPath, type DeploymentFileProblem, type ParseResult, type Segment } from './problems';
import { DEPLOYMENT_SHAPE, isObject, keysSeen } from './shape';
import { countPropertyNames, decodeUtf8, duplicateKey, lineAndColumn, offsetOf, syntaxProblem } from './syntax';
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

function located(text: string, at: Segment[], message: string): DeploymentFileProblem {
  const offset = offsetOf(text, at);
  if (offset === undefined) return { path: formatPath(at), message };
  const { line, column } = lineAndColumn(text, offset);
  return { path: formatPath(at), line, column, message: `line ${line}, column ${column}: ${message}` };
}

/**
 * Reads a deployment file: its bytes (decoded as strict UTF-8) or its text. Syntax, duplicate keys, private keys,
 * schema version, then the model.
 */
export function parseDeployment(input: string | Uint8Array): ParseResult {
  let source: string;
  if (typeof input === 'string') source = input;
  else {
    const decoded = decodeUtf8(input);
    if (!decoded.ok) return failed([decoded.problem]);
    source = decoded.text;
  }
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (e) {
    return failed([syntaxProblem(source, (e as Error).message)]);
  }
  keysSeen.count = 0;
  const conforms = isObject(doc) && doc.schemaVersion === SCHEMA_VERSION && DEPLOYMENT_SHAPE.ok(doc);
  // JSON.parse keeps the last of two equal keys: fewer keys in the objects than names in the text means a duplicate.
  if ((conforms ? keysSeen.count : countKeys(doc)) !== countPropertyNames(source)) {
    const duplicate = duplicateKey(source);
    if (duplicate) return failed([duplicate]);
  }
  const keys = findPrivateKeys(doc, mentionsPrivateKeys(source));
  if (keys.length) return failed(keys.slice(0, MAX_PROBLEMS).map((k) => located(source, k.at, k.message)));
  return checkDeployment(doc, conforms);
}
