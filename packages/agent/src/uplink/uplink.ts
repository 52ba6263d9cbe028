import { gzipSync } from 'node:zlib';
import { silentLog, type AgentLog } from './agent-log.js';
import { errorCodeOf, nodeHttpPost, type HttpAnswer, type HttpPost } from './http-post.js';
import { AGENT_VERSION, hasFindings, type ReportEnvelope } from './report-envelope.js';
import type { Spool } from './spool.js';

/** What one POST of a report came to. */
export type PostOutcome =
  | { kind: 'delivered'; status: number; stored: boolean }
  /** The server will never take these bytes (invalid, too large, another host's credential): dead-letter them. */
  | { kind: 'rejected'; status: number; code: string }
  /** Unreachable, timed out, overloaded, or a credential problem a human will fix: keep the report and retry later. */
  | { kind: 'retry'; status: number | null; code: string };

/** 400 invalid, 409 another host's credential, 413 too large, 415/422: the same bytes fail forever. */
const REJECTED = new Set([400, 409, 413, 415, 422]);

export function classifyStatus(status: number): PostOutcome['kind'] {
  if (status >= 200 && status < 300) return 'delivered';
  // 401/403 (revoked or mistyped credential) and 404 (wrong URL, older server) keep the reports:
  // once a human fixes the config they go out, in order.
  return REJECTED.has(status) ? 'rejected' : 'retry';
}

/**
 * Delay before retry number `attempt` (0-based): exponential from `baseMs`, capped at `capMs`
 * (five minutes), with jitter over the upper half so thousands of agents cut off by the same
 * outage do not all come back in the same second.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random, baseMs = 5_000, capMs = 300_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `<server>/api/v1/agents/reports`, keeping a path prefix when the server sits under one (`https://it.example.edu/qingling/`). */
export function apiUrl(server: string, path: string): URL {
  return new URL(path.replace(/^\//, ''), server.endsWith('/') ? server : `${server}/`);
}

export interface UplinkTarget {
  server: string;
  credential: string;
}

export interface UplinkOptions {
  post?: HttpPost;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  now?: () => number;
  random?: () => number;
  log?: AgentLog;
}

function errorCode(answer: HttpAnswer): string {
  try {
    const body = JSON.parse(answer.body) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : `http.${answer.status}`;
  } catch {
    return `http.${answer.status}`;
  }
}

/** Used when no `post` is given: one keep-alive transport per process. */
let sharedPost: HttpPost | null = null;

/** One authenticated, compressed POST of a report body (gzip of the envelope JSON). */
export async function postReport(target: UplinkTarget, body: Uint8Array, opts: Pick<UplinkOptions, 'post' | 'timeoutMs'> = {}): Promise<PostOutcome> {
  const post = opts.post ?? (sharedPost ??= nodeHttpPost());
  let answer: HttpAnswer;
  try {
    answer = await post(
      apiUrl(target.server, '/api/v1/agents/reports'),
      {
        authorization: `Bearer ${target.credential}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'user-agent': `qingling-agent/${AGENT_VERSION}`,
      },
      body,
      opts.timeoutMs ?? 30_000,
    );
  } catch (err) {
    return { kind: 'retry', status: null, code: errorCodeOf(err) };
  }
  const kind = classifyStatus(answer.status);
  if (kind === 'delivered') {
    let stored = false;
    try {
      stored = (JSON.parse(answer.body) as { stored?: unknown }).stored === true;
    } catch {
      // a 2xx is a delivery whatever its body says
    }
    return { kind, status: answer.status, stored };
  }
  return { kind, status: answer.status, code: errorCode(answer) };
}

/** What one hand-over to the uplink did. */
export interface DeliveryResult {
  /** Reports the server answered 2xx for (this one and spooled ones). */
  sent: number;
  /** Of those, how many the server had seen already (a resend after a lost answer). */
  duplicates: number;
  spooled: number;
  rejected: number;
  /** Coarse reports dropped to keep the spool under its bound. */
  dropped: number;
  /** Reports left in the spool. */
  pending: number;
  /** When the next attempt is due after a failure (ISO time), else null. */
  retryAt: string | null;
}

/**
 * The agent's way to the server. A report goes straight out when nothing is waiting; otherwise
 * (or when the send fails) it joins the spool, and the spool is sent oldest first, each file
 * deleted only after the server's 2xx. Failures back off exponentially; the server stores each
 * report id once, so a report resent after a lost answer does no harm.
 */
export class Uplink {
  private failures = 0;
  private nextAttemptAt = 0;
  private readonly now: () => number;
  private readonly log: AgentLog;

  constructor(
    private readonly target: UplinkTarget,
    readonly spool: Spool,
    private readonly opts: UplinkOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? silentLog;
  }

  /** Sends (or spools) one report, then whatever the spool holds if the server is due another try. `stop` ends a long drain early (shutdown). */
  async deliver(envelope: ReportEnvelope, stop?: AbortSignal): Promise<DeliveryResult> {
    const body = gzipSync(JSON.stringify(envelope));
    const findings = hasFindings(envelope.scan);
    const result: DeliveryResult = { sent: 0, duplicates: 0, spooled: 0, rejected: 0, dropped: 0, pending: 0, retryAt: null };
    if (this.due() && this.spool.list().length === 0) {
      const out = await this.post(body, envelope.id);
      if (out.kind === 'delivered') {
        result.sent = 1;
        result.duplicates = out.stored ? 0 : 1;
        return result;
      }
      if (out.kind === 'rejected') {
        this.spool.deadLetter({ id: envelope.id, body, findings });
        result.rejected = 1;
        return result;
      }
    }
    const { dropped } = this.spool.put(envelope.id, body, findings);
    result.spooled = 1;
    result.dropped = dropped.length;
    if (this.due()) {
      const d = await this.drain(stop);
      result.sent += d.sent;
      result.duplicates += d.duplicates;
      result.rejected += d.rejected;
    }
    result.pending = this.spool.list().length;
    result.retryAt = this.due() ? null : new Date(this.nextAttemptAt).toISOString();
    return result;
  }

  /** Sends spooled reports oldest first until the spool is empty, a send fails, or `stop` fires. */
  async drain(stop?: AbortSignal): Promise<Pick<DeliveryResult, 'sent' | 'duplicates' | 'rejected'>> {
    const r = { sent: 0, duplicates: 0, rejected: 0 };
    for (const entry of this.spool.list()) {
      if (stop?.aborted || !this.due()) break;
      let body: Buffer;
      try {
        body = this.spool.read(entry);
      } catch {
        continue; // sent by a concurrent `run --once` meanwhile
      }
      const out = await this.post(body, entry.id);
      if (out.kind === 'delivered') {
        this.spool.remove(entry);
        r.sent++;
        if (!out.stored) r.duplicates++;
      } else if (out.kind === 'rejected') {
        this.spool.deadLetter(entry);
        r.rejected++;
      } else break;
    }
    return r;
  }

  /** Whether the backoff after the last failure has passed. */
  due(): boolean {
    return this.now() >= this.nextAttemptAt;
  }

  private async post(body: Uint8Array, id: string): Promise<PostOutcome> {
    const out = await postReport(this.target, body, this.opts);
    if (out.kind === 'delivered') {
      if (this.failures) this.log('info', 'uplink.recovered', { after_failures: this.failures });
      this.failures = 0;
      this.nextAttemptAt = 0;
    } else if (out.kind === 'retry') {
      const delay = retryDelayMs(this.failures, this.opts.random);
      this.failures++;
      this.nextAttemptAt = this.now() + delay;
      // A credential problem needs a human; say so louder than an outage.
      const level = out.status === 401 || out.status === 403 ? 'error' : 'warn';
      this.log(level, 'uplink.retry', { id, status: out.status, code: out.code, failures: this.failures, retry_in_ms: delay });
    } else if (out.kind === 'rejected') {
      this.log('error', 'uplink.rejected', { id, status: out.status, code: out.code, dead_letter: `${this.spool.dir}/dead` });
    }
    return out;
  }
}
