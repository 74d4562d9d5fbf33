// The Dry Run view's messages (src/ui/scripts/dryRunPanel.ts ↔ media/dryrun/main.ts), issue #13. The webview
// reports four clicks and nothing else; the host sends one `render` with the whole view.
import { oneOf, onlyKeys, parsing, record, type Parsed } from './check';

/** How the dry run ended, and what became of it. */
export type DryRunStatus = 'completed' | 'unchanged' | 'error' | 'stopped' | 'stale' | 'applied';

export interface DryRunAssignmentView {
  /** 'global' or a server FQDN. */
  scope: string;
  use: string;
  /** 'current' | 'previous' | 'staged roll'. */
  part: string;
  before: string;
  after: string;
}

export interface DryRunView {
  /** The script's file name. */
  script: string;
  /** "6/1/2015 8:00:00 AM (UTC, the model's time)". */
  ranAt: string;
  status: DryRunStatus;
  /** One or two sentences: how the run ended and what Apply would do, or why it cannot. */
  statusText: string;
  /** The output as the shell would print it, each piece already through the presenter's escaping. */
  output: { stream: 'output' | 'error' | 'warning' | 'verbose'; text: string }[];
  assignments: DryRunAssignmentView[];
  stores: { store: string; added: string[]; removed: string[] }[];
  cmsVersion: { before: number; after: number };
  /** Replicas that would be behind the CMS version: "fe02.contoso.com (version 3 of 4)". */
  replicasBehind: string[];
  /** The operations the model would record. */
  history: string[];
  canApply: boolean;
  /** Why Apply is unavailable, when it is. */
  applyHint?: string;
  /** Offer to run the script again (e.g. the deployment changed since). */
  canRerun: boolean;
}

export type DryRunToHost = { type: 'ready' } | { type: 'apply' } | { type: 'cancel' } | { type: 'rerun' };
export type DryRunToWebview = { type: 'render'; view: DryRunView };

const DRY_RUN_TO_HOST_TYPES: readonly DryRunToHost['type'][] = ['ready', 'apply', 'cancel', 'rerun'];

function dryRunToHost(value: unknown): DryRunToHost {
  const obj = record(value, 'message');
  const type = oneOf(obj.type, DRY_RUN_TO_HOST_TYPES, 'message.type');
  onlyKeys(obj, ['type'], `"${type}" message`);
  return { type };
}

/** Checks a message from the dry run webview: one of four types, no other fields. */
export const parseDryRunToHost: (value: unknown) => Parsed<DryRunToHost> = parsing<DryRunToHost>(dryRunToHost);
