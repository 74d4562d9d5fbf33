// Set Product Version…: the deployment's Skype for Business Server version, set by hand where no replica reports a
// ProductVersion (a topology import says nothing of it). The model's own action: it changes which certificate uses
// the servers have (topology.ts: serverUses), so the rules judge the deployment by that version's lists.
import { renderActionComment } from '../cmdlets';
import { sfbError, type SfbError } from '../errors';
import type { Deployment, OperationOutcome } from '../model';
import { PRODUCT_VERSIONS, VERSION_DIFFERENCES, deploymentVersion, productName, replicaVersion } from '../topology';
import { fail, failWith, perform, type Step } from './frame';
import type { OperationContext, ProductVersionArgs, ProductVersionResult } from './types';

/** Why the version cannot be set by hand here (the replicas report one), or undefined when it can. */
export function productVersionFixed(state: Deployment): SfbError | undefined {
  const read = replicaVersion(state);
  if (read.from !== 'replicas') return undefined;
  return sfbError('product-version-read', `The version is read from the replicas: ${productName(read.version)} (${read.basis}). A version set by hand applies only where no replica reports a ProductVersion.`,
    'Import an inventory (or edit the replicas\' productVersion in sfb-deployment.json) to change what the replicas report.', 'extension-rule');
}

const step: Step<ProductVersionArgs, ProductVersionResult> = (state, args) => {
  const wanted = args.version.trim();
  const powershell = renderActionComment('Set-ProductVersion', `Skype for Business Server ${wanted}`);
  const version = PRODUCT_VERSIONS.find((v) => v === wanted);
  if (!version) {
    return fail('product-version-unknown', `"${wanted}" is not a product version SfB Certificates models: it knows Skype for Business Server ${PRODUCT_VERSIONS.join(' and ')}.`,
      `Choose ${PRODUCT_VERSIONS.join(' or ')}.`, { source: 'extension-rule', powershell });
  }
  const fixed = productVersionFixed(state);
  if (fixed) return failWith(fixed, powershell);
  const before = deploymentVersion(state).version;
  const next: Deployment = { ...state, productVersion: version };
  return {
    ok: true,
    state: state.productVersion === version ? state : next,
    result: { version, before },
    powershell,
    notes: [`${productName(version)}: ${VERSION_DIFFERENCES[version]}. The findings are evaluated again for this version.`],
    summary: `Product version set to ${productName(version)}.`,
  };
};

/** Sets the deployment's product version by hand ('2015' or '2019'); refused where the replicas report one. */
export function setProductVersion(state: Deployment, args: ProductVersionArgs, context: OperationContext): OperationOutcome<ProductVersionResult> {
  return perform('Set-ProductVersion', step, state, args, context);
}
