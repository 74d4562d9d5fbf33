// The Dry Run view: shows what the host sends (src/shared/protocol.ts, DryRunView) — how the dry run ended, what
// would change (assignments, stores, CMS version, replicas behind, the operations recorded) and the output as the
// shell would print it — and reports the Apply / Cancel / Re-run clicks. It decides nothing. Text is set with
// textContent only, never innerHTML. Keyboard: the buttons come first in the tab order; Escape is Cancel.
import type { DryRunToHost, DryRunToWebview, DryRunView } from '../../src/shared/protocol';

interface WebviewApi {
  postMessage(message: DryRunToHost): void;
}
declare function acquireVsCodeApi(): WebviewApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: { class?: string; text?: string; id?: string; role?: string } = {}, ...kids: (Node | undefined)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (attrs.class) node.className = attrs.class;
  if (attrs.id) node.id = attrs.id;
  if (attrs.role) node.setAttribute('role', attrs.role);
  if (attrs.text !== undefined) node.textContent = attrs.text;
  for (const k of kids) if (k) node.appendChild(k);
  return node;
}

function button(label: string, type: DryRunToHost['type'], options: { primary?: boolean; disabled?: boolean; describedBy?: string } = {}): HTMLButtonElement {
  const b = el('button', { text: label, class: options.primary ? 'primary' : 'secondary' });
  b.type = 'button';
  b.dataset.action = type;
  if (options.disabled) b.disabled = true;
  if (options.describedBy) b.setAttribute('aria-describedby', options.describedBy);
  b.addEventListener('click', () => vscode.postMessage({ type } as DryRunToHost));
  return b;
}

function section(title: string, body: Node, empty?: string): HTMLElement {
  const s = el('section', {}, el('h2', { text: title }));
  s.appendChild(body.childNodes.length || !empty ? body : el('p', { class: 'empty', text: empty }));
  return s;
}

function render(view: DryRunView): void {
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.action;
  app.replaceChildren();
  const header = el('header', {}, el('h1', { text: `Dry run: ${view.script}` }), el('span', { class: 'when', text: view.ranAt }));
  const status = el('p', { class: `status ${view.status}`, id: 'status', role: 'status', text: view.statusText });
  const actions = el('div', { class: 'actions' },
    button('Apply', 'apply', { primary: true, disabled: !view.canApply, describedBy: 'apply-hint' }),
    button('Cancel', 'cancel'),
    view.canRerun ? button('Re-run', 'rerun') : undefined,
  );
  const hint = view.applyHint ? el('p', { class: 'hint', id: 'apply-hint', text: view.applyHint }) : undefined;
  app.append(header, status, actions);
  if (hint) app.appendChild(hint);

  const changes = el('div', { class: 'changes' });
  // One item per change, the certificates on lines of their own: readable in a narrow view beside the script.
  const assignments = el('ul', { class: 'assignments' });
  for (const a of view.assignments) {
    assignments.appendChild(el('li', {}, el('span', { class: 'slot', text: `${a.scope} · ${a.use} · ${a.part}` }), el('span', { class: 'thumb', text: `before: ${a.before}` }), el('span', { class: 'thumb', text: `after: ${a.after}` })));
  }
  changes.appendChild(section('Certificate assignments', assignments, 'No assignment would change.'));
  const stores = el('ul');
  for (const s of view.stores) {
    for (const c of s.added) stores.appendChild(el('li', { class: 'added', text: `${s.store}: + ${c}` }));
    for (const c of s.removed) stores.appendChild(el('li', { class: 'removed', text: `${s.store}: − ${c}` }));
  }
  changes.appendChild(section('Certificate stores', stores, 'No store would gain or lose a certificate.'));
  const cms = view.cmsVersion.before === view.cmsVersion.after ? `Version ${view.cmsVersion.after} (unchanged)` : `Version ${view.cmsVersion.before} → ${view.cmsVersion.after}`;
  changes.appendChild(section('Central Management store', el('p', { text: cms })));
  const behind = el('ul');
  for (const r of view.replicasBehind) behind.appendChild(el('li', { text: r }));
  changes.appendChild(section('Replication: replicas behind', behind, 'Every replica would be up to date.'));
  const history = el('ol');
  for (const h of view.history) history.appendChild(el('li', { text: h }));
  changes.appendChild(section('Operations recorded', history, 'None.'));
  app.appendChild(changes);

  const output = el('pre', { class: 'output', id: 'output' });
  output.tabIndex = 0;
  output.setAttribute('aria-label', 'Output as the Management Shell would print it');
  for (const w of view.output) output.appendChild(el('span', { class: w.stream, text: w.text }));
  app.appendChild(section('Output', output.childNodes.length ? output : el('div'), 'The script printed nothing.'));

  const again = focused && app.querySelector<HTMLButtonElement>(`button[data-action="${focused}"]:not([disabled])`);
  (again || app.querySelector<HTMLButtonElement>('button:not([disabled])'))?.focus();
}

window.addEventListener('message', (event: MessageEvent<DryRunToWebview>) => {
  if (event.data?.type === 'render') render(event.data.view);
});
window.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') vscode.postMessage({ type: 'cancel' });
});
vscode.postMessage({ type: 'ready' });
