import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { capturedCommandRunner } from '../command-runner.js';
import { collectAntivirus, DEFENDER_COMMAND, parseClamVersion, parseDefenderStatus } from './antivirus.js';

const NOW = new Date(2026, 10, 28, 12, 0, 0);

// Windows PowerShell 5.1 `Get-MpComputerStatus | ConvertTo-Json` (dates as \/Date(ms)\/), trimmed to the fields read and a few others.
const DEFENDER_PS5 = `{
    "AMEngineVersion":  "1.1.24090.11",
    "AMProductVersion":  "4.18.24090.11",
    "AMServiceEnabled":  true,
    "AntispywareEnabled":  true,
    "AntispywareSignatureLastUpdated":  "\\/Date(1795795200000)\\/",
    "AntivirusEnabled":  true,
    "AntivirusSignatureAge":  2,
    "AntivirusSignatureLastUpdated":  "\\/Date(1795795200000)\\/",
    "AntivirusSignatureVersion":  "1.421.133.0",
    "FullScanEndTime":  null,
    "QuickScanEndTime":  "\\/Date(1795881600000)\\/",
    "RealTimeProtectionEnabled":  false,
    "ComputerState":  0
}`;

describe('ClamAV', () => {
  test('engine, database version and its age from --version', () => {
    const s = parseClamVersion('ClamAV 1.0.7/27500/Mon Nov 24 08:00:00 2026\n', NOW, 'clamscan --version')!;
    assert.equal(s.version, '1.0.7');
    assert.equal(s.signatureVersion, '27500');
    assert.equal(s.signatureDate, new Date(2026, 10, 24, 8, 0, 0).toISOString());
    assert.equal(s.signatureAgeDays, 4);
  });

  test('no database installed: version only', () => {
    const s = parseClamVersion('ClamAV 1.4.2\n', NOW, 'freshclam --version')!;
    assert.equal(s.signatureVersion, null);
    assert.equal(s.signatureAgeDays, null);
    assert.equal(parseClamVersion('command not found', NOW, 'x'), null);
  });

  test('clamscan answers first; nothing installed gives a note', async () => {
    const found = await collectAntivirus(capturedCommandRunner({ 'clamscan --version': { stdout: 'ClamAV 1.0.7/27500/Mon Nov 24 08:00:00 2026\n' } }), 'linux', NOW);
    assert.equal(found.products.length, 1);
    const none = await collectAntivirus(capturedCommandRunner({}), 'linux', NOW);
    assert.deepEqual(none.products, []);
    assert.match(none.notes[0]!, /no antivirus/);
  });
});

describe('Windows Defender', () => {
  test('PowerShell 5 JSON: enabled, real-time off, signature age, last scan', () => {
    const s = parseDefenderStatus(DEFENDER_PS5, new Date(1795881600000 + 3600_000))!;
    assert.equal(s.enabled, true);
    assert.equal(s.realTimeProtection, false);
    assert.equal(s.signatureVersion, '1.421.133.0');
    assert.equal(s.signatureDate, new Date(1795795200000).toISOString());
    assert.equal(s.signatureAgeDays, 1);
    assert.equal(s.lastScan, new Date(1795881600000).toISOString());
  });

  test('PowerShell 7 ISO dates; bad JSON is no status', () => {
    const s = parseDefenderStatus('{"AntivirusEnabled":true,"AntivirusSignatureLastUpdated":"2026-11-20T08:00:00+08:00","AMProductVersion":"4.18.1"}', NOW)!;
    assert.equal(s.signatureDate, '2026-11-20T00:00:00.000Z');
    assert.equal(parseDefenderStatus('Get-MpComputerStatus : Invalid class', NOW), null);
  });

  test('collected through powershell.exe on win32', async () => {
    const runner = capturedCommandRunner({ [['powershell.exe', ...DEFENDER_COMMAND].join(' ')]: { stdout: DEFENDER_PS5 } });
    const c = await collectAntivirus(runner, 'win32', NOW);
    assert.equal(c.products[0]!.product, 'defender');
  });
});
