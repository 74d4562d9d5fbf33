// Hostile and careless deployment files (issue #11): private keys where a key can really be (decoded, and as DER),
// headings that are only text, deep nesting, invalid UTF-8, duplicate keys. Each is refused with a clear message and a
// position, or loads — and a save never writes what the load refuses.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Deployment } from '../../src/core/model';
import {
  DEFAULT_DEPLOYMENT_FILE, DeploymentFileError, MAX_NESTING, formatProblem, loadDeployment, parseDeployment, saveDeployment, serializeDeployment,
  type ParseResult,
} from '../../src/core/deploymentFile';
import { fullDeployment } from '../fixtures/deployment';
import { DER_KEYS, PEM_KEYS } from '../fixtures/privateKeys';

type Refusal = { errors: { path: string; message: string; line?: number; column?: number }[]; readOnlyReason: string };

function refused(result: ParseResult): Refusal {
  if (result.ok) assert.fail('expected the file to be refused');
  return result;
}

function loads(result: ParseResult): { deployment: Deployment; warnings: string[] } {
  if (!result.ok) assert.fail(`expected the file to load: ${result.errors.map(formatProblem).join('; ')}`);
  return result;
}

const HEADING = '-----BEGIN PRIVATE KEY-----';

/** Where a string of a deployment can be set, by path. */
const TEXT_FIELDS: [string, (d: any, v: string) => void][] = [
  ['name', (d, v) => { d.name = v; }],
  ['sites[0].name', (d, v) => { d.sites[0].name = v; }],
  ['sites[0].city', (d, v) => { d.sites[0].city = v; }],
  ['pools[0].servers[0].certificates[0].subject', (d, v) => { d.pools[0].servers[0].certificates[0].subject = v; }],
  ['pools[0].servers[1].certificates[1].friendlyName', (d, v) => { d.pools[0].servers[1].certificates[1].friendlyName = v; }],
  ['cms.certificates[0].issuer', (d, v) => { d.cms.certificates[0].issuer = v; }],
  ['pools[0].servers[0].certificates[0].subjectAlternativeNames[1].value', (d, v) => { d.pools[0].servers[0].certificates[0].subjectAlternativeNames[1].value = v; }],
  ['history[0].summary', (d, v) => { d.history[0].summary = v; }],
  ['pools[0].servers[0].replica.productVersion', (d, v) => { d.pools[0].servers[0].replica.productVersion = v; }],
];

/** A fresh deployment whose certificates are not shared objects (the fixture reuses two), with one string set. */
function withText(set: (d: any, v: string) => void, value: string): Deployment {
  const d = JSON.parse(JSON.stringify(fullDeployment()));
  set(d, value);
  return d;
}

describe('deployment file: hostile input', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-hostile-'));
    file = path.join(dir, DEFAULT_DEPLOYMENT_FILE);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('private keys (class 1)', () => {
    const headings = [HEADING, `${HEADING}\n-----END PRIVATE KEY-----`, 'CN=-----BEGIN RSA PRIVATE KEY-----, O=Contoso', `${HEADING} ${'x'.repeat(20)}`, 'PRIVATE KEY'];
    for (const [at, set] of TEXT_FIELDS) {
      it(`a heading that is only text in ${at} loads, saves and loads again`, () => {
        for (const heading of headings) {
          const d = withText(set, heading);
          assert.deepEqual(loads(parseDeployment(serializeDeployment(d))).deployment, d);
          saveDeployment(fs, file, d);
          assert.deepEqual(loads(loadDeployment(fs, file)).deployment, d);
        }
      });

      it(`a real PEM private key in ${at} is refused by the load and by the save (the file stays as it was)`, () => {
        saveDeployment(fs, file, fullDeployment());
        const before = fs.readFileSync(file);
        for (const [kind, pem] of Object.entries(PEM_KEYS)) {
          const d = withText(set, `notes: ${pem}`);
          const { errors } = refused(parseDeployment(JSON.stringify(d, null, 2)));
          assert.equal(errors[0].path, at, kind);
          assert.match(errors[0].message, /^line \d+, column \d+: a PEM private key block\. The deployment file never holds private keys/, kind);
          assert.throws(() => saveDeployment(fs, file, d), (e: unknown) => {
            assert.ok(e instanceof DeploymentFileError);
            assert.equal(e.reason, 'would-not-load');
            assert.match(e.message, new RegExp(`was not saved: .*${at.replace(/[[\].]/g, '\\$&')}: a PEM private key block.*The file on disk is unchanged`));
            return true;
          }, kind);
          assert.deepEqual(fs.readFileSync(file), before, `${kind}: the file is untouched`);
          assert.deepEqual(fs.readdirSync(dir).sort(), [DEFAULT_DEPLOYMENT_FILE, `${DEFAULT_DEPLOYMENT_FILE}.bak`].slice(0, fs.existsSync(`${file}.bak`) ? 2 : 1));
        }
      });
    }

    it('a key hidden behind \\u escapes is found (the guard reads decoded strings), with its position', () => {
      const pem = PEM_KEYS.pkcs8;
      const escapes = [
        (s: string) => s.replace(/-/g, '\\u002d'),
        (s: string) => s.replace(/PRIVATE/g, '\\u0050\\u0052IVATE'),
        (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
        (s: string) => s.replace(/K/g, '\\u004B').replace(/\n/g, '\\n'),
      ];
      for (const escape of escapes) {
        const text = JSON.stringify(fullDeployment(), null, 2).replace('"friendlyName": "cert 1"', `"friendlyName": "${escape(pem).replace(/\n/g, '\\n')}"`);
        assert.ok(!text.includes('PRIVATE KEY-----'), 'the raw text hides the heading');
        const { errors } = refused(parseDeployment(text));
        assert.equal(errors[0].path, 'pools[0].servers[0].certificates[0].friendlyName');
        assert.equal(errors[0].line, text.slice(0, text.indexOf('"friendlyName": "\\u') >= 0 ? text.indexOf('"friendlyName": "\\u') : text.indexOf('"friendlyName": "-')).split('\n').length);
      }
    });

    it('a key in an unknown field or as a property name is refused too', () => {
      const d: any = fullDeployment();
      d.pools[0].notes = PEM_KEYS.sec1;
      assert.equal(refused(parseDeployment(JSON.stringify(d))).errors[0].path, 'pools[0].notes');
      const e: any = fullDeployment();
      e.sites[0][PEM_KEYS.pkcs1] = 1;
      assert.match(refused(parseDeployment(JSON.stringify(e))).errors[0].message, /property name holding a PEM private key/);
    });

    for (const [kind, der] of Object.entries(DER_KEYS)) {
      it(`a ${kind} private key stored as derBase64 is refused by the load and by the save`, () => {
        for (const put of [(d: any) => { d.cms.certificates[0].derBase64 = der; }, (d: any) => { d.pools[0].servers[1].certificates[1].derBase64 = der; }]) {
          const d: any = fullDeployment();
          put(d);
          const { errors } = refused(parseDeployment(JSON.stringify(d, null, 2)));
          assert.match(errors[0].path, /certificates\[\d\]\.derBase64$/);
          assert.match(errors[0].message, /^line \d+, column \d+: holds (a|an encrypted) private key .*, not a certificate\. The deployment file never holds private keys/);
          assert.throws(() => saveDeployment(fs, file, d), (e: unknown) => e instanceof DeploymentFileError && e.reason === 'would-not-load' && /derBase64: holds/.test(e.message));
          assert.ok(!fs.existsSync(file), 'nothing written');
          assert.deepEqual(fs.readdirSync(dir), [], 'no temporary file left');
        }
      });
    }

    it('a real certificate in derBase64 loads (sample and fixture certificates start SEQUENCE { SEQUENCE { [0] … } })', () => {
      loads(parseDeployment(serializeDeployment(fullDeployment())));
    });
  });

  describe('deep nesting (class 5)', () => {
    for (const depth of [MAX_NESTING + 1, 5_000, 200_000]) {
      for (const [what, open] of [['lists', '['], ['objects', '{"a":']] as const) {
        it(`${depth} levels of ${what}, unclosed: a clear refusal, no stack overflow`, () => {
          const text = `{"schemaVersion": 1, "name": ${open.repeat(depth)}`;
          const { errors } = refused(parseDeployment(text));
          assert.match(errors[0].message, new RegExp(`line 1, column \\d+: lists and objects are nested more than ${MAX_NESTING} levels deep.*\\.bak`));
        });
      }
    }

    it('deep but valid JSON in a known field is a shape problem; in an unknown field it is dropped with a warning', () => {
      const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
      const base = JSON.stringify(fullDeployment());
      assert.match(refused(parseDeployment(base.replace('"name":"Contoso"', `"name":${deep}`))).errors[0].message, /expected a string, found a list/);
      const { warnings } = loads(parseDeployment(base.replace('"name":"Contoso"', `"name":"Contoso","zzz":${deep}`)));
      assert.match(warnings[0], /^zzz: "zzz" is not part of a deployment/);
    });

    it('deep nesting together with a duplicate key or an escaped key: still a clear refusal', () => {
      const base = JSON.stringify(fullDeployment());
      const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
      const dup = base.replace('"name":"Contoso"', `"name":"Contoso","zzz":${deep},"name":"Again"`);
      assert.match(refused(parseDeployment(dup)).errors[0].message, /nested more than/);
      const hidden = base.replace('"name":"Contoso"', `"name":"Contoso","zzz":${deep},"notes":"${PEM_KEYS.pkcs8.replace(/-/g, '\\u002d').replace(/\n/g, '\\n')}"`);
      const { errors } = refused(parseDeployment(hidden));
      assert.equal(errors[0].path, 'notes');
      assert.match(errors[0].message, /a PEM private key block/);
    });
  });

  describe('invalid UTF-8 (class 8)', () => {
    const text = serializeDeployment(fullDeployment());
    const at = text.indexOf('Redmond"');
    const cases: [string, number[]][] = [
      ['a Windows-1252 é (0xE9)', [0xe9]],
      ['0xFF', [0xff]],
      ['a lone continuation byte', [0x80]],
      ['an overlong "/" (0xC0 0xAF)', [0xc0, 0xaf]],
      ['a UTF-16 surrogate encoded as UTF-8', [0xed, 0xa0, 0x80]],
      ['a sequence cut short', [0xe2, 0x82]],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ];
    for (const [what, bytes] of cases) {
      it(`${what} is refused with its position, and the file is not rewritten`, () => {
        const content = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]);
        const { errors, readOnlyReason } = refused(parseDeployment(content));
        assert.equal(errors[0].line, text.slice(0, at).split('\n').length);
        assert.match(errors[0].message, /^line \d+, column \d+: the file is not valid UTF-8 \(byte 0x[0-9A-F]{2} at offset \d+\)\. .*save it as UTF-8/);
        assert.equal(Number(/at offset (\d+)/.exec(errors[0].message)![1]), Buffer.byteLength(text.slice(0, at)));
        assert.match(readOnlyReason, /leaves the file exactly as it is/);
        fs.writeFileSync(file, content);
        assert.throws(() => saveDeployment(fs, file, fullDeployment()), (e: unknown) => e instanceof DeploymentFileError && e.reason === 'on-disk');
        assert.deepEqual(fs.readFileSync(file), content);
      });
    }

    it('valid non-ASCII text, a byte order mark and a real U+FFFD load as they are', () => {
      const d = fullDeployment();
      d.sites[0].city = 'Zürich 日本 🙂 \uFFFD';
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(serializeDeployment(d), 'utf8')]);
      assert.equal(loads(parseDeployment(bytes)).deployment.sites[0].city, 'Zürich 日本 🙂 \uFFFD');
    });
  });

  describe('duplicate keys (class 9)', () => {
    const text = JSON.stringify(fullDeployment(), null, 2);
    const lineOf = (t: string, needle: string) => t.slice(0, t.indexOf(needle)).split('\n').length;
    const cases: [string, (t: string) => string, string, string][] = [
      ['a second "pools": []', (t) => t.replace('\n  "cms"', '\n  "pools": [],\n  "cms"'), 'pools', '"pools": []'],
      ['a second "pools" with a space before the colon', (t) => t.replace('\n  "cms"', '\n  "pools" : [],\n  "cms"'), 'pools', '"pools" :'],
      ['the same key spelled with an escape', (t) => t.replace('\n  "cms"', '\n  "pool\\u0073": [],\n  "cms"'), 'pools', '"pool\\u0073"'],
      ['a thumbprint twice in a certificate', (t) => t.replace('"serialNumber": "0A1"', `"thumbprint": "${'F'.repeat(40)}",\n "serialNumber": "0A1"`), 'pools[0].servers[0].certificates[0].thumbprint', `"${'F'.repeat(40)}"`],
      ['a use twice in assignments', (t) => t.replace('\n    }\n  },\n  "simulatedNow"', ',\n      "OAuthTokenIssuer": {}\n    }\n  },\n  "simulatedNow"'), 'cms.assignments.OAuthTokenIssuer', '"OAuthTokenIssuer": {}'],
      ['a site field twice', (t) => t.replace('"kind": "central",', '"kind": "central",\n      "kind": "branch",'), 'sites[0].kind', '"kind": "branch"'],
      ['an unknown key twice', (t) => t.replace('\n  "cms"', '\n  "zzz": 1,\n  "zzz": 2,\n  "cms"'), 'zzz', '"zzz": 2'],
    ];
    for (const [what, edit, at, second] of cases) {
      it(`${what} is refused with its position and the first one's`, () => {
        const edited = edit(text);
        assert.notEqual(edited, text);
        const { errors } = refused(parseDeployment(edited));
        assert.equal(errors.length, 1);
        assert.equal(errors[0].path, at);
        assert.match(errors[0].message, /^line \d+, column \d+: ".+" appears twice in the same object \(first at line \d+, column \d+\)\. JSON keeps only the last one/);
        assert.equal(errors[0].line, lineOf(edited, second));
      });
    }

    it('strings that look like keys are not counted as keys (no false duplicate)', () => {
      const d = fullDeployment();
      d.name = 'a": "b';
      d.sites[0].city = '\\"name\\": x';
      d.history[0].summary = '"}, "name": "y", {"';
      d.history[0].powershell = 'Write-Host "cms":';
      assert.deepEqual(loads(parseDeployment(JSON.stringify(d, null, 2))).deployment, d);
      assert.deepEqual(loads(parseDeployment(JSON.stringify(d))).deployment, d);
    });

    it('the same key in two different objects is fine', () => {
      loads(parseDeployment(text));
    });
  });
});
