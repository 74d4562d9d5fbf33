// The Deployment Wizard webview: renders the pages the host sends (src/shared/protocol/) with DOM APIs only —
// textContent and createElement, never innerHTML — so certificate text such as `CN=<img src=x onerror=…>` shows
// literally. It computes nothing: it reports clicks, selections and the import form, and saves
// { serverFqdn, page, selection } with setState (never a password) so the host can restore the page.
import {
  parseSavedState, readFirstView,
  type ButtonView, type CertificateDetailsView, type FieldView, type FormFieldView, type FormValues, type PageBody, type PageView, type SavedState, type StatusView, type ToHost,
} from '../../src/shared/protocol';

interface WebviewApi {
  postMessage(message: ToHost): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): WebviewApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

/** A screen-reader announcement region that survives re-renders (the page itself is rebuilt each time). */
const announcer = document.createElement('div');
announcer.className = 'visually-hidden';
announcer.setAttribute('aria-live', 'polite');
announcer.setAttribute('role', 'status');
document.body.append(announcer);

let current: PageView | undefined;

/** What the user typed on the Import Certificate page; the host's `revision` tells when to drop it. */
interface ImportDraft {
  revision: number;
  path: string;
  hasPrivateKey: boolean;
  password: string;
}
let draft: ImportDraft | undefined;

// ---------------------------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------------------------

type Child = Node | string | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; id?: string; text?: string } = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.id) node.id = props.id;
  if (props.text !== undefined) node.textContent = props.text;
  for (const c of children) if (c) node.append(c);
  return node;
}

function post(message: ToHost): void {
  vscode.postMessage(message);
}

function statusEl(status: StatusView, tag: 'span' | 'p' = 'span'): HTMLElement {
  return el(tag, { className: `status tone-${status.tone}`, text: status.text });
}

let hintCount = 0;

function buttonEl(b: ButtonView): HTMLButtonElement {
  const button = el('button', { id: `action-${b.action}`, className: b.primary ? 'primary' : 'secondary', text: b.label });
  button.type = 'button';
  button.dataset.action = b.action;
  button.disabled = !b.enabled;
  if (b.hint) button.title = b.hint;
  button.addEventListener('click', () => {
    if (b.send === 'import-form') submitImport();
    else if (b.send === 'form') submitForm();
    else if (b.send) post(b.send);
  });
  return button;
}

/** Buttons in a row; a disabled button's reason is shown as text next to the row (a tooltip is not enough). */
function buttonRow(buttons: ButtonView[], className: string): HTMLElement {
  const row = el('div', { className });
  const hints = new Map<string, string>();
  for (const b of buttons) {
    const button = buttonEl(b);
    if (!b.enabled && b.hint) {
      if (!hints.has(b.hint)) hints.set(b.hint, `hint-${++hintCount}`);
      button.setAttribute('aria-describedby', hints.get(b.hint)!);
    }
    row.append(button);
  }
  if (!hints.size) return row;
  const wrap = el('div', { className: `${className}-wrap` }, row);
  for (const [text, id] of hints) wrap.append(el('p', { className: 'hint', id, text }));
  return wrap;
}

function fieldList(fields: FieldView[]): HTMLElement {
  const list = el('dl', { className: 'fields' });
  for (const f of fields) list.append(el('dt', { text: f.label }), el('dd', {}, ...breakAfterNameParts(f.value)));
  return list;
}

function paragraphs(texts: string[]): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const t of texts) frag.append(el('p', { text: t }));
  return frag;
}

function table(headers: string[], className: string): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const head = el('tr');
  for (const h of headers) {
    const th = el('th', { text: h });
    th.scope = 'col';
    head.append(th);
  }
  const body = el('tbody');
  return { table: el('table', { className: `grid ${className}` }, el('thead', {}, head), body), body };
}

/** A row chosen with a radio button in its first cell: clicking anywhere on the row chooses it. */
function radioRow(name: string, value: string, checked: boolean, enabled: boolean, labelId: string, onChoose: () => void): { row: HTMLTableRowElement; radio: HTMLInputElement } {
  const radio = el('input', { id: `${name}-${value}` });
  radio.type = 'radio';
  radio.name = name;
  radio.value = value;
  radio.checked = checked;
  radio.disabled = !enabled;
  radio.setAttribute('aria-labelledby', labelId);
  radio.addEventListener('change', () => { if (radio.checked) onChoose(); });
  const row = el('tr', { className: [checked ? 'selected' : '', enabled ? '' : 'blocked'].filter(Boolean).join(' ') }, el('td', { className: 'choice' }, radio));
  row.addEventListener('click', (e) => {
    if (e.target === radio || radio.disabled || radio.checked) return;
    radio.checked = true;
    radio.focus();
    onChoose();
  });
  return { row, radio };
}

function checkbox(id: string, label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const input = el('input', { id });
  input.type = 'checkbox';
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  const text = el('label', { text: label });
  text.htmlFor = id;
  return el('div', { className: 'checkbox' }, input, text);
}

function powershellBlock(lines: string[]): HTMLElement {
  const block = el('pre', { className: 'powershell' });
  for (const line of lines) block.append(el('code', {}, ...breakAfterCommas(line)), '\n');
  return block;
}

// ---------------------------------------------------------------------------------------------
// Page bodies
// ---------------------------------------------------------------------------------------------

/** The filter text typed but not yet in a page from the host (a page rendered meanwhile keeps it, so no keystroke is lost). */
let typedFilter: string | undefined;
let filterTimer: ReturnType<typeof setTimeout> | undefined;

/** A large topology's computer list: a text that narrows it (sent as typed, 150 ms after the last key) and how many it holds. */
function serverFilter(filter: NonNullable<Extract<PageBody, { kind: 'home' }>['filter']>, listed: number): HTMLElement {
  if (typedFilter === filter.text) typedFilter = undefined;
  const input = el('input', { id: 'server-filter' });
  input.type = 'text';
  input.value = typedFilter ?? filter.text;
  input.placeholder = 'part of a computer or pool name';
  input.addEventListener('input', () => {
    typedFilter = input.value;
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => post({ type: 'filterServers', text: input.value }), 150);
  });
  const label = el('label', { text: 'Find a computer' });
  label.htmlFor = input.id;
  const count = el('p', { className: 'secondary-text', id: 'server-count', text: filter.matching > listed
    ? `${listed} of ${filter.matching} matching computers listed (${filter.total} in the topology): type part of a name to narrow the list. Listing at most ${filter.limit} is SfB Certificates' own rule.`
    : `${filter.matching} of ${filter.total} computers match.` });
  input.setAttribute('aria-describedby', count.id);
  return el('div', { className: 'field' }, label, input, count);
}

function homeBody(body: Extract<PageBody, { kind: 'home' }>): DocumentFragment {
  const select = el('select', { id: 'server' });
  for (const s of body.servers) {
    const option = el('option', { text: s.label });
    option.value = s.fqdn;
    option.selected = s.fqdn === body.serverFqdn;
    select.append(option);
  }
  select.addEventListener('change', () => post({ type: 'pickServer', serverFqdn: select.value }));
  const label = el('label', { text: 'Computer' });
  label.htmlFor = 'server';
  const frag = document.createDocumentFragment();
  frag.append(el('p', { text: body.intro }), ...(body.filter ? [serverFilter(body.filter, Math.min(body.filter.matching, body.filter.limit))] : []), el('div', { className: 'field' }, label, select), buttonRow(body.tasks, 'home-tasks'));
  return frag;
}

function stepsBody(body: Extract<PageBody, { kind: 'steps' }>): DocumentFragment {
  const list = el('ol', { className: 'deployment-steps' });
  for (const step of body.steps) {
    list.append(el('li', { className: `step step-${step.number}` },
      el('div', { className: 'step-text' }, el('h2', { text: step.name }), statusEl(step.status)),
      buttonRow([step.run], 'step-actions')));
  }
  const frag = document.createDocumentFragment();
  frag.append(el('p', { text: body.intro }), list);
  return frag;
}

/** `-Type A,B,C` may wrap after each comma (a <wbr>, which copies as nothing), never inside a use's name: table cells, field values, PowerShell lines. */
function breakAfterCommas(text: string): Node[] {
  return breakAfter(text, /,/g);
}

/**
 * A name or subject may also wrap after each dot inside a DNS name ("CN=sfb2019-pool01.emea.<wbr>corp.contoso.com"),
 * so a long one stays in its column instead of spilling into the next; words stay whole.
 */
function breakAfterNameParts(text: string): Node[] {
  return breakAfter(text, /,|\.(?=[\p{L}\p{N}])/gu);
}

/** `text` as text nodes with a <wbr> (a place to wrap, which copies as nothing) after each match of `at`. */
function breakAfter(text: string, at: RegExp): Node[] {
  const out: Node[] = [];
  let from = 0;
  for (const m of text.matchAll(at)) {
    const end = m.index! + m[0].length;
    out.push(document.createTextNode(text.slice(from, end)), document.createElement('wbr'));
    from = end;
  }
  out.push(document.createTextNode(text.slice(from)));
  return out;
}

function certificatesBody(body: Extract<PageBody, { kind: 'certificates' }>): DocumentFragment {
  const { table: grid, body: rows } = table(['', 'Certificate use', 'Certificate', 'Expiration Date', 'Location', 'Status'], 'uses');
  grid.setAttribute('aria-label', 'Certificate uses');
  for (const r of body.rows) {
    const labelId = `use-label-${r.id}`;
    const { row } = radioRow('use', r.id, r.id === body.selected, true, labelId, () => post({ type: 'selectUse', use: r.id }));
    row.dataset.use = r.id;
    const uses = r.uses.length > 1 || r.uses[0] !== r.label ? el('div', { className: 'secondary-text' }, ...breakAfterCommas(`-Type ${r.uses.join(',')}`)) : undefined;
    const certificate = el('td', {}, r.certificate ? el('span', {}, ...breakAfterNameParts(r.certificate)) : el('span', { className: 'secondary-text', text: 'None' }));
    if (r.thumbprint) certificate.title = `Thumbprint ${r.thumbprint}`;
    const status = el('td', {}, statusEl(r.status));
    if (r.pending) status.append(el('div', { className: 'secondary-text', text: r.pending }));
    row.append(el('td', {}, el('span', { id: labelId, className: 'row-name', text: r.label }), uses), certificate, el('td', { className: 'nowrap', text: r.expiration }), el('td', { className: 'nowrap', text: r.location }), status);
    rows.append(row);
  }
  const frag = document.createDocumentFragment();
  frag.append(el('p', { text: body.intro }), grid, buttonRow(body.actions, 'page-actions'));
  return frag;
}

function detailsSection(details: CertificateDetailsView): HTMLElement {
  const heading = el('h2', { id: 'details-title', text: details.title });
  heading.tabIndex = -1;
  const section = el('section', { className: 'details' }, heading, fieldList(details.fields));
  section.setAttribute('aria-labelledby', 'details-title');
  return section;
}

function storeBody(body: Extract<PageBody, { kind: 'store' }>): DocumentFragment {
  const { table: grid, body: rows } = table(['', 'Friendly Name', 'Subject', 'Expiration Date', 'Key', 'Thumbprint'], 'store');
  grid.setAttribute('aria-label', 'Certificates in the local store');
  for (const c of body.certificates) {
    const labelId = `cert-label-${c.thumbprint}`;
    const { row, radio } = radioRow('certificate', c.thumbprint, c.thumbprint === body.selected, c.selectable, labelId, () => post({ type: 'selectCertificate', thumbprint: c.thumbprint }));
    row.dataset.thumbprint = c.thumbprint;
    const name = el('td', {}, el('span', { id: labelId, className: 'row-name' }, ...breakAfterNameParts(c.friendlyName || c.subject)));
    if (c.currentlyAssigned) name.append(el('div', { className: 'secondary-text', text: 'Currently assigned' }));
    row.append(name, el('td', { className: 'subject' }, ...breakAfterNameParts(c.subject)), el('td', { text: c.expiration }), el('td', { className: 'nowrap', text: c.keySize }), el('td', { className: 'mono', text: c.thumbprint }));
    rows.append(row);
    if (c.reasons.length) {
      const reasonsId = `cert-reasons-${c.thumbprint}`;
      radio.setAttribute('aria-describedby', reasonsId);
      row.classList.add('has-reasons');
      const cell = el('td', { id: reasonsId });
      cell.colSpan = 5;
      const list = el('ul', { className: `reasons tone-${c.tone}` });
      for (const reason of c.reasons) list.append(el('li', { text: reason }));
      if (!c.selectable) cell.append(el('span', { className: 'status tone-error', text: 'Cannot be chosen for this use:' }));
      cell.append(list);
      const reasons = el('tr', { className: `reasons-row${c.selectable ? '' : ' blocked'}` }, el('td'), cell);
      reasons.dataset.reasonsFor = c.thumbprint;
      rows.append(reasons);
    }
  }
  const frag = document.createDocumentFragment();
  frag.append(el('p', { text: body.intro }));
  if (body.certificates.length) frag.append(grid);
  if (body.override) frag.append(checkbox('override', body.override.label, body.override.checked, (checked) => post({ type: 'overrideWarning', checked })));
  frag.append(buttonRow(body.actions, 'page-actions'));
  if (body.details) frag.append(detailsSection(body.details));
  return frag;
}

function summaryBody(body: Extract<PageBody, { kind: 'summary' }>): DocumentFragment {
  const frag = document.createDocumentFragment();
  frag.append(el('p', { text: body.intro }), fieldList(body.items), el('h2', { text: 'PowerShell' }), powershellBlock(body.powershell));
  if (body.notes.length) {
    const notes = el('ul', { className: 'notes' });
    for (const n of body.notes) notes.append(el('li', { text: n }));
    frag.append(notes);
  }
  if (body.replicate) frag.append(checkbox('replicate', body.replicate.label, body.replicate.checked, (checked) => post({ type: 'setReplicate', checked })));
  return frag;
}

function executingBody(body: Extract<PageBody, { kind: 'executing' }>): DocumentFragment {
  const log = el('section', { className: 'output', id: 'output' });
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  log.setAttribute('aria-label', 'Command output');
  for (const c of body.commands) {
    const output = el('ul', { className: 'command-output' });
    for (const line of c.output) output.append(el('li', { text: line }));
    log.append(el('div', { className: `command ${c.ok ? 'ok' : 'failed'}` }, powershellBlock([c.powershell]), c.output.length ? output : undefined));
  }
  log.append(statusEl(body.status, 'p'));
  const frag = document.createDocumentFragment();
  frag.append(el('p', { text: body.intro }), log, buttonRow(body.actions, 'page-actions'));
  if (body.replication) {
    const { table: grid, body: rows } = table(['Replica', 'Role', 'Status'], 'replicas');
    grid.setAttribute('aria-label', 'Replication per replica');
    for (const r of body.replication.rows) {
      const row = el('tr', {}, el('td', { text: r.fqdn }), el('td', { text: r.role }), el('td', {}, statusEl(r.status)));
      row.dataset.replica = r.fqdn;
      rows.append(row);
    }
    const section = el('section', { className: 'replication' }, el('h2', { text: 'Replication' }), el('p', { text: body.replication.intro }), grid);
    section.setAttribute('aria-live', 'polite');
    frag.append(section);
  }
  return frag;
}

function tasksBody(body: Extract<PageBody, { kind: 'tasks' }>): DocumentFragment {
  const group = el('fieldset', { className: 'tasks' }, el('legend', { text: 'Available certificate tasks' }));
  for (const option of body.options) {
    const input = el('input', { id: `task-${option.id}` });
    input.type = 'radio';
    input.name = 'task';
    input.checked = option.selected;
    input.disabled = !option.enabled;
    const label = el('label', { text: option.label });
    label.htmlFor = input.id;
    const line = el('div', { className: 'radio' }, input, label);
    if (option.hint) {
      const hint = el('p', { className: 'hint', id: `task-hint-${option.id}`, text: option.hint });
      input.setAttribute('aria-describedby', hint.id);
      line.append(hint);
    }
    group.append(line);
  }
  const frag = document.createDocumentFragment();
  frag.append(el('p', { text: body.intro }), group);
  return frag;
}

function importFormBody(body: Extract<PageBody, { kind: 'import-form' }>): DocumentFragment {
  if (!draft || draft.revision !== body.revision) draft = { revision: body.revision, path: body.path, hasPrivateKey: body.hasPrivateKey, password: '' };
  const form = draft;
  const path = el('input', { id: 'import-path' });
  path.type = 'text';
  path.value = form.path;
  path.spellcheck = false;
  path.setAttribute('aria-required', 'true');
  path.addEventListener('input', () => { form.path = path.value; save(); });
  const pathLabel = el('label', { text: 'Select Certificate file (.p7b, .pfx or .cer)' });
  pathLabel.htmlFor = 'import-path';

  const password = el('input', { id: 'import-password' });
  password.type = 'password';
  password.value = form.password;
  password.disabled = !form.hasPrivateKey;
  password.autocomplete = 'off';
  password.addEventListener('input', () => { form.password = password.value; });
  const passwordLabel = el('label', { text: 'Password' });
  passwordLabel.htmlFor = 'import-password';

  const hasKey = checkbox('import-has-key', "Certificate file contains certificate's private key", form.hasPrivateKey, (checked) => {
    form.hasPrivateKey = checked;
    password.disabled = !checked;
    if (!checked) password.value = form.password = '';
    save();
  });
  const frag = document.createDocumentFragment();
  frag.append(el('p', { text: body.intro }), el('div', { className: 'field' }, pathLabel, el('div', { className: 'path-row' }, path, buttonRow(body.actions, 'inline-actions'))), hasKey, el('div', { className: 'field' }, passwordLabel, password));
  if (body.error) {
    const error = el('p', { className: 'error-message', id: 'import-error', text: body.error });
    error.setAttribute('role', 'alert');
    path.setAttribute('aria-describedby', error.id);
    path.setAttribute('aria-invalid', 'true');
    frag.append(error);
  }
  return frag;
}

/** A form page's fields (the Certificate Request pages, Process Pending Request); read back from the DOM on Next. */
function formField(f: FormFieldView): HTMLElement {
  if (f.kind === 'list') {
    const list = el('ul', { className: 'form-list' });
    for (const item of f.items) list.append(el('li', { text: item }));
    return el('div', { className: 'field' }, el('h2', { text: f.label }), list);
  }
  if (f.kind === 'checkbox') {
    const box = checkbox(`form-${f.id}`, f.label, f.checked, () => undefined);
    box.dataset.field = f.id;
    if (f.hint) box.append(el('p', { className: 'hint', text: f.hint }));
    return box;
  }
  if (f.kind === 'text') {
    const input = el('input', { id: `form-${f.id}` });
    input.type = 'text';
    input.value = f.value;
    input.spellcheck = false;
    input.disabled = f.enabled === false;
    input.dataset.field = f.id;
    const label = el('label', { text: f.label });
    label.htmlFor = input.id;
    const field = el('div', { className: 'field' }, label, input);
    if (f.hint) field.append(el('p', { className: 'hint', text: f.hint }));
    return field;
  }
  if (f.kind === 'select') {
    const select = el('select', { id: `form-${f.id}` });
    select.dataset.field = f.id;
    for (const o of f.options) {
      const option = el('option', { text: o.label });
      option.value = o.value;
      option.selected = o.value === f.value;
      select.append(option);
    }
    const label = el('label', { text: f.label });
    label.htmlFor = select.id;
    return el('div', { className: 'field' }, label, select);
  }
  const group = el('fieldset', { className: f.kind === 'radio' ? 'tasks' : 'tasks checklist' }, el('legend', { text: f.label }));
  group.dataset.field = f.id;
  group.dataset.kind = f.kind;
  const options: { value: string; label: string; hint?: string; enabled?: boolean }[] = f.options;
  options.forEach((o, i) => {
    const input = el('input', { id: `form-${f.id}-${i}` });
    input.type = f.kind === 'radio' ? 'radio' : 'checkbox';
    input.name = `form-${f.id}`;
    input.value = o.value;
    input.checked = f.kind === 'radio' ? o.value === f.value : f.values.includes(o.value);
    input.disabled = o.enabled === false;
    const label = el('label', { text: o.label });
    label.htmlFor = input.id;
    const line = el('div', { className: 'radio' }, input, label);
    if (o.hint) line.append(el('p', { className: 'hint', text: o.hint }));
    group.append(line);
  });
  return group;
}

function formBody(body: Extract<PageBody, { kind: 'form' }>): DocumentFragment {
  const frag = document.createDocumentFragment();
  const form = el('div', { className: 'form', id: 'form' }, ...body.fields.map(formField));
  frag.append(el('p', { text: body.intro }), form);
  if (body.actions.length) frag.append(buttonRow(body.actions, 'page-actions'));
  if (body.powershell) frag.append(el('h2', { text: 'PowerShell' }), powershellBlock(body.powershell));
  if (body.notes.length) {
    const notes = el('ul', { className: 'notes' });
    for (const n of body.notes) notes.append(el('li', { text: n }));
    frag.append(notes);
  }
  if (body.error) {
    const error = el('p', { className: 'error-message', id: 'form-error', text: body.error });
    error.setAttribute('role', 'alert');
    frag.append(error);
  }
  if (body.details) frag.append(detailsSection(body.details));
  return frag;
}

function submitForm(): void {
  const values: FormValues = {};
  for (const node of Array.from(document.querySelectorAll<HTMLElement>('#form [data-field]'))) {
    const id = node.dataset.field!;
    if (node instanceof HTMLInputElement) values[id] = node.type === 'checkbox' ? node.checked : node.value;
    else if (node instanceof HTMLSelectElement) values[id] = node.value;
    else if (node.classList.contains('checkbox')) values[id] = (node.querySelector('input') as HTMLInputElement).checked;
    else {
      const checked = Array.from(node.querySelectorAll<HTMLInputElement>('input:checked')).map((i) => i.value);
      values[id] = node.dataset.kind === 'radio' ? checked[0] ?? '' : checked;
    }
  }
  post({ type: 'form', values });
}

function submitImport(): void {
  if (!draft) return;
  const message: ToHost = { type: 'requestImport', path: draft.path, hasPrivateKey: draft.hasPrivateKey };
  if (draft.hasPrivateKey) message.password = draft.password;
  post(message);
  // The password lives in the one message only.
  draft.password = '';
  const field = document.getElementById('import-password') as HTMLInputElement | null;
  if (field) field.value = '';
}

function bodyOf(body: PageBody): Node {
  switch (body.kind) {
    case 'message': return paragraphs(body.paragraphs);
    case 'home': return homeBody(body);
    case 'steps': return stepsBody(body);
    case 'certificates': return certificatesBody(body);
    case 'store': return storeBody(body);
    case 'summary': return summaryBody(body);
    case 'executing': return executingBody(body);
    case 'tasks': return tasksBody(body);
    case 'import-form': return importFormBody(body);
    case 'form': return formBody(body);
  }
}

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------

function save(): void {
  if (!current) return;
  const state: SavedState = { ...current.saved, selection: { ...current.saved.selection } };
  if (current.page === 'import-file' && draft) {
    state.selection.importPath = draft.path;
    state.selection.hasPrivateKey = draft.hasPrivateKey;
  }
  vscode.setState(state);
}

function pageEl(view: PageView): DocumentFragment {
  const windowLine = el('div', { className: 'window-line' }, el('span', { className: 'window', text: view.window }));
  if (view.serverFqdn) windowLine.append(el('span', { className: 'computer', text: view.serverFqdn }));
  const heading = el('h1', { id: 'title', text: view.title });
  heading.tabIndex = -1;
  const titleBar = el('header', { className: 'titlebar' }, windowLine, heading);
  const main = el('main', { className: 'content' });
  main.append(bodyOf(view.body));
  // One unobtrusive note per page (after its content) for what the extension decided itself.
  if (view.unconfirmed) main.append(el('p', { className: 'unconfirmed', id: 'unconfirmed', text: view.unconfirmed }));
  const frame = el('div', { className: view.steps ? 'frame with-steps' : 'frame' });
  if (view.steps) {
    const list = el('ol');
    for (const s of view.steps) {
      const item = el('li', { className: s.state, text: s.label });
      if (s.state === 'current') item.setAttribute('aria-current', 'step');
      list.append(item);
    }
    const nav = el('nav', { className: 'pages' }, list);
    nav.setAttribute('aria-label', 'Wizard pages');
    frame.append(nav);
  }
  frame.append(main);
  const footer = el('footer', { className: 'buttons' }, buttonRow(view.buttons, 'button-row'));
  const frag = document.createDocumentFragment();
  frag.append(titleBar, frame, footer);
  return frag;
}

/** Where focus was, to put it back after a re-render of the same page. */
function focusedId(): { id: string; start: number | null; end: number | null } | undefined {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !active.id || !app.contains(active)) return undefined;
  const text = active instanceof HTMLInputElement && (active.type === 'text' || active.type === 'password') ? active : undefined;
  return { id: active.id, start: text?.selectionStart ?? null, end: text?.selectionEnd ?? null };
}

function render(view: PageView): void {
  const samePage = current?.page === view.page && current.title === view.title;
  const focus = samePage ? focusedId() : undefined;
  const detailsOpened = view.body.kind === 'store' && view.body.details !== undefined && (current?.body.kind !== 'store' || current.body.details?.thumbprint !== view.body.details.thumbprint);
  if (!samePage && view.page !== 'import-file' && draft) draft.password = '';
  current = view;
  hintCount = 0;
  app.replaceChildren(pageEl(view));
  document.title = view.title;
  save();
  if (view.body.kind === 'executing' && !samePage) announcer.textContent = `${view.title}: ${view.body.status.text}`;
  const target = detailsOpened ? document.getElementById('details-title') : focus ? document.getElementById(focus.id) : samePage ? undefined : document.getElementById('title');
  if (target && !(target as HTMLInputElement).disabled) {
    target.focus();
    if (detailsOpened) target.scrollIntoView({ block: 'start' });
    if (focus && target instanceof HTMLInputElement && focus.start !== null) target.setSelectionRange(focus.start, focus.end);
  } else if (focus) {
    document.getElementById('title')?.focus();
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data as { type?: unknown; view?: PageView } | null;
  if (data?.type === 'render' && data.view) render(data.view);
});

// A new webview draws the page sent with its HTML at once, then says `ready`; one with saved state (reloaded after
// being hidden, or restored) waits for the host's page, as the one in its HTML may be stale.
const stored = vscode.getState();
const saved = parseSavedState(stored);
const first = stored === undefined || stored === null ? readFirstView<PageView>(document) : undefined;
if (first) render(first);
post(saved.ok ? { type: 'ready', state: saved.msg } : { type: 'ready' });
