// The store file: round trip, path-located problems (syntax, shapes, references), newer versions, secrets, and
// the atomic save with a .bak under injected failures.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCHEMA_VERSION, type Deployment } from '../../src/core/model';
import { createSampleDeployment } from '../../src/core/sample';
import {
  DEFAULT_DEPLOYMENT_FILE, MAX_PROBLEMS, DEPLOYMENT_SHAPE, DeploymentFileError, formatProblem, loadDeployment, parseDeployment, parseDeploymentSteps, saveDeployment,
  saveDeploymentAsync, serializeDeployment, type ParseResult, type Shape, type DeploymentFs, type DeploymentFsAsync, type WritableFile,
} from '../../src/core/deploymentFile';
import { AT, fullDeployment } from '../fixtures/deployment';
import { PEM_KEYS } from '../fixtures/privateKeys';

function failure(result: ParseResult): { errors: { path: string; message: string; line?: number; column?: number }[]; readOnlyReason: string } {
  assert.equal(result.ok, false, 'expected the file to be refused');
  if (result.ok) throw new Error('unreachable');
  return result;
}

function loaded(result: ParseResult): { deployment: Deployment; warnings: string[] } {
  if (!result.ok) assert.fail(`expected the file to load: ${result.errors.map(formatProblem).join('; ')}`);
  return result;
}

function parseWith(edit: (doc: any) => void): ParseResult {
  const doc = JSON.parse(JSON.stringify(fullDeployment()));
  edit(doc);
  return parseDeployment(JSON.stringify(doc, null, 2));
}

describe('store file', () => {
  it('round-trips a full deployment: same object, same text, keys in the model\'s order, two spaces, final newline', () => {
    const d = fullDeployment();
    const text = serializeDeployment(d);
    assert.ok(text.endsWith('}\n') && !text.endsWith('\n\n'));
    assert.match(text, /^\{\n {2}"schemaVersion": 1,\n {2}"name": "Contoso",\n {2}"sipDomains": \[/);
    const back = loaded(parseDeployment(text));
    assert.deepEqual(back.warnings, []);
    assert.deepEqual(back.deployment, d);
    assert.equal(serializeDeployment(back.deployment), text);
    assert.equal(DEFAULT_DEPLOYMENT_FILE, 'sfb-deployment.json');
  });

  it('writes keys in a stable order whatever order they come in, and leaves out undefined optional fields', () => {
    const d = fullDeployment();
    const shuffled = JSON.parse(JSON.stringify(d), (_key, value) => (value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).reverse()) : value));
    assert.notEqual(JSON.stringify(shuffled), JSON.stringify(d));
    assert.equal(serializeDeployment(shuffled), serializeDeployment(d));
    const sparse = { ...d, simulatedNow: undefined };
    assert.ok(!serializeDeployment(sparse).includes('simulatedNow'));
  });

  it('loads a file saved with a byte order mark (Notepad) and accepts ISO dates with an offset', () => {
    const text = `\uFEFF${JSON.stringify({ ...fullDeployment(), simulatedNow: '2026-06-01T14:00:00+02:00' })}`;
    assert.equal(loaded(parseDeployment(text)).deployment.simulatedNow, '2026-06-01T14:00:00+02:00');
  });

  describe('the sample deployment', () => {
    let sample: Deployment;
    before(async function () {
      this.timeout(60_000); // real certificates: RSA key generation
      sample = (await createSampleDeployment(new Date(AT))).deployment;
    });

    it('round-trips without warnings', () => {
      const text = serializeDeployment(sample);
      const back = loaded(parseDeployment(text));
      assert.deepEqual(back.warnings, []);
      assert.deepEqual(back.deployment, JSON.parse(JSON.stringify(sample)));
      assert.equal(serializeDeployment(back.deployment), text);
    });

    it('reads in steps (the extension yields between them) to the same result, and gives the decoded text', () => {
      const text = `\uFEFF${serializeDeployment(sample)}`;
      const steps = parseDeploymentSteps(Buffer.from(text, 'utf8'));
      let pauses = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pauses++;
      assert.ok(pauses >= 5, `${pauses} steps`);
      assert.equal(step.value.text, text);
      assert.deepEqual(step.value.parsed, parseDeployment(text));
      const broken = parseDeploymentSteps(Buffer.from([0x7b, 0xff, 0x7d]));
      for (step = broken.next(); !step.done; step = broken.next());
      assert.equal(step.value.text, undefined);
      assert.equal(step.value.parsed.ok, false);
    });
  });

  describe('syntax errors give the line, the column and the JSON path', () => {
    const cases: [string, string, string, RegExp][] = [
      ['a trailing comma in a server', '{\n  "schemaVersion": 1,\n  "pools": [\n    { "servers": [ { "fqdn": "fe01.contoso.com", } ] }\n  ]\n}', 'pools[0].servers[0]', /line 4, column 50: expected a property name.*no comma after the last property/],
      ['an unclosed list', '{ "schemaVersion": 1, "pools": [ }', 'pools[0]', /line 1, column 34: expected a value/],
      ['a comment', '{\n  // my notes\n  "schemaVersion": 1\n}', '', /line 2, column 3: comments are not allowed/],
      ['a word without quotes', '{\n  "schemaVersion": 1,\n  "name": Contoso\n}', 'name', /line 3, column 11: unexpected word "Contoso": text needs double quotes \("Contoso"\)/],
      ['single quotes', '{ "sites": [ { "name": \'Redmond\' } ] }', 'sites[0].name', /line 1, column 24: strings need double quotes/],
      ['a property name without quotes', '{ "sites": [ { name: "Redmond" } ] }', 'sites[0]', /line 1, column 16: expected a property name in double quotes/],
      ['a file cut short', '{ "sites": [ { "name": "Redmond" }', 'sites', /line 1, column 35: the file ends before "\]"/],
      ['text after the object', '{ "schemaVersion": 1 }\n}', '', /line 2, column 1: unexpected text after the end of the deployment object/],
      ['a line break inside a string', '{ "name": "Con\ntoso" }', 'name', /line 1, column 11: a string is not closed/],
    ];
    for (const [what, text, at, message] of cases) {
      it(what, () => {
        const { errors, readOnlyReason } = failure(parseDeployment(text));
        assert.equal(errors.length, 1);
        assert.equal(errors[0].path, at);
        assert.match(errors[0].message, message);
        assert.ok(errors[0].line && errors[0].column);
        assert.match(readOnlyReason, /leaves the file exactly as it is.*\.bak/);
      });
    }

    it('an empty file', () => {
      assert.match(failure(parseDeployment('  \n')).errors[0].message, /The file is empty.*\.bak/);
    });
  });

  describe('shape problems are located by JSON path and say what is expected', () => {
    const cases: [string, (doc: any) => void, string, RegExp][] = [
      ['a server FQDN that is a number', (d) => { d.pools[0].servers[1].fqdn = 42; }, 'pools[0].servers[1].fqdn', /expected a fully qualified domain name such as "fe01\.contoso\.com".*found 42/],
      ['an FQDN with an underscore', (d) => { d.pools[0].servers[0].fqdn = 'fe_01.contoso.com'; }, 'pools[0].servers[0].fqdn', /letters, digits, hyphens and dots only.*found "fe_01\.contoso\.com"/],
      ['a lower-case thumbprint', (d) => { d.pools[0].servers[0].certificates[1].thumbprint = 'ab'.repeat(20); }, 'pools[0].servers[0].certificates[1].thumbprint', /40 hexadecimal characters in upper case/],
      ['a missing CMS version', (d) => { delete d.cms.version; }, 'cms.version', /missing; expected a whole number \(1 or more\)/],
      ['a date that is not ISO 8601', (d) => { d.cms.certificates[0].notAfter = '3/1/2028'; }, 'cms.certificates[0].notAfter', /ISO 8601.*found "3\/1\/2028"/],
      ['month 13', (d) => { d.history[0].at = '2026-13-01T00:00:00.000Z'; }, 'history[0].at', /ISO 8601/],
      ['an unknown pool kind', (d) => { d.pools[0].kind = 'Enterprise'; }, 'pools[0].kind', /one of FrontEndEnterprise, StandardEdition, Director, Edge, Mediation.*found "Enterprise"/],
      ['an unknown certificate use', (d) => { d.pools[0].servers[0].assignments.OAuth = {}; }, 'pools[0].servers[0].assignments.OAuth', /not a certificate use.*OAuthTokenIssuer/],
      ['a negative replica version', (d) => { d.pools[0].servers[1].replica.appliedVersion = -1; }, 'pools[0].servers[1].replica.appliedVersion', /whole number \(0 or more\)/],
      ['null for an optional field', (d) => { d.pools[0].internalWebFqdn = null; }, 'pools[0].internalWebFqdn', /found null/],
      ['a PEM certificate in derBase64', (d) => { d.cms.certificates[0].derBase64 = '-----BEGIN CERTIFICATE-----\nMIID'; }, 'cms.certificates[0].derBase64', /base64, starting "MI"/],
      ['servers as an object', (d) => { d.pools[0].servers = {}; }, 'pools[0].servers', /expected a list of server objects, found an object/],
      ['a list instead of the deployment', (d) => { d.sites = 'Redmond'; }, 'sites', /expected a list of site objects, found "Redmond"/],
    ];
    for (const [what, edit, at, message] of cases) {
      it(what, () => {
        const { errors } = failure(parseWith(edit));
        assert.equal(errors[0].path, at, errors.map(formatProblem).join('\n'));
        assert.match(errors[0].message, message);
        assert.equal(formatProblem(errors[0]), `${at}: ${errors[0].message}`);
      });
    }

    it('a file that is not one object', () => {
      assert.match(failure(parseDeployment('[1, 2]')).errors[0].message, /must hold one deployment object .* not a list/);
    });

    it('reports the first problems in file order, at most MAX_PROBLEMS', () => {
      const { errors } = failure(parseWith((d) => {
        d.pools[0].servers[0].certificates = Array.from({ length: 30 }, (_, i) => ({ ...d.cms.certificates[0], keySize: `${i}` }));
      }));
      assert.equal(errors.length, MAX_PROBLEMS);
      assert.deepEqual(errors.map((e) => e.path), Array.from({ length: MAX_PROBLEMS }, (_, i) => `pools[0].servers[0].certificates[${i}].keySize`));
    });

    it('unknown fields are a warning (with their path) and are dropped on save', () => {
      const { deployment, warnings } = loaded(parseWith((d) => { d.pools[0].servers[0].notes = 'rack 4'; d.comment = 'x'; }));
      assert.deepEqual(warnings.map((w) => w.split(':')[0]), ['pools[0].servers[0].notes', 'comment']);
      assert.match(warnings[0], /"notes" is not part of a server; it is ignored and dropped the next time SfB Certificates saves the file/);
      assert.ok(!serializeDeployment(deployment).includes('rack 4'));
    });
  });

  describe('references between entries', () => {
    const cases: [string, (doc: any) => void, string, RegExp][] = [
      ['a pool in a site that does not exist', (d) => { d.pools[0].siteId = 'dublin'; }, 'pools[0].siteId', /names site "dublin", which is not in sites \(redmond\)/],
      ['a server listed twice', (d) => { d.pools[0].servers[1].fqdn = 'FE01.contoso.com'; }, 'pools[0].servers[1].fqdn', /FE01\.contoso\.com is already listed at pools\[0\]\.servers\[0\]/],
      ['two default SIP domains', (d) => { d.sipDomains[1].isDefault = true; }, 'sipDomains', /2 SIP domains are marked as the default \(contoso\.com, fabrikam\.com\)/],
      ['the same certificate twice in one store', (d) => { d.pools[0].servers[0].certificates[1] = d.pools[0].servers[0].certificates[0]; }, 'pools[0].servers[0].certificates[1].thumbprint', /duplicate thumbprint .*first at pools\[0\]\.servers\[0\]\.certificates\[0\]/],
      ['a replica ahead of the CMS', (d) => { d.pools[0].servers[0].replica.appliedVersion = 9; }, 'pools[0].servers[0].replica.appliedVersion', /applied version 9, but the Central Management store is only at version 3/],
      ['a duplicate site id', (d) => { d.sites.push({ id: 'redmond', name: 'Redmond 2', kind: 'branch' }); }, 'sites[1].id', /duplicate site id "redmond" \(first at sites\[0\]\.id\)/],
    ];
    for (const [what, edit, at, message] of cases) {
      it(what, () => {
        const { errors } = failure(parseWith(edit));
        assert.equal(errors[0].path, at);
        assert.match(errors[0].message, message);
      });
    }

    it('no default SIP domain is a warning', () => {
      assert.match(loaded(parseWith((d) => { d.sipDomains[0].isDefault = false; })).warnings[0], /none is marked as the default; contoso\.com \(the first\) is used/);
    });
  });

  describe('schema versions', () => {
    it('a newer schemaVersion is not loaded and the file is to stay read-only', () => {
      const { errors, readOnlyReason } = failure(parseWith((d) => { d.schemaVersion = SCHEMA_VERSION + 1; d.somethingNew = {}; }));
      assert.equal(errors.length, 1);
      assert.equal(errors[0].path, 'schemaVersion');
      assert.match(errors[0].message, /made by a newer version of SfB Certificates .*update the extension/);
      assert.match(readOnlyReason, /newer version of SfB Certificates: update the extension.*does not change the file/);
    });

    for (const [what, value, message] of [['missing', undefined, /missing; add "schemaVersion": 1/], ['0', 0, /expected a schema version .*found 0/], ['a string', '1', /found "1"/]] as const) {
      it(`a schemaVersion that is ${what} is refused`, () => {
        const { errors } = failure(parseWith((d) => { d.schemaVersion = value; }));
        assert.equal(errors[0].path, 'schemaVersion');
        assert.match(errors[0].message, message);
      });
    }
  });

  describe('private keys and passwords never load', () => {
    it('a PEM private key block anywhere', () => {
      for (const pem of Object.values(PEM_KEYS)) {
        const { errors } = failure(parseWith((d) => { d.pools[0].servers[1].certificates[0].friendlyName = pem; }));
        assert.equal(errors[0].path, 'pools[0].servers[1].certificates[0].friendlyName');
        assert.match(errors[0].message, /line \d+, column \d+: a PEM private key block\. The deployment file never holds private keys/);
      }
    });

    it('a privateKey or password field, at any depth', () => {
      for (const [key, at] of [['privateKey', 'cms.certificates[0].privateKey'], ['private_key', 'cms.certificates[0].private_key'], ['pfxPassword', 'cms.certificates[0].pfxPassword']]) {
        const { errors } = failure(parseWith((d) => { d.cms.certificates[0][key] = 'x'; }));
        assert.equal(errors[0].path, at);
        assert.match(errors[0].message, /looks like a private key or password.*never holds secrets/);
      }
    });
  });

  describe('every field the model describes is enforced', () => {
    // Corrupts each field of DEPLOYMENT_SHAPE (first item of each list) in turn: each corruption must be refused at its
    // path, and each optional field may be left out. This keeps the fast path and the walk in storeFile.ts agreeing.
    interface Mutation { at: string; edit: (doc: any) => void; expectOk: boolean }
    const mutations: Mutation[] = [];
    const wrongType = (shape: Shape): unknown => (shape.kind === 'string' || shape.kind === 'enum' ? 42 : shape.kind === 'array' ? {} : shape.kind === 'boolean' || shape.kind === 'integer' ? 'text' : []);
    const badString: Partial<Record<string, string>> = { 'non-empty': ' ', 'dns-name': 'not a name', 'date-time': '2026-02-30', thumbprint: 'G'.repeat(40), hex: '0x1F', oid: '1..3', 'der-base64': 'MII' };
    const badValue = (shape: Shape): unknown => (shape.kind === 'string' ? badString[shape.format] : shape.kind === 'enum' ? 'Nope' : shape.kind === 'integer' ? -1 : undefined);

    /** Corruptions of one member (object field, first list item, map entry), then of what it holds. */
    function member(shape: Shape, at: string, parent: (doc: any) => any, key: string | number, optional?: boolean): void {
      const set = (value: unknown) => (d: any) => { parent(d)[key] = value; };
      if (optional !== undefined) mutations.push({ at, edit: (d) => { delete parent(d)[key]; }, expectOk: optional });
      mutations.push({ at, edit: set(wrongType(shape)), expectOk: false });
      const bad = badValue(shape);
      if (bad !== undefined) mutations.push({ at, edit: set(bad), expectOk: false });
      const self = (d: any) => parent(d)[key];
      if (shape.kind === 'object') shape.keys.forEach((k, i) => member(shape.fields[i].shape, `${at}.${k}`, self, k, shape.fields[i].optional));
      else if (shape.kind === 'array') member(shape.items, `${at}[0]`, self, 0);
      else if (shape.kind === 'map') {
        mutations.push({ at: `${at}.Bogus`, edit: (d) => { self(d).Bogus = {}; }, expectOk: false });
        member(shape.values, `${at}.OAuthTokenIssuer`, self, 'OAuthTokenIssuer');
      }
    }
    DEPLOYMENT_SHAPE.keys.forEach((k, i) => member(DEPLOYMENT_SHAPE.fields[i].shape, k, (d) => d, k, DEPLOYMENT_SHAPE.fields[i].optional));

    it(`covers every field (${mutations.length} corruptions)`, () => {
      assert.ok(mutations.length > 150);
      for (const m of mutations) {
        const result = parseWith(m.edit);
        if (m.expectOk) {
          assert.ok(result.ok, `leaving out ${m.at} should be fine: ${result.ok ? '' : result.errors.map(formatProblem).join('; ')}`);
          assert.deepEqual(result.warnings, [], m.at);
        } else {
          assert.equal(result.ok, false, `a corrupt ${m.at} was accepted`);
          assert.equal(!result.ok && result.errors[0].path, m.at, `corrupting ${m.at}`);
        }
      }
    });

    it('an unknown field in any object is noticed (dropped with a warning)', () => {
      const objects: string[] = [];
      (function walk(value: unknown, at: string) {
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
        else if (value && typeof value === 'object') {
          objects.push(at);
          for (const [k, v] of Object.entries(value)) walk(v, at ? `${at}.${k}` : k);
        }
      })(fullDeployment(), '');
      for (const at of objects.filter((o) => !/assignments$/.test(o))) {
        const result = parseWith((d) => {
          const target = at ? at.split(/\.|\[(\d+)\]/).filter(Boolean).reduce((o: any, k) => o[k], d) : d;
          target.zzz = 1;
        });
        assert.deepEqual(loaded(result).warnings.map((w) => w.split(': ')[0]), [at ? `${at}.zzz` : 'zzz']);
      }
    });
  });

  describe('saving', () => {
    let dir: string;
    let file: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-store-'));
      file = path.join(dir, DEFAULT_DEPLOYMENT_FILE);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const named = (name: string): Deployment => ({ ...fullDeployment(), name });
    const listing = () => fs.readdirSync(dir).sort();

    it('writes the file, then keeps exactly one .bak of the previous content', () => {
      saveDeployment(fs, file, named('first'));
      assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE]);
      assert.equal(loaded(loadDeployment(fs, file)).deployment.name, 'first');
      saveDeployment(fs, file, named('second'));
      const written = saveDeployment(fs, file, named('third'));
      assert.equal(written, fs.readFileSync(file, 'utf8'), 'returns the text it wrote');
      assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE, `${DEFAULT_DEPLOYMENT_FILE}.bak`]);
      assert.equal(loaded(loadDeployment(fs, file)).deployment.name, 'third');
      assert.equal(loaded(loadDeployment(fs, `${file}.bak`)).deployment.name, 'second');
      assert.equal(fs.readFileSync(file, 'utf8'), serializeDeployment(named('third')));
    });

    it('throws the file-system error when loading a file that is not there', () => {
      assert.throws(() => loadDeployment(fs, file), { code: 'ENOENT' });
    });

    type Stage = 'the new content' | 'the .bak';
    const stageOf = (file: unknown): Stage => (/\.bak(\.tmp-|$)/.test(String(file)) ? 'the .bak' : 'the new content');

    /** node:fs with `op` failing while it works on `stage`'s file (a full disk writes half, then fails). */
    function failing(op: keyof DeploymentFs, stage: Stage): DeploymentFs {
      let current: Stage | undefined;
      const ops: (keyof DeploymentFs)[] = ['readFileSync', 'openSync', 'writeSync', 'fsyncSync', 'fchmodSync', 'closeSync', 'renameSync', 'unlinkSync', 'lstatSync', 'realpathSync', 'readdirSync'];
      const fake = Object.fromEntries(ops.map((name) => [name, (...args: unknown[]) => (fs as any)[name](...args)])) as unknown as DeploymentFs;
      const open = fake.openSync;
      fake.openSync = (f, flags, mode) => { current = stageOf(f); return open(f, flags, mode); };
      const real = fake[op] as (...args: any[]) => any;
      (fake as any)[op] = (...args: any[]) => {
        const at = op === 'openSync' ? stageOf(args[0]) : op === 'renameSync' ? stageOf(args[1]) : current;
        if (at !== stage) return real(...args);
        if (op === 'writeSync') fs.writeSync(args[0], args[1], args[2], Math.floor(args[3] / 2));
        if (op === 'closeSync') fs.closeSync(args[0]);
        throw Object.assign(new Error(`injected failure in ${op}`), { code: op === 'writeSync' ? 'ENOSPC' : 'EIO' });
      };
      return fake;
    }

    for (const stage of ['the new content', 'the .bak'] as const) {
      for (const op of ['openSync', 'writeSync', 'fsyncSync', 'closeSync', 'renameSync'] as const) {
        it(`a failure in ${op} for ${stage} leaves the file, a whole .bak and no temporary file`, () => {
          saveDeployment(fs, file, named('first'));
          saveDeployment(fs, file, named('second'));
          const before = fs.readFileSync(file, 'utf8');
          assert.throws(() => saveDeployment(failing(op, stage), file, named('third')), /injected failure/);
          assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE, `${DEFAULT_DEPLOYMENT_FILE}.bak`], 'no temporary file left');
          assert.equal(fs.readFileSync(file, 'utf8'), before, 'the file is intact');
          const bak = loaded(loadDeployment(fs, `${file}.bak`)).deployment.name;
          // The .bak is replaced before the final rename, so after a failure there it already holds "second".
          assert.equal(bak, stage === 'the .bak' || op !== 'renameSync' ? 'first' : 'second');
        });
      }
    }

    for (const [what, content, reason] of [
      ['a corrupt', '{ "schemaVersion": 1, "pools": [ }', /does not load .*not valid JSON at line 1.*leaves the file exactly as it is/],
      ['a newer', JSON.stringify({ schemaVersion: SCHEMA_VERSION + 1 }), /does not load .*newer version of SfB Certificates/],
      ['an empty', '', /does not load .*The file is empty/],
    ] as const) {
      it(`never overwrites ${what} file`, () => {
        fs.writeFileSync(file, content);
        assert.throws(() => saveDeployment(fs, file, named('mine')), (e: unknown) => {
          assert.ok(e instanceof DeploymentFileError);
          assert.match(e.message, reason);
          assert.ok(e.problems.length > 0);
          return true;
        });
        assert.equal(fs.readFileSync(file, 'utf8'), content);
        assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE]);
      });
    }

    describe('the asynchronous save (the one the extension uses) runs the same steps', () => {
      /** node:fs/promises with `op` failing on `stage`'s file (a full disk writes half, then fails). */
      function failingAsync(op: 'open' | 'write' | 'sync' | 'close' | 'rename', stage: Stage): DeploymentFsAsync {
        const fail = () => Object.assign(new Error(`injected failure in ${op}`), { code: op === 'write' ? 'ENOSPC' : 'EIO' });
        const p = fs.promises;
        return {
          readFile: (f) => p.readFile(f),
          lstat: (f) => p.lstat(f),
          realpath: (f) => p.realpath(f),
          unlink: (f) => p.unlink(f),
          rename: async (from, to) => {
            if (op === 'rename' && stageOf(to) === stage) throw fail();
            return p.rename(from, to);
          },
          open: async (f, flags, mode) => {
            if (op === 'open' && stageOf(f) === stage) throw fail();
            const handle = await p.open(f, flags, mode);
            const at = stageOf(f);
            const wrapped: WritableFile = {
              write: async (buffer, offset, length) => {
                if (op === 'write' && at === stage) {
                  await handle.write(buffer, offset, Math.floor(length / 2));
                  throw fail();
                }
                return handle.write(buffer, offset, length);
              },
              sync: async () => {
                if (op === 'sync' && at === stage) throw fail();
                return handle.sync();
              },
              chmod: (m) => handle.chmod(m),
              close: async () => {
                await handle.close();
                if (op === 'close' && at === stage) throw fail();
              },
            };
            return wrapped;
          },
        };
      }

      it('writes the same text as the synchronous save, keeps one .bak and returns the stamp of the file', async () => {
        await saveDeploymentAsync(fs.promises, file, named('first'));
        const { text, stamp } = await saveDeploymentAsync(fs.promises, file, named('second'), { sliceMs: 0 });
        assert.equal(text, serializeDeployment(named('second')));
        assert.equal(fs.readFileSync(file, 'utf8'), text);
        assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE, `${DEFAULT_DEPLOYMENT_FILE}.bak`]);
        assert.equal(loaded(loadDeployment(fs, `${file}.bak`)).deployment.name, 'first');
        const st = fs.statSync(file);
        assert.deepEqual(stamp, { size: st.size, mtimeMs: st.mtimeMs });
      });

      for (const stage of ['the new content', 'the .bak'] as const) {
        for (const op of ['open', 'write', 'sync', 'close', 'rename'] as const) {
          it(`a failure in ${op} for ${stage} leaves the file, a whole .bak and no temporary file`, async () => {
            await saveDeploymentAsync(fs.promises, file, named('first'));
            await saveDeploymentAsync(fs.promises, file, named('second'));
            const before = fs.readFileSync(file, 'utf8');
            await assert.rejects(saveDeploymentAsync(failingAsync(op, stage), file, named('third')), /injected failure/);
            assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE, `${DEFAULT_DEPLOYMENT_FILE}.bak`], 'no temporary file left');
            assert.equal(fs.readFileSync(file, 'utf8'), before, 'the file is intact');
            assert.equal(loaded(loadDeployment(fs, `${file}.bak`)).deployment.name, stage === 'the .bak' || op !== 'rename' ? 'first' : 'second');
          });
        }
      }

      it('never overwrites a file that no longer loads, and leaves no temporary file', async () => {
        fs.writeFileSync(file, '{ "schemaVersion": 1, "pools": [ }');
        await assert.rejects(saveDeploymentAsync(fs.promises, file, named('mine')), (e: unknown) => e instanceof DeploymentFileError && e.reason === 'on-disk');
        assert.equal(fs.readFileSync(file, 'utf8'), '{ "schemaVersion": 1, "pools": [ }');
        assert.deepEqual(listing(), [DEFAULT_DEPLOYMENT_FILE]);
      });
    });
  });
});
