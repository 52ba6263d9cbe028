import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A fixture host tree for collector tests: host paths (`/proc/7/stat`) written under a temp
 * folder, symbolic links as `{ link: target }` (dangling targets such as `socket:[123]` included).
 * Read it back with `localHostFs(root)`.
 */
export type HostTree = Record<string, string | { link: string }>;

export function writeHostTree(tree: HostTree, root = mkdtempSync(join(tmpdir(), 'qingling-host-'))): string {
  for (const [path, content] of Object.entries(tree)) {
    const at = join(root, path);
    mkdirSync(dirname(at), { recursive: true });
    rmSync(at, { force: true });
    if (typeof content === 'string') writeFileSync(at, content);
    else symlinkSync(content.link, at);
  }
  return root;
}

export function removeHostTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
