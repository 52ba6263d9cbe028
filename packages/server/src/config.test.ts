import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('defaults to port 8080 and the SQLite file under ./data', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.db, 'sqlite:./data/qingling.db');
  });

  it('takes environment, then flags over it', () => {
    const c = loadConfig({ QINGLING_PORT: '9000', QINGLING_DB: 'postgres://u@h/db' }, { port: '9100' });
    assert.equal(c.port, 9100);
    assert.equal(c.db, 'postgres://u@h/db');
  });

  it('reports every bad value at once, named by where it came from', () => {
    assert.throws(
      () => loadConfig({ QINGLING_PORT: 'eighty', QINGLING_DB: 'mysql://x' }, { logLevel: 'loud' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 3);
        assert.match(err.message, /QINGLING_PORT="eighty"/);
        assert.match(err.message, /QINGLING_DB="mysql:\/\/x": must be sqlite:PATH or a postgres:\/\/ URL/);
        assert.match(err.message, /--log-level="loud"/);
        return true;
      },
    );
  });

  it('takes the electricity detector sensitivity from QINGLING_POWER_SENSITIVITY, refusing other levels', () => {
    assert.equal(loadConfig({}).powerSensitivity, 'standard');
    assert.equal(loadConfig({ QINGLING_POWER_SENSITIVITY: 'high' }).powerSensitivity, 'high');
    assert.throws(() => loadConfig({ QINGLING_POWER_SENSITIVITY: 'max' }), /QINGLING_POWER_SENSITIVITY="max"/);
  });
});
