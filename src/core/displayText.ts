// Text from outside — a certificate's subject or friendly name, a topology's site names, a file name — made safe to
// show: control characters (C0, DEL, C1: ESC sequences retitle or clear a terminal, a newline forges a second line
// of a list) and bidirectional controls (which reorder what is shown around them) are written as \uXXXX. Every
// surface that shows such text (the CLI, the output channel, tree labels and tooltips, the wizard, the shell) shows
// it through displayText or a renderer built on it.

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** `text` with control and bidirectional-control characters written as \uXXXX; other text is unchanged. */
export function displayText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
