// The one error model: SfbError values with who says so, Result, and the ExpectedError that ends a user flow.
import * as assert from 'node:assert/strict';
import { ExpectedError, UNCONFIRMED_RULE, about, failure, formatError, orRefuse, refuse, sfbError, type Result } from '../../src/core/errors';

describe('error model', () => {
  it('an extension rule is labelled as such; a product fact is stated plainly', () => {
    const rule = sfbError('mixed-scopes', 'Run one command for each.', undefined, 'extension-rule');
    assert.equal(rule.source, 'extension-rule');
    assert.equal(rule.message, `Run one command for each. ${UNCONFIRMED_RULE}`);
    assert.deepEqual(sfbError('thumbprint-not-found', 'No such certificate.', 'Check the thumbprint.'),
      { code: 'thumbprint-not-found', message: 'No such certificate.', fix: 'Check the thumbprint.', source: 'product' });
    assert.equal('fix' in sfbError('x', 'No fix.'), false);
  });

  it('formats the message with what to do, and names what it is about', () => {
    const error = sfbError('corrupt', 'The file is damaged.', 'Get a fresh copy.');
    assert.equal(formatError(error), 'The file is damaged. Get a fresh copy.');
    assert.equal(formatError(sfbError('x', 'Alone.')), 'Alone.');
    assert.equal(about('cert.pfx', error).message, 'cert.pfx: The file is damaged.');
  });

  it('a Result keeps its own field names; orRefuse unwraps it or ends the flow with its error', () => {
    const good: Result<{ value: number }> = { ok: true, value: 3 };
    assert.equal(orRefuse(good).value, 3);
    const bad: Result<{ value: number }> = failure('nope', 'Not here.', 'Look elsewhere.');
    assert.throws(() => orRefuse(bad, 'topology.xml'), (e: unknown) => {
      assert.ok(e instanceof ExpectedError);
      assert.equal(e.error.code, 'nope');
      assert.equal(e.message, 'topology.xml: Not here. Look elsewhere.');
      assert.equal(e.severity, 'error');
      return true;
    });
  });

  it('refuse throws an ExpectedError with a severity', () => {
    assert.throws(() => refuse('no-server-fits', 'No server fits.', 'Import a topology.', { severity: 'warning' }),
      (e: unknown) => e instanceof ExpectedError && e.severity === 'warning' && e.error.source === 'product');
  });
});
