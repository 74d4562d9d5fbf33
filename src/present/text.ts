// Plain text that can carry untrusted parts (a certificate's subject, a file name, a topology's names, an error's
// text) made safe for a terminal or a text document, line by line: newlines and tabs stay what they are, every other
// control or bidirectional character is shown as \uXXXX (displayText). The Management Shell writes everything it
// prints through this, so no name can retitle the terminal, clear it, or forge a line.
import { displayText } from '../core';

/** `text` with its lines and tabs kept, and everything else displayText escapes escaped; "\r\n" becomes "\n". */
export function safeLines(text: string): string {
  return text.replace(/\r\n/g, '\n').split(/(\n|\t)/).map((part) => (part === '\n' || part === '\t' ? part : displayText(part))).join('');
}
