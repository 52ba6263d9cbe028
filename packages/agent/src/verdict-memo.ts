import { judgeProcess, type HostVerdict, type ProcessRecord } from '@qingling/core';
import type { AgentRules } from './agent-rules.js';

/**
 * The service's verdicts of the last cycle, by the record each was judged on. Most processes live
 * for many cycles with the same facts (name, executable, command line, connections, CPU figure,
 * config file): they get last cycle's verdict instead of a new pass over the rules. Judging costs
 * ~85–200 µs a process in the agent's lite mode, the JSON key 2–3 µs (bench/agent/cycle.ts).
 * Records not seen for a whole cycle are dropped, so at most two cycles' worth is held.
 */
export class VerdictMemo {
  private previous = new Map<string, HostVerdict>();
  private current = new Map<string, HostVerdict>();
  private rules: AgentRules | undefined;

  judge(record: ProcessRecord, rules: AgentRules): HostVerdict {
    if (rules !== this.rules) {
      // Other rules, other verdicts.
      this.rules = rules;
      this.previous.clear();
      this.current.clear();
    }
    const key = JSON.stringify(record);
    const verdict = this.current.get(key) ?? this.previous.get(key) ?? judgeProcess(record, rules.ruleset, rules.indicators);
    this.current.set(key, verdict);
    return verdict;
  }

  /** Called when a cycle's verdicts are done: what this cycle did not see is forgotten. */
  endCycle(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  get size(): number {
    return this.previous.size + this.current.size;
  }
}
