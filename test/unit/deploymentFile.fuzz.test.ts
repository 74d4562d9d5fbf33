// Fuzzing the deployment file's load (and the save's promise that it never writes what the load refuses): random
// damage to a sound file (bit flips, cuts, insertions, deletions), and the hostile classes of issue #11 planted at random
// places — private keys (PEM, \u-escaped, DER in derBase64) and headings that are only text, deep nesting, invalid
// UTF-8, duplicate keys. Whatever comes in, the load answers (no exception, no stack overflow) with a deployment or with
// problems that have a message; a planted hostile input is refused with its own message, a heading loads; and whatever
// loads saves and loads again.
//   1,400 inputs by default (200 of each kind); SFB_FUZZ_LONG=1 (or --long) for 70,000.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatProblem, parseDeployment, saveDeployment, serializeDeployment, type ParseResult } from '../../src/core/deploymentFile';
import { fullDeployment } from '../fixtures/deployment';
import { DER_KEYS, PEM_KEYS } from '../fixtures/privateKeys';
import { FUZZ_LONG, random } from '../fixtures/fuzz';

const LONG = FUZZ_LONG;
const INPUTS = LONG ? 70_000 : 1_400;
const SEED = 0x5fbde9;


type Expect = 'anything' | 'loads' | RegExp;
interface Input { what: string; bytes: Buffer; expect: Expect }

const SOUND = serializeDeployment(JSON.parse(JSON.stringify(fullDeployment())));

describe('deployment file: fuzz', function () {
  this.timeout(LONG ? 1_800_000 : 120_000);
  const rnd = random(SEED);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];

  /** Offsets just inside the string values of the sound text ("…": "|value"). */
  const stringValues: number[] = [];
  for (const m of SOUND.matchAll(/": "/g)) stringValues.push(m.index + 4);
  const keyLines = [...SOUND.matchAll(/\n( +)"([A-Za-z]+)": ([^{[\n]+?),?\n/g)].map((m) => ({ at: m.index + 1, indent: m[1], key: m[2], value: m[3] }));

  const escapeSome = (s: string) => [...s].map((c) => (rnd() < 0.3 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(c).slice(1, -1))).join('');
  const insertAt = (text: string, at: number, piece: string) => text.slice(0, at) + piece + text.slice(at);

  const makers: (() => Input)[] = [
    () => { // random damage, anything may happen
      const bytes = Buffer.from(SOUND);
      const n = 1 + int(4);
      let out = bytes;
      for (let i = 0; i < n; i++) {
        const at = int(out.length);
        const kind = int(4);
        if (kind === 0) out[at] ^= 1 << int(8);
        else if (kind === 1) out = out.subarray(0, at);
        else if (kind === 2) out = Buffer.concat([out.subarray(0, at), Buffer.from([int(256), int(256)]), out.subarray(at)]);
        else out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + int(20)))]);
      }
      return { what: 'damage', bytes: out, expect: 'anything' };
    },
    () => { // a real PEM private key in a string, some characters \u-escaped
      const pem = pick(Object.values(PEM_KEYS));
      return { what: 'PEM key', bytes: Buffer.from(insertAt(SOUND, pick(stringValues), escapeSome(pem))), expect: /a PEM private key block/ };
    },
    () => { // a heading alone is text
      const heading = pick(['-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY----- ', 'PRIVATE KEY', '-----END EC PRIVATE KEY-----']);
      const at = pick(stringValues);
      const text = insertAt(SOUND, at, escapeSome(heading));
      // Only where any text is allowed: a heading in an FQDN, a date or a thumbprint is a shape problem instead.
      const freeText = /"(name|subject|issuer|friendlyName|city|country|summary|powershell|value|productVersion|signatureAlgorithm)": "$/.test(SOUND.slice(0, at))
        && !/^[a-z0-9-]+(\.[a-z0-9-]+)+"/.test(SOUND.slice(at)); // a SIP domain's name is a domain
      return { what: 'heading', bytes: Buffer.from(text), expect: freeText ? 'loads' : 'anything' };
    },
    () => { // a private key as DER where the certificate belongs
      const ders = [...SOUND.matchAll(/"derBase64": "(MI[^"]+)"/g)];
      const m = pick(ders);
      return { what: 'DER key', bytes: Buffer.from(SOUND.slice(0, m.index) + `"derBase64": "${pick(Object.values(DER_KEYS))}"` + SOUND.slice(m.index + m[0].length)), expect: /holds (a|an encrypted) private key/ };
    },
    () => { // deep nesting, unclosed
      const depth = 65 + int(20_000);
      return { what: 'deep', bytes: Buffer.from(insertAt(SOUND, pick(stringValues) - 1, pick(['[', '{"a":', '[{"b":']).repeat(depth))), expect: /nested more than/ };
    },
    () => { // invalid UTF-8 in a string
      const bad = pick([[0xff], [0xc0, 0xaf], [0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfe]]);
      const at = Buffer.byteLength(SOUND.slice(0, pick(stringValues)));
      const bytes = Buffer.from(SOUND);
      return { what: 'UTF-8', bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]), expect: /not valid UTF-8/ };
    },
    () => { // a key repeated in its object (same value or another), maybe with an escape in the name
      const line = pick(keyLines);
      const name = rnd() < 0.3 ? escapeSome(line.key) : line.key;
      const copy = `${line.indent}"${name}"${rnd() < 0.5 ? ' ' : ''}: ${line.value},\n`;
      return { what: 'duplicate', bytes: Buffer.from(insertAt(SOUND, line.at, copy)), expect: /appears twice in the same object/ };
    },
  ];

  function check(input: Input, result: ParseResult, i: number): void {
    const where = `input ${i} (${input.what})`;
    if (result.ok) {
      assert.notEqual(input.expect instanceof RegExp, true, `${where}: expected a refusal (${String(input.expect)}), it loaded`);
      const again = parseDeployment(serializeDeployment(result.deployment));
      assert.ok(again.ok, `${where}: loaded, but its saved form does not load: ${again.ok ? '' : again.errors.map(formatProblem).join('; ')}`);
      return;
    }
    assert.notEqual(input.expect, 'loads', `${where}: expected to load: ${result.errors.map(formatProblem).join('; ')}`);
    assert.ok(result.errors.length > 0 && result.errors.every((e) => e.message.length > 10), `${where}: problems with messages`);
    assert.ok(!result.errors.some((e) => /Maximum call stack|undefined|\[object/.test(e.message)), `${where}: ${formatProblem(result.errors[0])}`);
    if (input.expect instanceof RegExp) assert.match(result.errors[0].message, input.expect, where);
  }

  it(`${INPUTS} inputs (seed ${SEED.toString(16)}): an answer for each, hostile ones refused for their reason, loaded ones save and load again`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-fuzz-'));
    const tally: Record<string, number> = {};
    try {
      for (let i = 0; i < INPUTS; i++) {
        const input = makers[i % makers.length]();
        let result: ParseResult;
        try {
          result = parseDeployment(input.bytes);
        } catch (e) {
          assert.fail(`input ${i} (${input.what}): the load threw ${(e as Error).message}`);
        }
        check(input, result, i);
        tally[`${input.what} ${result.ok ? 'loaded' : 'refused'}`] = (tally[`${input.what} ${result.ok ? 'loaded' : 'refused'}`] ?? 0) + 1;
        if (result.ok && i % 50 === 0) saveDeployment(fs, path.join(dir, `f${i}.json`), result.deployment);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Every class was exercised, both ways where both can happen.
    for (const key of ['damage refused', 'PEM key refused', 'heading loaded', 'DER key refused', 'deep refused', 'UTF-8 refused', 'duplicate refused']) {
      assert.ok((tally[key] ?? 0) > 0, `${key}: ${JSON.stringify(tally)}`);
    }
  });
});
