/**
 * One structured line per event on stderr (journald and Task Scheduler keep it; `jq` reads it):
 * `{"time","level","event",…facts}`. Events are stable codes, not sentences, so they can be counted.
 */
export type AgentLog = (level: 'info' | 'warn' | 'error', event: string, facts?: Record<string, unknown>) => void;

export function jsonLineLog(write: (line: string) => void = (l) => process.stderr.write(l), now: () => Date = () => new Date()): AgentLog {
  return (level, event, facts = {}) => write(JSON.stringify({ time: now().toISOString(), level, event, ...facts }) + '\n');
}

export const silentLog: AgentLog = () => {};
