// Is a parsed document a deployment? The compiled checks of shape.ts answer yes (nearly always) at the cost of direct
// reads; on no, a walk over the same shapes says what is wrong and where (the first MAX_PROBLEMS problems, with their
// JSON paths), drops unknown fields with a warning, and refuses fields that look like secrets. Cross-references the
// shapes cannot express (a pool's site exists, a server is listed once, …) are checked once the shapes hold.
import { SCHEMA_VERSION, type Deployment, type Server } from '../model';
import { serverPath } from '../topology';
import { migrate } from './migrate';
import { MAX_PROBLEMS, READ_ONLY_INVALID, READ_ONLY_NEWER, formatPath, type DeploymentFileProblem, type ParseResult, type Segment } from './problems';
import { DEPLOYMENT_SHAPE, article, isObject, type Document, type ObjectShape, type Shape } from './shape';

class Walk {
  readonly problems: DeploymentFileProblem[] = [];
  readonly warnings: string[] = [];
  readonly at: Segment[] = [];

  /** What happens to a key the shape does not know: said after "… is not part of <object>; it is ignored". */
  constructor(readonly unknownKeyFate = ' and dropped the next time SfB Certificates saves the file', readonly secretWhere = 'The deployment file never holds secrets: only the public certificate, the hasPrivateKey flag and sourceFile (the PFX file that keeps the key)') {}

  get full(): boolean {
    return this.problems.length >= MAX_PROBLEMS;
  }

  problem(message: string, at: string = formatPath(this.at)): void {
    if (!this.full) this.problems.push({ path: at, message });
  }
}

export function describeValue(value: unknown): string {
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

/** Checks one member (object field, list item, map entry); its path segment is pushed only for a container or a problem. */
function visitMember(shape: Shape, value: unknown, segment: Segment, w: Walk): void {
  if (shape.kind === 'object' || shape.kind === 'array' || shape.kind === 'map') {
    w.at.push(segment);
    if (shape.kind === 'object') visitObject(shape, value, w);
    else if (shape.kind === 'array') visitArray(shape, value, w);
    else visitMap(shape, value, w);
    w.at.pop();
  } else if (!shape.ok(value)) {
    w.at.push(segment);
    mismatch(w, shape, value);
    w.at.pop();
  }
}

function visitArray(shape: Extract<Shape, { kind: 'array' }>, value: unknown, w: Walk): void {
  if (!Array.isArray(value)) return mismatch(w, shape, value);
  for (let i = 0; i < value.length && !w.full; i++) visitMember(shape.items, value[i], i, w);
}

// Driven by the object's own keys (in file order), so unknown keys show up on the way.
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
    w.problem(`"${key}" looks like a private key or password. ${w.secretWhere}. Remove the field; keep the key in its PFX file.`, at);
  } else {
    w.warnings.push(`${at}: "${key}" is not part of ${article(shape.name)}; it is ignored${w.unknownKeyFate}.`);
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

/**
 * Explains why a parsed document does not conform to an object shape (other than the deployment's, e.g. the
 * inventory's): the first MAX_PROBLEMS problems with their JSON paths; unknown keys are removed with a warning.
 */
export function explainShape(shape: ObjectShape, doc: unknown, options: { unknownKeyFate: string; secretWhere: string }): { problems: DeploymentFileProblem[]; warnings: string[] } {
  const w = new Walk(options.unknownKeyFate, options.secretWhere);
  visitObject(shape, doc, w);
  return { problems: w.problems, warnings: w.warnings };
}

// ---------------------------------------------------------------------------------------------
// Cross-references the shapes cannot express (run once the shapes hold)
// ---------------------------------------------------------------------------------------------

/** Pools checked between two steps of referenceProblemsSteps. */
const POOLS_PER_STEP = 50;

function checkReferences(d: Deployment, w: Walk): void {
  const steps = checkReferencesSteps(d, w);
  while (!steps.next().done) continue;
}

function* checkReferencesSteps(d: Deployment, w: Walk): Generator<void, void, void> {
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
  for (let poolIndex = 0; poolIndex < d.pools.length; poolIndex++) {
    if (poolIndex > 0 && poolIndex % POOLS_PER_STEP === 0) yield;
    const pool = d.pools[poolIndex];
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
  }
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
// The document as a whole
// ---------------------------------------------------------------------------------------------

export function failed(errors: DeploymentFileProblem[], readOnlyReason = READ_ONLY_INVALID): ParseResult {
  return { ok: false, errors, readOnlyReason };
}

/**
 * Validates an already-parsed deployment document against the model (and migrates an older one). `conforms` says the
 * caller already ran DEPLOYMENT_SHAPE.ok on it (and it held), so the fast check is not repeated.
 */
export function checkDeployment(doc: unknown, conforms?: boolean): ParseResult {
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
  const migrated = migrate(doc, version);
  if (migrated.warning) w.warnings.push(migrated.warning);
  const current = migrated.doc;
  if (!(conforms && current === doc) && !DEPLOYMENT_SHAPE.ok(current)) visitObject(DEPLOYMENT_SHAPE, current, w);
  if (!w.problems.length) checkReferences(current as unknown as Deployment, w);
  if (w.problems.length) return failed(w.problems);
  return { ok: true, deployment: current as unknown as Deployment, warnings: w.warnings };
}

/** The cross-reference problems of a deployment whose shapes hold (the save's check of what it is about to write). */
export function referenceProblems(d: Deployment): DeploymentFileProblem[] {
  const w = new Walk();
  checkReferences(d, w);
  return w.problems;
}

/** referenceProblems in steps of POOLS_PER_STEP pools (the asynchronous save runs other work between them). */
export function* referenceProblemsSteps(d: Deployment): Generator<void, DeploymentFileProblem[], void> {
  const w = new Walk();
  yield* checkReferencesSteps(d, w);
  return w.problems;
}
