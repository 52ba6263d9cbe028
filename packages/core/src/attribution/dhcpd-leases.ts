import { normalizeIp, normalizeMac } from '../org/address.js';
import { LeaseJournal, type LeaseBinding, type LeaseParseResult, type LeaseProblem } from './lease-binding.js';
import { isoUtc, utcInstant } from './lease-time.js';

/**
 * ISC dhcpd `dhcpd.leases` (dhcpd.leases(5)): a free-form journal in dhcpd.conf syntax.
 *
 *     lease 10.0.10.72 {
 *       starts 1 2015/07/06 07:50:42;      # weekday yyyy/mm/dd hh:mm:ss, always UTC
 *       ends epoch 1436169642; # …         # `db-time-format local` form; or `never`
 *       binding state active;
 *       hardware ethernet 64:5a:04:6a:07:a2;
 *       uid "\001dZ\004j\007\242";
 *       client-hostname "Satellite-C700";
 *     }
 *
 * Every `lease` block becomes at most one binding, merged per IP by {@link LeaseJournal}.
 * DHCPv6 `ia-na`/`ia-ta`/`ia-pd` blocks name a DUID, never a MAC, so they are skipped with a reason.
 */
export function parseDhcpdLeases(text: string): LeaseParseResult {
  const malformed: LeaseProblem[] = [];
  const skipped: LeaseProblem[] = [];
  const journal = new LeaseJournal();
  const statements = parseStatements(tokenize(text, malformed), malformed);

  for (const st of statements) {
    const head = st.words[0]?.text.toLowerCase();
    if (head === 'lease') {
      const binding = readLease(st, malformed, skipped);
      if (binding) journal.record(binding);
    } else if (head === 'ia-na' || head === 'ia-ta' || head === 'ia-pd') {
      skipped.push({ line: st.line, code: 'ipv6_identity_association', detail: `${head} block: DHCPv6, keyed by DUID, no MAC` });
      if (!st.closed) malformed.push({ line: st.line, code: 'unclosed_block', detail: `${head} block has no closing "}"` });
    } else if (st.block && !st.closed) {
      malformed.push({ line: st.line, code: 'unclosed_block', detail: `${head ?? 'block'} has no closing "}"` });
    }
    // server-duid, authoring-byte-order, failover state…: nothing about bindings.
  }
  return { format: 'dhcpd', bindings: journal.bindings(), malformed, skipped };
}

interface Token {
  kind: 'word' | 'string' | '{' | '}' | ';';
  text: string;
  line: number;
}

interface Statement {
  words: Token[];
  line: number;
  /** Present when the statement opens a `{ … }` block. */
  block?: Statement[];
  /** False when the file ended inside the block (a truncated copy). */
  closed: boolean;
}

function tokenize(text: string, malformed: LeaseProblem[]): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '{' || c === '}' || c === ';') {
      tokens.push({ kind: c, text: c, line });
      i++;
    } else if (c === '"') {
      const start = line;
      let raw = '';
      i++;
      let done = false;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '\\' && i + 1 < text.length && text[i + 1] !== '\n') {
          raw += d + text[i + 1];
          i += 2;
        } else if (d === '"') {
          i++;
          done = true;
          break;
        } else if (d === '\n') {
          break;
        } else {
          raw += d;
          i++;
        }
      }
      if (!done) malformed.push({ line: start, code: 'unterminated_string', detail: 'string not closed on its line' });
      tokens.push({ kind: 'string', text: raw, line: start });
    } else {
      let word = '';
      while (i < text.length && !/[\s{};"#]/.test(text[i]!)) word += text[i++];
      tokens.push({ kind: 'word', text: word, line });
    }
  }
  return tokens;
}

function parseStatements(tokens: Token[], malformed: LeaseProblem[]): Statement[] {
  let pos = 0;
  const readList = (nested: boolean): { list: Statement[]; closed: boolean } => {
    const list: Statement[] = [];
    let words: Token[] = [];
    while (pos < tokens.length) {
      const tok = tokens[pos++]!;
      if (tok.kind === ';') {
        if (words.length) list.push({ words, line: words[0]!.line, closed: true });
        words = [];
      } else if (tok.kind === '{') {
        const line = words[0]?.line ?? tok.line;
        const inner = readList(true);
        list.push({ words, line, block: inner.list, closed: inner.closed });
        words = [];
        if (!inner.closed) return { list, closed: false };
      } else if (tok.kind === '}') {
        if (words.length) list.push({ words, line: words[0]!.line, closed: false });
        if (nested) return { list, closed: true };
        malformed.push({ line: tok.line, code: 'unexpected_token', detail: 'stray "}"' });
        words = [];
      } else {
        words.push(tok);
      }
    }
    if (words.length) list.push({ words, line: words[0]!.line, closed: false });
    return { list, closed: !nested };
  };
  return readList(false).list;
}

/** `2 2013/12/10 12:57:04` (UTC), `epoch 1507216949`, or `never` (null). Undefined when unreadable. */
function readDhcpdTime(words: Token[]): number | null | undefined {
  const [a, b, c] = words.map((w) => w.text);
  if (a === 'never' && words.length === 1) return null;
  if (a === 'epoch' && b && /^\d+$/.test(b) && words.length === 2) return Number(b) * 1000;
  if (!a || !b || !c || words.length !== 3 || !/^[0-6]$/.test(a)) return undefined;
  const d = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(b);
  const t = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(c);
  if (!d || !t) return undefined;
  return utcInstant({
    year: Number(d[1]),
    month: Number(d[2]),
    day: Number(d[3]),
    hour: Number(t[1]),
    minute: Number(t[2]),
    second: Number(t[3]),
  });
}

/** dhcpd strings escape non-printable bytes as `\ooo` octal; other escapes stand for the next character. */
function unescapeBytes(raw: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && /^[0-7]{3}$/.test(raw.slice(i + 1, i + 4))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (c === '\\' && i + 1 < raw.length) {
      bytes.push(...new TextEncoder().encode(raw[++i]!));
    } else {
      bytes.push(...new TextEncoder().encode(c));
    }
  }
  return bytes;
}

/** A client identifier of hardware type 1 (Ethernet) is `\001` followed by the 6-byte MAC. */
function macFromUid(raw: string): string | undefined {
  const bytes = unescapeBytes(raw);
  if (bytes.length !== 7 || bytes[0] !== 1) return undefined;
  return bytes
    .slice(1)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(':');
}

function readLease(st: Statement, malformed: LeaseProblem[], skipped: LeaseProblem[]): LeaseBinding | undefined {
  const ipText = st.words[1]?.text ?? '';
  const ip = normalizeIp(ipText);
  if (!st.block) {
    malformed.push({ line: st.line, code: 'unexpected_token', detail: `lease ${ipText} without a "{ … }" block` });
    return undefined;
  }
  if (!st.closed) {
    malformed.push({ line: st.line, code: 'unclosed_block', detail: `lease ${ipText} has no closing "}"` });
    return undefined;
  }
  if (!ip || st.words.length !== 2) {
    malformed.push({ line: st.line, code: 'bad_ip', detail: `lease address "${ipText}" is not an IP address` });
    return undefined;
  }

  const times = new Map<string, number | null>();
  let mac: string | undefined;
  let uidMac: string | undefined;
  let hostname: string | undefined;
  let state: string | undefined;
  for (const inner of st.block) {
    const words = inner.words;
    const key = words[0]?.text.toLowerCase();
    if (!key) continue;
    if (['starts', 'ends', 'cltt', 'tstp', 'tsfp', 'atsfp'].includes(key)) {
      const at = readDhcpdTime(words.slice(1));
      if (at === undefined) {
        const shown = words
          .slice(1)
          .map((w) => w.text)
          .join(' ');
        malformed.push({ line: inner.line, code: 'bad_time', detail: `lease ${ip}: ${key} "${shown}" is not a dhcpd time` });
        return undefined;
      }
      times.set(key, at);
    } else if (key === 'hardware' && words.length === 3) {
      const m = normalizeMac(words[2]!.text);
      if (!m) {
        malformed.push({ line: inner.line, code: 'bad_mac', detail: `lease ${ip}: hardware address "${words[2]!.text}"` });
        return undefined;
      }
      // Only Ethernet hardware maps onto a MAC; token-ring/FDDI leases do not occur on a campus.
      if (words[1]!.text.toLowerCase() === 'ethernet') mac = m;
    } else if (key === 'uid' && words[1]?.kind === 'string') {
      uidMac = macFromUid(words[1].text);
    } else if (key === 'client-hostname' && words[1]?.kind === 'string') {
      hostname = new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(unescapeBytes(words[1].text)));
    } else if (key === 'binding' && words[1]?.text === 'state') {
      state = words[2]?.text;
    }
  }

  // cltt (client's last transaction) stands in for a missing starts: it is when the client was last seen on the IP.
  const start = times.get('starts') ?? times.get('cltt');
  if (start === undefined || start === null) {
    malformed.push({ line: st.line, code: 'missing_start', detail: `lease ${ip}: no starts or cltt` });
    return undefined;
  }
  const macFound = mac ?? uidMac;
  if (!macFound) {
    skipped.push({ line: st.line, code: 'no_mac', detail: `lease ${ip} (${state ?? 'no state'}): no hardware ethernet or Ethernet uid` });
    return undefined;
  }
  const ends = times.get('ends');
  if (typeof ends === 'number' && ends < start) {
    malformed.push({ line: st.line, code: 'end_before_start', detail: `lease ${ip}: ends before it starts` });
    return undefined;
  }
  return {
    ip,
    mac: macFound,
    start: isoUtc(start),
    end: typeof ends === 'number' ? isoUtc(ends) : null,
    ...(hostname ? { hostname } : {}),
    source: 'dhcp',
  };
}
