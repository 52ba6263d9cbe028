import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { DEFENDER_COMMAND } from './antivirus.js';
import { WINDOWS_AUTOSTART_COMMAND } from './persistence-windows.js';
import { REGISTRY_COMMAND } from './software.js';

/**
 * There is no Windows host or PowerShell here, so what the agent asks powershell.exe to run is
 * checked with a real PowerShell grammar (tree-sitter-powershell, Airbus CERT, MIT): the scripts
 * must parse, and call only cmdlets Windows PowerShell 5.1 ships with. A quote lost to JS string
 * escaping, or a cmdlet only PowerShell 7 has, fails here rather than on a department's PCs.
 * (The grammar refuses comma-separated bare words, `Select-Object Name, Id`, which PowerShell takes;
 * the agent quotes its property names, which means the same.)
 */

/** Cmdlets of Windows PowerShell 5.1 (Microsoft.PowerShell.*, ScheduledTasks, CimCmdlets, Defender) the agent and its docs use. */
const WINDOWS_POWERSHELL_5_CMDLETS = new Set([
  'ConvertTo-Json',
  'ForEach-Object',
  'Get-CimInstance',
  'Get-ItemProperty',
  'Get-MpComputerStatus',
  'Get-ScheduledTask',
  'Select-Object',
  'Where-Object',
  'New-ScheduledTaskAction',
  'New-ScheduledTaskSettingsSet',
  'New-ScheduledTaskPrincipal',
  'New-ScheduledTaskTrigger',
  'New-TimeSpan',
  'Register-ScheduledTask',
]);

let parser: Parser;

before(async () => {
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');
  parser = new Parser();
  parser.setLanguage(await Language.load(wasm));
});

function parse(script: string): Node {
  const tree = parser.parse(script);
  assert.ok(tree, 'parsed');
  return tree.rootNode;
}

/** Where the grammar gave up: the text of each ERROR or MISSING node. */
function errors(node: Node): string[] {
  if (!node.hasError) return [];
  if (node.isError || node.isMissing) return [`${node.type} at ${node.startPosition.row + 1}:${node.startPosition.column + 1}: ${node.text.slice(0, 60)}`];
  return node.children.flatMap((c) => (c ? errors(c) : []));
}

/** Names of the commands the script calls (cmdlets, and programs such as node or icacls). */
function commandNames(node: Node): string[] {
  return node.descendantsOfType('command_name').flatMap((n) => (n ? [n.text] : []));
}

const isCmdlet = (name: string) => /^[A-Z][a-z]+-[A-Za-z]+$/.test(name);

describe('the PowerShell the Windows agent runs', () => {
  const commands = { 'Defender status': DEFENDER_COMMAND, autostart: WINDOWS_AUTOSTART_COMMAND, 'installed software': REGISTRY_COMMAND };

  for (const [name, args] of Object.entries(commands)) {
    test(`${name}: no profile, no prompts, one script that parses and calls only Windows PowerShell 5.1 cmdlets`, () => {
      assert.deepEqual(args.slice(0, 3), ['-NoProfile', '-NonInteractive', '-Command']);
      assert.equal(args.length, 4);
      const root = parse(args[3]!);
      assert.deepEqual(errors(root), []);
      const called = commandNames(root);
      assert.ok(called.length > 0);
      for (const c of called) assert.ok(WINDOWS_POWERSHELL_5_CMDLETS.has(c), `${c} is not a Windows PowerShell 5.1 cmdlet the agent expects`);
      // Every result leaves as JSON, the only output the parsers read.
      assert.equal(called.at(-1), 'ConvertTo-Json');
    });
  }

  test('the grammar does catch a broken script (the check can fail)', () => {
    const broken = WINDOWS_AUTOSTART_COMMAND[3].replace("'Disabled'", "'Disabled");
    assert.notDeepEqual(errors(parse(broken)), []);
    assert.notDeepEqual(errors(parse('$x = @{ a = 1; b = (2')), []);
  });

  test('the PowerShell blocks of docs/agent.md (Windows install) parse, with known cmdlets only', () => {
    const doc = readFileSync(new URL('../../../../docs/agent.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```powershell\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length >= 2, 'the Windows section has its scripts');
    for (const block of blocks) {
      const root = parse(block);
      assert.deepEqual(errors(root), [], block.slice(0, 80));
      for (const c of commandNames(root).filter(isCmdlet)) assert.ok(WINDOWS_POWERSHELL_5_CMDLETS.has(c), `docs/agent.md calls ${c}`);
    }
  });
});
