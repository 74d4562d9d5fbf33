// Turns what a terminal sends to its process (typed keys, escape sequences, pasted text) into key events for the
// console. Pure: no 'vscode'. A run of printable characters (typing fast, or a paste) becomes one `text` event;
// CR, LF and CRLF each become one `enter`, so a pasted block runs line by line.

export type KeyName =
  | 'enter' | 'tab' | 'shiftTab' | 'backspace' | 'delete' | 'left' | 'right' | 'up' | 'down' | 'home' | 'end'
  | 'wordLeft' | 'wordRight' | 'deleteWordLeft' | 'interrupt' | 'clearScreen' | 'killLineBefore' | 'killLineAfter'
  | 'escape';

export type Key = { kind: 'key'; name: KeyName } | { kind: 'text'; text: string };

/** Escape sequences (after ESC) that xterm.js sends, in normal and application cursor mode. */
const SEQUENCES: Record<string, KeyName> = {
  '[A': 'up', '[B': 'down', '[C': 'right', '[D': 'left', OA: 'up', OB: 'down', OC: 'right', OD: 'left',
  '[H': 'home', '[F': 'end', OH: 'home', OF: 'end', '[1~': 'home', '[4~': 'end', '[7~': 'home', '[8~': 'end',
  '[3~': 'delete', '[Z': 'shiftTab',
  '[1;5D': 'wordLeft', '[1;5C': 'wordRight', '[1;3D': 'wordLeft', '[1;3C': 'wordRight', b: 'wordLeft', f: 'wordRight',
  '\x7f': 'deleteWordLeft', '\b': 'deleteWordLeft',
};

const CONTROLS: Record<string, KeyName> = {
  '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace', '\x03': 'interrupt', '\x0c': 'clearScreen',
  '\x01': 'home', '\x05': 'end', '\x02': 'left', '\x06': 'right', '\x10': 'up', '\x0e': 'down',
  '\x04': 'delete', '\x15': 'killLineBefore', '\x0b': 'killLineAfter', '\x17': 'deleteWordLeft',
};

// A CSI sequence: ESC [ parameters (digits and ;) then one final byte.
const CSI = /^\[[0-9;]*[\x40-\x7e]/;
const BRACKETED_PASTE = ['\x1b[200~', '\x1b[201~'];

export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  let text = '';
  const flush = () => {
    if (text) keys.push({ kind: 'text', text });
    text = '';
  };
  const push = (name: KeyName) => {
    flush();
    keys.push({ kind: 'key', name });
  };
  for (let i = 0; i < data.length;) {
    const c = data[i];
    if (c === '\x1b') {
      const marker = BRACKETED_PASTE.find((m) => data.startsWith(m, i));
      if (marker) {
        i += marker.length;
        continue;
      }
      const rest = data.slice(i + 1);
      const csi = CSI.exec(rest)?.[0];
      const seq = csi ?? (rest[0] === 'O' ? rest.slice(0, 2) : rest.slice(0, 1));
      const name = SEQUENCES[seq];
      if (name) push(name);
      else if (!seq) push('escape');
      // Unknown sequences (function keys, focus reports) are dropped whole rather than typed as text.
      i += 1 + seq.length;
      continue;
    }
    if (c === '\r' || c === '\n') {
      push('enter');
      i += c === '\r' && data[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    const control = CONTROLS[c];
    if (control) {
      push(control);
    } else if (c >= ' ') {
      text += c;
    }
    i++;
  }
  flush();
  return keys;
}
