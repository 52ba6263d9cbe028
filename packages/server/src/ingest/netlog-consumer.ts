import { createLineParser, detectNetlogFormat, netlogFormatOfApp, parseSyslogFrame, type LineParser, type NetEvent, type NetlogFormat } from '@qingling/core';
import type { SignalWriter } from '../signals/signal-writer.js';
import type { NetlogBatch } from './netlog-queue.js';
import type { IngestMetrics } from './ingest-metrics.js';

/**
 * Drains one batch: parses each line with the parser for its format (syslog frames by the
 * program that sent them), counts malformed lines, and hands the events to the signal writer.
 */
export function netlogConsumer(writer: SignalWriter, metrics: IngestMetrics) {
  return async (batch: NetlogBatch): Promise<void> => {
    const referenceTime = batch.receivedAt;
    const parsers = new Map<NetlogFormat, LineParser>();
    const parserFor = (f: NetlogFormat) => {
      let p = parsers.get(f);
      if (!p) parsers.set(f, (p = createLineParser(f, { referenceTime })));
      return p;
    };
    const byFormat = new Map<string, NetEvent[]>();
    let malformed = 0;
    let unknown = 0;
    const batchFormat = batch.format ?? (batch.via === 'http' ? detectNetlogFormat(batch.lines.slice(0, 20)) : null);
    for (const raw of batch.lines) {
      let line = raw;
      let format = batchFormat;
      if (batch.via === 'syslog') {
        const m = parseSyslogFrame(raw);
        if (!m) continue;
        line = m.line;
        format = batch.format ?? netlogFormatOfApp(m.app) ?? detectNetlogFormat([m.line]);
      }
      if (!format) {
        unknown++;
        continue;
      }
      const v = parserFor(format).parse(line);
      if (v === 'skip') continue;
      if (v === 'malformed') {
        malformed++;
        continue;
      }
      let list = byFormat.get(format);
      if (!list) byFormat.set(format, (list = []));
      list.push(v);
    }
    metrics.lines.inc({ via: batch.via }, batch.lines.length);
    if (malformed) metrics.malformed.inc({ via: batch.via }, malformed);
    if (unknown) metrics.unrecognised.inc({ via: batch.via }, unknown);
    for (const [format, events] of byFormat) {
      metrics.events.inc({ format }, events.length);
      const r = await writer.write(events, format);
      metrics.signals.inc({ format }, r.signals);
    }
  };
}
