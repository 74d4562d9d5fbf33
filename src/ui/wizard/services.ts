// What the wizard panel needs from the rest of the extension. The live store (src/ui/store.ts) provides it;
// host tests can provide it too. The panel never changes the deployment itself: it asks `run`.
import type { Deployment, Finding, OperationName, OperationRequest, OutcomeOf } from '../../core';
import type { ServerFiles } from '../serverFiles';

export interface WizardServices {
  /** The current deployment, or undefined when none is loaded. */
  readonly state: Deployment | undefined;
  /** The clock's now (real or simulated). */
  now(): Date;
  /** Runs an operation through the one store (logs it, saves the file, refreshes the tree). */
  run<N extends OperationName>(request: OperationRequest<N>): Promise<OutcomeOf<N>>;
  /** The expiry warning window in days (the `sfbCertificates.expiryWarningDays` setting). */
  expiryWarningDays(): number;
  /** Rule findings for the current state (the same the tree and the Problems panel show). */
  findings(): Finding[];
  /** Fires after every change of the deployment, whoever made it. Returns a disposer. */
  onDidChange(listener: () => void): () => void;
  /** Opens the "SfB Certificates" output channel (the wizard's "View Log"). */
  showLog(): void;
  /** Lets the user pick a certificate file; undefined when cancelled. Returns the path and its bytes. */
  pickCertificateFile(): Promise<{ path: string; bytes: Uint8Array } | undefined>;
  /** Reads a certificate file the user typed a path for (workspace-relative or absolute). */
  readCertificateFile(path: string): Promise<Uint8Array>;
  /** A dry run of an operation on the current state. */
  preview<N extends OperationName>(request: OperationRequest<N>): OutcomeOf<N>;
  /** Where a file of this machine is on the servers' C:\ drive, as a PowerShell line on the Front End names it. */
  serverPath(p: string): string;
  /** The servers' C:\ drive (where requests and their key files go). */
  serverFiles(): ServerFiles;
  /** The sample's test CA's name when its file is in the workspace. */
  testCertificationAuthority(): string | undefined;
  /** Logs a rejected/invalid webview message (never applied). */
  logRejected(reason: string): void;
}
