// Fuzzing importTopology: both topology formats, mutated (bit flips, cuts, splices, byte changes, re-encodings) and
// salted with what attackers and broken exports bring (document types and entities, deep nesting, reserved names,
// references, forbidden characters, invalid UTF-8, declared encodings). Whatever comes in, the answer is a
// deployment that the deployment file loads as it is, or a typed error naming the file with a fix; never an exception.
//   3,000 inputs by default; SFB_FUZZ_LONG=1 (or --long) for 60,000.
import * as assert from 'node:assert/strict';
import { parseDeployment, serializeDeployment } from '../../src/core/deploymentFile';
import { importTopology, type TopologyImport } from '../../src/core/topologyImport';
import { FUZZ_LONG, random } from '../fixtures/fuzz';
import { CONTOSO, publishedTopology, tbxml } from '../fixtures/topologyXml';

const INPUTS = FUZZ_LONG ? 60_000 : 3_000;
const SEED = 0x70b0;
const NOW = new Date('2026-03-01T12:00:00Z');

const ERROR_CODES = ['topology-not-xml', 'topology-encoding', 'topology-doctype', 'topology-too-deep', 'topology-too-large', 'not-a-topology', 'topology-incomplete', 'topology-no-pools', 'topology-invalid'];
const LIBRARY_WORDS = /\[SECURITY\]|undefined|Cannot read propert|Maximum call stack|is not a function|Invalid tag name|TypeError|RangeError/;

const HOSTILE_FRAGMENTS = [
  '<!DOCTYPE Topology [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '<!DOCTYPE Topology [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
  '<!DOCTYPE x>', '&x;', '&b;', '&nbsp;', '&#233;', '&#x1F600;', '&#0;', '&#27;', '&#xD800;', '&#x110000;', '&', '&amp', '&#;',
  '<__proto__/>', '<constructor a="1"/>', '<a __proto__="1"/>', '<prototype></prototype>', '<toString/>', '<hasOwnProperty/>',
  '<![CDATA[&amp;]]>', '<!-- <!DOCTYPE --> ', '<?pi x?>', '\u001b[2J', '\u001b]0;owned\u0007', '\u202e', '\u0000', '\uFFFE', '\uD800',
  '</Topology>', '<Topology>', '"', '\'', '<', '>', '=',
];

/** An endless, reproducible sequence of inputs. */
function makeInputs(): () => { how: string; input: string | Buffer } {
  const next = random(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const int = (max: number) => Math.floor(next() * max);
  const seeds = [publishedTopology(CONTOSO), tbxml(CONTOSO), tbxml(CONTOSO, { prefixed: true })];
  const at = (text: string) => int(text.length + 1);

  const mutations: [string, (text: string) => string | Buffer][] = [
    ['hostile fragment', (t) => {
      const i = at(t);
      return t.slice(0, i) + pick(HOSTILE_FRAGMENTS) + t.slice(i);
    }],
    ['hostile fragment in a value', (t) => {
      const quotes = [...t.matchAll(/="/g)].map((m) => m.index! + 2);
      const i = quotes.length ? pick(quotes) : at(t);
      return t.slice(0, i) + pick(HOSTILE_FRAGMENTS) + t.slice(i);
    }],
    ['deep nesting', (t) => {
      const depth = pick([99, 100, 101, 102, 1000, 20_000]);
      const i = t.indexOf('<Sites>') >= 0 ? t.indexOf('<Sites>') : at(t);
      return `${t.slice(0, i)}${'<d>'.repeat(depth)}${'</d>'.repeat(depth)}${t.slice(i)}`;
    }],
    ['cut', (t) => t.slice(0, at(t))],
    ['splice', (t) => {
      const other = pick(seeds);
      return t.slice(0, at(t)) + other.slice(at(other));
    }],
    ['character changes', (t) => {
      const chars = [...t];
      for (let n = 1 + int(6); n > 0; n--) chars[int(chars.length)] = pick(['<', '>', '&', '"', '/', '=', ' ', 'x', '\n', 'é', '\u0001']);
      return chars.join('');
    }],
    ['bit flips in the bytes', (t) => {
      const b = Buffer.from(t);
      for (let n = 1 + int(8); n > 0; n--) b[int(b.length)] ^= 1 << int(8);
      return b;
    }],
    ['invalid UTF-8', (t) => {
      const b = Buffer.from(t);
      const i = int(b.length);
      return Buffer.concat([b.subarray(0, i), Buffer.from(pick([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]])), b.subarray(i)]);
    }],
    ['declared encoding', (t) => {
      const encoding = pick(['ISO-8859-1', 'windows-1252', 'utf-16', 'UTF-8', 'ascii', 'x-made-up', 'shift_jis', 'utf-32']);
      const text = t.replace(/encoding="[^"]*"/, `encoding="${encoding}"`).replace('Dublin', 'Dübliné');
      return pick([Buffer.from(text, 'latin1'), Buffer.from(text), Buffer.from(text, 'utf16le'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])]);
    }],
    ['text, not bytes', (t) => t.replace(/Redmond/g, pick(['Red&#109;ond', 'Redmond\u202e', 'Red\u001bmond', 'R&eacute;dmond', 'Redmond']))],
  ];

  return () => {
    const [how, mutate] = pick(mutations);
    let input = mutate(pick(seeds));
    // A second mutation now and then: hostile inputs rarely come one at a time.
    if (typeof input === 'string' && next() < 0.3) {
      const [how2, mutate2] = pick(mutations);
      input = mutate2(input);
      return { how: `${how} + ${how2}`, input };
    }
    return { how, input };
  };
}

/** The problem with a result, or undefined when it is a loadable deployment or a typed error. */
function problemWith(result: TopologyImport): string | undefined {
  if (!result.ok) {
    const { code, message, fix } = result.error;
    if (!ERROR_CODES.includes(code)) return `unknown error code ${code}`;
    if (!message.startsWith('fuzz.xml')) return `a message that does not name the file: ${message}`;
    if (!fix) return 'an error without a fix';
    if (LIBRARY_WORDS.test(`${message} ${fix}`)) return `a library's words: ${message}`;
    return undefined;
  }
  const text = serializeDeployment(result.deployment);
  if (text.includes('\uFFFD')) return 'U+FFFD in the deployment';
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]|\\u00(0[0-8bcef]|1[0-9a-f])/i.test(text)) return 'a control character in the deployment';
  const loaded = parseDeployment(text);
  if (!loaded.ok) return `a deployment its own loader refuses: ${loaded.errors.map((e) => e.message).join('; ')}`;
  return undefined;
}

describe('topology files, fuzzed', () => {
  it(`answers ${INPUTS.toLocaleString('en-US')} mutated and hostile topologies with a deployment or a typed error`, function () {
    this.timeout(FUZZ_LONG ? 0 : 120_000);
    const nextInput = makeInputs();
    const outcomes = new Map<string, number>();
    const problems: string[] = [];
    for (let i = 0; i < INPUTS; i++) {
      const { how, input } = nextInput();
      let result: TopologyImport;
      try {
        result = importTopology(input, 'fuzz.xml', NOW);
      } catch (e) {
        if (problems.length < 5) problems.push(`#${i} ${how}: threw ${(e as Error).stack}`);
        continue;
      }
      outcomes.set(result.ok ? 'ok' : result.error.code, (outcomes.get(result.ok ? 'ok' : result.error.code) ?? 0) + 1);
      const problem = problemWith(result);
      if (problem && problems.length < 5) problems.push(`#${i} ${how}: ${problem}`);
    }
    assert.deepEqual(problems, []);
    // The mutations reach every kind of answer: the fuzzing gets past the first byte.
    for (const code of ['ok', 'topology-not-xml', 'topology-encoding', 'topology-doctype', 'topology-too-deep', 'topology-incomplete']) {
      assert.ok(outcomes.get(code), `no "${code}" outcome: ${JSON.stringify([...outcomes])}`);
    }
  });
});
