import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { NetlogQueue } from './netlog-queue.js';
import type { IngestMetrics } from './ingest-metrics.js';

export interface SyslogReceiver {
  readonly udpPort: number;
  readonly tcpPort: number;
  close(): Promise<void>;
}

/** Largest TCP frame accepted; a longer one is a broken or hostile sender. */
const MAX_FRAME = 64 * 1024;
/** UDP datagrams are gathered this long into one batch, so the writer works in chunks. */
const BATCH_MS = 200;

/**
 * Receives DNS servers' query logs by syslog, on UDP and TCP at the same port: RFC 3164 or 5424,
 * TCP framed by new lines or by octet counting (RFC 6587). Frames go to the queue in batches.
 */
export async function startSyslogReceiver(options: { host: string; port: number; queue: NetlogQueue; metrics: IngestMetrics }): Promise<SyslogReceiver> {
  const { queue, metrics } = options;
  let pending: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    if (!queue.offer({ lines, format: null, via: 'syslog', receivedAt: Date.now() })) metrics.dropped.inc({ via: 'syslog' }, lines.length);
  };
  const add = (frame: string) => {
    pending.push(frame);
    if (pending.length >= 5000) flush();
    else timer ??= setTimeout(flush, BATCH_MS);
  };

  const udp: Socket = createSocket(options.host.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (msg) => add(msg.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(options.port, options.host, () => resolve());
  });

  const tcp: Server = createServer((socket) => {
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      for (;;) {
        const counted = /^(\d{1,6}) /.exec(buf);
        if (counted) {
          const len = Number(counted[1]);
          if (len > MAX_FRAME) return socket.destroy();
          const start = counted[0].length;
          if (buf.length < start + len) break;
          add(buf.slice(start, start + len));
          buf = buf.slice(start + len);
          continue;
        }
        const nl = buf.indexOf('\n');
        if (nl < 0) {
          if (buf.length > MAX_FRAME) socket.destroy();
          break;
        }
        const frame = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (frame.trim()) add(frame);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  // TCP on the port UDP got (they are separate namespaces; port 0 lets the OS pick for tests).
  const udpPort = udp.address().port;
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(udpPort, options.host, () => resolve());
  });

  return {
    udpPort,
    tcpPort: (tcp.address() as { port: number }).port,
    close: async () => {
      if (timer) clearTimeout(timer);
      flush();
      await new Promise<void>((r) => udp.close(() => r()));
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}
