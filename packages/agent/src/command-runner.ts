import { execFile } from 'node:child_process';

export interface CommandResult {
  /** Exit status; null when killed (timeout) or never started. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** The program is not installed (ENOENT): collectors skip quietly. */
  missing: boolean;
  timedOut: boolean;
}

/**
 * How collectors run host programs (nvidia-smi, squeue, dpkg-query, PowerShell). Tests pass a
 * runner that answers with captured outputs.
 */
export interface CommandRunner {
  run(program: string, args: readonly string[], options?: { timeoutMs?: number }): Promise<CommandResult>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** dpkg-query on a desktop lists a few MB; anything larger is not an answer we want. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** Runs programs for real, without a shell (arguments are never re-parsed). */
export function localCommandRunner(): CommandRunner {
  return {
    run(program, args, options) {
      return new Promise((resolve) => {
        execFile(
          program,
          [...args],
          { timeout: options?.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, env: { ...process.env, LC_ALL: 'C' } },
          (err, stdout, stderr) => {
            const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: string | number }) | null;
            const missing = e?.code === 'ENOENT';
            const timedOut = Boolean(e?.killed);
            const code = !e ? 0 : typeof e.code === 'number' ? e.code : null;
            resolve({ code, stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), missing, timedOut });
          },
        );
      });
    },
  };
}

/** A runner that answers from a table of captured outputs (`program args…` → result); anything else is "not installed". */
export function capturedCommandRunner(outputs: Record<string, Partial<CommandResult>>): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async run(program, args) {
      const key = [program, ...args].join(' ');
      calls.push(key);
      const hit = outputs[key];
      if (!hit) return { code: null, stdout: '', stderr: '', missing: true, timedOut: false };
      return { code: 0, stdout: '', stderr: '', missing: false, timedOut: false, ...hit };
    },
  };
}
