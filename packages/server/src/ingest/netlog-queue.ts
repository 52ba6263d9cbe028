import type { NetlogFormat } from '@qingling/core';

/** Lines received together from one sender: a syslog datagram burst, or one HTTP bulk request. */
export interface NetlogBatch {
  lines: string[];
  /** Known format, or null: detect from the lines (syslog: from the sending program). */
  format: NetlogFormat | null;
  via: 'http' | 'syslog';
  receivedAt: number;
}

/**
 * The seam between receivers and the signal writer. On one machine it is this in-process queue;
 * at scale the same interface fronts a broker (NATS JetStream, Kafka) with receivers and writers
 * on different machines.
 */
export interface NetlogQueue {
  /** False when full: the receiver answers 503 / drops, and counts it. */
  offer(batch: NetlogBatch): boolean;
  readonly depth: number;
  /** Resolves once everything offered so far has been consumed. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** Bounded by lines held; one consumer at a time, in arrival order. */
export class InProcessNetlogQueue implements NetlogQueue {
  private readonly batches: NetlogBatch[] = [];
  private held = 0;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly consume: (batch: NetlogBatch) => Promise<void>,
    private readonly maxLines = 200_000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  get depth(): number {
    return this.held;
  }

  offer(batch: NetlogBatch): boolean {
    if (this.closed || this.held + batch.lines.length > this.maxLines) return false;
    this.batches.push(batch);
    this.held += batch.lines.length;
    this.running ??= this.run();
    return true;
  }

  private async run(): Promise<void> {
    try {
      for (let b = this.batches.shift(); b; b = this.batches.shift()) {
        try {
          await this.consume(b);
        } catch (err) {
          this.onError(err);
        } finally {
          this.held -= b.lines.length;
        }
      }
    } finally {
      this.running = null;
    }
  }

  async drained(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drained();
  }
}
