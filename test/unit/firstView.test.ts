// The first view a panel sends with its HTML (src/shared/protocol/firstView.ts): inside a <script> data block, text
// from a certificate (any characters) can neither end the element nor open a comment, and reads back as it was.
import * as assert from 'node:assert/strict';
import { FIRST_VIEW_ID, firstViewJson, readFirstView } from '../../src/shared/protocol';

/** The text between the data block's tags, as an HTML parser finds it: up to the first `</script`. */
function asParsed(json: string): string {
  const html = `<script type="application/json" id="${FIRST_VIEW_ID}">${json}</script><script src="x.js"></script>`;
  const start = html.indexOf('>') + 1;
  return html.slice(start, html.toLowerCase().indexOf('</script', start));
}

const doc = (text: string | null) => ({ getElementById: (id: string) => (id === FIRST_VIEW_ID && text !== null ? { textContent: text } : null) });

describe('first view sent with the HTML', () => {
  it('keeps certificate text that looks like markup inside the data block, and reads it back unchanged', () => {
    const view = { title: 'CN=</script><script>alert(1)</script>', note: '<!-- <script> -->', bidi: '\u202Eevil\u2028line', n: 1, list: [true, null] };
    const json = firstViewJson(view);
    assert.ok(!json.includes('<'), json);
    const inBlock = asParsed(json);
    assert.equal(inBlock, json, 'the block ends where the panel ended it');
    assert.deepEqual(readFirstView(doc(inBlock)), view);
  });

  it('reads nothing when the page has no first view, or it is not JSON', () => {
    assert.equal(readFirstView(doc(null)), undefined);
    assert.equal(readFirstView(doc('')), undefined);
    assert.equal(readFirstView(doc('{not json')), undefined);
  });
});
