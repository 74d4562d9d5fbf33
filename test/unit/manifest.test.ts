// The manifest (package.json) against the code: the command table, the menus' when-clauses evaluated against
// the contextValue helper, the layering rule (no 'vscode' in core/shared/node/cli) and the VSIX contents rules.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_IDS, CONTEXT_STEP_ASSIGNED, CONTEXT_STEP_CHECKED, CONTEXT_STEP_ROLLED, CONTEXT_STEP_VERIFIED, TERMINAL_PROFILE_ID, VIEW_ID } from '../../src/shared/commands';
import { contextValue } from '../../src/ui/contextValue';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

interface MenuItem { command: string; when?: string; group?: string }

/** Evaluates the subset of VS Code when-clause syntax the manifest uses: &&, !, ==, =~ /re/, bare keys. */
export function evaluateWhen(when: string | undefined, ctx: Record<string, string | boolean | undefined>): boolean {
  if (!when) return true;
  return when.split('&&').map((s) => s.trim()).every((term) => {
    let m = /^(\S+)\s*=~\s*\/(.*)\/([a-z]*)$/.exec(term);
    if (m) return new RegExp(m[2], m[3]).test(String(ctx[m[1]] ?? ''));
    m = /^(\S+)\s*==\s*(\S+)$/.exec(term);
    if (m) return String(ctx[m[1]]) === m[2];
    if (term === 'false') return false;
    if (term === 'true') return true;
    if (term.startsWith('!')) return !ctx[term.slice(1)];
    return Boolean(ctx[term]);
  });
}

function contextMenu(viewItem: string): string[] {
  const items: MenuItem[] = pkg.contributes.menus['view/item/context'];
  return items
    .filter((i) => !(i.group ?? '').startsWith('inline'))
    .filter((i) => evaluateWhen(i.when, { view: VIEW_ID, viewItem }))
    .map((i) => i.command.replace('sfbCertificates.', ''));
}

describe('package.json manifest', () => {
  it('declares exactly the commands of the command table', () => {
    const declared = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(declared, [...COMMAND_IDS].sort());
  });

  it('gives every command the "SfB Certificates" category and a title; prompting commands end with an ellipsis', () => {
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'SfB Certificates', c.command);
      assert.ok(c.title.length > 3, c.command);
      assert.ok(!/\.\.\./.test(c.title), `${c.command} uses "..." instead of "…"`);
    }
  });

  it('references only declared commands in menus', () => {
    const ids = new Set<string>(COMMAND_IDS);
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, MenuItem[]>)) {
      for (const i of items) assert.ok(ids.has(i.command), `${menu} names unknown ${i.command}`);
    }
  });

  it('shows certificate actions by what the certificate allows', () => {
    const withKey = contextMenu(contextValue('certificate', { onServer: true, hasKey: true, exportable: true }));
    assert.deepEqual(withKey, ['assignOAuth', 'assignToServer', 'rollCertificate', 'exportWithPrivateKey', 'copyThumbprint', 'copyAsPowerShell', 'showCertificateDetails']);
    const publicOnly = contextMenu(contextValue('certificate', { onServer: true }));
    assert.deepEqual(publicOnly, ['assignToServer', 'copyThumbprint', 'copyAsPowerShell', 'showCertificateDetails']);
    const notExportable = contextMenu(contextValue('certificate', { onServer: true, hasKey: true }));
    assert.ok(!notExportable.includes('exportWithPrivateKey'));
    assert.ok(notExportable.includes('assignOAuth'));
  });

  it('shows the global slot actions, destructive ones only when there is something to remove, and last', () => {
    const empty = contextMenu(contextValue('slot', { global: true, oauth: true }));
    assert.deepEqual(empty, ['importCertificate', 'assignOAuthFromDefault', 'rollCertificate', 'openTimeline', 'planOAuthRenewal', 'copyAsPowerShell']);
    const full = contextMenu(contextValue('slot', { global: true, oauth: true, hasCurrent: true, hasPrevious: true }));
    assert.deepEqual(full.slice(-2), ['removePrevious', 'removeCertificate']);
    const items: MenuItem[] = pkg.contributes.menus['view/item/context'];
    for (const i of items.filter((x) => /remove/.test(x.command))) assert.match(i.group ?? '', /^9_destructive/);
  });

  it('does not offer global-slot actions on a per-server slot', () => {
    assert.deepEqual(contextMenu(contextValue('slot', { hasCurrent: true, hasPrevious: true })), []);
  });

  it('shows the server actions on servers', () => {
    assert.deepEqual(contextMenu(contextValue('server', { frontEnd: true, upToDate: true })), ['importOnServer', 'openWizard', 'openManagementShellHere', 'replicateToServer', 'toggleReplicaReachable']);
  });

  it('contributes the SfB Management Shell terminal profile and activates on it', () => {
    assert.deepEqual(pkg.contributes.terminal.profiles.map((p: { id: string; title: string }) => [p.id, p.title]), [[TERMINAL_PROFILE_ID, 'SfB Management Shell']]);
    assert.ok(pkg.activationEvents.includes(`onTerminalProfile:${TERMINAL_PROFILE_ID}`));
  });

  it('hides node-only commands from the palette', () => {
    const palette: MenuItem[] = pkg.contributes.menus.commandPalette;
    for (const id of ['assignToServer', 'replicateToServer', 'importOnServer', 'copyThumbprint', 'showCertificateDetails', 'openManagementShellHere']) {
      const entry = palette.find((p) => p.command === `sfbCertificates.${id}`);
      assert.equal(entry?.when, 'false', id);
    }
  });

  it('shows the welcome view only while there is no deployment', () => {
    const welcome = pkg.contributes.viewsWelcome[0];
    assert.equal(welcome.view, VIEW_ID);
    assert.equal(evaluateWhen(welcome.when, { 'sfbCertificates.hasDeployment': false }), true);
    assert.equal(evaluateWhen(welcome.when, { 'sfbCertificates.hasDeployment': true }), false);
    for (const m of welcome.contents.matchAll(/\(command:([^)]+)\)/g)) assert.ok((COMMAND_IDS as readonly string[]).includes(m[1]), m[1]);
  });

  it('gives every action shown as a button (inline on a tree item, or in the view\'s title bar) an icon', () => {
    const commands = new Map<string, { icon?: string }>(pkg.contributes.commands.map((c: { command: string; icon?: string }) => [c.command, c]));
    const buttons = [
      ...(pkg.contributes.menus['view/item/context'] as MenuItem[]).filter((m) => m.group?.startsWith('inline')),
      ...(pkg.contributes.menus['view/title'] as MenuItem[]).filter((m) => m.group?.startsWith('navigation')),
    ];
    assert.ok(buttons.length > 0);
    for (const b of buttons) assert.match(commands.get(b.command)?.icon ?? '', /^\$\([a-z-]+\)$/, `${b.command} shows as a button without an icon`);
  });

  it('links the walkthrough only to declared commands and existing media, and completes each step by its own commands or a walkthrough context key the extension sets', () => {
    const [walkthrough] = pkg.contributes.walkthroughs;
    const declared = COMMAND_IDS as readonly string[];
    const keys: string[] = [CONTEXT_STEP_CHECKED, CONTEXT_STEP_ASSIGNED, CONTEXT_STEP_ROLLED, CONTEXT_STEP_VERIFIED];
    for (const step of walkthrough.steps as { id: string; description: string; media: { markdown: string }; completionEvents: string[] }[]) {
      const linked = [...step.description.matchAll(/\(command:([^)]+)\)/g)].map((m) => m[1]);
      assert.ok(linked.length > 0, `${step.id} has no button`);
      for (const id of linked) assert.ok(declared.includes(id), `${step.id} links to ${id}`);
      for (const event of step.completionEvents) {
        const key = /^onContext:(.+)$/.exec(event)?.[1];
        if (key) {
          assert.ok(keys.includes(key), `${step.id} completes on ${event}, a context key the extension never sets`);
          continue;
        }
        const id = /^onCommand:(.+)$/.exec(event)?.[1];
        assert.ok(id && linked.includes(id), `${step.id} completes on ${event}, which is not one of its buttons`);
      }
      assert.ok(fs.existsSync(path.join(root, step.media.markdown)), step.media.markdown);
    }
  });

  it('keeps @types/vscode no newer than engines.vscode (vsce refuses otherwise)', () => {
    const engine = /(\d+)\.(\d+)/.exec(pkg.engines.vscode)!;
    const types = /(\d+)\.(\d+)/.exec(pkg.devDependencies['@types/vscode'])!;
    assert.ok(Number(types[1]) < Number(engine[1]) || (types[1] === engine[1] && Number(types[2]) <= Number(engine[2])));
  });
});

describe('layering', () => {
  function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  }
  for (const layer of ['src/core', 'src/shared', 'src/node', 'src/cli', 'media/wizard']) {
    it(`${layer} does not import 'vscode'`, () => {
      const files = fs.existsSync(path.join(root, layer)) ? sources(path.join(root, layer)) : [];
      for (const f of files) {
        const text = fs.readFileSync(f, 'utf8');
        assert.doesNotMatch(text, /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)/, path.relative(root, f));
      }
    });
  }
});
