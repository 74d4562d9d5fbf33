// The Deployment Wizard's page state machine, without VS Code: page transitions, Run vs Run Again, the
// Certificate Wizard's status texts, certificates refused by the rules, the warning override, the assignment and
// import flows run against the real operations, and what the webview may never see (passwords).
import * as assert from 'node:assert/strict';
import { generateCertificate, writePfx } from '../../src/core/certgen';
import type { Deployment, Server, StoredCertificate } from '../../src/core/model';
import { runOperation, type OperationRequest } from '../../src/core/operations';
import { DEFAULT_EXPIRY_WARNING_DAYS } from '../../src/core/certificateChecks';
import { evaluateRules } from '../../src/core/rules';
import { initialUi, reduce, reopened, settle, view } from '../../src/ui/wizard/machine';
import { REPLICATE_ALL, assignExecuted, executed, importExecuted } from '../../src/ui/wizard/pages/executing';
import { browsed, importFileRead } from '../../src/ui/wizard/pages/importFile';
import { importRequest } from '../../src/ui/wizard/pages/importSummary';
import { isAssignPage, type AssignUi, type Effect, type Transition, type WizardContext, type WizardUi } from '../../src/ui/wizard/state';
import { LAYOUT_NOT_CONFIRMED } from '../../src/ui/wizard/widgets';
import { HOME_SERVER_LIMIT } from '../../src/ui/wizard/pages/home';
import { largeDeployment } from '../bench/largeDeployment';
import type { FormFieldView, PageBody, PageView, ToHost } from '../../src/shared/protocol';
import { DAY, assigned, deployment as buildDeployment, pool, server as buildServer, storedCertificate } from '../fixtures/builders';

const NOW = new Date('2026-03-01T12:00:00Z');
const iso = (offsetDays: number) => new Date(NOW.getTime() + offsetDays * DAY).toISOString();
const tp = (c: string) => c.repeat(40);

const cert = (thumbprint: string, over: Partial<StoredCertificate> = {}) => storedCertificate(NOW, thumbprint, over);

const DEFAULT = cert(tp('D'), { friendlyName: 'fe01 Default', subject: 'CN=pool01.contoso.com', subjectAlternativeNames: [{ type: 'dns', value: 'pool01.contoso.com' }, { type: 'dns', value: 'fe01.contoso.com' }, { type: 'dns', value: 'sip.contoso.com' }, { type: 'dns', value: 'sip.fabrikam.com' }] });
const OAUTH = cert(tp('A'), { friendlyName: 'Contoso server-to-server' });
const LEGACY = cert(tp('B'), { friendlyName: 'Legacy 1024-bit', subject: 'CN=legacy.contoso.com', subjectAlternativeNames: [{ type: 'dns', value: 'legacy.contoso.com' }], keySize: 1024 });
const NO_SIP = cert(tp('C'), { friendlyName: 'Other web server', subject: 'CN=www.example.net', subjectAlternativeNames: [{ type: 'dns', value: 'www.example.net' }] });
const EXPIRED = cert(tp('E'), { friendlyName: 'Expired', notBefore: iso(-400), notAfter: iso(-3) });
const EXPIRING = cert(tp('F'), { friendlyName: 'fe02 Default', subject: 'CN=pool01.contoso.com', notAfter: iso(10) });
const EDGE_INTERNAL = cert(tp('1'), { friendlyName: 'edge01 internal', subject: 'CN=edge01.contoso.com' });
const EDGE_EXTERNAL = cert(tp('2'), { friendlyName: 'Edge external', subject: 'CN=sip.contoso.com', subjectAlternativeNames: [{ type: 'dns', value: 'sip.contoso.com' }, { type: 'dns', value: 'sip.fabrikam.com' }] });
const XSS = cert(tp('9'), { friendlyName: '', subject: 'CN=<img src=x onerror=alert(1)>' });

const entry = (thumbprint: string) => assigned(thumbprint, iso(-50));

const server = (fqdn: string, certificates: StoredCertificate[], assignments: Server['assignments'], setup: Partial<Server['setup']> = {}) =>
  buildServer(fqdn, { certificates, assignments, setup: { localStoreInstalled: true, componentsInstalled: true, servicesStarted: true, ...setup } });

function deployment(): Deployment {
  const web = { Default: entry(DEFAULT.thumbprint), WebServicesInternal: entry(DEFAULT.thumbprint), WebServicesExternal: entry(DEFAULT.thumbprint) };
  return buildDeployment({
    name: 'wizard',
    sipDomains: [{ name: 'contoso.com', isDefault: true }, { name: 'fabrikam.com', isDefault: false }],
    pools: [
      pool('pool01.contoso.com', 'FrontEndEnterprise', [
        server('fe01.contoso.com', [DEFAULT, OAUTH, LEGACY, NO_SIP, EXPIRED, XSS], web),
        server('fe02.contoso.com', [EXPIRING], { Default: entry(EXPIRING.thumbprint) }),
        server('fe03.contoso.com', [], {}, { componentsInstalled: false, servicesStarted: false }),
      ], { hostsCms: true }),
      pool('edgepool.contoso.com', 'Edge', [server('edge01.contoso.com', [EDGE_INTERNAL, EDGE_EXTERNAL], {
        Internal: entry(EDGE_INTERNAL.thumbprint), AccessEdgeExternal: entry(EDGE_EXTERNAL.thumbprint),
        DataEdgeExternal: entry(EDGE_EXTERNAL.thumbprint), AudioVideoAuthentication: entry(EDGE_EXTERNAL.thumbprint),
      })]),
    ],
    cms: { version: 1, versionCreated: iso(-50), certificates: [], assignments: {} },
  });
}

function ctxOf(state: Deployment | undefined, expiryWarningDays = DEFAULT_EXPIRY_WARNING_DAYS): WizardContext {
  return { state, findings: state ? evaluateRules(state, NOW, { expiryWarningDays }) : [], now: NOW, expiryWarningDays };
}

/** A wizard with its deployment; `send` applies a message like the panel does (refusals throw). */
class Harness {
  ui: WizardUi;
  effects: Effect[] = [];
  /** The user's `sfbCertificates.expiryWarningDays` setting. */
  expiryWarningDays = DEFAULT_EXPIRY_WARNING_DAYS;
  constructor(public state: Deployment = deployment(), serverFqdn?: string) {
    this.ui = initialUi(ctxOf(state), serverFqdn);
  }
  get ctx(): WizardContext { return ctxOf(this.state, this.expiryWarningDays); }
  get page(): PageView { return view(this.ui, this.ctx); }
  try(msg: ToHost): Transition { return reduce(this.ui, msg, this.ctx); }
  send(...msgs: ToHost[]): this {
    for (const msg of msgs) {
      const t = this.try(msg);
      if (!t.ok) throw new Error(`refused ${JSON.stringify(msg)}: ${t.reason}`);
      this.ui = t.ui;
      if (t.effect) this.effects.push(t.effect);
    }
    return this;
  }
  refused(msg: ToHost, reason?: RegExp): void {
    const t = this.try(msg);
    assert.equal(t.ok, false, `accepted ${JSON.stringify(msg)} on ${this.ui.page}`);
    if (reason && !t.ok) assert.match(t.reason, reason);
  }
  run(request: OperationRequest) {
    const outcome = runOperation(this.state, request, { now: () => NOW });
    if (outcome.ok) this.state = outcome.state;
    return outcome;
  }
  /** Performs the last run-assign effect with the real operations, as the panel does. */
  executeAssign(): void {
    const effect = this.effects.pop();
    assert.equal(effect?.kind, 'run-assign');
    if (effect?.kind !== 'run-assign') return;
    const set = this.run(effect.request);
    const replication = set.ok && effect.replicate ? this.run(REPLICATE_ALL) : undefined;
    this.ui = assignExecuted(this.ui, this.ctx, effect.request, set, replication);
  }
}

const next: ToHost = { type: 'navigate', action: 'next' };
const back: ToHost = { type: 'navigate', action: 'back' };
const cancel: ToHost = { type: 'navigate', action: 'cancel' };
const finish: ToHost = { type: 'navigate', action: 'finish' };
const close: ToHost = { type: 'navigate', action: 'close' };

/** The Certificate Assignment wizard's choices: the state must be on one of its pages. */
function assignChoice(ui: WizardUi): AssignUi {
  assert.ok(isAssignPage(ui), `on ${ui.page}, not in the Certificate Assignment wizard`);
  return ui;
}

function body<K extends PageBody['kind']>(page: PageView, kind: K): Extract<PageBody, { kind: K }> {
  assert.equal(page.body.kind, kind, `page ${page.page} has a ${page.body.kind} body`);
  return page.body as Extract<PageBody, { kind: K }>;
}

function button(page: PageView, action: string) {
  const all = [...page.buttons, ...('actions' in page.body ? page.body.actions : []), ...(page.body.kind === 'home' ? page.body.tasks : []), ...(page.body.kind === 'steps' ? page.body.steps.map((s) => s.run) : [])];
  const found = all.find((b) => b.action === action);
  assert.ok(found, `no ${action} button on ${page.page}: ${all.map((b) => b.action).join(', ')}`);
  return found;
}

const toCertificates = (h: Harness) => h.send({ type: 'installOrUpdate' }, { type: 'runStep3' });
const toStore = (h: Harness, use: 'OAuthTokenIssuer' | 'Default' | 'EdgeExternal' = 'OAuthTokenIssuer') => toCertificates(h).send({ type: 'selectUse', use }, { type: 'assign' }, next);

describe('wizard machine', () => {
  describe('opening', () => {
    it('starts on the home page of the first Front End, or of the server it was opened for', () => {
      const h = new Harness();
      assert.equal(h.page.page, 'home');
      assert.equal(h.page.title, 'Skype for Business Server Deployment Wizard');
      assert.equal(h.page.serverFqdn, 'fe01.contoso.com');
      assert.deepEqual(body(h.page, 'home').servers.map((s) => s.fqdn), ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'edge01.contoso.com']);
      assert.equal(button(h.page, 'install-or-update').label, 'Install or Update Skype for Business Server System');
      assert.equal(new Harness(deployment(), 'FE02.Contoso.com').page.serverFqdn, 'fe02.contoso.com');
      assert.equal(new Harness(deployment(), 'nowhere.contoso.com').page.serverFqdn, 'fe01.contoso.com');
    });

    it(`on a large topology the home page lists at most ${HOME_SERVER_LIMIT} computers, the chosen one always, narrowed by the text typed`, () => {
      const big = largeDeployment(1200);
      const h = new Harness(big, 'fe1100.contoso.com');
      let home = body(h.page, 'home');
      assert.deepEqual(home.filter, { text: '', matching: 1200, total: 1200, limit: HOME_SERVER_LIMIT });
      assert.equal(home.servers.length, HOME_SERVER_LIMIT + 1);
      assert.equal(home.servers[0].fqdn, 'fe1100.contoso.com', 'the chosen computer, beyond the first 200, comes first');
      h.send({ type: 'filterServers', text: ' POOL91.contoso ' });
      home = body(h.page, 'home');
      assert.deepEqual(home.servers.map((s) => s.fqdn), Array.from({ length: 12 }, (_, i) => `fe${1092 + i}.contoso.com`), 'pool 91\'s twelve, the chosen one among them');
      assert.equal(home.filter?.matching, 12);
      h.send({ type: 'filterServers', text: 'fe7' });
      home = body(h.page, 'home');
      assert.equal(home.filter?.matching, 1 + 10 + 100, 'fe7, fe70–79, fe700–799');
      assert.equal(home.servers[0].fqdn, 'fe1100.contoso.com', 'kept although it does not match');
      h.send({ type: 'pickServer', serverFqdn: 'fe77.contoso.com' });
      assert.equal(h.page.serverFqdn, 'fe77.contoso.com');
      assert.equal(body(h.page, 'home').servers[0].fqdn, 'fe7.contoso.com', 'now among the matches: no longer put first');
      assert.ok(JSON.stringify(h.page).length < 40_000, 'a page as small as a small topology\'s, whatever the number of computers');
      assert.equal(body(new Harness().page, 'home').filter, undefined, 'a small topology lists every computer');
    });

    it('shows a message page without a deployment, and Exit closes', () => {
      const h = new Harness(undefined as unknown as Deployment);
      h.state = undefined as unknown as Deployment;
      assert.equal(h.page.page, 'no-deployment');
      assert.match(body(h.page, 'message').paragraphs.join(' '), /No deployment is loaded/);
      h.refused({ type: 'installOrUpdate' }, /no deployment/);
      h.send(close);
      assert.deepEqual(h.effects, [{ kind: 'dispose' }]);
    });

    it('reopened for another server starts over on the home page; for the same server it stays', () => {
      const h = toCertificates(new Harness()).send({ type: 'selectUse', use: 'Default' });
      assert.equal(reopened(h.ui, h.ctx, 'fe01.contoso.com'), h.ui);
      const other = reopened(h.ui, h.ctx, 'fe02.contoso.com');
      assert.equal(other.page, 'home');
      assert.equal(other.serverFqdn, 'fe02.contoso.com');
      assert.equal(other.use, undefined);
    });
  });

  describe('Deployment Wizard pages', () => {
    it('home → steps → Certificate Wizard, and back with Back and Close; Exit disposes', () => {
      const h = new Harness().send({ type: 'installOrUpdate' });
      assert.equal(h.page.page, 'steps');
      assert.equal(h.page.title, 'Skype for Business Server');
      assert.deepEqual(body(h.page, 'steps').steps.map((s) => s.name), [
        'Step 1: Install Local Configuration Store',
        'Step 2: Setup or Remove Skype for Business Server Components',
        'Step 3: Request, Install or Assign Certificates',
        'Step 4: Start Services',
      ]);
      h.send({ type: 'runStep3' });
      assert.equal(h.page.title, 'Certificate Wizard');
      assert.equal(h.page.window, 'Certificate Wizard');
      h.send(close);
      assert.equal(h.page.page, 'steps');
      h.send(back);
      assert.equal(h.page.page, 'home');
      h.send({ type: 'installOrUpdate' }, close);
      assert.deepEqual(h.effects, [{ kind: 'dispose' }]);
    });

    it('labels Step 3 Run, or Run Again once the computer has certificates; only Step 3 is interactive', () => {
      const fe01 = body(new Harness().send({ type: 'installOrUpdate' }).page, 'steps').steps;
      assert.equal(fe01[2].run.label, 'Run Again');
      assert.equal(fe01[2].run.enabled, true);
      assert.deepEqual(fe01[2].run.send, { type: 'runStep3' });
      const fe03 = new Harness().send({ type: 'pickServer', serverFqdn: 'fe03.contoso.com' }, { type: 'installOrUpdate' });
      const steps = body(fe03.page, 'steps').steps;
      assert.equal(steps[2].run.label, 'Run');
      assert.deepEqual(steps.map((s) => s.status.text), ['Complete', 'Not run', 'Not run', 'Not run']);
      assert.deepEqual(steps.map((s) => s.run.label), ['Run Again', 'Run', 'Run', 'Run']);
      for (const i of [0, 1, 3]) {
        assert.equal(steps[i].run.enabled, false);
        assert.match(steps[i].run.hint ?? '', /Not simulated/);
      }
    });

    it('Step 3 is Complete when every use is assigned, else says what is missing', () => {
      const steps = body(new Harness().send({ type: 'installOrUpdate' }).page, 'steps').steps;
      assert.equal(steps[2].status.tone, 'warning');
      assert.match(steps[2].status.text, /not assigned — OAuthTokenIssuer/);
      const edge = body(new Harness().send({ type: 'pickServer', serverFqdn: 'edge01.contoso.com' }, { type: 'installOrUpdate' }).page, 'steps').steps;
      assert.deepEqual(edge[2].status, { tone: 'ok', text: 'Complete' });
    });

    it('refuses an unknown server and messages meant for other pages', () => {
      const h = new Harness();
      h.refused({ type: 'pickServer', serverFqdn: 'ghost.contoso.com' }, /no server named ghost/);
      h.refused({ type: 'runStep3' }, /does not apply to the Skype for Business Server Deployment Wizard page/);
      h.refused({ type: 'assign' }, /does not apply/);
      h.refused(next, /"next" does not apply/);
      h.refused({ type: 'viewLog' }, /does not apply/);
    });
  });

  describe('Certificate Wizard', () => {
    it('lists the Front End uses with certificate, expiration, location and status', () => {
      const page = toCertificates(new Harness()).page;
      const { rows, actions } = body(page, 'certificates');
      assert.deepEqual(rows.map((r) => [r.id, r.location]), [['Default', 'Local'], ['WebServicesInternal', 'Local'], ['WebServicesExternal', 'Local'], ['OAuthTokenIssuer', 'Global']]);
      assert.equal(rows[0].certificate, 'fe01 Default');
      assert.equal(rows[0].expiration, '12/26/2026 12:00:00 PM');
      assert.deepEqual(rows[0].status, { tone: 'ok', text: 'Assigned' });
      assert.deepEqual(rows[3].status, { tone: 'none', text: 'Not assigned' });
      assert.equal(rows[3].certificate, '');
      assert.match(page.unconfirmed ?? '', new RegExp(LAYOUT_NOT_CONFIRMED.replace(/[()]/g, '\\$&')));
      assert.deepEqual(actions.map((a) => a.label), ['Request', 'Assign', 'Remove', 'View', 'Refresh', 'Import Certificate', 'Process Pending Request']);
      // Nothing selected: Request, Assign, Remove and View wait for a row; no pending request.
      assert.deepEqual(actions.map((a) => a.enabled), [false, false, false, false, true, true, false]);
      assert.deepEqual(actions.find((a) => a.action === 'import')!.send, { type: 'openImport' });
    });

    it('shows the rules\' warning text as the status of a use whose certificate is near expiry', () => {
      const h = new Harness().send({ type: 'pickServer', serverFqdn: 'fe02.contoso.com' });
      const row = body(toCertificates(h).page, 'certificates').rows[0];
      assert.equal(row.status.tone, 'warning');
      assert.match(row.status.text, /near expiry/);
    });

    it('lists Edge internal and Edge external on an Edge Server', () => {
      const h = new Harness().send({ type: 'pickServer', serverFqdn: 'edge01.contoso.com' });
      const rows = body(toCertificates(h).page, 'certificates').rows;
      assert.deepEqual(rows.map((r) => [r.label, r.uses.join(','), r.status.text]), [
        ['Edge internal', 'Internal', 'Assigned'],
        ['Edge external', 'AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication', 'Assigned'],
      ]);
      h.refused({ type: 'selectUse', use: 'OAuthTokenIssuer' }, /has no OAuthTokenIssuer/);
    });

    it('enables Assign once a use is selected', () => {
      const h = toCertificates(new Harness()).send({ type: 'selectUse', use: 'OAuthTokenIssuer' });
      assert.equal(body(h.page, 'certificates').selected, 'OAuthTokenIssuer');
      assert.equal(button(h.page, 'assign').enabled, true);
      assert.equal(h.page.saved.selection.use, 'OAuthTokenIssuer');
    });
  });

  describe('Certificate Assignment: OAuthTokenIssuer', () => {
    it('walks Certificate Assignment → Certificate Store → Summary → Executing Commands → Finish', () => {
      const h = toCertificates(new Harness()).send({ type: 'selectUse', use: 'OAuthTokenIssuer' }, { type: 'assign' });
      assert.equal(h.page.title, 'Certificate Assignment');
      assert.equal(h.page.window, 'Certificate Assignment');
      assert.deepEqual(h.page.steps, [
        { label: 'Certificate Assignment', state: 'current' }, { label: 'Certificate Store', state: 'todo' },
        { label: 'Certificate Assignment Summary', state: 'todo' }, { label: 'Executing Commands', state: 'todo' },
      ]);
      assert.match(body(h.page, 'message').paragraphs.join(' '), /global certificate.*every Front End Server and Director \(fe01\.contoso\.com, fe02\.contoso\.com, fe03\.contoso\.com\)/);
      assert.equal(button(h.page, 'back').enabled, false);

      h.send(next);
      assert.equal(h.page.title, 'Certificate Store');
      assert.equal(button(h.page, 'next').enabled, false);
      h.send({ type: 'selectCertificate', thumbprint: OAUTH.thumbprint });
      assert.equal(button(h.page, 'next').enabled, true);
      assert.equal(h.page.saved.selection.thumbprint, OAUTH.thumbprint);

      h.send(next);
      const summary = body(h.page, 'summary');
      assert.equal(h.page.title, 'Certificate Assignment Summary');
      assert.equal(summary.powershell[0], `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${OAUTH.thumbprint} -Confirm:$false -Report "$env:TEMP\\Set-CSCertificate-[yyyy_MM_dd][HH_mm_ss].html"`);
      assert.match(summary.items.find((i) => i.label === 'Location')!.value, /^Global: .*replicated to all 3 Front End/);
      // Issue #14 point 4 (C3): the summary shows the subject alternative names, for the admin to check.
      const labels = summary.items.map((i) => i.label);
      assert.equal(labels.indexOf('Subject alternative names'), labels.indexOf('Subject') + 1);
      assert.equal(summary.items.find((i) => i.label === 'Subject alternative names')!.value, 'DNS Name=contoso.com, DNS Name=fabrikam.com');
      assert.match(summary.intro ?? '', /subject name and the subject alternative names/);
      // Issue #14 point 5 (C9): PowerShell's $env:TEMP, never cmd's %TEMP%.
      assert.doesNotMatch(summary.powershell.join('\n') + summary.notes.join('\n'), /%TEMP%/);
      assert.deepEqual(summary.replicate?.checked, true);

      h.send(next);
      assert.equal(h.effects.at(-1)?.kind, 'run-assign');
      assert.deepEqual((h.effects.at(-1) as Effect & { kind: 'run-assign' }).request, {
        cmdlet: 'Set-CsCertificate', identity: 'global', computer: 'fe01.contoso.com', type: ['OAuthTokenIssuer'], thumbprint: OAUTH.thumbprint,
      });
      h.executeAssign();
      const executing = body(h.page, 'executing');
      assert.equal(h.page.title, 'Executing Commands');
      assert.equal(executing.commands[0].powershell, `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${OAUTH.thumbprint} -Confirm:$false -Report "$env:TEMP\\Set-CSCertificate-[2026_03_01][12_00_00].html"`);
      assert.equal(executing.commands[1].powershell, 'Invoke-CsManagementStoreReplication');
      assert.deepEqual(executing.status, { tone: 'ok', text: 'Task status: Completed.' });
      assert.deepEqual(executing.replication?.rows.map((r) => [r.fqdn, r.status.text]), [
        ['fe01.contoso.com', 'Up to date: the OAuthTokenIssuer certificate is deployed.'],
        ['fe02.contoso.com', 'Up to date: the OAuthTokenIssuer certificate is deployed.'],
        ['fe03.contoso.com', 'Up to date: the OAuthTokenIssuer certificate is deployed.'],
        ['edge01.contoso.com', 'Up to date.'],
      ]);
      assert.deepEqual(button(h.page, 'view-log').send, { type: 'viewLog' });
      assert.deepEqual([button(h.page, 'back').enabled, button(h.page, 'finish').enabled, button(h.page, 'cancel').enabled], [false, true, false]);
      h.send({ type: 'viewLog' });
      assert.deepEqual(h.effects.at(-1), { kind: 'show-log' });

      h.send(finish);
      assert.equal(h.page.title, 'Certificate Wizard');
      const oauth = body(h.page, 'certificates').rows.find((r) => r.id === 'OAuthTokenIssuer')!;
      assert.deepEqual([oauth.certificate, oauth.thumbprint, oauth.location, oauth.status.text], ['Contoso server-to-server', OAUTH.thumbprint, 'Global', 'Assigned']);
      assert.equal(h.state.cms.assignments.OAuthTokenIssuer?.current?.thumbprint, OAUTH.thumbprint);
    });

    it('without replication, lists the replicas as waiting and follows replication run elsewhere', () => {
      const h = toStore(new Harness()).send({ type: 'selectCertificate', thumbprint: OAUTH.thumbprint }, next, { type: 'setReplicate', checked: false }, next);
      h.executeAssign();
      assert.equal(body(h.page, 'executing').commands.length, 1);
      assert.match(body(h.page, 'executing').replication!.rows[1].status.text, /^Waiting for replication \(version 1 of 2\)/);
      h.run({ cmdlet: 'Invoke-CsManagementStoreReplication', replicaFqdn: 'fe02.contoso.com' });
      const rows = body(h.page, 'executing').replication!.rows;
      assert.match(rows[1].status.text, /deployed/);
      assert.match(rows[2].status.text, /Waiting/);
      const status = body(toCertificates(new Harness(h.state)).page, 'certificates').rows[3].status;
      assert.equal(status.tone, 'warning', 'fe01 has not received the global certificate yet');
      assert.match(status.text, /replication has not deployed it yet/);
    });

    it('shows certificates failing the OAuth rules with the reason; they cannot be chosen', () => {
      const h = toStore(new Harness());
      const rows = body(h.page, 'store').certificates;
      const legacy = rows.find((r) => r.thumbprint === LEGACY.thumbprint)!;
      assert.equal(legacy.selectable, false);
      assert.equal(legacy.tone, 'error');
      assert.match(legacy.reasons.join(' '), /at least 2048 bits; .* has 1024/);
      const expired = rows.find((r) => r.thumbprint === EXPIRED.thumbprint)!;
      assert.equal(expired.selectable, false);
      assert.match(expired.reasons.join(' '), /has expired/);
      assert.deepEqual(rows.find((r) => r.thumbprint === OAUTH.thumbprint), {
        thumbprint: OAUTH.thumbprint, friendlyName: 'Contoso server-to-server', subject: 'CN=contoso.com, O=Contoso', expiration: '12/26/2026 12:00:00 PM',
        keySize: 'RSA 2048', selectable: true, tone: 'ok', reasons: [], currentlyAssigned: false,
      });
      h.refused({ type: 'selectCertificate', thumbprint: LEGACY.thumbprint }, /cannot be chosen/);
      h.refused({ type: 'selectCertificate', thumbprint: tp('0') }, /no certificate 0{40} is in the store of fe01/);
      h.refused({ type: 'selectCertificate', thumbprint: EDGE_INTERNAL.thumbprint }, /not|no certificate/);
      assert.equal(assignChoice(h.ui).thumbprint, undefined);
    });

    it('needs the explicit override for a certificate with warnings', () => {
      const h = toStore(new Harness());
      h.refused({ type: 'overrideWarning', checked: true }, /no warning to accept/);
      h.send({ type: 'selectCertificate', thumbprint: NO_SIP.thumbprint });
      const store = body(h.page, 'store');
      assert.equal(store.certificates.find((c) => c.thumbprint === NO_SIP.thumbprint)!.tone, 'warning');
      assert.match(store.certificates.find((c) => c.thumbprint === NO_SIP.thumbprint)!.reasons[0], /SIP domain contoso\.com/);
      assert.deepEqual(store.override, { checked: false, label: 'Use this certificate despite the warnings shown for it' });
      assert.equal(button(h.page, 'next').enabled, false);
      h.refused(next, /warnings that were not accepted/);
      h.send({ type: 'overrideWarning', checked: true });
      assert.equal(button(h.page, 'next').enabled, true);
      h.send(next);
      assert.match(body(h.page, 'summary').items.find((i) => i.label === 'Warnings accepted')!.value, /SIP domain/);
      // Choosing another certificate drops the override.
      h.send(back, { type: 'selectCertificate', thumbprint: OAUTH.thumbprint }, { type: 'selectCertificate', thumbprint: NO_SIP.thumbprint });
      assert.equal(assignChoice(h.ui).override, false);
      h.send({ type: 'selectCertificate', thumbprint: OAUTH.thumbprint });
      h.refused({ type: 'overrideWarning', checked: true }, /no warning/);
    });

    it('warns about expiry within the window of the user\'s settings, not a fixed 45 days', () => {
      const h = toStore(new Harness());
      const oauthRow = () => body(h.page, 'store').certificates.find((c) => c.thumbprint === OAUTH.thumbprint)!;
      assert.equal(oauthRow().tone, 'ok', 'expires in 300 days: fine with the default 45-day window');
      h.expiryWarningDays = 365;
      assert.equal(oauthRow().tone, 'warning');
      assert.match(oauthRow().reasons.join(' '), /expires/i);
      h.send({ type: 'selectCertificate', thumbprint: OAUTH.thumbprint });
      assert.equal(button(h.page, 'next').enabled, false, 'a warning needs the override');
    });

    it('View Certificate Details shows the selected certificate, literally', () => {
      const h = toStore(new Harness());
      assert.equal(button(h.page, 'view-details').enabled, false);
      h.send({ type: 'viewCertificateDetails', thumbprint: XSS.thumbprint });
      const details = body(h.page, 'store').details!;
      assert.equal(details.fields.find((f) => f.label === 'Subject')!.value, 'CN=<img src=x onerror=alert(1)>');
      h.refused({ type: 'viewCertificateDetails', thumbprint: tp('0') }, /no certificate/);
      h.send({ type: 'selectCertificate', thumbprint: OAUTH.thumbprint });
      assert.equal(body(h.page, 'store').details, undefined);
      assert.deepEqual(button(h.page, 'view-details').send, { type: 'viewCertificateDetails', thumbprint: OAUTH.thumbprint });
    });

    it('Back, Cancel and the preselection of the assigned certificate', () => {
      const h = toStore(new Harness(), 'Default');
      assert.equal(body(h.page, 'store').selected, DEFAULT.thumbprint, 'the assigned certificate is preselected');
      assert.equal(body(h.page, 'store').certificates.find((c) => c.thumbprint === DEFAULT.thumbprint)!.currentlyAssigned, true);
      h.send(back);
      assert.equal(h.page.page, 'assign-intro');
      h.send(next, cancel);
      assert.equal(h.page.page, 'certificates');
      assert.equal(h.ui.use, 'Default', 'the row stays selected');
      assert.ok(!JSON.stringify(h.ui).includes(DEFAULT.thumbprint), 'the certificate selection is dropped');
    });

    it('a failed assignment shows the error and Task status: Failed', () => {
      const h = toStore(new Harness()).send({ type: 'selectCertificate', thumbprint: OAUTH.thumbprint }, next, next);
      const effect = h.effects.pop() as Effect & { kind: 'run-assign' };
      h.ui = assignExecuted(h.ui, h.ctx, effect.request, { ok: false, error: { code: 'store-read-only', message: 'Nothing was changed: the file is broken.', fix: 'Fix the file.', source: 'product' } });
      const executing = body(h.page, 'executing');
      assert.deepEqual(executing.status, { tone: 'error', text: 'Task status: Failed.' });
      assert.deepEqual(executing.commands[0].output, ['Error: Nothing was changed: the file is broken.', 'What to do: Fix the file.']);
      assert.match(executing.commands[0].powershell, /^Set-CsCertificate -Identity global .* -Confirm:\$false -Report/);
      assert.equal(executing.replication, undefined);
    });
  });

  describe('Certificate Assignment: per-server uses', () => {
    it('assigns Default on this computer only, without -Identity and without replication', () => {
      const h = toStore(new Harness(), 'Default').send({ type: 'selectCertificate', thumbprint: OAUTH.thumbprint }, next);
      const summary = body(h.page, 'summary');
      assert.equal(summary.replicate, undefined);
      assert.equal(summary.items.find((i) => i.label === 'Location')!.value, 'Local: fe01.contoso.com only');
      h.refused({ type: 'setReplicate', checked: false }, /global assignment only/);
      h.send(next);
      h.executeAssign();
      assert.match(body(h.page, 'executing').commands[0].powershell, new RegExp(`^Set-CsCertificate -Type Default -Thumbprint ${OAUTH.thumbprint} -Confirm`));
      assert.equal(body(h.page, 'executing').replication, undefined);
      h.send(finish);
      assert.equal(body(h.page, 'certificates').rows[0].certificate, 'Contoso server-to-server');
      assert.equal(h.state.pools[0].servers[0].assignments.Default?.current?.thumbprint, OAUTH.thumbprint);
    });

    it('assigns the three Edge external uses together', () => {
      const h = new Harness().send({ type: 'pickServer', serverFqdn: 'edge01.contoso.com' });
      toStore(h, 'EdgeExternal').send({ type: 'selectCertificate', thumbprint: EDGE_EXTERNAL.thumbprint }, next, next);
      const effect = h.effects.at(-1) as Effect & { kind: 'run-assign' };
      assert.deepEqual(effect.request, { cmdlet: 'Set-CsCertificate', computer: 'edge01.contoso.com', type: ['AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication'], thumbprint: EDGE_EXTERNAL.thumbprint });
      assert.equal(effect.replicate, false);
    });
  });

  describe('the Edge external row follows the product version (#14 point 1, C11)', () => {
    const B2015 = '6.0.9319.0';
    /** The wizard's deployment with every replica reporting `build` ('' = none, so the version set by hand or assumed). */
    const at = (build: string, productVersion?: '2015' | '2019'): Deployment => {
      const d = deployment();
      return { ...d, ...(productVersion ? { productVersion } : {}), pools: d.pools.map((p) => ({ ...p, servers: p.servers.map((x) => ({ ...x, replica: { ...x.replica, productVersion: build } })) })) };
    };
    const edgeRows = (d: Deployment) => body(toCertificates(new Harness(d).send({ type: 'pickServer', serverFqdn: 'edge01.contoso.com' })).page, 'certificates').rows.map((r) => [r.label, r.uses.join(',')]);

    it('lists XMPPServer with the external uses on a 2015 Edge (read from its replica, or set by hand), not on a 2019 one', () => {
      const with2015 = [['Edge internal', 'Internal'], ['Edge external', 'AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication,XMPPServer']];
      const with2019 = [['Edge internal', 'Internal'], ['Edge external', 'AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication']];
      assert.deepEqual(edgeRows(at(B2015)), with2015);
      assert.deepEqual(edgeRows(at('', '2015')), with2015);
      assert.deepEqual(edgeRows(at('7.0.2046.0')), with2019);
      assert.deepEqual(edgeRows(at('')), with2019, 'unknown: 2019 assumed');
    });

    it('a 2015 Edge: every page names XMPPServer, the Set-CsCertificate line assigns it, and the real operation accepts it', () => {
      const h = new Harness(at(B2015)).send({ type: 'pickServer', serverFqdn: 'edge01.contoso.com' });
      toStore(h, 'EdgeExternal');
      assert.match(body(h.page, 'store').intro, /Edge external on edge01/);
      h.send({ type: 'selectCertificate', thumbprint: EDGE_EXTERNAL.thumbprint }, next);
      const summary = body(h.page, 'summary');
      assert.equal(summary.items.find((i) => i.label === 'Certificate use')!.value, 'Edge external (-Type AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication,XMPPServer)');
      assert.match(summary.powershell[0], /^Set-CsCertificate -Type AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication,XMPPServer -Thumbprint 2{40} /);
      h.send(next);
      h.executeAssign();
      const edge = h.state.pools[1].servers[0];
      assert.equal(edge.assignments.XMPPServer?.current?.thumbprint, EDGE_EXTERNAL.thumbprint);
      assert.equal(body(h.page, 'executing').status.text, 'Task status: Completed.');
      // Remove on the row removes the four uses together.
      h.send(finish, { type: 'selectUse', use: 'EdgeExternal' }, { type: 'openRemove' });
      assert.match(body(h.page, 'form').powershell!.join('\n'), /^Remove-CsCertificate -Type AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication,XMPPServer$/);
    });

    it('a 2019 Edge: the line has no XMPPServer', () => {
      const h = new Harness(at('7.0.2046.0')).send({ type: 'pickServer', serverFqdn: 'edge01.contoso.com' });
      toStore(h, 'EdgeExternal').send({ type: 'selectCertificate', thumbprint: EDGE_EXTERNAL.thumbprint }, next);
      assert.doesNotMatch(body(h.page, 'summary').powershell[0], /xmpp/i);
    });
  });

  describe('the CRL distribution point where a certificate is chosen (#14 point 4)', () => {
    it('the Certificate Store page warns about a certificate without one (choosable after accepting the warning)', () => {
      const noCrl = cert(tp('7'), { friendlyName: 'No CDP', subject: 'CN=pool01.contoso.com', subjectAlternativeNames: DEFAULT.subjectAlternativeNames, crlDistributionPoints: [] });
      const d = deployment();
      const fe01 = d.pools[0].servers[0];
      const h = new Harness({ ...d, pools: [{ ...d.pools[0], servers: [{ ...fe01, certificates: [...fe01.certificates, noCrl] }, ...d.pools[0].servers.slice(1)] }, d.pools[1]] });
      toStore(h, 'Default');
      const row = body(h.page, 'store').certificates.find((c) => c.thumbprint === noCrl.thumbprint)!;
      assert.deepEqual([row.selectable, row.tone], [true, 'warning']);
      assert.ok(row.reasons.some((r) => /has no CRL distribution point, which the Skype for Business Server 2015 and 2019 certificate requirements ask/.test(r)), row.reasons.join('\n'));
      h.send({ type: 'selectCertificate', thumbprint: noCrl.thumbprint });
      h.refused(next, /warnings that were not accepted/);
      h.send({ type: 'overrideWarning', checked: true }, next);
      assert.equal(h.page.page, 'assign-summary');
    });
  });

  describe('settling when the deployment changes', () => {
    it('goes back to the Certificate Store when the chosen certificate leaves the store', () => {
      const h = toStore(new Harness()).send({ type: 'selectCertificate', thumbprint: OAUTH.thumbprint }, next);
      const pools = h.state.pools.slice();
      pools[0] = { ...pools[0], servers: [{ ...pools[0].servers[0], certificates: [DEFAULT] }, ...pools[0].servers.slice(1)] };
      h.state = { ...h.state, pools };
      assert.equal(h.page.page, 'assign-store');
      assert.equal(assignChoice(settle(h.ui, h.ctx)).thumbprint, undefined);
    });

    it('moves to another server when the wizard\'s server leaves the topology, and to a message without a deployment', () => {
      const h = toCertificates(new Harness());
      h.state = { ...h.state, pools: [h.state.pools[1]] };
      assert.deepEqual([h.page.page, h.page.serverFqdn], ['home', 'edge01.contoso.com']);
      assert.equal(view(h.ui, ctxOf(undefined)).page, 'no-deployment');
    });
  });

  describe('restoring the page the webview saved', () => {
    it('restores a pristine wizard; pages that need what only the host had fall back', () => {
      const restore = (state: object) => new Harness().send({ type: 'ready', state: state as never });
      const h = restore({ serverFqdn: 'fe01.contoso.com', page: 'assign-store', selection: { use: 'OAuthTokenIssuer', thumbprint: OAUTH.thumbprint } });
      assert.deepEqual([h.page.page, body(h.page, 'store').selected], ['assign-store', OAUTH.thumbprint]);
      assert.equal(restore({ serverFqdn: 'fe01.contoso.com', page: 'assign-executing', selection: { use: 'OAuthTokenIssuer' } }).page.page, 'certificates');
      const importPage = restore({ serverFqdn: 'fe02.contoso.com', page: 'import-summary', selection: { importPath: 'certs/x.pfx', hasPrivateKey: false } }).page;
      assert.equal(importPage.page, 'import-file');
      assert.deepEqual([body(importPage, 'import-form').path, body(importPage, 'import-form').hasPrivateKey], ['certs/x.pfx', false]);
      assert.equal(restore({ serverFqdn: 'fe01.contoso.com', page: 'assign-summary', selection: { use: 'OAuthTokenIssuer', thumbprint: NO_SIP.thumbprint } }).page.page, 'assign-store', 'the override is not saved');
    });

    it('refuses a saved server, use or certificate that does not exist, and ignores saved state once the user acted', () => {
      const h = new Harness();
      h.refused({ type: 'ready', state: { serverFqdn: 'ghost.contoso.com', page: 'certificates', selection: {} } }, /ghost\.contoso\.com, which is not in the deployment/);
      h.refused({ type: 'ready', state: { serverFqdn: 'edge01.contoso.com', page: 'certificates', selection: { use: 'OAuthTokenIssuer' } } }, /does not have/);
      h.refused({ type: 'ready', state: { page: 'assign-store', selection: { use: 'OAuthTokenIssuer', thumbprint: tp('0') } } }, /not in the store/);
      h.send({ type: 'installOrUpdate' }, { type: 'ready', state: { page: 'certificates', selection: {} } });
      assert.equal(h.page.page, 'steps');
    });
  });

  describe('Import Certificate', () => {
    const generated = generateCertificate({ subject: { CN: 'oauth.contoso.com', O: 'Contoso' }, dnsNames: ['contoso.com'], keySize: 2048, notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 365 * DAY), serverAuth: true });
    const PASSWORD = 'Wizard-Import-Pa55!';
    const pfx = new Uint8Array(writePfx(generated, PASSWORD, { friendlyName: 'Imported OAuth' }));

    function toImportPage(): Harness {
      return toCertificates(new Harness().send({ type: 'pickServer', serverFqdn: 'fe03.contoso.com' })).send({ type: 'openImport' });
    }

    it('Import Certificate (Select Certificate file) → Summary (file name, path, private key) → Executing Commands → Finish, into this server\'s store', () => {
      const h = toImportPage();
      assert.equal(h.page.title, 'Import Certificate');
      assert.match(body(h.page, 'import-form').intro, /Select the certificate file/);
      assert.equal(button(h.page, 'next').send, 'import-form');
      h.refused(next, /requestImport/);
      h.send({ type: 'requestImport', path: 'certs/oauth.pfx', hasPrivateKey: true, password: PASSWORD });
      const effect = h.effects.pop() as Effect & { kind: 'read-import' };
      assert.deepEqual(effect, { kind: 'read-import', path: 'certs/oauth.pfx', hasPrivateKey: true, password: PASSWORD });
      const read = importFileRead(h.ui, effect, { ok: true, bytes: pfx });
      h.ui = read.ui;
      assert.equal(read.pending?.password, PASSWORD);
      assert.equal(h.page.title, 'Import Certificate Summary');
      const summary = body(h.page, 'summary');
      assert.equal(summary.items.find((i) => i.label === 'Subject')!.value, 'CN=oauth.contoso.com, O=Contoso');
      assert.deepEqual(['File name', 'Path', 'Contains a private key'].map((l) => summary.items.find((i) => i.label === l)?.value), ['oauth.pfx', 'certs/oauth.pfx', 'Yes']);
      assert.equal(summary.powershell[0], 'Import-CsCertificate -Path "certs/oauth.pfx" -Password $pfxPassword');
      assert.ok(!JSON.stringify(h.page).includes(PASSWORD), 'the password is never in a page');
      assert.ok(!JSON.stringify(h.ui).includes(PASSWORD), 'the password is never in the UI state');

      h.send(next);
      const run = h.effects.pop() as Effect & { kind: 'run-import' };
      assert.deepEqual(run, { kind: 'run-import', computer: 'fe03.contoso.com', path: 'certs/oauth.pfx' });
      // -Path as the Front End names the file; the store keeps where it was read.
      const request = importRequest(run, read.pending!, (p) => `C:\\${p.replace(/\//g, '\\')}`);
      assert.deepEqual({ ...request, bytes: undefined }, { cmdlet: 'Import-CsCertificate', computer: 'fe03.contoso.com', path: 'C:\\certs\\oauth.pfx', sourceFile: 'certs/oauth.pfx', bytes: undefined, password: PASSWORD });
      h.ui = importExecuted(h.ui, h.run(request));
      const executing = body(h.page, 'executing');
      assert.equal(executing.commands[0].powershell, 'Import-CsCertificate -Path "C:\\certs\\oauth.pfx" -Password $pfxPassword');
      assert.deepEqual(executing.status, { tone: 'ok', text: 'Task status: Completed.' });
      assert.ok(!JSON.stringify(h.page).includes(PASSWORD));
      h.send(finish);
      assert.equal(h.page.page, 'certificates');
      assert.equal(h.state.pools[0].servers[2].certificates.length, 1);
      assert.equal(h.state.pools[0].servers[2].certificates[0].friendlyName, 'Imported OAuth');
    });

    it('shows the reader\'s error on the Import page and changes nothing', () => {
      const h = toImportPage().send({ type: 'requestImport', path: 'certs/oauth.pfx', hasPrivateKey: true, password: 'wrong' });
      const before = h.ui.importForm.revision;
      h.ui = importFileRead(h.ui, h.effects.pop() as Effect & { kind: 'read-import' }, { ok: true, bytes: pfx }).ui;
      assert.equal(h.page.page, 'import-file');
      const form = body(h.page, 'import-form');
      assert.match(form.error ?? '', /^oauth\.pfx: /);
      assert.equal(form.path, 'certs/oauth.pfx');
      assert.ok(form.revision > before, 'the webview drops the typed password');
      h.send({ type: 'requestImport', path: 'missing.pfx', hasPrivateKey: true, password: PASSWORD });
      h.ui = importFileRead(h.ui, h.effects.pop() as Effect & { kind: 'read-import' }, { ok: false, message: 'No file at missing.pfx.' }).ui;
      assert.equal(body(h.page, 'import-form').error, 'No file at missing.pfx.');
    });

    it('refuses a file without a private key when the checkbox says it has one', () => {
      const cer = new Uint8Array(Buffer.from(generated.certPem));
      const h = toImportPage().send({ type: 'requestImport', path: 'certs/public.cer', hasPrivateKey: true, password: '' });
      h.ui = importFileRead(h.ui, h.effects.pop() as Effect & { kind: 'read-import' }, { ok: true, bytes: cer }).ui;
      assert.match(body(h.page, 'import-form').error ?? '', /holds no private key/);
      h.send({ type: 'requestImport', path: 'certs/public.cer', hasPrivateKey: false });
      const read = importFileRead(h.ui, h.effects.pop() as Effect & { kind: 'read-import' }, { ok: true, bytes: cer });
      assert.equal(read.ui.page, 'import-summary');
      assert.deepEqual(read.pending, { bytes: cer });
    });

    it('Browse fills the path; Back from the summary returns to the form', () => {
      const h = toImportPage().send({ type: 'browse' });
      assert.deepEqual(h.effects.pop(), { kind: 'browse' });
      h.ui = browsed(h.ui, 'certs/picked.pfx');
      assert.equal(body(h.page, 'import-form').path, 'certs/picked.pfx');
      assert.equal(h.page.saved.selection.importPath, 'certs/picked.pfx');
      h.send({ type: 'requestImport', path: 'certs/picked.pfx', hasPrivateKey: true, password: PASSWORD });
      h.ui = importFileRead(h.ui, h.effects.pop() as Effect & { kind: 'read-import' }, { ok: true, bytes: pfx }).ui;
      h.send(back);
      assert.equal(h.page.page, 'import-file');
      assert.equal('candidate' in h.ui, false, 'the file read is dropped');
    });
  });

  describe('Request, Remove, View, Process Pending Request', () => {
    const form = (values: Record<string, string | boolean | string[]>): ToHost => ({ type: 'form', values });

    it('Request walks the Certificate Request pages (offline: no CA page) to a run-request effect with the answers', () => {
      const h = toCertificates(new Harness()).send({ type: 'selectUse', use: 'Default' }, { type: 'openRequest' });
      const titles = [h.page.title];
      h.send(next);
      titles.push(h.page.title);
      // No test CA in this workspace: only the offline request can be chosen.
      const mode = body(h.page, 'form').fields[0] as Extract<FormFieldView, { kind: 'radio' }>;
      assert.deepEqual(mode.options.map((o) => o.enabled !== false), [false, true]);
      h.send(form({ mode: 'test-ca' }));
      assert.match(body(h.page, 'form').error ?? '', /offline/);
      h.send(form({ mode: 'offline' }));
      titles.push(h.page.title);
      h.send(form({ requestFile: 'D:\\x.req' }));
      assert.match(body(h.page, 'form').error ?? '', /C:\\ drive/);
      h.send(form({ requestFile: 'C:\\Certificates\\fe01-default.req' }));
      const pages: Record<string, string | boolean>[] = [{ useTemplate: false, template: '' }, { friendlyName: 'fe01 2026', keySize: '4096', exportable: true }, { organization: 'Contoso', ou: '' }, { country: 'us', state: 'WA', city: 'Redmond' }];
      for (const values of pages) {
        titles.push(h.page.title);
        h.send(form(values));
      }
      titles.push(h.page.title);
      assert.ok(body(h.page, 'form').fields.some((f) => f.kind === 'list' && f.items.includes('fe01.contoso.com')));
      h.send(next);
      titles.push(h.page.title);
      h.send(form({ sipDomains: ['contoso.com', 'fabrikam.com'] }));
      titles.push(h.page.title);
      h.send(form({ extra: 'sfb.contoso.com' }));
      titles.push(h.page.title);
      assert.deepEqual(titles, ['Certificate Request', 'Delayed or Immediate Requests', 'Certificate Request File', 'Specify Alternate Certificate Template', 'Name and Security Settings',
        'Organization Information', 'Geographical Information', 'Subject Name / Subject Alternative Names', 'SIP Domain setting on Subject Alternative Names (SANs)',
        'Configure Additional Subject Alternative Names', 'Certificate Request Summary']);
      const summary = body(h.page, 'form');
      assert.match(summary.powershell![0], /^Request-CsCertificate -New -Type Default -Output "C:\\Certificates\\fe01-default.req" -ComputerFqdn "fe01.contoso.com" -FriendlyName "fe01 2026" -KeySize 4096 -PrivateKeyExportable \$True -Organization "Contoso" -Country "US" -State "WA" -City "Redmond" -DomainName "sfb.contoso.com"$/);
      assert.ok(summary.notes.some((n) => /\.key\.pem/.test(n)), 'says where the key is kept');
      h.send(next);
      const effect = h.effects.pop() as Effect & { kind: 'run-request' };
      assert.equal(effect.kind, 'run-request');
      assert.deepEqual(effect.draft.sipDomains, ['contoso.com', 'fabrikam.com']);
      assert.equal(effect.draft.keySize, 4096);
    });

    it('with the sample\'s test CA: the CA page instead of the request file', () => {
      const h = new Harness();
      const ctx = () => ({ ...h.ctx, testCa: 'Contoso Issuing CA' });
      const send = (msg: ToHost) => {
        const t = reduce(h.ui, msg, ctx());
        assert.ok(t.ok, JSON.stringify(msg));
        h.ui = t.ui;
      };
      for (const msg of [{ type: 'installOrUpdate' }, { type: 'runStep3' }, { type: 'selectUse', use: 'OAuthTokenIssuer' }, { type: 'openRequest' }, next, form({ mode: 'test-ca' })] as ToHost[]) send(msg);
      assert.equal(view(h.ui, ctx()).title, 'Choose a Certificate Authority (CA)');
    });

    it('Remove and View act on a row with a certificate; Remove runs Remove-CsCertificate on Next', () => {
      const h = toCertificates(new Harness());
      h.refused({ type: 'openRemove' }, /has a certificate/);
      h.send({ type: 'selectUse', use: 'OAuthTokenIssuer' });
      h.refused({ type: 'openView' }, /has a certificate/);
      h.send({ type: 'selectUse', use: 'Default' }, { type: 'openView' });
      assert.equal(h.page.title, 'View Certificate');
      assert.equal(body(h.page, 'form').details?.thumbprint, DEFAULT.thumbprint);
      h.send({ type: 'navigate', action: 'close' }, { type: 'openRemove' });
      assert.equal(h.page.title, 'Remove Certificate');
      assert.deepEqual(body(h.page, 'form').powershell, ['Remove-CsCertificate -Type Default']);
      h.send(next);
      const effect = h.effects.pop() as Effect & { kind: 'run-remove' };
      assert.deepEqual(effect.request, { cmdlet: 'Remove-CsCertificate', computer: 'fe01.contoso.com', type: ['Default'] });
      h.ui = executed(h.ui, 'remove-executing', h.run(effect.request), '');
      assert.deepEqual(body(h.page, 'executing').status, { tone: 'ok', text: 'Task status: Completed.' });
      h.send(finish);
      assert.equal(body(h.page, 'certificates').rows[0].status.text, 'Not assigned');
    });

    it('Process Pending Request is available with a pending request and sends the chosen request and answer', () => {
      const h = new Harness();
      h.state = { ...h.state, pools: h.state.pools.map((p, i) => (i ? p : { ...p, servers: p.servers.map((s, j) => (j ? s : { ...s, pendingRequests: [{
        requestedAt: NOW.toISOString(), uses: ['Default'], subject: 'CN=pool01.contoso.com', dnsNames: ['pool01.contoso.com'], keySize: 2048, exportable: true,
        requestFile: 'Certificates/fe01.req', keyFile: 'Certificates/fe01.key.pem', publicKeySha1: DEFAULT.thumbprint,
      }] })) })) };
      toCertificates(h);
      assert.equal(button(h.page, 'process-pending').enabled, true);
      h.send({ type: 'openPending' });
      assert.equal(h.page.title, 'Process Pending Request');
      h.send(form({ request: 'Certificates/fe01.req', answer: '' }));
      assert.match(body(h.page, 'form').error ?? '', /answer/);
      h.send(form({ request: 'Certificates/fe01.req', answer: 'Certificates/answer.p7b' }));
      assert.deepEqual(h.effects.pop(), { kind: 'run-pending', computer: 'fe01.contoso.com', requestFile: 'Certificates/fe01.req', path: 'Certificates/answer.p7b' });
    });
  });
});
