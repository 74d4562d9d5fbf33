// The one model of a Skype for Business Server deployment. Pure data: no 'vscode', no I/O.
// Product facts cite their sources as [Sn] (docs/sources.md); where no source confirms a behaviour, a finding or an
// error says `source: 'extension-rule'`, and the UI labels it as the extension's own rule.
import type { ErrorSource, Failure } from './errors';

export const SCHEMA_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

export type SanType = 'dns' | 'ip' | 'email' | 'uri' | 'other';
export interface SubjectAltName {
  type: SanType;
  value: string;
}

export interface ExtendedKeyUsage {
  oid: string;
  /** Windows' display name, e.g. "Server Authentication"; the OID when unknown. */
  name: string;
}

/** What the extension knows of one certificate. Never holds a private key. */
export interface CertificateRecord {
  /** SHA-1 of the DER, 40 uppercase hex characters, as Windows shows it. */
  thumbprint: string;
  /** Uppercase hex without separators, as Get-CsCertificate prints SerialNumber. */
  serialNumber: string;
  /** As Windows prints it: "CN=sfb.contoso.com, O=Contoso, C=US" (most specific first). */
  subject: string;
  issuer: string;
  subjectAlternativeNames: SubjectAltName[];
  /** ISO 8601 (UTC). */
  notBefore: string;
  notAfter: string;
  /** "RSA", "EC", "DSA", "Ed25519", … */
  keyAlgorithm: string;
  /** RSA modulus bits, or the EC curve size. */
  keySize: number;
  /** EC curve name when keyAlgorithm is EC (e.g. "prime256v1"). */
  keyCurve?: string;
  /** e.g. "sha256RSA" (Windows' name) */
  signatureAlgorithm: string;
  enhancedKeyUsages: ExtendedKeyUsage[];
  isCA: boolean;
  /**
   * The CRL Distribution Points extension's names ("URL=http://pki.contoso.com/ca.crl"); [] when the certificate has
   * none. Absent in records written before it was read (unknown, not "none").
   */
  crlDistributionPoints?: string[];
  hasPrivateKey: boolean;
  friendlyName?: string;
  /** The public certificate, DER, base64. */
  derBase64: string;
}

/** A certificate in a computer's Personal store (or held by the CMS for a global use). */
export interface StoredCertificate extends CertificateRecord {
  /**
   * Whether the private key may be exported (MMC "Yes, export the private key" is greyed out otherwise): what
   * Request-CsCertificate -PrivateKeyExportable and the MMC's "Mark this key as exportable" set.
   */
  exportable: boolean;
  /**
   * Whether the Network Service account may read the private key: what Import-CsCertificate -PrivateKeyExportable
   * sets [S3] (reference C8), a different fact from `exportable`. Absent when the path that put the certificate here
   * says nothing about it.
   */
  networkServiceCanReadKey?: boolean;
  /** How it got there. */
  source: 'sample' | 'import' | 'replication' | 'mmc-import' | 'request' | 'inventory';
  /** ISO time it was added. */
  addedAt: string;
  /**
   * Workspace-relative path of the PFX this certificate (with its key) came from, if any. The store never
   * holds private keys: an MMC-style export reads this file again (with its password) to get the key.
   */
  sourceFile?: string;
}

// ---------------------------------------------------------------------------------------------
// Certificate uses (-Type) — the one table of cmdlet facts lives in cmdlets.ts
// ---------------------------------------------------------------------------------------------

export type CertUse =
  | 'Default'
  | 'WebServicesInternal'
  | 'WebServicesExternal'
  | 'OAuthTokenIssuer'
  | 'AudioVideoAuthentication'
  | 'AccessEdgeExternal'
  | 'DataEdgeExternal'
  | 'Internal'
  | 'External'
  | 'XMPPServer'
  | 'iPhoneAPNService'
  | 'iPadAPNService'
  | 'MPNService'
  | 'WsFedTokenTransfer'
  | 'PICWebService'
  | 'ProvisionService'
  | 'LogRetentionService'
  | 'SMPDNSWebService'
  | 'TenantAdmin'
  | 'UpgradeEngineService';

// ---------------------------------------------------------------------------------------------
// Assignments: SfB keeps a current and a previous certificate per use, plus a staged roll.
// ---------------------------------------------------------------------------------------------

export interface SlotEntry {
  thumbprint: string;
  /** When it became (or becomes) current. ISO. */
  effectiveDate: string;
  /** When the assignment was written. ISO. */
  updateTime: string;
}

export interface PendingRoll {
  thumbprint: string;
  /** ISO; the roll is applied when the clock reaches it. */
  effectiveDate: string;
  updateTime: string;
}

export interface Slot {
  current?: SlotEntry;
  previous?: SlotEntry;
  pending?: PendingRoll;
}

export type Assignments = Partial<Record<CertUse, Slot>>;

// ---------------------------------------------------------------------------------------------
// Topology
// ---------------------------------------------------------------------------------------------

export interface SipDomain {
  name: string;
  isDefault: boolean;
}

export interface Site {
  /** Stable id (SiteId from the topology, or a slug). */
  id: string;
  name: string;
  kind: 'central' | 'branch';
  city?: string;
  country?: string;
}

export type PoolKind = 'FrontEndEnterprise' | 'StandardEdition' | 'Director' | 'Edge' | 'Mediation';

/** Each pool kind as Skype for Business names it. */
export const POOL_KIND_LABELS: Readonly<Record<PoolKind, string>> = {
  FrontEndEnterprise: 'Enterprise Edition Front End pool',
  StandardEdition: 'Standard Edition server',
  Director: 'Director pool',
  Edge: 'Edge pool',
  Mediation: 'Mediation pool',
};

/** Roles a machine can hold (Topology Builder RoleName values, simplified). */
export type ServerRole =
  | 'FrontEnd'
  | 'Registrar'
  | 'UserServices'
  | 'Director'
  | 'Edge'
  | 'Mediation'
  | 'WebServices'
  | 'CentralManagement';

/** Replication state of a computer's local configuration store (a CMS replica). */
export interface ReplicaState {
  /** The CMS version this replica has applied. UpToDate = appliedVersion === cms.version && reachable. */
  appliedVersion: number;
  /** Simulated outage: replication to this replica fails while true. */
  unreachable: boolean;
  /** ISO; last time the replica reported status (empty for a failing Edge, as the community reports). */
  lastStatusReport?: string;
  /** ISO; creation time of the last update applied. */
  lastUpdateCreation?: string;
  /** e.g. "7.0.2046.0" (SfB 2019) */
  productVersion: string;
}

/**
 * A certificate request made on a computer and not yet answered (Request-CsCertificate -New … -Output, or the
 * Certificate Request wizard's "Prepare the request now, but send it later"). Windows keeps its private key in the
 * computer's request store; SfB Certificates keeps it in `keyFile` (never in the deployment file), and "Process
 * Pending Request" pairs the CA's answer with it by the public key.
 */
export interface PendingCertificateRequest {
  /** ISO. */
  requestedAt: string;
  uses: CertUse[];
  /** As Windows prints it: "CN=pool01.contoso.com, O=Contoso, C=US". */
  subject: string;
  dnsNames: string[];
  friendlyName?: string;
  keySize: number;
  /** -PrivateKeyExportable / "Mark the certificate's private key as exportable". */
  exportable: boolean;
  /** The request (PKCS #10, Base-64), relative to the workspace folder. */
  requestFile: string;
  /** The private key (PKCS #8 PEM, not password-protected), relative to the workspace folder. */
  keyFile: string;
  /** SHA-1 of the public key (SubjectPublicKeyInfo, DER), 40 uppercase hex characters: pairs the answer with the request. */
  publicKeySha1: string;
}

export interface Server {
  fqdn: string;
  roles: ServerRole[];
  /** The computer's Personal certificate store. */
  certificates: StoredCertificate[];
  /** Per-computer assignments (Default, WebServices*, …) and the locally deployed OAuthTokenIssuer. */
  assignments: Assignments;
  replica: ReplicaState;
  /** Deployment Wizard steps 1, 2 and 4 done on this computer (step 3 is derived from its certificates). */
  setup: { localStoreInstalled: boolean; componentsInstalled: boolean; servicesStarted: boolean };
  /** Requests made on this computer and not yet answered (see PendingCertificateRequest). */
  pendingRequests?: PendingCertificateRequest[];
}

export interface Pool {
  fqdn: string;
  siteId: string;
  kind: PoolKind;
  servers: Server[];
  /** This pool hosts the Central Management Server. */
  hostsCms: boolean;
  /** Internal / external web services FQDNs (for Web certs' SANs), when the topology gives them. */
  internalWebFqdn?: string;
  externalWebFqdn?: string;
}

// ---------------------------------------------------------------------------------------------
// Central Management Store
// ---------------------------------------------------------------------------------------------

export interface CentralManagementStore {
  /** Bumped by every global change; replicas catch up to it. */
  version: number;
  /** ISO time of the newest version. */
  versionCreated: string;
  /** Certificates held at global scope (with their private key, encrypted in the real CMS). */
  certificates: StoredCertificate[];
  /** Global assignments: OAuthTokenIssuer. */
  assignments: Assignments;
}

// ---------------------------------------------------------------------------------------------
// History and the whole deployment
// ---------------------------------------------------------------------------------------------

export interface HistoryEntry {
  /** ISO time (the clock's now, real or simulated). */
  at: string;
  cmdlet: string;
  powershell: string;
  /** One line a person reads: "Assigned … as OAuthTokenIssuer (global)". */
  summary: string;
  /** FQDN of the computer the command ran on ("this computer" of the shell, or the server picked in the tree); absent in files written before it was recorded. */
  computer?: string;
}

export interface Deployment {
  schemaVersion: number;
  name: string;
  sipDomains: SipDomain[];
  sites: Site[];
  pools: Pool[];
  cms: CentralManagementStore;
  /** Simulated "now" (ISO) or absent for real time. */
  simulatedNow?: string;
  /**
   * The product version set by hand (Set Product Version…) for a deployment whose replicas report none (a topology
   * import); absent when it is read from the replicas' ProductVersion or not known (topology.ts: deploymentVersion).
   */
  productVersion?: ProductVersion;
  history: HistoryEntry[];
}

/** Skype for Business Server 2015 or 2019: the versions whose certificate uses the model knows (topology.ts). */
export type ProductVersion = '2015' | '2019';

// ---------------------------------------------------------------------------------------------
// Findings and errors (values, never exceptions)
// ---------------------------------------------------------------------------------------------

export type Severity = 'error' | 'warning' | 'info';

/** Where a finding or error points: a JSON path into the store file plus readable names. */
export interface Location {
  /** JSON path into sfb-deployment.json, e.g. "pools[0].servers[1].certificates[2]" or "cms.assignments.OAuthTokenIssuer". */
  path: string;
  serverFqdn?: string;
  thumbprint?: string;
  use?: CertUse;
}

export interface Finding {
  /** Stable rule id, e.g. "oauth.missing". */
  rule: string;
  severity: Severity;
  message: string;
  /** What to do about it, ideally the PowerShell line to run. */
  fix?: string;
  where: Location;
  /**
   * Who says so, as in the error model: 'product' (documented, or a plain fact) or 'extension-rule' (SfB
   * Certificates' own rule where the product's behaviour is unconfirmed; the message ends with UNCONFIRMED_RULE).
   */
  source: ErrorSource;
}

export interface OperationOk<R> {
  ok: true;
  state: Deployment;
  result: R;
  /** The exact PowerShell line an admin would run. */
  powershell: string;
  findings: Finding[];
  /** Extra remarks (e.g. "removed the invisible U+200E mark from the thumbprint"). */
  notes: string[];
}

/** A refused operation: nothing changed. The PowerShell line is the one that would have run, when known. */
export interface OperationFailed extends Failure {
  powershell?: string;
}

export type OperationOutcome<R> = OperationOk<R> | OperationFailed;

/** A source of "now": real time or simulated. */
export interface Clock {
  now(): Date;
}
