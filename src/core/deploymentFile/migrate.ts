// Older versions of the deployment file, upgraded to the current one (SCHEMA_VERSION of model.ts) on load; the upgrade
// is written when SfB Certificates next saves the file.
import { SCHEMA_VERSION } from '../model';
import type { Document } from './shape';

/**
 * MIGRATIONS[n] turns a version-n document into version n+1. Version 1 is the first, so there are none yet;
 * when SCHEMA_VERSION becomes 2, the v1 → v2 step goes here under key 1.
 */
const MIGRATIONS: Readonly<Record<number, (doc: Document) => Document>> = {};

/** The document upgraded from version `from` to SCHEMA_VERSION, and a warning saying so when it was older. */
export function migrate(doc: Document, from: number): { doc: Document; warning?: string } {
  let out = doc;
  for (let v = from; v < SCHEMA_VERSION; v++) out = MIGRATIONS[v](out);
  if (from >= SCHEMA_VERSION) return { doc: out };
  return { doc: out, warning: `The file was written with schema version ${from}; it is upgraded to version ${SCHEMA_VERSION} when SfB Certificates next saves it.` };
}
