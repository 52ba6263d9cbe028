import type { ScanReport } from './scan.js';

/** Human output of `agent scan`: a findings table with reasons, then the host facts. zh-CN or en-US. */

export type ScanLanguage = 'zh' | 'en';

/** zh when LC_ALL / LC_MESSAGES / LANG asks for Chinese, else en. */
export function scanLanguage(env: NodeJS.ProcessEnv = process.env): ScanLanguage {
  const lang = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(lang) ? 'zh' : 'en';
}

const TEXT = {
  zh: {
    host: '主机',
    processes: (n: number) => `进程 ${n} 个`,
    none: '未发现挖矿或可疑进程。',
    head: ['PID', '用户', '判定', '分数', 'CPU%', '名称', '命令行'],
    verdict: { miner: '挖矿', suspicious: '可疑', clean: '正常' },
    load: '负载',
    memory: '可用内存',
    gpus: 'GPU',
    noGpu: '无（未检测到 NVIDIA GPU）',
    av: '杀毒软件',
    noAv: '未发现',
    sigAge: (d: number | null) => (d === null ? '特征库日期未知' : `特征库 ${d} 天前`),
    persistence: (n: number, f: number) => `持久化条目 ${n} 个${f ? `，其中 ${f} 个命令可疑` : ''}`,
    hidden: '隐藏进程',
    software: '已安装的挖矿软件',
    slurm: 'Slurm 作业',
    notes: '说明',
    hiddenMark: '（隐藏）',
  },
  en: {
    host: 'Host',
    processes: (n: number) => `${n} processes`,
    none: 'No mining or suspicious process found.',
    head: ['PID', 'USER', 'VERDICT', 'SCORE', 'CPU%', 'NAME', 'COMMAND'],
    verdict: { miner: 'miner', suspicious: 'suspicious', clean: 'clean' },
    load: 'Load',
    memory: 'memory available',
    gpus: 'GPUs',
    noGpu: 'none (no NVIDIA GPU found)',
    av: 'Antivirus',
    noAv: 'none found',
    sigAge: (d: number | null) => (d === null ? 'signature date unknown' : `signatures ${d} days old`),
    persistence: (n: number, f: number) => `${n} persistence entries${f ? `, ${f} running suspicious commands` : ''}`,
    hidden: 'Hidden processes',
    software: 'Mining software installed',
    slurm: 'Slurm jobs',
    notes: 'Notes',
    hiddenMark: ' (hidden)',
  },
} as const;

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

export function formatScanReport(r: ScanReport, lang: ScanLanguage): string {
  const t = TEXT[lang];
  const out: string[] = [];
  out.push(`${t.host} ${r.host} (${r.platform}) — ${t.processes(r.processes)}, ${r.collected_at}`);
  out.push('');
  if (!r.findings.length) out.push(t.none);
  else {
    const rows = r.findings.map((f) => [String(f.pid), f.user, t.verdict[f.verdict] + (f.hidden ? t.hiddenMark : ''), String(f.score), f.cpu === null ? '-' : f.cpu.toFixed(1), cut(f.name, 20), cut(f.cmdline, 70)]);
    const widths = t.head.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]!))));
    out.push(t.head.map((h, i) => pad(h, widths[i]!)).join('  ').trimEnd());
    for (const [i, row] of rows.entries()) {
      out.push(row.map((c, j) => pad(c, widths[j]!)).join('  ').trimEnd());
      for (const reason of r.findings[i]!.reasons) {
        const facts = Object.entries(reason.fields)
          .map(([k, v]) => `${k}=${v.join(',')}`)
          .join('; ');
        out.push(`    [${reason.rule} +${reason.weight}] ${lang === 'zh' ? reason.zh : reason.en}${facts ? ` (${cut(facts, 100)})` : ''}`);
      }
    }
  }
  out.push('');
  const l = r.load;
  out.push(`${t.load}: ${l.loadavg.map((x) => x.toFixed(2)).join(' ')} / ${l.cores} CPU${l.cpu_percent === null ? '' : `, ${l.cpu_percent}%`}; ${t.memory} ${gib(l.mem_available_bytes)} / ${gib(l.mem_total_bytes)}`);
  out.push(`${t.gpus}: ${r.gpus.length ? r.gpus.map((g) => `#${g.index} ${g.name} ${g.utilization ?? '?'}%`).join(', ') : t.noGpu}`);
  out.push(`${t.av}: ${r.antivirus.length ? r.antivirus.map((a) => `${a.product} ${a.version} (${t.sigAge(a.signatureAgeDays)})`).join(', ') : t.noAv}`);
  out.push(t.persistence(r.persistence.count, r.persistence.findings.length));
  for (const f of r.persistence.findings) out.push(`    ${t.verdict[f.verdict]} ${f.score} ${f.path}: ${cut(f.command, 90)}`);
  if (r.hidden_processes.length) out.push(`${t.hidden}: ${r.hidden_processes.map((h) => `${h.pid} (${h.method})`).join(', ')}`);
  if (r.software?.miners.length) out.push(`${t.software}: ${r.software.miners.map((m) => `${m.name} ${m.version} [${m.source}]`).join(', ')}`);
  if (r.slurm_jobs) out.push(`${t.slurm}: ${r.slurm_jobs.length}`);
  if (r.notes.length) out.push(`${t.notes}: ${r.notes.join('; ')}`);
  return out.join('\n') + '\n';
}
