import { Counter, Gauge, type Registry } from 'prom-client';
import type { NetlogQueue } from './netlog-queue.js';

export interface IngestMetrics {
  lines: Counter<'via'>;
  malformed: Counter<'via'>;
  unrecognised: Counter<'via'>;
  dropped: Counter<'via'>;
  events: Counter<'format'>;
  signals: Counter<'format'>;
}

/** Ingest counters on the app's registry: what /metrics shows about live log intake. */
export function ingestMetrics(registry: Registry, queue: () => NetlogQueue | undefined): IngestMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers: [registry] });
  new Gauge({
    name: 'qingling_ingest_queue_lines',
    help: 'Log lines received and waiting for the signal writer',
    registers: [registry],
    collect() {
      this.set(queue()?.depth ?? 0);
    },
  });
  return {
    lines: counter('qingling_ingest_lines_total', 'Log lines received, by receiver', ['via']),
    malformed: counter('qingling_ingest_malformed_lines_total', 'Received lines that did not parse, by receiver', ['via']),
    unrecognised: counter('qingling_ingest_unrecognised_lines_total', 'Received lines of no known log format, by receiver', ['via']),
    dropped: counter('qingling_ingest_dropped_lines_total', 'Lines refused because the queue was full, by receiver', ['via']),
    events: counter('qingling_ingest_events_total', 'DNS/flow/TLS/alert events parsed, by log format', ['format']),
    signals: counter('qingling_signals_written_total', 'Signal rows created or updated, by log format', ['format']),
  };
}
