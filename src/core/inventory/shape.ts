// The inventory file's one description: what Get-SfbCertificateInventory.ps1 writes (the published contract
// "sfb-inventory/1"). Its types, the validator (the shapes' compiled check, and the walk that explains a refusal with
// JSON paths) and the shipped JSON Schema (schemas/sfb-inventory.schema.json, `npm run schema`) all come from here,
// built with the deployment file's shape builders. Property names follow the cmdlets' output objects
// (Get-CsCertificate [S2], Get-CsManagementStoreReplicationStatus [S5], X509Certificate2), as the collector copies them.
import { ANY_TEXT, BOOLEAN, ISO_DATE, NON_EMPTY, THUMBPRINT_TEXT, list, object, oneOf, optional, required, text } from '../deploymentFile/shape';

export const INVENTORY_SCHEMA = 'sfb-inventory/1';

/** One object of Get-CsCertificate (every use, as the computer sees it). */
export interface InventoryCsCertificate {
  Use: string;
  Thumbprint: string;
  Subject?: string;
  Issuer?: string;
  SerialNumber?: string;
  NotBefore?: string;
  NotAfter?: string;
  AlternativeNames?: string[];
  EffectiveDate?: string;
  PreviousThumbprint?: string;
  SourceScope?: string;
}

/** One certificate of the computer's Personal store (Cert:\LocalMachine\My): public data only. */
export interface InventoryStoreCertificate {
  Thumbprint: string;
  FriendlyName?: string;
  HasPrivateKey: boolean;
  /** Absent when it could not be read (a CNG key, or no key). */
  PrivateKeyExportable?: boolean;
  /** The certificate's DER, base64 (X509Certificate2.RawData). */
  RawData: string;
}

/** One row of Get-CsManagementStoreReplicationStatus. */
export interface InventoryReplica {
  ReplicaFqdn: string;
  UpToDate: boolean;
  LastStatusReport?: string;
  LastUpdateCreation?: string;
  ProductVersion?: string;
}

export interface InventoryComputer {
  fqdn: string;
  /** Why nothing (or not everything) could be read from it: unreachable, access denied, no Skype for Business module. */
  error?: string;
  csCertificates: InventoryCsCertificate[];
  store: InventoryStoreCertificate[];
}

export interface Inventory {
  schema: string;
  collectedAt: string;
  collectedOn: string;
  /** The text of Get-CsTopology -AsXml (or a Topology Builder file's XML). */
  topologyXml?: string;
  /** Why the topology or the replication status could not be read. */
  topologyError?: string;
  replicationError?: string;
  replication: InventoryReplica[];
  computers: InventoryComputer[];
}

const CS_CERTIFICATE = object<InventoryCsCertificate>('Get-CsCertificate result', 'csCertificate', {
  Use: required(NON_EMPTY),
  Thumbprint: required(THUMBPRINT_TEXT),
  Subject: optional(ANY_TEXT),
  Issuer: optional(ANY_TEXT),
  SerialNumber: optional(ANY_TEXT),
  NotBefore: optional(ISO_DATE),
  NotAfter: optional(ISO_DATE),
  AlternativeNames: optional(list(ANY_TEXT)),
  EffectiveDate: optional(ISO_DATE),
  PreviousThumbprint: optional(THUMBPRINT_TEXT),
  SourceScope: optional(ANY_TEXT),
});

const STORE_CERTIFICATE = object<InventoryStoreCertificate>('store certificate', 'storeCertificate', {
  Thumbprint: required(THUMBPRINT_TEXT),
  FriendlyName: optional(ANY_TEXT),
  HasPrivateKey: required(BOOLEAN),
  PrivateKeyExportable: optional(BOOLEAN),
  RawData: required(text('the certificate (DER) in base64, starting "MI"', 'der-base64', 'rawData')),
});

const REPLICA = object<InventoryReplica>('replica status', 'replicaStatus', {
  ReplicaFqdn: required(NON_EMPTY),
  UpToDate: required(BOOLEAN),
  LastStatusReport: optional(ISO_DATE),
  LastUpdateCreation: optional(ISO_DATE),
  ProductVersion: optional(ANY_TEXT),
});

const COMPUTER = object<InventoryComputer>('computer', 'computer', {
  fqdn: required(NON_EMPTY),
  error: optional(ANY_TEXT),
  csCertificates: required(list(CS_CERTIFICATE)),
  store: required(list(STORE_CERTIFICATE)),
});

export const INVENTORY_SHAPE = object<Inventory>('inventory', 'inventory', {
  schema: required(oneOf([INVENTORY_SCHEMA])),
  collectedAt: required(ISO_DATE),
  collectedOn: required(NON_EMPTY),
  topologyXml: optional(ANY_TEXT),
  topologyError: optional(ANY_TEXT),
  replicationError: optional(ANY_TEXT),
  replication: required(list(REPLICA)),
  computers: required(list(COMPUTER)),
});
