import type { NatParseOptions } from './conntrack-log.js';
import { AddressTexts, type NatLineProblemCode, type NatLogFormat, type NatLogParser, type NatSession, type NatSessionSink } from './nat-session.js';

type Open = { session: NatSession; lastSeen: number };

/**
 * Folds per-event NAT records (created / still active / closed) into sessions, keyed by the full
 * translation tuple. Shared by the conntrack and firewall session-log parsers.
 */
export class SessionAssembler {
  private readonly open = new Map<string, Open>();

  constructor(private readonly sink: NatSessionSink) {}

  /** A session was created at `session.start`. */
  created(key: string, session: NatSession): void {
    const held = this.open.get(key);
    if (held) {
      // A second create for a tuple still open: its close was lost (netlink overrun, UDP syslog), so it ended by its last sighting.
      held.session.end = held.lastSeen;
      this.sink.session(held.session);
    }
    this.open.set(key, { session, lastSeen: session.start });
  }

  /** Seen alive at `time`; opened from `make` (which says what it knows of the start) when not yet open. */
  active(key: string, time: number, make: () => NatSession): void {
    const held = this.open.get(key);
    if (held) {
      held.lastSeen = time;
      return;
    }
    this.open.set(key, { session: { ...make(), end: null }, lastSeen: time });
  }

  /** Closed at `end`; `start` when the record says it (DESTROY delta-time, teardown BeginTime). */
  closed(key: string, end: number, make: () => NatSession): void {
    const held = this.open.get(key);
    if (held) {
      this.open.delete(key);
      held.session.end = end;
      this.sink.session(held.session);
      return;
    }
    this.sink.session({ ...make(), end });
  }

  /** End of input: whatever is still open is handed over open-ended. */
  finish(): void {
    for (const { session } of this.open.values()) this.sink.session(session);
    this.open.clear();
  }
}

/**
 * What the event-log parsers (conntrack, firewall session logs) share: the file being read, the
 * session assembler their events feed, interned address texts, and how a bad line is reported.
 * Each parser supplies `feed`.
 */
export abstract class SessionEventLogParser implements NatLogParser {
  abstract readonly format: NatLogFormat;
  protected readonly sessions: SessionAssembler;
  protected readonly texts = new AddressTexts();
  protected file = '';

  constructor(
    protected readonly sink: NatSessionSink,
    protected readonly options: NatParseOptions = {},
  ) {
    this.sessions = new SessionAssembler(sink);
  }

  beginFile(file: string): void {
    this.file = file;
  }

  abstract feed(line: string, lineNo: number): void;

  finish(): void {
    this.sessions.finish();
  }

  protected bad(line: number, code: NatLineProblemCode, detail: string): void {
    this.sink.malformed({ file: this.file, line, code, detail });
  }
}
