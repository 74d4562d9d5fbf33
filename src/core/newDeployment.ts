// An empty deployment for "Create Deployment File": the SIP domain only; sites, pools and servers come from
// Import Topology (or are added by editing the file).
import { SCHEMA_VERSION, type Deployment } from './model';

export function createEmptyDeployment(primarySipDomain: string, now: Date): Deployment {
  return {
    schemaVersion: SCHEMA_VERSION,
    name: primarySipDomain,
    sipDomains: [{ name: primarySipDomain, isDefault: true }],
    sites: [],
    pools: [],
    cms: { version: 1, versionCreated: now.toISOString(), certificates: [], assignments: {} },
    history: [],
  };
}
