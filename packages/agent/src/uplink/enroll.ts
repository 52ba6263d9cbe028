import os from 'node:os';
import { AgentError } from './agent-error.js';
import { agentConfigExists, writeAgentConfig, type AgentConfig } from './agent-config.js';
import { hostAddresses, type HostAddresses } from './host-addresses.js';
import { AGENT_VERSION } from './report-envelope.js';
import { errorCodeOf, nodeHttpPost, type HttpAnswer, type HttpPost } from './http-post.js';
import { apiUrl } from './uplink.js';

export interface EnrollOptions {
  server: string;
  token: string;
  configPath: string;
  /** Replace an existing enrollment (a re-imaged host, a revoked credential). */
  force?: boolean;
  spoolDir?: string;
  hostname?: string;
  platform?: string;
  addresses?: HostAddresses;
  post?: HttpPost;
  now?: () => Date;
  timeoutMs?: number;
}

/** Plain http is fine on loopback (tests, a reverse proxy on the same host); elsewhere the credential crosses the network in clear. */
export function cleartextWarning(server: string): string | null {
  const url = new URL(server);
  if (url.protocol === 'https:') return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || host.startsWith('127.')) return null;
  return `${server} is plain http: the agent credential and reports cross the network unencrypted; use https`;
}

/**
 * `agent enroll`: exchanges a department's enrollment token for this agent's own credential and
 * stores it (mode 0600). The server links the host to its registered asset by MAC or hostname.
 */
export async function enrollAgent(opts: EnrollOptions): Promise<{ config: AgentConfig; warnings: string[] }> {
  let server: URL;
  try {
    server = new URL(opts.server);
  } catch {
    throw new AgentError('AGENT_BAD_OPTION', `--server must be a URL like https://qingling.example.edu, got ${JSON.stringify(opts.server)}`);
  }
  if (server.protocol !== 'http:' && server.protocol !== 'https:') throw new AgentError('AGENT_BAD_OPTION', `--server must be http(s), got ${server.protocol}`);
  if (agentConfigExists(opts.configPath) && !opts.force)
    throw new AgentError('AGENT_ALREADY_ENROLLED', `${opts.configPath} already holds an enrollment; pass --force to replace it`);

  const hostname = opts.hostname ?? os.hostname();
  const addresses = opts.addresses ?? hostAddresses();
  const body = { token: opts.token, hostname, platform: opts.platform ?? process.platform, version: AGENT_VERSION, macs: addresses.macs, ips: addresses.ips };
  let res: HttpAnswer;
  try {
    res = await (opts.post ?? nodeHttpPost())(
      apiUrl(opts.server, '/api/v1/agents/enroll'),
      { 'content-type': 'application/json', 'user-agent': `qingling-agent/${AGENT_VERSION}` },
      JSON.stringify(body),
      opts.timeoutMs ?? 30_000,
    );
  } catch (err) {
    throw new AgentError('AGENT_SERVER_UNREACHABLE', `${opts.server}: ${errorCodeOf(err)}`);
  }
  let answer: { agentId?: string; credential?: string; departmentId?: number; error?: { code?: string; message?: string } } = {};
  try {
    answer = JSON.parse(res.body) as typeof answer;
  } catch {
    // not JSON (a proxy's error page): the status tells
  }
  if (res.status === 401)
    throw new AgentError('AGENT_ENROLLMENT_INVALID', 'the server refused the token: unknown, used up, expired or revoked; ask the IT center for a new one');
  if (res.status !== 201 || !answer.agentId || !answer.credential) {
    throw new AgentError('AGENT_ENROLL_FAILED', `${opts.server} answered ${res.status} ${answer.error?.code ?? ''} ${answer.error?.message ?? ''}`.trim());
  }
  const config: AgentConfig = {
    server: opts.server,
    agentId: answer.agentId,
    credential: answer.credential,
    enrolledAt: (opts.now?.() ?? new Date()).toISOString(),
    hostname,
    ...(answer.departmentId !== undefined ? { departmentId: answer.departmentId } : {}),
    ...(opts.spoolDir ? { spoolDir: opts.spoolDir } : {}),
  };
  writeAgentConfig(opts.configPath, config);
  const warning = cleartextWarning(opts.server);
  return { config, warnings: warning ? [warning] : [] };
}
