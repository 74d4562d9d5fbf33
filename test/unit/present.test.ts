// Certificate text is data, never structure: control and bidirectional characters are shown escaped on every
// surface (the presenter, the CLI's list output, Get-CsCertificate blocks, tree labels and tooltips), a newline in
// a subject or friendly name cannot forge a second Thumbprint or HasPrivateKey line, and the SIP-domain rule reads
// the subject's parsed RDNs, so a quoted value that looks like "CN=contoso.com" is not a common name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateCertificate, generateRsaKeyPair, writePfx, type RsaKeyPair } from '../../src/core/certgen';
import { readCertificateFile } from '../../src/core/certificates/read';
import { formatList } from '../../src/core/cmdlets';
import { displayText } from '../../src/core/displayText';
import type { CertificateRecord } from '../../src/core/model';
import { checkOAuthCandidate } from '../../src/core/certificateChecks';
import { certificateFields, certificateName, findingInPicker, findingText, shortName } from '../../src/present/certificate';
import { certificateTooltip } from '../../src/ui/treeModel';
import { runCli } from '../fixtures/cli';
import { storedCertificate } from '../fixtures/builders';
import { FUZZ_LONG, random } from '../fixtures/fuzz';




const NOW = new Date('2026-03-01T12:00:00Z');
const SIP = [{ name: 'contoso.com', isDefault: true }];
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
const HOSTILE = ['\u001b]0;owned\u0007', '\u001b[2J', '\u009b31m', 'a\nThumbprint          : 0000000000000000000000000000000000000000', 'x\r\nHasPrivateKey : True', '\u202egpj.exe', '\u2066x\u2069', 'line\u2028break', '\u0000', '\u007f'];

describe('certificate text on every surface', () => {
  describe('displayText', () => {
    it('writes control and bidirectional characters as \\uXXXX', () => {
      assert.equal(displayText('a\u001b]0;t\u0007b'), 'a\\u001B]0;t\\u0007b');
      assert.equal(displayText('x\nThumbprint : 00'), 'x\\u000AThumbprint : 00');
      assert.equal(displayText('\u202egpj.exe'), '\\u202Egpj.exe');
      assert.equal(displayText('\u009b\u0085\u2028\u061c\u200f'), '\\u009B\\u0085\\u2028\\u061C\\u200F');
    });

    it('leaves other text alone, and is idempotent', () => {
      for (const text of ['CN=Müller GmbH, O="Contoso, Inc."', '日本語', '👩‍💻 ZWJ', 'tab-free', '']) assert.equal(displayText(text), text);
      for (const text of HOSTILE) assert.equal(displayText(displayText(text)), displayText(text));
    });

    it(`never lets an unsafe character through (${FUZZ_LONG ? '200,000' : '5,000'} random strings, fixed seed)`, () => {
      const next = random(0xd15);
      const alphabet = ['a', 'é', ' ', ',', '=', '"', '\\', 'u', '0', ...HOSTILE.join('').split(''), '\u0085', '\u200e', '\u2067', '\ud83d\ude00'];
      for (let i = 0; i < (FUZZ_LONG ? 200_000 : 5_000); i++) {
        const text = Array.from({ length: Math.floor(next() * 40) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
        const shown = displayText(text);
        assert.doesNotMatch(shown, UNSAFE, JSON.stringify(text));
        // A Format-List of such values keeps one line per property.
        assert.equal(formatList([['Subject', text], ['Thumbprint', 'AB'], ['HasPrivateKey', 'No']]).split('\n').length, 3, JSON.stringify(text));
      }
    });
  });

  describe('the presenter', () => {
    const hostile = storedCertificate(NOW, 'A'.repeat(40), { subject: `CN=${HOSTILE.join('')}`, issuer: 'CN=\u001b[2JCA', friendlyName: 'name\nHasPrivateKey : True', subjectAlternativeNames: [{ type: 'dns', value: 'x\u202e.com' }] });

    it('escapes every field and the certificate name', () => {
      for (const f of certificateFields(hostile, { now: NOW })) assert.doesNotMatch(f.value, UNSAFE, f.label);
      assert.doesNotMatch(certificateName(hostile), UNSAFE);
      assert.equal(certificateName(hostile), 'name\\u000AHasPrivateKey : True');
    });

    it('gives one order and one wording of the fields, with the Windows property names', () => {
      const fields = certificateFields(storedCertificate(NOW, 'B'.repeat(40), { exportable: false }), { now: NOW });
      assert.deepEqual(fields.map((f) => f.property), ['Subject', 'Issuer', 'FriendlyName', 'Thumbprint', 'SerialNumber', 'NotBefore', 'NotAfter', 'AlternativeNames', 'Key', 'SignatureAlgorithm', 'EnhancedKeyUsage', 'HasPrivateKey', 'IsCA']);
      const value = (p: string) => fields.find((f) => f.property === p)!.value;
      assert.equal(value('AlternativeNames'), 'DNS Name=contoso.com, DNS Name=fabrikam.com');
      assert.equal(value('HasPrivateKey'), 'Yes (not exportable)');
      assert.match(value('NotAfter'), /^12\/26\/2026 12:00:00 PM \(expires in 300 days\)$/);
      assert.equal(value('EnhancedKeyUsage'), 'Server Authentication (1.3.6.1.5.5.7.3.1)');
    });

    it('escapes findings, which quote the subject', () => {
      const findings = checkOAuthCandidate({ ...hostile, subjectAlternativeNames: [] }, SIP, NOW);
      assert.ok(findings.some((f) => UNSAFE.test(f.message)), 'the rule quotes the raw subject');
      for (const f of findings) assert.doesNotMatch(findingText(f), UNSAFE);
    });

    it('shortens a long name for a tree row at whole DNS labels, keeping the host and the domain; a picker\'s reason starts with what is wrong', () => {
      assert.equal(shortName('pool01.contoso.com', 26), 'pool01.contoso.com');
      assert.equal(shortName('sfb2019-pool01.emea.corp.contoso.com', 26), 'sfb2019-pool01…contoso.com');
      assert.equal(shortName('web.emea.corp.contoso.com', 24), 'web.emea…contoso.com');
      assert.equal(shortName('sfb2019-pool01.emea.corp.contoso.com', 18), 'sfb2019-pool01…');
      assert.equal(shortName('averyveryverylonghostname-in-one-label.contoso.com', 18), 'averyveryverylong…');
      assert.equal(shortName('Contoso Server To Server Certificate', 20), 'Contoso Server To…');
      for (const [name, max] of [['a.b.c.d.e.f.g.h.contoso.com', 12], ['x'.repeat(40), 10], ['sfb.contoso.com', 5]] as const) assert.ok(shortName(name, max).length <= max, `${name} in ${max}`);
      assert.equal(findingInPicker(`The Default certificate ${'A'.repeat(40)} on fe01.contoso.com does not carry the names this role needs: x.`), 'does not carry the names this role needs: x.');
      assert.equal(findingInPicker(`The WebServicesInternal certificate ${'B'.repeat(40)} expired on 1/1/2026.`), 'expired on 1/1/2026.');
      assert.equal(findingInPicker('"The OAuthTokenIssuer certificate has expired": x'), '"The OAuthTokenIssuer certificate has expired": x');
    });

    it('tree tooltips show the escaped fields', () => {
      const d = { schemaVersion: 1, name: 'x', sipDomains: SIP, sites: [], pools: [], history: [], cms: { version: 1, versionCreated: NOW.toISOString(), certificates: [hostile], assignments: {} } };
      const tooltip = certificateTooltip(d, hostile, NOW, checkOAuthCandidate(hostile, SIP, NOW));
      assert.doesNotMatch(tooltip.replace(/\n/g, ' '), UNSAFE, 'only the tooltip\'s own line breaks');
      assert.equal(tooltip.split('\n').length, 4 + 14 + 2, 'one row per field, two lines for the one finding');
      assert.match(tooltip, /\| Friendly name \| name\\\\u000AHasPrivateKey : True \|/);
    });
  });

  describe('real certificates with hostile names', () => {
    let keyPair: RsaKeyPair;
    let dir: string;
    before(async function () {
      this.timeout(60_000);
      keyPair = await generateRsaKeyPair(2048);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfb-present-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const certificate = (subject: { CN: string; O?: string }, dnsNames: string[] = []) => generateCertificate({ subject, dnsNames, keyPair, notBefore: new Date(NOW.getTime() - 86_400_000), notAfter: new Date(NOW.getTime() + 400 * 86_400_000) });
    const record = (der: Buffer): CertificateRecord => {
      const read = readCertificateFile(der);
      assert.ok(read.ok);
      return read.record;
    };

    it('sfb-cert inspect: no escape sequence reaches the terminal, no forged Thumbprint or HasPrivateKey line', async () => {
      const cert = certificate({ CN: 'evil.example.net\u001b]0;owned\u0007\u001b[2J', O: 'x\nThumbprint          : 0000000000000000000000000000000000000000' });
      const file = path.join(dir, 'hostile.pfx');
      fs.writeFileSync(file, writePfx(cert, 'pw', { friendlyName: 'name\r\nHasPrivateKey      : False\u202e' }));
      process.env.SFB_CERT_PASSWORD = 'pw';
      try {
        for (const argv of [['inspect', file], ['check-oauth', file, '--sip-domain', 'contoso.com']]) {
          const r = await runCli(argv);
          assert.equal(r.code, 0, r.stderr);
          // eslint-disable-next-line no-control-regex -- the point is to find control characters
          assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E]/, `${argv[0]}: no control character but the line breaks`);
          if (argv[0] === 'inspect') {
            assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('Thumbprint')).length, 1);
            assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('HasPrivateKey')).length, 1);
            assert.match(r.stdout, /^HasPrivateKey {6}: Yes$/m);
          }
        }
      } finally {
        delete process.env.SFB_CERT_PASSWORD;
      }
    });

    it('the SIP-domain rule reads the parsed RDNs: a quoted O="x, CN=contoso.com" is not a common name', () => {
      const quoted = record(certificate({ CN: 'evil.example.net', O: 'x, CN=contoso.com' }).der);
      assert.equal(quoted.subject, 'CN=evil.example.net, O="x, CN=contoso.com"');
      assert.ok(checkOAuthCandidate(quoted, SIP, NOW).some((f) => f.rule === 'oauth.sip-domain'), 'the rule is not fooled');
      for (const O of ['x,CN=contoso.com', 'CN=contoso.com', 'a" , CN=contoso.com , "b', 'x + CN=contoso.com']) {
        assert.ok(checkOAuthCandidate(record(certificate({ CN: 'evil.example.net', O }).der), SIP, NOW).some((f) => f.rule === 'oauth.sip-domain'), O);
      }
      const real = record(certificate({ CN: 'contoso.com', O: 'Contoso, Inc.' }).der);
      assert.ok(!checkOAuthCandidate(real, SIP, NOW).some((f) => f.rule === 'oauth.sip-domain'), 'a real CN=contoso.com passes');
      const sub = record(certificate({ CN: 'sfb.contoso.com' }).der);
      assert.ok(!checkOAuthCandidate(sub, SIP, NOW).some((f) => f.rule === 'oauth.sip-domain'), 'a CN under the domain passes');
    });

    it('a record without its DER has its subject parsed with quotes honoured', () => {
      const noDer = (subject: string) => storedCertificate(NOW, 'C'.repeat(40), { subject, subjectAlternativeNames: [] });
      assert.ok(checkOAuthCandidate(noDer('CN=evil.example.net, O="x, CN=contoso.com"'), SIP, NOW).some((f) => f.rule === 'oauth.sip-domain'));
      assert.ok(checkOAuthCandidate(noDer('CN=evil.example.net, O="a"", CN=contoso.com"'), SIP, NOW).some((f) => f.rule === 'oauth.sip-domain'));
      assert.ok(!checkOAuthCandidate(noDer('O="Contoso, Inc.", CN=contoso.com'), SIP, NOW).some((f) => f.rule === 'oauth.sip-domain'));
      assert.ok(!checkOAuthCandidate(noDer('CN=a.example + CN=contoso.com'), SIP, NOW).some((f) => f.rule === 'oauth.sip-domain'));
    });
  });
});
