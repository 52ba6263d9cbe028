import ipaddr from 'ipaddr.js';
import type { ProcessRecord } from './process-record.js';
import type { HostFactField } from './host-rule.js';

/**
 * Turns a process record into the facts rules test: normalised image names, argv tokens, options,
 * the pool endpoints / logins / algorithms that miner flags carry, commands a shell script runs,
 * URLs, base64 arguments decoded, connection and config facts. Which flags mean "pool", "login"…
 * comes from the rule files' vocabulary lists, not from code.
 */

export interface HostVocabulary {
  poolFlags: ReadonlySet<string>;
  loginFlags: ReadonlySet<string>;
  walletFlags: ReadonlySet<string>;
  algoFlags: ReadonlySet<string>;
  coinFlags: ReadonlySet<string>;
  configFlags: ReadonlySet<string>;
  /** URL schemes that name a mining pool wherever they appear (stratum+tcp, stratums…). */
  poolSchemes: ReadonlySet<string>;
  /** Further schemes accepted only after a pool flag (PhoenixMiner -pool ssl://…). */
  poolFlagSchemes: ReadonlySet<string>;
  shells: ReadonlySet<string>;
  commandPrefixes: ReadonlySet<string>;
}

export type FactValue = string | number | boolean | readonly string[] | undefined;
export type ProcessFacts = Readonly<Record<HostFactField, FactValue>>;

export interface PoolEndpoint {
  scheme: string | null;
  login: string | null;
  host: string;
  port: number;
}

/** Lower-cased basename without brackets, `(deleted)` or `.exe`: `C:\x\XMRig.exe` -> `xmrig`. */
export function imageName(s: string): string {
  let v = s.trim().replace(/ \(deleted\)$/, '');
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
  const slash = Math.max(v.lastIndexOf('/'), v.lastIndexOf('\\'));
  // Kernel thread names carry slashes (kworker/3:1): only strip a directory when one exists.
  if (slash >= 0 && /^(?:[a-z]:)?[\\/.~]/i.test(v)) v = v.slice(slash + 1);
  return v.toLowerCase().replace(/\.exe$/, '');
}

/** Splits a command line like a shell would for quoting, keeping Windows backslashes literal. */
export function tokenizeCommandLine(cmdline: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  let inToken = false;
  for (const ch of cmdline) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) out.push(cur);
      cur = '';
      inToken = false;
    } else {
      cur += ch;
      inToken = true;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

interface Option {
  name: string;
  value: string | null;
}

/** `--a=b`, `--a b`, `-a b`, `-pool b` (single-dash long options are common in GPU miners). */
export function parseCommandOptions(tokens: readonly string[]): Option[] {
  const out: Option[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!/^--?[A-Za-z]/.test(t)) continue;
    const eq = t.indexOf('=');
    if (eq > 0) {
      out.push({ name: t.slice(0, eq), value: t.slice(eq + 1) });
      continue;
    }
    const next = tokens[i + 1];
    const value = next !== undefined && !/^--?[A-Za-z]/.test(next) ? next : null;
    out.push({ name: t, value });
  }
  return out;
}

/** A dotted-quad IPv4 or an IPv6 address (optionally in brackets); ipaddr.js alone also takes "3333". */
export function isIpAddress(text: string): boolean {
  const bare = text.replace(/^\[|\]$/g, '');
  return ipaddr.IPv4.isValidFourPartDecimal(bare) || (bare.includes(':') && ipaddr.IPv6.isValid(bare));
}

const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9])?)$/i;
const BIND_ANY = new Set(['0.0.0.0', '[::]', '::']);

/**
 * Reads `host:port`, `scheme://[login@]host:port[/…]` or Rigel's `[i]scheme://…`. Returns null for
 * anything else, for schemes not in `schemes` (kubectl --server https://…, mqtts://) and for
 * bind-any addresses (a listener, not a pool).
 */
export function parsePoolEndpoint(value: string, schemes: ReadonlySet<string>): PoolEndpoint | null {
  const v = value.trim().replace(/^\[[a-z0-9]{1,3}\]/i, '');
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:([^@/\s]*)@)?(\[[0-9a-f:.]+\]|[^:/\s@]+):(\d{1,5})(?:[/?#].*)?$/i.exec(v);
  if (!m) return null;
  const scheme = m[1]?.toLowerCase() ?? null;
  if (scheme && !schemes.has(scheme)) return null;
  const host = m[3]!.toLowerCase();
  const port = Number(m[4]);
  if (!HOST.test(host) || port < 1 || port > 65535 || BIND_ANY.has(host)) return null;
  // A name needs a dot (pool.example.com) or be localhost/an IP; "3333:3333" is a port mapping.
  const isIp = isIpAddress(host);
  if (!isIp && host !== 'localhost' && !(host.includes('.') && /[a-z]/.test(host))) return null;
  return { scheme, login: m[2] ? m[2] : null, host, port };
}

/** The wallet part of a pool login: `WALLET.worker`, `WALLET/worker`, `WALLET+diff`, `WALLET:pass`. */
function loginWallet(login: string): string {
  return login.split(/[.:/+]/)[0] ?? login;
}

const BASE64_TOKEN = /^[A-Za-z0-9+/]{20,}={0,2}$/;

/** Decodes base64 arguments that turn out to be text (plain or UTF-16LE as PowerShell -enc uses). */
export function decodeBase64Arguments(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (!BASE64_TOKEN.test(t) || /^[0-9a-f]+$/i.test(t)) continue;
    let bin: string;
    try {
      const body = t.replace(/=+$/, '');
      bin = atob(body + '='.repeat((4 - (body.length % 4)) % 4));
    } catch {
      continue;
    }
    const text = bin.replace(/\0/g, '');
    const printable = text.replace(/[^\x20-\x7e\t\r\n]/g, '').length;
    if (text.length >= 8 && printable / text.length >= 0.95) out.push(text);
  }
  return out;
}

/** Command names a shell script (`sh -c …`, `cmd /c …`, `nohup …`) runs, in command position. */
function scriptCommands(tokens: readonly string[], vocab: HostVocabulary): string[] {
  const argv0 = tokens[0] === undefined ? '' : imageName(tokens[0]);
  let rest: readonly string[];
  if (vocab.shells.has(argv0)) {
    const at = tokens.findIndex((t, i) => i > 0 && /^(?:-c|\/c|\/k|-command|-c[a-z]*)$/i.test(t));
    if (at < 0) return [];
    rest = tokens.slice(at + 1);
  } else if (vocab.commandPrefixes.has(argv0)) {
    rest = tokens.slice(1);
  } else {
    return [];
  }
  const out = new Set<string>();
  const script = rest.join(' ').replace(/[;&|()`\n]|\$\(/g, '\n');
  for (const segment of script.split('\n')) {
    const words = tokenizeCommandLine(segment);
    let command: string | undefined;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const bare = imageName(w);
      const isOption = /^[-/]/.test(w) && !w.includes('/', 1);
      if (w === '' || vocab.commandPrefixes.has(bare) || isOption) continue;
      if (/^\d+[smhd]?$/.test(w) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) continue;
      command = bare;
      break;
    }
    if (command) out.add(command);
  }
  return [...out];
}

function configKeys(config: NonNullable<ProcessRecord['config']>): string[] {
  const keys = new Set<string>((config.keys ?? []).map((k) => k.toLowerCase()));
  const text = config.text?.trim();
  if (text) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const walk = (v: unknown, prefix: string): void => {
      if (Array.isArray(v)) for (const e of v) walk(e, prefix);
      else if (v && typeof v === 'object')
        for (const [k, child] of Object.entries(v)) {
          const key = k.toLowerCase();
          keys.add(key);
          keys.add(prefix + key);
          walk(child, `${prefix}${key}.`);
        }
    };
    if (json !== undefined) walk(json, '');
    else
      for (const line of text.split(/\r?\n/)) {
        // INI (nanominer config.ini) and key=value / key: value files (xmr-stak config.txt).
        const section = /^\s*\[([^\]]+)\]\s*$/.exec(line);
        if (section) keys.add(section[1]!.toLowerCase());
        const kv = /^\s*"?([A-Za-z0-9_.-]+)"?\s*[=:]/.exec(line);
        if (kv) keys.add(kv[1]!.toLowerCase());
      }
  }
  return [...keys];
}

function isPublicIp(ip: string): boolean {
  if (!isIpAddress(ip)) return false;
  const range = ipaddr.process(ip).range();
  return range === 'unicast';
}

const URL_PATTERN = /\b(?:https?|ftp):\/\/[^\s"'<>|;`]+/gi;
const SCHEME_URL = /\b([a-z][a-z0-9]*(?:\+[a-z0-9]+)?):\/\/[^\s"',;`]+/gi;

export function processFacts(record: ProcessRecord, vocab: HostVocabulary): ProcessFacts {
  const rawTokens = tokenizeCommandLine(record.cmdline);
  const decoded = decodeBase64Arguments(rawTokens);
  const tokens = [...rawTokens, ...decoded.flatMap(tokenizeCommandLine)];
  const cmdline = [record.cmdline, ...decoded].join('\n');
  const flagSchemes = new Set([...vocab.poolSchemes, ...vocab.poolFlagSchemes]);
  const options = parseCommandOptions(rawTokens).concat(decoded.flatMap((d) => parseCommandOptions(tokenizeCommandLine(d))));

  const endpoints: PoolEndpoint[] = [];
  const logins = new Set<string>();
  const algorithms = new Set<string>();
  const coins = new Set<string>();
  const configArgs = new Set<string>();
  const walletFlags = new Set<string>();
  for (const o of options) {
    if (o.value === null) {
      if (vocab.walletFlags.has(o.name)) walletFlags.add(o.name);
      continue;
    }
    if (vocab.poolFlags.has(o.name))
      for (const part of o.value.split(',')) {
        const e = parsePoolEndpoint(part, flagSchemes);
        if (e) endpoints.push(e);
      }
    if (vocab.loginFlags.has(o.name) || vocab.walletFlags.has(o.name)) {
      logins.add(o.value);
      logins.add(loginWallet(o.value));
    }
    if (vocab.walletFlags.has(o.name)) walletFlags.add(o.name);
    if (vocab.algoFlags.has(o.name)) for (const a of o.value.toLowerCase().split(/[,;+]/)) if (a) algorithms.add(a);
    if (vocab.coinFlags.has(o.name)) for (const a of o.value.toLowerCase().split(/[,;+]/)) if (a) coins.add(a);
    if (vocab.configFlags.has(o.name)) configArgs.add(imageName(o.value));
  }
  for (const m of cmdline.matchAll(SCHEME_URL)) {
    if (!vocab.poolSchemes.has(m[1]!.toLowerCase())) continue;
    const e = parsePoolEndpoint(m[0], vocab.poolSchemes);
    if (e) endpoints.push(e);
  }
  for (const e of endpoints)
    if (e.login) {
      const login = e.login.split(':')[0]!;
      logins.add(login);
      logins.add(loginWallet(login));
    }
  // A lone config file argument (nanominer config_rvn.ini, PhoenixMiner epools.txt beside it).
  const positional = rawTokens.slice(1);
  if (positional.length === 1 && /\.(?:ini|json|conf|cfg|txt)$/i.test(positional[0]!)) configArgs.add(imageName(positional[0]!));

  const name = imageName(record.name);
  const exeName = record.exe ? imageName(record.exe) : '';
  const argv0Name = rawTokens[0] ? imageName(rawTokens[0]) : '';
  const conns = record.connections ?? [];
  return {
    name,
    raw_name: record.name.trim(),
    exe: record.exe.replace(/\\/g, '/').toLowerCase(),
    exe_name: exeName,
    argv0_name: argv0Name,
    image_names: [...new Set([name, exeName, argv0Name].filter(Boolean))],
    cmdline,
    decoded: decoded,
    args: tokens,
    options: [...new Set(options.map((o) => o.name.toLowerCase()))],
    pool_endpoints: endpoints.map((e) => `${e.scheme ? `${e.scheme}://` : ''}${e.host}:${e.port}`),
    pool_hosts: [...new Set(endpoints.map((e) => e.host))],
    algorithms: [...algorithms],
    coins: [...coins],
    logins: [...logins],
    wallet_flags: [...walletFlags],
    config_args: [...configArgs],
    script_commands: scriptCommands(rawTokens, vocab),
    urls: [...new Set([...cmdline.matchAll(URL_PATTERN)].map((m) => m[0]))],
    // Kernel threads have neither; a ps-style "[kworker/0:1]" display is not an image either.
    has_image: record.exe.trim() !== '' || (record.cmdline.trim() !== '' && !/^\[[^\]]*\]$/.test(record.cmdline.trim())),
    exe_deleted: / \(deleted\)$/.test(record.exe),
    connection_hosts: [...new Set(conns.flatMap((c) => (c.remote_host ? [c.remote_host.toLowerCase().replace(/\.$/, '')] : [])))],
    connection_ips: [...new Set(conns.map((c) => c.remote_ip))],
    connection_public_ports: [...new Set(conns.filter((c) => isPublicIp(c.remote_ip)).map((c) => String(c.remote_port)))],
    cpu: record.cpu,
    gpu: record.gpu,
    config_keys: record.config ? configKeys(record.config) : [],
    config_text: record.config?.text ?? '',
    user: record.user,
  };
}
