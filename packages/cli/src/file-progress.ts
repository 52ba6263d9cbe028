import { SingleBar } from 'cli-progress';

/** Files above this size get a progress bar on stderr. */
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

/**
 * A per-file progress bar in MB on stderr for commands that read large log files, shown only when
 * stderr is a terminal and the output is not JSON. `onProgress` fits the readers' callback; call
 * `stop()` once reading is over.
 */
export function fileProgress(enabled: boolean): { onProgress: (file: string, read: number, size: number) => void; stop: () => void } {
  const bar = enabled && process.stderr.isTTY ? new SingleBar({ format: '{file} [{bar}] {percentage}% {value}/{total} MB', stream: process.stderr }) : null;
  let current = '';
  const mb = (n: number) => Math.round(n / 1048576);
  return {
    onProgress: (file, read, size) => {
      if (!bar || size < PROGRESS_MIN_BYTES) return;
      if (file !== current) {
        if (current) bar.stop();
        bar.start(mb(size), 0, { file });
        current = file;
      }
      bar.update(mb(read), { file });
    },
    stop: () => {
      if (current) bar?.stop();
    },
  };
}
