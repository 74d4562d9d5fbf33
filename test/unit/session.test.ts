// DeploymentSession: run → apply, preview (a dry run), undo of the last N operations, change events, replacing the state.
import * as assert from 'node:assert/strict';
import type { Deployment } from '../../src/core/model';
import type { OperationRequest } from '../../src/core/operations';
import { DeploymentSession } from '../../src/core/session';
import { deployment as buildDeployment, pool, server, storedCertificate } from '../fixtures/builders';

const NOW = new Date('2026-03-01T12:00:00Z');

const cert = (thumbprint: string) =>
  storedCertificate(NOW, thumbprint, { subject: 'CN=contoso.com', subjectAlternativeNames: [{ type: 'dns', value: 'contoso.com' }], enhancedKeyUsages: [] });

const A = 'A'.repeat(40);
const B = 'B'.repeat(40);

function deployment(): Deployment {
  const fe = (fqdn: string) => server(fqdn, { certificates: [cert(A), cert(B)] });
  return buildDeployment({
    name: 'session',
    pools: [pool('pool01.contoso.com', 'FrontEndEnterprise', [fe('fe01.contoso.com'), fe('fe02.contoso.com')], { hostsCms: true })],
  });
}

describe('DeploymentSession', () => {
  it('applies a successful operation, records it, and tells listeners', () => {
    const session = new DeploymentSession(deployment(), () => NOW);
    let changes = 0;
    session.onDidChange(() => changes++);
    const outcome = session.run({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: A, computer: 'fe01.contoso.com' });
    assert.ok(outcome.ok);
    assert.equal(session.state, outcome.state);
    assert.equal(session.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, A);
    assert.equal(session.state.history.length, 1);
    assert.equal(session.state.history[0].at, NOW.toISOString());
    assert.equal(changes, 1);
  });

  it('leaves the state alone on errors and on read-only operations (no event, nothing to undo)', () => {
    const initial = deployment();
    const session = new DeploymentSession(initial, () => NOW);
    let changes = 0;
    session.onDidChange(() => changes++);
    assert.equal(session.run({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: 'C'.repeat(40), computer: 'fe01.contoso.com' }).ok, false);
    assert.equal(session.run({ cmdlet: 'Get-CsCertificate', type: ['OAuthTokenIssuer'] }).ok, true);
    assert.equal(session.state, initial);
    assert.equal(changes, 0);
    assert.equal(session.canUndo, false);
    assert.equal(session.undo(), undefined);
  });

  it('preview tells what run would do — the same typed outcome — and changes nothing', () => {
    const initial = deployment();
    const session = new DeploymentSession(initial, () => NOW);
    let changes = 0;
    session.onDidChange(() => changes++);
    const request: OperationRequest<'Set-CsCertificate'> = { cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: A, computer: 'fe01.contoso.com' };
    const previewed = session.preview(request);
    assert.ok(previewed.ok);
    // Typed by the request's cmdlet: an AssignmentResult, no cast.
    assert.equal(previewed.result.scope, 'global');
    assert.equal(previewed.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, A);
    assert.equal(session.state, initial);
    assert.equal(session.canUndo, false);
    assert.equal(changes, 0);
    const refused = session.preview({ ...request, thumbprint: 'C'.repeat(40) });
    assert.equal(refused.ok, false);
    const ran = session.run(request);
    assert.deepEqual(ran, previewed);
    assert.equal(changes, 1);
  });

  it('undoes the last operations, newest first, and says what was undone', () => {
    const initial = deployment();
    const session = new DeploymentSession(initial, () => NOW);
    session.run({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint: A, computer: 'fe01.contoso.com' });
    const afterSet = session.state;
    session.run({ cmdlet: 'Invoke-CsManagementStoreReplication' });
    assert.match(session.undo()!, /^Replicated Central Management store version 2 to 2 of 2 replicas/);
    assert.equal(session.state, afterSet);
    assert.match(session.undo()!, /global OAuthTokenIssuer/);
    assert.equal(session.state, initial);
    assert.equal(session.undo(), undefined);
  });

  it('keeps only the last N operations for undo (20 by default)', () => {
    const session = new DeploymentSession(deployment(), () => NOW, { undoLimit: 2 });
    for (const reachable of [false, true, false]) session.run({ cmdlet: 'Simulate-ReplicaReachability', replicaFqdn: 'fe02.contoso.com', reachable });
    assert.ok(session.undo());
    assert.ok(session.undo());
    assert.equal(session.undo(), undefined);
    assert.equal(session.state.pools[0].servers[1].replica.unreachable, true, 'the first change is beyond the undo limit');
  });

  it('by default runs on the deployment\'s simulated clock', () => {
    const session = new DeploymentSession({ ...deployment(), simulatedNow: '2015-07-01T00:00:00.000Z' });
    assert.equal(session.now().toISOString(), '2015-07-01T00:00:00.000Z');
    session.run({ cmdlet: 'Simulate-ReplicaReachability', replicaFqdn: 'fe01.contoso.com', reachable: false });
    assert.equal(session.state.history[0].at, '2015-07-01T00:00:00.000Z');
  });

  it('replaceState takes a state from elsewhere, drops undo history, and tells listeners', () => {
    const session = new DeploymentSession(deployment(), () => NOW);
    session.run({ cmdlet: 'Simulate-ReplicaReachability', replicaFqdn: 'fe01.contoso.com', reachable: false });
    let changes = 0;
    session.onDidChange(() => changes++);
    const fromDisk = deployment();
    session.replaceState(fromDisk);
    assert.equal(session.state, fromDisk);
    assert.equal(session.canUndo, false);
    assert.equal(changes, 1);
  });

  it('onDidChange returns a disposer; one failing listener does not silence the others', () => {
    const session = new DeploymentSession(deployment(), () => NOW);
    const heard: string[] = [];
    const dispose = session.onDidChange(() => heard.push('first'));
    session.onDidChange(() => { throw new Error('view failed'); });
    session.onDidChange(() => heard.push('third'));
    assert.throws(() => session.replaceState(deployment()), /view failed/);
    assert.deepEqual(heard, ['first', 'third']);
    dispose();
    assert.throws(() => session.replaceState(deployment()), /view failed/);
    assert.deepEqual(heard, ['first', 'third', 'third']);
  });
});
