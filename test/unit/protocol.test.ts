// The wizard's message protocol: every webview → host message in its valid shapes, and the shapes that must be
// refused (unknown type, wrong field types, missing or extra fields, overlong or control-character strings).
import * as assert from 'node:assert/strict';
import {
  MAX_FQDN_LENGTH, MAX_PASSWORD_LENGTH, MAX_PATH_LENGTH, NAVIGATE_ACTIONS, PAGE_IDS, USE_ROW_IDS, parseSavedState, parseToHost, type ToHost,
} from '../../src/shared/protocol';

const THUMBPRINT = 'A9D51A2911C74FABFF7F2A8A994B20857D399107';

function accepts(msg: unknown, expected: ToHost = msg as ToHost): void {
  const parsed = parseToHost(msg);
  assert.ok(parsed.ok, `refused ${JSON.stringify(msg)}: ${parsed.ok ? '' : parsed.reason}`);
  assert.deepEqual(parsed.msg, expected);
}

function refuses(msg: unknown, reason?: RegExp): void {
  const parsed = parseToHost(msg);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(msg)?.slice(0, 200)}`);
  if (reason && !parsed.ok) assert.match(parsed.reason, reason);
}

describe('wizard protocol: parseToHost', () => {
  describe('valid messages', () => {
    it('ready, with and without saved state', () => {
      accepts({ type: 'ready' });
      accepts({ type: 'ready', state: { page: 'home', selection: {} } });
      accepts({
        type: 'ready',
        state: { serverFqdn: 'fe01.contoso.com', page: 'assign-store', selection: { use: 'OAuthTokenIssuer', thumbprint: THUMBPRINT, importPath: 'certs/a.pfx', hasPrivateKey: true } },
      });
      for (const page of PAGE_IDS) accepts({ type: 'ready', state: { page, selection: {} } });
    });

    it('navigate with each action', () => {
      for (const action of NAVIGATE_ACTIONS) accepts({ type: 'navigate', action });
    });

    it('messages without fields', () => {
      for (const type of ['installOrUpdate', 'runStep3', 'assign', 'openImport', 'browse', 'viewLog'] as const) accepts({ type });
    });

    it('pickServer, selectUse, selectCertificate, viewCertificateDetails', () => {
      accepts({ type: 'pickServer', serverFqdn: 'se01.dublin.contoso.com' });
      accepts({ type: 'pickServer', serverFqdn: 'FE01.Contoso.com' });
      for (const use of USE_ROW_IDS) accepts({ type: 'selectUse', use });
      accepts({ type: 'selectCertificate', thumbprint: THUMBPRINT });
      accepts({ type: 'viewCertificateDetails', thumbprint: THUMBPRINT });
    });

    it('overrideWarning and setReplicate with a boolean', () => {
      for (const checked of [true, false]) {
        accepts({ type: 'overrideWarning', checked });
        accepts({ type: 'setReplicate', checked });
      }
    });

    it('requestImport with and without a password; an empty password is a value', () => {
      accepts({ type: 'requestImport', path: 'C:\\Certificates\\ServerToServerAuth.pfx', hasPrivateKey: true, password: 'P@ssw0rd' });
      accepts({ type: 'requestImport', path: 'certs/oauth.pfx', hasPrivateKey: true, password: '' });
      accepts({ type: 'requestImport', path: 'certs/oauth.pfx', hasPrivateKey: true });
      accepts({ type: 'requestImport', path: 'certs/public.cer', hasPrivateKey: false });
      accepts({ type: 'requestImport', path: 'x'.repeat(MAX_PATH_LENGTH), hasPrivateKey: true, password: 'p'.repeat(MAX_PASSWORD_LENGTH) });
    });
  });

  describe('refused messages', () => {
    it('anything but a plain object', () => {
      for (const value of [undefined, null, 0, 'ready', true, [], [{ type: 'ready' }], new Date(), Object.create(null)]) refuses(value, /plain object/);
      class Ready { type = 'ready'; }
      refuses(new Ready(), /plain object/);
    });

    it('an unknown or missing type', () => {
      refuses({}, /message\.type/);
      refuses({ type: 'deleteEverything' }, /message\.type/);
      refuses({ type: 'READY' }, /message\.type/);
      refuses({ type: 42 }, /message\.type/);
      refuses({ type: 'x'.repeat(100_000) }, /message\.type/);
    });

    it('extra fields, on the message and inside the saved state', () => {
      refuses({ type: 'ready', extra: 1 }, /unexpected field "extra"/);
      refuses({ type: 'assign', use: 'OAuthTokenIssuer' }, /unexpected field "use"/);
      // As a webview message arrives: JSON, where "__proto__" is an own field, not the prototype.
      refuses(JSON.parse('{"type":"viewLog","__proto__":{"isAdmin":true}}'), /unexpected field "__proto__"/);
      refuses({ type: 'viewLog', constructor: 1 }, /unexpected field "constructor"/);
      refuses({ type: 'ready', state: { page: 'home', selection: {}, password: 'secret' } }, /unexpected field "password"/);
      refuses({ type: 'ready', state: { page: 'home', selection: { password: 'secret' } } }, /unexpected field "password"/);
      refuses({ type: 'requestImport', path: 'a.pfx', hasPrivateKey: true, password: 'p', confirm: 'p' }, /unexpected field "confirm"/);
    });

    it('navigate with a missing or unknown action', () => {
      refuses({ type: 'navigate' }, /navigate\.action/);
      refuses({ type: 'navigate', action: 'finishAll' }, /navigate\.action/);
      refuses({ type: 'navigate', action: ['next'] }, /navigate\.action/);
    });

    it('bad server names', () => {
      refuses({ type: 'pickServer' }, /must be a string/);
      refuses({ type: 'pickServer', serverFqdn: '' }, /empty/);
      refuses({ type: 'pickServer', serverFqdn: 'fe01 contoso.com' }, /host name/);
      refuses({ type: 'pickServer', serverFqdn: 'fe01.contoso.com.' }, /host name/);
      // The model's FQDN rule (core/topology.ts): no single-label names, no underscores.
      refuses({ type: 'pickServer', serverFqdn: 'FE01' }, /host name/);
      refuses({ type: 'pickServer', serverFqdn: 'fe_01.contoso.com' }, /host name/);
      refuses({ type: 'pickServer', serverFqdn: '<img src=x>' }, /host name/);
      refuses({ type: 'pickServer', serverFqdn: 'a'.repeat(MAX_FQDN_LENGTH + 1) }, /longer than/);
      refuses({ type: 'pickServer', serverFqdn: 7 }, /must be a string/);
    });

    it('filterServers: any text up to 255 characters, empty too; nothing else', () => {
      accepts({ type: 'filterServers', text: '' });
      accepts({ type: 'filterServers', text: 'pool07 <img src=x>' });
      refuses({ type: 'filterServers' }, /must be a string/);
      refuses({ type: 'filterServers', text: 'x'.repeat(256) }, /longer than/);
      refuses({ type: 'filterServers', text: 'fe01', serverFqdn: 'fe01.contoso.com' }, /serverFqdn/);
    });

    it('unknown certificate uses', () => {
      refuses({ type: 'selectUse', use: 'AudioVideoAuthentication' }, /selectUse\.use/);
      refuses({ type: 'selectUse', use: 'oauthtokenissuer' }, /selectUse\.use/);
      refuses({ type: 'selectUse' }, /selectUse\.use/);
    });

    it('thumbprints that are not 40 uppercase hex characters', () => {
      for (const thumbprint of [THUMBPRINT.toLowerCase(), THUMBPRINT.slice(1), `${THUMBPRINT}0`, `\u200E${THUMBPRINT}`, THUMBPRINT.replace('A', 'G'), 42, undefined]) {
        refuses({ type: 'selectCertificate', thumbprint }, /40 uppercase/);
        refuses({ type: 'viewCertificateDetails', thumbprint }, /40 uppercase/);
      }
    });

    it('non-boolean checkboxes', () => {
      for (const checked of ['true', 1, null, undefined]) {
        refuses({ type: 'overrideWarning', checked }, /true or false/);
        refuses({ type: 'setReplicate', checked }, /true or false/);
      }
    });

    it('import requests with a bad path, flag or password', () => {
      refuses({ type: 'requestImport', path: '', hasPrivateKey: false }, /empty/);
      refuses({ type: 'requestImport', path: '   ', hasPrivateKey: false }, /empty/);
      refuses({ type: 'requestImport', path: 'x'.repeat(MAX_PATH_LENGTH + 1), hasPrivateKey: false }, /longer than/);
      refuses({ type: 'requestImport', path: 'a\u0000.pfx', hasPrivateKey: false }, /control characters/);
      refuses({ type: 'requestImport', path: 'a.pfx\n', hasPrivateKey: false }, /control characters/);
      refuses({ type: 'requestImport', path: 'a.pfx' }, /true or false/);
      refuses({ type: 'requestImport', path: 'a.pfx', hasPrivateKey: 'yes' }, /true or false/);
      refuses({ type: 'requestImport', hasPrivateKey: true, password: 'p' }, /must be a string/);
      refuses({ type: 'requestImport', path: 'a.pfx', hasPrivateKey: true, password: 1234 }, /must be a string/);
      refuses({ type: 'requestImport', path: 'a.pfx', hasPrivateKey: true, password: 'p'.repeat(MAX_PASSWORD_LENGTH + 1) }, /longer than/);
      refuses({ type: 'requestImport', path: 'a.cer', hasPrivateKey: false, password: 'p' }, /only taken when hasPrivateKey/);
    });

    it('ready with a bad saved state', () => {
      refuses({ type: 'ready', state: null }, /plain object/);
      refuses({ type: 'ready', state: { page: 'secret-page', selection: {} } }, /state\.page/);
      refuses({ type: 'ready', state: { page: 'home' } }, /state\.selection/);
      refuses({ type: 'ready', state: { page: 'home', selection: { use: 'Nope' } } }, /selection\.use/);
      refuses({ type: 'ready', state: { page: 'home', selection: { thumbprint: 'abc' } } }, /40 uppercase/);
      refuses({ type: 'ready', state: { page: 'home', selection: { hasPrivateKey: 'no' } } }, /true or false/);
      refuses({ type: 'ready', state: { page: 'home', selection: { importPath: 'x'.repeat(MAX_PATH_LENGTH + 1) } } }, /longer than/);
      refuses({ type: 'ready', state: { serverFqdn: 'not a host', page: 'home', selection: {} } }, /host name/);
    });

    it('never echoes an overlong value in the reason', () => {
      const parsed = parseToHost({ type: 'pickServer', serverFqdn: 'a'.repeat(10_000) });
      assert.ok(!parsed.ok);
      assert.ok(parsed.reason.length < 200, parsed.reason);
    });
  });
});

describe('wizard protocol: parseSavedState', () => {
  it('accepts what the webview saves and refuses anything else', () => {
    assert.deepEqual(parseSavedState({ page: 'certificates', serverFqdn: 'fe01.contoso.com', selection: { use: 'Default' } }), {
      ok: true, msg: { page: 'certificates', serverFqdn: 'fe01.contoso.com', selection: { use: 'Default' } },
    });
    assert.equal(parseSavedState(undefined).ok, false);
    assert.equal(parseSavedState({ page: 'home', selection: {}, extra: true }).ok, false);
  });
});
