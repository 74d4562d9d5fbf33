// The script checker's incremental re-check: after every edit of random edit sequences — characters typed and
// deleted, lines pasted and cut, brackets and quotes opened and closed, comma lists typed and split over lines — the
// diagnostics equal a check of the same text from scratch, unless the checker says a fresh check may read the script
// differently (an edit met a syntax error: the grammar's error recovery is not local), and then after a resync, as
// the editor does once typing pauses.
import * as assert from 'node:assert/strict';
import { createSampleDeployment, findServer, type SampleDeployment } from '../../src/core';
import { ScriptChecker, lintScript } from '../../src/powershell/lint';
import { FUZZ_LONG, random } from '../fixtures/fuzz';

const NOW = new Date('2015-06-01T08:00:00Z');

describe('Script checker: incremental re-check equals a fresh check', function () {
  this.timeout(120_000);
  let sample: SampleDeployment;
  /** Statements, each whole (some over several lines). */
  let lines: string[];
  before(async () => {
    sample = await createSampleDeployment(NOW);
    // The sample's thumbprints change from run to run (its keys are made anew); fixed ones of each shape the grammar reads differently (all
    // digits, a number with an exponent, letters first) keep the edits reproducible.
    const fixed = ['1234567890123456789012345678901234567890', '1E5A207AA672EA3976CF2AC863A481C75392E67A', 'F24EE939D1008EAF6D0D6FB522C749EFBC32467A'];
    lines = [
      '# Assign the server-to-server certificate',
      'Get-CsCertificate -Type OAuthTokenIssuer',
      `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${fixed[2]}`,
      'Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Roll',
      'Get-CsCertificate -Type Default, WebServicesInternal | Format-List Thumbprint, Use',
      `Set-CsCertificate -Type Default,\n  WebServicesInternal -Thumbprint ${fixed[2]}`,
      '$x = (Get-CsCertificate -Type Default).Thumbprint',
      'if ($x) {\n  Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -EffectiveDate "7/1/2015" -Roll\n}',
      'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\a.pfx -Password "P@ss"',
      'Remove-CsCertificate -Type Bogus -Previous',
      'Get-CsCertificate -Type Default `\n  | Format-List',
      ...fixed.map((t) => `Set-CsCertificate -Type Default -Thumbprint ${t}`),
    ];
  });

  for (const seed of Array.from({ length: FUZZ_LONG ? 30 : 6 }, (_, i) => i + 1)) {
    it(`random edits (seed ${seed}): the same diagnostics as from scratch, incrementally unless a resync is asked for`, async () => {
      const next = random(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
      let text = Array.from({ length: 60 }, () => pick(lines)).join('\n');
      const checker = await ScriptChecker.create(sample.deployment, { now: NOW });
      let incremental = 0;
      let checks = 0;
      const compare = async (what: string) => {
        checks++;
        let diagnostics = checker.check(text);
        if (checker.mayDiffer) {
          checker.resync();
          diagnostics = checker.check(text);
        } else incremental++;
        assert.deepEqual(diagnostics, await lintScript(text, sample.deployment, { now: NOW }), `diagnostics, ${what}`);
        return !diagnostics.some((d) => d.severity === 'error' && /^[A-Z]/.test(d.code));
      };
      try {
        await compare('the first text');
        for (let step = 0; step < 80; step++) {
          const at = Math.floor(next() * (text.length + 1));
          const kind = Math.floor(next() * 7);
          const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
          const edit: [number, number, string] =
            kind === 0 ? [at, at, pick(['x', ' ', '-', ',', '"', "'", '(', ')', '{', '}', '`', '#', '|', '$'])]
              : kind === 1 ? [at, Math.min(text.length, at + 1 + Math.floor(next() * 3)), '']
                : kind === 2 ? [at, at, `\n${pick(lines)}\n`]
                  : kind === 3 ? [at, lineEnd, '']
                    : kind === 4 ? [at, at, pick([', ', ' , ', ' ,'])]
                      : kind === 5 ? [at, Math.min(text.length, at + 40), pick(lines)]
                        : [at, at, '\n'];
          const before = text;
          text = text.slice(0, edit[0]) + edit[2] + text.slice(edit[1]);
          const clean = await compare(`seed ${seed}, step ${step}: ${JSON.stringify(edit)}`);
          // A syntax error is typed back out (as an admin fixes a typo); other edits stay half of the time.
          if (!clean || next() < 0.5) {
            text = before;
            await compare(`seed ${seed}, step ${step}: ${JSON.stringify(edit)} undone`);
          }
        }
      } finally {
        checker.dispose();
      }
      assert.ok(incremental >= checks / 3, `${incremental} of ${checks} checks were incremental: too few for the test to mean anything`);
    });
  }

  it('a comma recovered on a line does not outlive an edit of that line ("a, b" with its space deleted)', async () => {
    const text = 'Get-CsCertificate -Type OAuthTokenIssuer\nSet-CsCertificate -Type Default, WebServicesInternal -Thumbprint $x\nGet-CsCertificate';
    const checker = await ScriptChecker.create(sample.deployment, { now: NOW });
    try {
      assert.deepEqual(checker.check(text), []);
      for (const edited of [text.replace(', W', ',W'), text.replace(', W', ' W'), text.replace(', W', ',  W'), text.replace('Default, W', 'Default,\n  W')]) {
        assert.deepEqual(checker.check(edited), await lintScript(edited, sample.deployment, { now: NOW }), JSON.stringify(edited));
      }
      assert.equal(checker.mayDiffer, false, 'no edit met a syntax error');
    } finally {
      checker.dispose();
    }
  });

  it('an edit that leaves a syntax error asks for a resync; after it, the fresh check\'s diagnostics', async () => {
    // Found by the random edits: ", " typed at the start of the line after a comma list. Re-parsed incrementally the
    // grammar reports one unexpected token; a fresh parse of the same text reports five.
    const before = 'Get-CsCertificate -Type Default, WebServicesInternal | Format-List Thumbprint, Use\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Roll\n';
    const after = before.replace('\nSet', '\n, Set');
    const checker = await ScriptChecker.create(sample.deployment, { now: NOW });
    try {
      checker.check(before);
      assert.equal(checker.mayDiffer, false);
      checker.check(after);
      assert.equal(checker.mayDiffer, true);
      checker.resync();
      assert.equal(checker.mayDiffer, false);
      assert.deepEqual(checker.check(after), await lintScript(after, sample.deployment, { now: NOW }));
    } finally {
      checker.dispose();
    }
  });

  it('after the deployment changes, every statement is judged again (and still equals a fresh check)', async () => {
    const held = findServer(sample.deployment, 'fe01.contoso.com')!.server.certificates.find((c) => c.friendlyName === 'fe01 Default')!.thumbprint;
    const text = [...lines, `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${held}`].join('\n');
    const checker = await ScriptChecker.create(sample.deployment, { now: NOW });
    try {
      const before = checker.check(text);
      const later = new Date('2030-01-01T00:00:00Z');
      checker.setDeployment(sample.deployment, { now: later });
      const edited = `${text}\nGet-CsCertificate`;
      const after = checker.check(edited);
      assert.deepEqual(after, await lintScript(edited, sample.deployment, { now: later }));
      assert.notDeepEqual(after, before, 'the clock moved past every certificate\'s expiry, so the judgements change');
    } finally {
      checker.dispose();
    }
  });
});
