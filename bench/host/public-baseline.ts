/**
 * The public host rules FACTS.md §2 quotes, re-implemented on process name, executable and command
 * line only, as the baseline Qingling is measured against (FACTS.md §4: "together catch about half").
 *
 * - SigmaHQ/sigma@8eaafff1 proc_creation_lnx_crypto_mining.yml, proc_creation_win_susp_crypto_mining_monero.yml
 *   (CommandLine|contains, Windows filter), lnx_auditd_coinminer.yml (arg startswith --cpu-priority),
 *   proc_creation_lnx_susp_exec_from_dev_shm.yml
 * - falcosecurity/rules@c72713ee falco-sandbox_rules.yaml: "Detect crypto miners using the Stratum protocol",
 *   "Known Cryptominer Process Executed" (proc.name in miner_binaries)
 * - elastic/protections-artifacts@9c334cf8 impact_potential_coin_miner_execution.toml and
 *   impact_potential_mining_pool_command_detection.toml. The pool rule's ~120 domains are not in the
 *   shared data; the 11 FACTS.md names plus the 12 Elastic building-block patterns stand in for them.
 */
import { readFileSync } from 'node:fs';
import { tokenizeCommandLine, imageName } from '@qingling/core';

export interface BaselineRecord {
  name: string;
  exe: string;
  cmdline: string;
}

const SIGMA_CONTAINS = [' --cpu-priority=', '--donate-level=0', ' -o pool.', ' --nicehash', ' --algo=rx/0 ', 'stratum+tcp://', 'stratum+udp://',
  'LS1kb25hdGUtbGV2ZWw9', '0tZG9uYXRlLWxldmVsP', 'tLWRvbmF0ZS1sZXZlbD', 'c3RyYXR1bSt0Y3A6Ly', 'N0cmF0dW0rdGNwOi8v', 'zdHJhdHVtK3RjcDovL',
  'c3RyYXR1bSt1ZHA6Ly', 'N0cmF0dW0rdWRwOi8v', 'zdHJhdHVtK3VkcDovL'];
const SIGMA_LINUX_ONLY = ['sh -c /sbin/modprobe msr allow_writes=on'];
const SIGMA_WIN_FILTER = [' pool.c ', ' pool.o ', 'gcc -'];
const FALCO_STRATUM = ['stratum+tcp', 'stratum2+tcp', 'stratum+ssl', 'stratum2+ssl'];
const ELASTIC_ALGOS = new Set('gr rx/graft cn/upx2 argon2/chukwav2 cn/ccx kawpow rx/keva cn-pico/tlo rx/sfx rx/arq rx/0 argon2/chukwa argon2/ninja rx/wow cn/fast cn/rwz cn/zls cn/double cn/r cn-pico cn/half cn/2 cn/xao cn/rto cn-heavy/tube cn-heavy/xhv cn-heavy/0 cn/1 cn-lite/1 cn-lite/0 cn/0'.split(' '));
const ELASTIC_POOLS = ['supportxmr.com', 'moneroocean.stream', 'nanopool.org', '2miners.com', 'herominers.com', 'c3pool.com', 'nicehash.com', 'unmineable.com', 'xmrig.com', 'f2pool.com', 'zergpool.com',
  'poolbinance.com', 'antpool.com', 'viabtc.com', 'braiins.com', 'slushpool.com'];
const ELASTIC_SCOPE_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/', '/boot/', './', '/sys/', '/lost+found/', '/media/', '/proc/', '/var/backups/', '/var/log/', '/var/mail/', '/var/spool/'];

const falcoBinaries = new Set(readFileSync(new URL('../../../shared/data/intel/falco_miner_binaries.txt', import.meta.url), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean));

function elasticInScope(r: BaselineRecord): boolean {
  const n = r.name;
  const nameOk = n === 'xmrig' || /^(?:sh|bash|dash|zsh|ksh|busybox)$/.test(n) || n.startsWith('python') || n.startsWith('perl') || ['curl', 'wget', 'sudo', 'grep'].includes(n) || n.startsWith('.');
  return nameOk || ELASTIC_SCOPE_DIRS.some((d) => r.exe.startsWith(d));
}

/** Which public rules fire (empty = the baseline calls it clean). */
export function publicRulesFiring(r: BaselineRecord): string[] {
  const fired: string[] = [];
  const cmd = r.cmdline;
  const windows = /^[a-z]:\\/i.test(r.exe);
  if (windows) {
    if (SIGMA_CONTAINS.some((s) => cmd.includes(s)) && !SIGMA_WIN_FILTER.some((s) => cmd.includes(s))) fired.push('sigma_win_crypto_mining_monero');
  } else if ([...SIGMA_CONTAINS, ...SIGMA_LINUX_ONLY].some((s) => cmd.includes(s))) fired.push('sigma_lnx_crypto_mining');
  const args = tokenizeCommandLine(cmd);
  if (!windows && args.slice(1).some((a) => a.startsWith('--cpu-priority'))) fired.push('sigma_auditd_coinminer');
  if (r.exe.startsWith('/dev/shm/')) fired.push('sigma_exec_from_dev_shm');
  if (FALCO_STRATUM.some((s) => cmd.includes(s))) fired.push('falco_stratum');
  if (!windows && falcoBinaries.has(r.name)) fired.push('falco_known_miner');
  if (!['grep', 'xargs'].includes(r.name) && elasticInScope(r)) {
    const has = (a: string) => args.includes(a);
    const algo = (has('-a') || has('--algo')) && args.some((a) => ELASTIC_ALGOS.has(a));
    const coin = has('--coin') && args.some((a) => ['monero', 'arqma', 'dero'].includes(a));
    const pool = has('-o') || has('--url');
    if (((algo || has('--nicehash') || has('--hash') || has('--seed') || coin) && pool) || cmd.includes('stratum+tcp://') || cmd.includes('stratum2+tcp://'))
      fired.push('elastic_coin_miner_execution');
    const excluded = ['ptxas', 'host', 'timeout'].includes(imageName(r.name)) || cmd.includes('zpool.cache');
    if (!excluded && ELASTIC_POOLS.some((p) => cmd.includes(p))) fired.push('elastic_mining_pool_command');
  }
  return fired;
}
