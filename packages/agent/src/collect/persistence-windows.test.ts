import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { capturedCommandRunner } from '../command-runner.js';
import { collectWindowsAutostart, parseWindowsAutostart, WINDOWS_AUTOSTART_COMMAND } from './persistence-windows.js';

// The autostart command's ConvertTo-Json -Compress output: a Run value SilentCryptoMiner-style,
// a minute task as Sysrv's ldr.ps1 creates (accuknox/samples sysrv-hello/ldr.ps1), one service.
// A single service comes back as an object, not an array (ConvertTo-Json unwraps one-element arrays).
const SAMPLE =
  '{"run":[{"Key":"HKCU:\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run","Name":"WindowsUpdate","Command":"C:\\\\Users\\\\a\\\\AppData\\\\Roaming\\\\Google\\\\Libs\\\\g.exe"}],' +
  '"tasks":[{"Path":"\\\\BrowserUpdate","User":"SYSTEM","Command":"powershell -enc SQBFAFgA"}],' +
  '"services":{"Name":"Spooler","PathName":"C:\\\\Windows\\\\System32\\\\spoolsv.exe","StartName":"LocalSystem"}}';

describe('Windows autostart', () => {
  test('Run values, scheduled task actions and services as entries with hashes', () => {
    const e = parseWindowsAutostart(SAMPLE);
    assert.deepEqual(e.map((x) => x.kind), ['run_key', 'scheduled_task', 'service']);
    assert.equal(e[0]!.path, 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\WindowsUpdate');
    assert.equal(e[0]!.owner, 'current-user');
    assert.deepEqual(e[1]!.commands, ['powershell -enc SQBFAFgA']);
    assert.equal(e[2]!.owner, 'LocalSystem');
    assert.match(e[2]!.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(parseWindowsAutostart('not json'), []);
  });

  test('collected through powershell.exe; a failure is a note', async () => {
    const ok = await collectWindowsAutostart(capturedCommandRunner({ [['powershell.exe', ...WINDOWS_AUTOSTART_COMMAND].join(' ')]: { stdout: SAMPLE } }));
    assert.equal(ok.entries.length, 3);
    const failed = await collectWindowsAutostart(capturedCommandRunner({}));
    assert.equal(failed.entries.length, 0);
    assert.equal(failed.notes.length, 1);
  });
});
