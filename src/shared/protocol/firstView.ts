// The first view a panel sends with its HTML (src/ui/webviewHtml.ts), so its webview paints at once instead of
// waiting for a `ready` → `render` round trip. It is a JSON data block (<script type="application/json">: the
// browser never runs it, so the strict Content Security Policy is unchanged), read by the webview's script before
// it says `ready`. Only a freshly created webview uses it: a webview that has saved state (it was hidden and
// reloaded, or restored after a reload) waits for the host's `render`, as the embedded view may be stale then.

/** The id of the data block. */
export const FIRST_VIEW_ID = 'first-view';

/** The JSON of `view`, safe inside a <script> element (no `<`, so no `</script>` or `<!--`). */
export function firstViewJson(view: unknown): string {
  return JSON.stringify(view).replace(/</g, '\\u003c');
}

/** In the webview: the view embedded in `doc`, or undefined when there is none (or it is not JSON). */
export function readFirstView<T>(doc: { getElementById(id: string): { textContent: string | null } | null }): T | undefined {
  const text = doc.getElementById(FIRST_VIEW_ID)?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
