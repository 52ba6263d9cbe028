import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AgentError } from './agent-error.js';
import { silentLog, type AgentLog } from './agent-log.js';

/** One spooled report: the gzip body exactly as it will be posted. */
export interface SpoolEntry {
  name: string;
  /** Order of arrival; reports are sent back in this order. */
  seq: number;
  id: string;
  findings: boolean;
  bytes: number;
}

export interface SpoolOptions {
  /** Bound on the spooled bytes (default 50 MB): coarse reports are dropped, oldest first, to stay under it. */
  maxBytes: number;
  log?: AgentLog;
  /** Wall clock in ms (age of stray temporary files). */
  now?: () => number;
}

/** `<seq>-<f|c>-<report id>.json.gz`: order, whether it holds findings, and the id are in the name, so listing needs no reads. */
const ENTRY = /^(\d{12})-([fc])-([A-Za-z0-9_-]{8,64})\.json\.gz$/;
const DEAD_LETTER = /^\d{13}-[fc]-[A-Za-z0-9_-]{8,64}\.json\.gz$/;
const TMP_PREFIX = '.tmp-';
/** A temporary file this old is a crash's leftover, not another process's write in progress. */
const STALE_TMP_MS = 10 * 60_000;
/** Rejected reports kept for a human to read; older ones are deleted. */
const DEAD_LETTERS_KEPT = 20;

/**
 * Reports the server could not take yet, on disk, one file per report, so they survive a restart
 * and go out in order once the server answers again. Each file is written to a temporary name,
 * fsynced, then renamed: a crash leaves either the whole report or a `.tmp-` file that is never
 * read (and deleted once stale). The total stays under a bound by dropping the oldest reports
 * without findings; reports with findings are never dropped, even over the bound — evidence of
 * mining is what the spool exists to keep.
 */
export class Spool {
  private readonly log: AgentLog;
  private readonly now: () => number;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
    opts: SpoolOptions,
  ) {
    this.log = opts.log ?? silentLog;
    this.now = opts.now ?? Date.now;
  }

  static open(dir: string, opts: SpoolOptions): Spool {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new AgentError('AGENT_SPOOL_UNWRITABLE', `${dir}: ${(err as Error).message}`);
    }
    const spool = new Spool(dir, opts.maxBytes, opts);
    spool.removeStaleTemporaries();
    return spool;
  }

  /** Spooled reports, oldest first. */
  list(): SpoolEntry[] {
    const entries: SpoolEntry[] = [];
    for (const name of readdirSync(this.dir)) {
      const m = ENTRY.exec(name);
      if (!m) continue;
      let bytes: number;
      try {
        bytes = statSync(join(this.dir, name)).size;
      } catch {
        continue; // sent and removed by a concurrent `run --once` meanwhile
      }
      entries.push({ name, seq: Number(m[1]), findings: m[2] === 'f', id: m[3]!, bytes });
    }
    return entries.sort((a, b) => a.seq - b.seq || (a.name < b.name ? -1 : 1));
  }

  /** Adds a report after the others, then drops coarse reports, oldest first, while over the bound. */
  put(id: string, body: Uint8Array, findings: boolean): { entry: SpoolEntry; dropped: SpoolEntry[] } {
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) throw new AgentError('AGENT_SPOOL_BAD_ID', `report id ${JSON.stringify(id)} cannot name a spool file`);
    const existing = this.list();
    const seq = (existing.at(-1)?.seq ?? 0) + 1;
    const name = `${String(seq).padStart(12, '0')}-${findings ? 'f' : 'c'}-${id}.json.gz`;
    this.writeAtomically(name, body);
    const entry: SpoolEntry = { name, seq, id, findings, bytes: body.byteLength };
    return { entry, dropped: this.enforceBound([...existing, entry]) };
  }

  read(entry: SpoolEntry): Buffer {
    return readFileSync(join(this.dir, entry.name));
  }

  /** After the server's 2xx. */
  remove(entry: SpoolEntry): void {
    rmSync(join(this.dir, entry.name), { force: true });
  }

  /**
   * A report the server refused as invalid (400, 409, 413): kept in `dead/` for a human, not
   * retried — resending the same bytes can never succeed and would block every report behind it.
   */
  deadLetter(entry: SpoolEntry | { id: string; body: Uint8Array; findings: boolean }): string {
    const deadDir = join(this.dir, 'dead');
    mkdirSync(deadDir, { recursive: true, mode: 0o700 });
    // Named by the time of rejection, so the oldest are pruned first.
    const name = `${String(this.now()).padStart(13, '0')}-${entry.findings ? 'f' : 'c'}-${entry.id}.json.gz`;
    if ('name' in entry) renameSync(join(this.dir, entry.name), join(deadDir, name));
    else this.writeAtomically(join('dead', name), entry.body);
    const dead = readdirSync(deadDir)
      .filter((n) => DEAD_LETTER.test(n))
      .sort();
    for (const old of dead.slice(0, Math.max(0, dead.length - DEAD_LETTERS_KEPT))) rmSync(join(deadDir, old), { force: true });
    return join(deadDir, name);
  }

  private enforceBound(entries: SpoolEntry[]): SpoolEntry[] {
    let total = entries.reduce((sum, e) => sum + e.bytes, 0);
    const dropped: SpoolEntry[] = [];
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      if (e.findings) continue;
      this.remove(e);
      total -= e.bytes;
      dropped.push(e);
    }
    if (dropped.length)
      this.log('warn', 'spool.dropped_coarse', { reports: dropped.length, bytes: dropped.reduce((s, e) => s + e.bytes, 0), max_bytes: this.maxBytes });
    if (total > this.maxBytes)
      this.log('warn', 'spool.over_bound_with_findings', { bytes: total, max_bytes: this.maxBytes, reports: entries.length - dropped.length });
    return dropped;
  }

  private writeAtomically(name: string, body: Uint8Array): void {
    const tmp = join(this.dir, `${TMP_PREFIX}${process.pid}-${name.replace(/\//g, '_')}`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, body);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, name));
  }

  private removeStaleTemporaries(): void {
    for (const name of readdirSync(this.dir)) {
      if (!name.startsWith(TMP_PREFIX)) continue;
      try {
        if (this.now() - statSync(join(this.dir, name)).mtimeMs > STALE_TMP_MS) rmSync(join(this.dir, name), { force: true });
      } catch {
        // already gone
      }
    }
  }
}
