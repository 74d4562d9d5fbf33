// Thumbprints as administrators paste them.
import { describeList } from './errors';

const INVISIBLE_MARKS: Record<string, string> = {
  '\u200e': 'left-to-right mark (U+200E)',
  '\u200f': 'right-to-left mark (U+200F)',
  '\ufeff': 'byte order mark (U+FEFF)',
  '\u200b': 'zero-width space (U+200B)',
  '\u202a': 'left-to-right embedding (U+202A)',
  '\u202b': 'right-to-left embedding (U+202B)',
  '\u202c': 'pop directional formatting (U+202C)',
  '\u202d': 'left-to-right override (U+202D)',
  '\u202e': 'right-to-left override (U+202E)',
};
const INVISIBLE = /[\u200b\u200e\u200f\u202a-\u202e\ufeff]/g;

/**
 * "a9 09 50 2d…", "A9:09:…", lowercase, or with the invisible mark the Certificates MMC puts in front when a
 * thumbprint is copied from its Details tab → 40 uppercase hex digits. Notes say what was removed.
 */
export function normalizeThumbprint(input: string): { thumbprint: string; notes: string[] } | { error: string } {
  const notes: string[] = [];
  const marks = [...new Set(input.match(INVISIBLE) ?? [])];
  if (marks.length) notes.push(`Removed the invisible ${describeList(marks.map((m) => INVISIBLE_MARKS[m]))} that copying from the Certificates MMC adds.`);
  const text = input.replace(INVISIBLE, '').trim();
  const separators = [/\s/.test(text) && 'spaces', text.includes(':') && 'colons'].filter((s) => s !== false);
  if (separators.length) notes.push(`Removed the ${separators.join(' and ')} between the hex digits.`);
  const hex = text.replace(/[\s:]/g, '');
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  const stray = /[^0-9a-fA-F]/.exec(hex);
  if (stray) return { error: `"${shown}" is not a thumbprint: "${stray[0]}" is not a hexadecimal digit (0-9, A-F).` };
  if (hex.length !== 40) return { error: `"${shown}" is not a thumbprint: a thumbprint has 40 hexadecimal digits, this has ${hex.length}.` };
  return { thumbprint: hex.toUpperCase(), notes };
}
