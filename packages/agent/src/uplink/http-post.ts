import type http from 'node:http';
import type https from 'node:https';

/** A server's answer: status and (at most 64 KiB of) body text. */
export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * How the agent POSTs: one request, a deadline for the whole exchange. Rejects with the socket's
 * error code (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`…) when no answer came. Tests wrap it to
 * record what was sent.
 */
export type HttpPost = (url: URL, headers: Record<string, string>, body: Uint8Array | string, timeoutMs: number) => Promise<HttpAnswer>;

const ANSWER_LIMIT = 64 * 1024;

type Transport = { module: typeof http | typeof https; agent: http.Agent };

/**
 * node:http(s), not fetch: Node's fetch (undici) parses HTTP with a WebAssembly module, and the
 * bundle runs with V8 lite mode and wasm off to save memory (cli.ts) — fetch would throw there.
 * The C parser behind node:http needs neither, and loads less. Each module is loaded on the first
 * request for its scheme: node:https brings TLS and ~1.5 MB with it, which an agent posting over
 * http never needs (bench/agent/run-rss.mjs). Keep-alive agents, so a drained spool of many reports
 * reuses one connection; idle sockets do not keep the process alive.
 */
export function nodeHttpPost(): HttpPost {
  const transports = new Map<string, Promise<Transport>>();
  const transport = (protocol: string): Promise<Transport> => {
    let t = transports.get(protocol);
    if (!t) {
      t = (protocol === 'https:' ? import('node:https') : import('node:http')).then(({ default: module }) => ({
        module,
        agent: new module.Agent({ keepAlive: true }),
      }));
      transports.set(protocol, t);
    }
    return t;
  };
  return async (url, headers, body, timeoutMs) => {
    const { module, agent } = await transport(url.protocol);
    return new Promise((resolve, reject) => {
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      const req = module.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(payload.byteLength) } }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < ANSWER_LIMIT) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, ANSWER_LIMIT).toString('utf8') });
        });
        res.on('error', fail);
      });
      const deadline = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
      function fail(err: Error) {
        clearTimeout(deadline);
        reject(err);
      }
      req.on('error', fail);
      req.end(payload);
    });
  };
}

/** `ECONNREFUSED` and the like; the message when there is no code. */
export function errorCodeOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return typeof e?.code === 'string' ? e.code : String(e?.message ?? err);
}
