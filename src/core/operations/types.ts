// The request types: every operation's arguments and result, by the cmdlet (or action) name a request carries.
import type { RsaKeyPair } from '../certgen';
import type { AppliedRoll } from '../clock';
import type { CertificateReference, ReplicaStatus } from '../cmdlets';
import type { CertUse, Clock, OperationOutcome, ProductVersion } from '../model';
import type { ReplicationResult } from '../replication';
import type { RuleOptions } from '../certificateChecks';

// ---------------------------------------------------------------------------------------------
// Arguments, one interface per cmdlet / action
// ---------------------------------------------------------------------------------------------

export interface GetCertificateArgs {
  /** 'global': the Central Management store's assignments. Otherwise the computer's own. */
  identity?: 'global';
  /** The computer the shell runs on (cmdlets without -Identity act on it). Default: a Front End of the CMS pool. */
  computer?: string;
  type?: CertUse[];
  /** SfB Certificates' addition (Get-CsCertificate has no documented -Previous): also list previous and pending. */
  includePreviousAndPending?: boolean;
}

export interface CertificateFile {
  /** Display path, as written in the PowerShell line. */
  path: string;
  bytes: Uint8Array;
  /** Used for this call only. */
  password?: string;
  /** Workspace-relative path recorded as StoredCertificate.sourceFile (default: `path`). */
  sourceFile?: string;
}

/** Import-CsCertificate, CMS parameter set: imports and assigns at global scope. */
export interface ImportGlobalArgs extends CertificateFile {
  identity: 'global';
  type: CertUse[];
  effectiveDate?: string;
  roll?: boolean;
}

/** Import-CsCertificate, local parameter set: into one computer's store, nothing assigned. */
export interface ImportLocalArgs extends CertificateFile {
  identity?: undefined;
  computer: string;
  privateKeyExportable?: boolean;
}

export type ImportCertificateArgs = ImportGlobalArgs | ImportLocalArgs;

export interface SetCertificateArgs {
  identity?: 'global';
  /** The computer the shell runs on: its store is searched, and without -Identity its uses are set. */
  computer?: string;
  type: CertUse[];
  /** As typed: spaces, lowercase and invisible marks (U+200E) are cleaned up with a note. */
  thumbprint: string;
  /** US style ("7/1/2015", "7/22/2015 6:00:00 AM") or ISO 8601; no zone = UTC. */
  effectiveDate?: string;
  roll?: boolean;
}

export interface RemoveCertificateArgs {
  identity?: 'global';
  computer?: string;
  type: CertUse[];
  previous?: boolean;
}

export interface ReplicaArgs {
  replicaFqdn?: string;
}

/** Certificates MMC: Export with the private key to a PFX. The store holds no keys, so the source PFX is read again. */
export interface MmcExportArgs {
  computer: string;
  thumbprint: string;
  /** The PFX named by the certificate's sourceFile, and its password. */
  sourceBytes: Uint8Array;
  sourcePassword?: string;
  /** Password protecting the exported file (used for this call only). */
  password: string;
  /** Where the exported file goes (display only; the caller writes the bytes). */
  path: string;
}

/** Certificates MMC: Import of a file into one computer's store. Not replicated. */
export interface MmcImportArgs extends CertificateFile {
  computer: string;
  /** "Mark this key as exportable" — unchecked by default in Windows' import wizard. */
  exportable?: boolean;
}

/** Request-CsCertificate -New: what the Certificate Request wizard's pages ask [S6] (reference §5.3). */
interface RequestCommonArgs {
  /** -ComputerFqdn, or the computer the shell or wizard runs on. */
  computer: string;
  type: CertUse[];
  /** Made by the caller beforehand (generateRsaKeyPair) with keySize bits, so a preview and the run make the same request. */
  keyPair: RsaKeyPair;
  /** 1024, 2048 (default) or 4096. */
  keySize?: number;
  friendlyName?: string;
  privateKeyExportable?: boolean;
  template?: string;
  organization?: string;
  ou?: string;
  /** Two-letter code. */
  country?: string;
  state?: string;
  city?: string;
  /** SIP domains whose sip.<domain> is added to the SANs (default: the primary one). */
  sipDomains?: string[];
  /** -AllSipDomain: every SIP domain's. */
  allSipDomain?: boolean;
  /** -DomainName: additional SANs. */
  domainName?: string[];
  /** Workspace-relative file where the caller writes the private key (keyFileFor). Never in the deployment file. */
  keyFile: string;
}

/** "Prepare the request now, but send it later" / -Output: a pending request and its PKCS #10 file. */
export interface OfflineRequestArgs extends RequestCommonArgs {
  mode: 'offline';
  /** -Output as typed (display). */
  output: string;
  /** Workspace-relative file where the caller writes the request. */
  requestFile: string;
}

/** "Send the request immediately to an online certification authority": only the sample's test CA answers (a lab). */
export interface TestCaRequestArgs extends RequestCommonArgs {
  mode: 'test-ca';
  /** -CA as typed: "<CA FQDN>\<CA name>" or the CA name. */
  ca: string;
  /** The test CA's PFX (certificate and key), read by the caller. */
  caFile: CertificateFile;
  /** Workspace-relative file where the caller writes the issued certificate (certificateFileFor). */
  certificateFile: string;
}

export type RequestCertificateArgs = OfflineRequestArgs | TestCaRequestArgs;

/** A request before its key is made and the test CA's file is read: what the wizard's pages collect. */
export type RequestWithoutKey = Omit<OfflineRequestArgs, 'keyPair'> | Omit<TestCaRequestArgs, 'keyPair' | 'caFile'>;

/** Process Pending Request: the CA's answer (.cer, .pem or .p7b) to a pending request of the computer. */
export interface CompletePendingArgs extends CertificateFile {
  computer: string;
  /** The pending request the user picked (its requestFile); without it, the one whose key matches. */
  requestFile?: string;
  /** The pending request's private key (PKCS #8 PEM) as read from its keyFile; used for this call only. (`path` is the answer as the Front End names it, for the PowerShell line; `sourceFile`, when given, the file the admin chose, named in the messages.) */
  keyPem: string;
}

export interface SimulatedDateArgs {
  /** ISO (or US style); undefined = real time. */
  date: string | undefined;
}

export interface ProductVersionArgs {
  /** '2015' or '2019'; anything else is refused. */
  version: string;
}

export interface ReachabilityArgs {
  replicaFqdn: string;
  reachable: boolean;
}

/** Every operation's arguments, by the cmdlet (or action) name a request carries. */
export interface OperationArgs {
  'Get-CsCertificate': GetCertificateArgs;
  'Import-CsCertificate': ImportCertificateArgs;
  'Set-CsCertificate': SetCertificateArgs;
  'Remove-CsCertificate': RemoveCertificateArgs;
  'Get-CsManagementStoreReplicationStatus': ReplicaArgs;
  'Invoke-CsManagementStoreReplication': ReplicaArgs;
  'MMC-Export': MmcExportArgs;
  'MMC-Import': MmcImportArgs;
  'Request-CsCertificate': RequestCertificateArgs;
  'Process-PendingRequest': CompletePendingArgs;
  'Set-SimulatedDate': SimulatedDateArgs;
  'Simulate-ReplicaReachability': ReachabilityArgs;
  'Set-ProductVersion': ProductVersionArgs;
}

export type OperationName = keyof OperationArgs;

/** A request for one operation (N), or for any of them (the default). */
export type OperationRequest<N extends OperationName = OperationName> = { [K in N]: { cmdlet: K } & OperationArgs[K] }[N];

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export interface AssignmentResult {
  thumbprint: string;
  /** 'global' or the computer's FQDN. */
  scope: string;
  uses: CertUse[];
  /** ISO; set when the assignment was staged with -Roll. */
  effectiveDate?: string;
}

export interface ImportResult {
  thumbprint: string;
  /** 'global' or the computer's FQDN. */
  scope: string;
  hasPrivateKey: boolean;
  /** Set for the CMS parameter set (the import also assigns). */
  assignment?: AssignmentResult;
}

export interface RemoveResult {
  scope: string;
  uses: CertUse[];
  previous: boolean;
  thumbprints: string[];
}

export interface ExportResult {
  thumbprint: string;
  /** The new PKCS #12 file, protected by the new password. */
  pfx: Uint8Array;
}

export interface RequestResult {
  computer: string;
  uses: CertUse[];
  /** As Windows prints it. */
  subject: string;
  dnsNames: string[];
  /** PKCS #10, PEM: the caller writes it to requestFile (offline). */
  requestPem: string;
  /** PKCS #8 PEM: the caller writes it to keyFile. Never stored in the deployment. */
  keyPem: string;
  keyFile: string;
  /** Offline: where the request goes. */
  requestFile?: string;
  /** Issued by the test CA: the certificate, in the computer's store now; the caller writes it to certificateFile. */
  issued?: { thumbprint: string; certificatePem: string; certificateFile: string };
}

export interface CompletePendingResult {
  computer: string;
  thumbprint: string;
  uses: CertUse[];
  requestFile: string;
  keyFile: string;
}

export interface ReachabilityResult {
  replicaFqdn: string;
  reachable: boolean;
}

export interface ProductVersionResult {
  version: ProductVersion;
  /** The version the model used before (set by hand, or assumed). */
  before: ProductVersion;
}

export interface ClockResult {
  /** ISO; the model's now after the change. */
  now: string;
  simulated: boolean;
  rollsApplied: AppliedRoll[];
}

/** Every operation's result, by the cmdlet (or action) name: what `run` and `preview` return for a request. */
export interface OperationResults {
  'Get-CsCertificate': CertificateReference[];
  'Import-CsCertificate': ImportResult;
  'Set-CsCertificate': AssignmentResult;
  'Remove-CsCertificate': RemoveResult;
  'Get-CsManagementStoreReplicationStatus': ReplicaStatus[];
  'Invoke-CsManagementStoreReplication': ReplicationResult[];
  'MMC-Export': ExportResult;
  'MMC-Import': ImportResult;
  'Request-CsCertificate': RequestResult;
  'Process-PendingRequest': CompletePendingResult;
  'Set-SimulatedDate': ClockResult;
  'Simulate-ReplicaReachability': ReachabilityResult;
  'Set-ProductVersion': ProductVersionResult;
}

/** The outcome of a request, its result typed by the request's cmdlet. */
export type OutcomeOf<N extends OperationName> = OperationOutcome<OperationResults[N]>;

/** What an operation runs with: the clock, and the expiry warning window of the findings it returns (default 45 days). */
export interface OperationContext extends Clock, RuleOptions {}
