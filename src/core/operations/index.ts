// One function per cmdlet / MMC action: (state, args, clock) → OperationOutcome (new state, result, the exact
// PowerShell line, findings, notes). Errors are values and leave the state untouched; the input state is never
// mutated. Every operation first applies the rolls whose effective date has come, and every state change is
// recorded in the history. The UI, the wizard and the history all go through runOperation.
//
// Passwords are used for the duration of a call only: never stored, never in a PowerShell line or the history.
//
// One module per cmdlet / MMC action; this index is the dispatcher and the public surface. The per-cmdlet modules
// import the shared pieces (./frame, ./steps, ./types), never this index.
import type { Deployment } from '../model';
import type { OperationContext, OperationName, OperationRequest, OutcomeOf } from './types';
import { getCertificate } from './getCertificate';
import { importCertificate } from './importCertificate';
import { setCertificate } from './setCertificate';
import { removeCertificate } from './removeCertificate';
import { getReplicationStatus, invokeReplication } from './replication';
import { mmcExport, mmcImport } from './mmc';
import { completePendingRequest, requestCertificate } from './requestCertificate';
import { setReplicaReachable, setSimulatedNow } from './simulation';
import { productVersionFixed, setProductVersion } from './productVersion';

export { formatCertificateReferences, formatReplicationStatus } from '../cmdlets';
export type { CertificateReference, ReplicaStatus } from '../cmdlets';
export type { ReplicationResult } from '../replication';
export type {
  GetCertificateArgs, ImportGlobalArgs, ImportLocalArgs, ImportCertificateArgs, SetCertificateArgs, RemoveCertificateArgs, ReplicaArgs, MmcExportArgs, MmcImportArgs, OfflineRequestArgs, TestCaRequestArgs, RequestCertificateArgs, RequestWithoutKey, CompletePendingArgs, RequestResult, CompletePendingResult, SimulatedDateArgs, ReachabilityArgs, ProductVersionArgs, ProductVersionResult, OperationArgs, OperationName, OperationRequest, AssignmentResult, ImportResult, RemoveResult, ExportResult, ReachabilityResult, ClockResult, OperationResults, OutcomeOf, OperationContext,
} from './types';
export {
  REQUEST_KEY_SIZES, DEFAULT_REQUEST_KEY_SIZE, SIMPLE_URL_RULE, keyFileFor, certificateFileFor, requestNames, subjectText, publicKeySha1, pendingRequestFor, pendingRequests, renderRequestPowerShell,
  type RequestNames,
} from './requestCertificate';
export { requestCertificate, completePendingRequest, getCertificate, importCertificate, setCertificate, removeCertificate, getReplicationStatus, invokeReplication, mmcExport, mmcImport, setReplicaReachable, setSimulatedNow, setProductVersion, productVersionFixed };

type Handlers = { [N in OperationName]: (state: Deployment, request: OperationRequest<N>, context: OperationContext) => OutcomeOf<N> };

const HANDLERS: Handlers = {
  'Get-CsCertificate': getCertificate,
  'Import-CsCertificate': importCertificate,
  'Set-CsCertificate': setCertificate,
  'Remove-CsCertificate': removeCertificate,
  'Get-CsManagementStoreReplicationStatus': getReplicationStatus,
  'Invoke-CsManagementStoreReplication': invokeReplication,
  'MMC-Export': mmcExport,
  'MMC-Import': mmcImport,
  'Request-CsCertificate': requestCertificate,
  'Process-PendingRequest': completePendingRequest,
  'Set-SimulatedDate': (state, request) => setSimulatedNow(state, request.date),
  'Simulate-ReplicaReachability': (state, request, clock) => setReplicaReachable(state, request.replicaFqdn, request.reachable, clock),
  'Set-ProductVersion': setProductVersion,
};

/** The one entry point: the UI, the wizard and the history all go through it. The result is typed by the request's cmdlet. */
export function runOperation<N extends OperationName>(state: Deployment, request: OperationRequest<N>, context: OperationContext): OutcomeOf<N> {
  const handler: Handlers[N] = HANDLERS[request.cmdlet];
  return handler(state, request, context);
}

