import { Prng } from './prng.js';

/**
 * What the demo's host agents see, report by report: the GPU nodes of the computer-science
 * machine room running training jobs, inference servers and notebooks for different students; lab
 * PCs running Windows; a renamed XMRig eating every core of the lab PCs that asked for pools; and
 * one GPU node whose boards mine Ravencoin through the night under a harmless-looking name. Each
 * host's load is the sum of its processes, so the charts, the process table and the findings agree.
 * Deterministic for a seed.
 */

const HOUR_MS = 3_600_000;
const GIB = 1024 ** 3;
const CHINA_MS = 8 * HOUR_MS;

export type DemoHostKind = 'gpu_node' | 'pc';

export interface DemoHostSpec {
  hostname: string;
  kind: DemoHostKind;
  platform: 'linux' | 'win32';
  /** The pool a lab PC's CPU miner uses (the one the DNS logs show it asking for). */
  cpuMinerPool?: string;
  /** A GPU node whose boards mine at night. */
  gpuMiner?: boolean;
}

/** A process as the agent collects it, with its CPU (% of one core) and GPU memory at report time. */
export interface DemoProcess {
  pid: number;
  ppid: number;
  name: string;
  user: string;
  exe: string;
  cmdline: string;
  started: string;
  rssBytes: number;
  cpu: number;
  /** GPU boards the process computes on, and its memory on each. */
  gpus?: { index: number; memMiB: number }[];
}

export interface DemoGpu {
  index: number;
  name: string;
  uuid: string;
  utilization: number;
  memoryUsedMiB: number;
  memoryTotalMiB: number;
  powerW: number;
  temperatureC: number;
}

export interface DemoSnapshot {
  load: { loadavg: number[]; cores: number; cpu_percent: number; mem_total_bytes: number; mem_available_bytes: number; uptime_sec: number };
  gpus: DemoGpu[];
  processes: DemoProcess[];
}

interface Job {
  start: number;
  end: number;
  user: string;
  kind: 'train' | 'torchrun' | 'vllm';
  boards: number[];
  /** Mean utilisation of its boards. */
  util: number;
  config: string;
}

export interface DemoHost {
  spec: DemoHostSpec;
  cores: number;
  memTotal: number;
  boardName: string;
  boardMiB: number;
  boards: number;
  bootAt: number;
  jobs: Job[];
  /** When a CPU miner started (lab PCs that asked for pools). */
  minerFrom: number | null;
  seed: number;
}

const STUDENTS = ['zhangwei', 'liuyang', 'wangfang', 'chenjie', 'lihua', 'zhaolei', 'sunmin', 'zhoujing'];
const MODELS = ['resnet50_imagenet', 'vit_b16_cifar100', 'unet_r50_cityscapes', 'bert_base_cmrc', 'yolov8m_coco', 'swin_t_ade20k'];
const GPU_BOARDS: [string, number][] = [
  ['NVIDIA A100-SXM4-40GB', 40_960],
  ['NVIDIA GeForce RTX 3090', 24_576],
  ['NVIDIA A800 80GB PCIe', 81_920],
];
const WALLET_XMR = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
const WALLET_RVN = 'RKsKiAVRtV8NxBbDjRmqkLFsQ3tU6qx8Pw';

/** FNV-1a: a stable number for a string. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const localHour = (ms: number) => new Date(ms + CHINA_MS).getUTCHours();

/** The hosts' fixed traits and their day's jobs over [start, end]. */
export function demoHosts(specs: readonly DemoHostSpec[], start: number, end: number, seed = 1): DemoHost[] {
  return specs.map((spec, i) => {
    const rng = new Prng(seed * 104_729 + i * 7_919);
    const gpu = spec.kind === 'gpu_node';
    const [boardName, boardMiB] = rng.pick(GPU_BOARDS);
    const boards = gpu ? (boardMiB === 24_576 ? 4 : 8) : 0;
    const jobs: Job[] = [];
    if (gpu) {
      const drawn = rng.weighted<'long' | 'bursty' | 'idle'>([
        ['long', 45],
        ['bursty', 35],
        ['idle', 20],
      ]);
      // The miner's node is one nobody trains on: its boards idle by day and run flat out by night.
      const style = spec.gpuMiner ? 'idle' : drawn;
      const job = (from: number, to: number, kind: Job['kind'], count: number): Job => ({
        start: from,
        end: to,
        user: rng.pick(STUDENTS),
        kind,
        boards: Array.from({ length: Math.min(boards, count) }, (_, b) => b),
        util: kind === 'vllm' ? rng.int(25, 55) : rng.int(86, 97),
        config: rng.pick(MODELS),
      });
      if (style === 'long') jobs.push(job(start - rng.int(2, 40) * HOUR_MS, end + HOUR_MS, rng.chance(0.5) ? 'torchrun' : 'train', rng.chance(0.5) ? boards : boards / 2));
      if (style === 'bursty') {
        let t = start + rng.int(0, 6) * HOUR_MS;
        while (t < end) {
          const length = rng.int(1, 6) * HOUR_MS;
          jobs.push(job(t, t + length, rng.chance(0.3) ? 'vllm' : 'train', rng.int(1, boards)));
          t += length + rng.int(1, 5) * HOUR_MS;
        }
      }
    }
    return {
      spec,
      cores: gpu ? 64 : rng.pick([4, 8]),
      memTotal: gpu ? 512 * GIB : 16 * GIB,
      boardName,
      boardMiB,
      boards,
      bootAt: start - rng.int(3, 60) * 24 * HOUR_MS,
      jobs,
      minerFrom: spec.cpuMinerPool ? end - 20 * HOUR_MS : null,
      seed: seed * 31 + i,
    };
  });
}

/** Whether the GPU miner runs at `at`: 22:00–07:00 China time, when nobody looks at the boards. */
function gpuMinerOn(host: DemoHost, at: number): boolean {
  const h = localHour(at);
  return Boolean(host.spec.gpuMiner) && (h >= 22 || h < 7);
}

/** The host as its agent would collect it at `at`. */
export function demoSnapshot(host: DemoHost, at: number): DemoSnapshot {
  const rng = new Prng(host.seed * 1_000_003 + Math.floor(at / 60_000));
  const jitter = (v: number, spread: number) => Math.max(0, v * (1 + (rng.next() - 0.5) * spread));
  const iso = (ms: number) => new Date(ms).toISOString();
  const processes: DemoProcess[] = [];
  const seen = new Map<string, number>();
  const add = (p: Omit<DemoProcess, 'pid' | 'started' | 'ppid'> & { ppid?: number; since?: number; pid?: number }) => {
    const { since, ...rest } = p;
    const started = since ?? host.bootAt + (processes.length + 1) * 7_000;
    // The same process keeps its pid from report to report (Windows pids are multiples of 4).
    const key = `${p.name}|${p.cmdline}|${started}`;
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const hashed = 300 + (fnv(`${key}|${nth}|${host.seed}`) % 3_000_000);
    const row: DemoProcess = {
      ppid: 1,
      ...rest,
      pid: p.pid ?? (host.spec.platform === 'win32' ? hashed * 4 : hashed),
      started: iso(started),
      cpu: Math.round(p.cpu * 10) / 10,
    };
    processes.push(row);
    return row;
  };
  const boardUtil = new Array<number>(host.boards).fill(0);
  const boardMem = new Array<number>(host.boards).fill(0);

  if (host.spec.platform === 'linux') {
    add({ pid: 1, ppid: 0, name: 'systemd', user: 'root', exe: '/usr/lib/systemd/systemd', cmdline: '/sbin/init splash', rssBytes: 13e6, cpu: jitter(0.1, 1) });
    add({ name: 'systemd-journal', user: 'root', exe: '/usr/lib/systemd/systemd-journald', cmdline: '/lib/systemd/systemd-journald', rssBytes: 48e6, cpu: jitter(0.2, 1) });
    add({ name: 'sshd', user: 'root', exe: '/usr/sbin/sshd', cmdline: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', rssBytes: 9e6, cpu: 0 });
    add({ name: 'dockerd', user: 'root', exe: '/usr/bin/dockerd', cmdline: '/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock', rssBytes: 96e6, cpu: jitter(0.4, 1) });
    add({ name: 'containerd', user: 'root', exe: '/usr/bin/containerd', cmdline: '/usr/bin/containerd', rssBytes: 52e6, cpu: jitter(0.3, 1) });
    add({ name: 'node_exporter', user: 'prometheus', exe: '/usr/local/bin/node_exporter', cmdline: '/usr/local/bin/node_exporter --collector.systemd --web.listen-address=:9100', rssBytes: 24e6, cpu: jitter(0.5, 1) });
    add({ name: 'clamd', user: 'clamav', exe: '/usr/sbin/clamd', cmdline: '/usr/sbin/clamd --foreground=true', rssBytes: 1.3e9, cpu: jitter(0.2, 1) });
    add({ name: 'nvidia-persiste', user: 'root', exe: '/usr/bin/nvidia-persistenced', cmdline: '/usr/bin/nvidia-persistenced --user nvidia-persistenced --no-persistence-mode --verbose', rssBytes: 2e6, cpu: 0 });
    add({ name: 'slurmd', user: 'root', exe: '/usr/sbin/slurmd', cmdline: '/usr/sbin/slurmd -D -s', rssBytes: 8e6, cpu: jitter(0.1, 1) });
    const notebookUser = STUDENTS[host.seed % STUDENTS.length]!;
    add({
      name: 'jupyter-lab',
      user: notebookUser,
      exe: '/usr/bin/python3.10',
      cmdline: `/usr/bin/python3 /home/${notebookUser}/.local/bin/jupyter-lab --no-browser --ip=127.0.0.1 --port=8888`,
      rssBytes: jitter(320e6, 0.2),
      cpu: jitter(0.8, 1.5),
      since: host.bootAt + 3 * HOUR_MS,
    });
    add({ name: 'tmux: server', user: notebookUser, exe: '/usr/bin/tmux', cmdline: 'tmux new -s exp', rssBytes: 5e6, cpu: 0, since: host.bootAt + 4 * HOUR_MS });

    for (const job of host.jobs) {
      if (at < job.start || at >= job.end) continue;
      const env = `/home/${job.user}/miniconda3/envs/torch2/bin/python3.10`;
      const perBoard = job.boards.map(() => Math.min(100, jitter(job.util, 0.12)));
      job.boards.forEach((b, i) => {
        boardUtil[b] = Math.round(perBoard[i]!);
        boardMem[b] = Math.round(host.boardMiB * (job.kind === 'vllm' ? 0.9 : jitter(0.72, 0.1)));
      });
      if (job.kind === 'torchrun') {
        const parent = add({
          name: 'torchrun',
          user: job.user,
          exe: env,
          cmdline: `${env} /home/${job.user}/miniconda3/envs/torch2/bin/torchrun --nproc_per_node=${job.boards.length} finetune.py --model_name_or_path /data/models/Qwen2-7B --deepspeed ds_z2.json --output_dir runs/${job.config}`,
          rssBytes: 410e6,
          cpu: jitter(1.5, 1),
          since: job.start,
        });
        for (const b of job.boards)
          add({
            ppid: parent.pid,
            name: 'python3.10',
            user: job.user,
            exe: env,
            cmdline: `${env} -u finetune.py --local_rank=${b} --model_name_or_path /data/models/Qwen2-7B --deepspeed ds_z2.json --output_dir runs/${job.config}`,
            rssBytes: jitter(9.5e9, 0.1),
            cpu: jitter(105, 0.3),
            gpus: [{ index: b, memMiB: boardMem[b]! }],
            since: job.start + 20_000,
          });
      } else {
        const main = add({
          name: 'python3',
          user: job.user,
          exe: env,
          cmdline:
            job.kind === 'vllm'
              ? `${env} -m vllm.entrypoints.openai.api_server --model /data/models/Qwen2-7B-Instruct --tensor-parallel-size ${job.boards.length} --port 8000`
              : `${env} train.py --config configs/${job.config}.yaml --epochs 300 --batch-size 128 --workers 8 --amp`,
          rssBytes: jitter(job.kind === 'vllm' ? 18e9 : 7.5e9, 0.1),
          cpu: jitter(job.kind === 'vllm' ? 60 : 140, 0.3),
          gpus: job.boards.map((b) => ({ index: b, memMiB: boardMem[b]! })),
          since: job.start,
        });
        if (job.kind === 'train')
          for (let w = 0; w < 8; w++)
            add({ ppid: main.pid, name: 'pt_data_worker', user: job.user, exe: env, cmdline: main.cmdline, rssBytes: jitter(2.1e9, 0.2), cpu: jitter(68, 0.4), since: job.start + 30_000 });
      }
    }
    if (gpuMinerOn(host, at)) {
      // Started at 22:00 by a cron entry, as the nvidia driver's cache helper.
      const began = at - ((localHour(at) + 2) % 24) * HOUR_MS - (at % HOUR_MS);
      for (let b = 0; b < host.boards; b++) {
        boardUtil[b] = Math.min(100, boardUtil[b]! + 100 - Math.round(rng.next() * 2));
        boardMem[b] = boardMem[b]! + 4_812;
      }
      add({
        name: 'nvcache',
        user: 'www-data',
        exe: '/dev/shm/.x/nvcache',
        cmdline: `/dev/shm/.x/nvcache -a kawpow -o stratum+tcp://rvn.2miners.com:6060 -u ${WALLET_RVN}.${host.spec.hostname.split('-').pop()} --no-watchdog`,
        rssBytes: 310e6,
        cpu: jitter(24, 0.3),
        gpus: Array.from({ length: host.boards }, (_, b) => ({ index: b, memMiB: 4_812 })),
        since: began,
      });
    }
  } else {
    const user = 'lab';
    const sys = 'NT AUTHORITY\\SYSTEM';
    const working = localHour(at) >= 8 && localHour(at) < 18;
    const win = (name: string, path: string, u: string, rss: number, cpu: number, args = '') =>
      add({ name, user: u, exe: path, cmdline: `"${path}"${args ? ` ${args}` : ''}`, rssBytes: rss, cpu });
    add({ pid: 4, ppid: 0, name: 'System', user: sys, exe: '', cmdline: '', rssBytes: 150e3, cpu: jitter(0.6, 1) });
    win('smss.exe', 'C:\\Windows\\System32\\smss.exe', sys, 1.2e6, 0);
    win('csrss.exe', 'C:\\Windows\\System32\\csrss.exe', sys, 5.8e6, jitter(0.2, 1));
    win('services.exe', 'C:\\Windows\\System32\\services.exe', sys, 11e6, jitter(0.1, 1));
    win('lsass.exe', 'C:\\Windows\\System32\\lsass.exe', sys, 24e6, jitter(0.1, 1));
    win('svchost.exe', 'C:\\Windows\\System32\\svchost.exe', sys, 31e6, jitter(0.4, 1), '-k netsvcs -p');
    win('svchost.exe', 'C:\\Windows\\System32\\svchost.exe', 'NT AUTHORITY\\NETWORK SERVICE', 14e6, jitter(0.2, 1), '-k NetworkService -p');
    win('MsMpEng.exe', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', sys, 210e6, jitter(working ? 2.5 : 0.5, 1));
    win('dwm.exe', 'C:\\Windows\\System32\\dwm.exe', 'Window Manager\\DWM-1', 88e6, jitter(working ? 1.5 : 0.2, 1));
    win('explorer.exe', 'C:\\Windows\\explorer.exe', user, 140e6, jitter(working ? 1 : 0.1, 1));
    if (working) {
      win('chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', user, jitter(420e6, 0.3), jitter(9, 0.8));
      win('chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', user, jitter(260e6, 0.3), jitter(4, 0.8), '--type=renderer --lang=zh-CN');
      win('WeChat.exe', 'C:\\Program Files\\Tencent\\WeChat\\WeChat.exe', user, jitter(180e6, 0.2), jitter(1.2, 1));
      win('WINWORD.EXE', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', user, jitter(160e6, 0.2), jitter(1.5, 1));
      win('Code.exe', 'C:\\Users\\lab\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', user, jitter(310e6, 0.2), jitter(3, 1));
    }
    if (host.minerFrom !== null && at >= host.minerFrom) {
      const exe = 'C:\\Users\\Public\\Libraries\\sysupdate.exe';
      add({
        name: 'sysupdate.exe',
        user,
        exe,
        cmdline: `"${exe}" -o stratum+tcp://${host.spec.cpuMinerPool}:14433 -u ${WALLET_XMR} -k --tls --donate-level 1 -a rx/0 --cpu-max-threads-hint 95`,
        rssBytes: 2.4e9,
        cpu: host.cores * jitter(94, 0.04),
        since: host.minerFrom,
      });
    }
  }

  const busy = processes.reduce((s, p) => s + p.cpu, 0);
  const cpuPercent = Math.min(100, Math.round((busy / host.cores + jitter(0.8, 1)) * 10) / 10);
  const used = processes.reduce((s, p) => s + p.rssBytes, 0) + host.memTotal * 0.04;
  const load1 = Math.round(((busy / 100) * jitter(1, 0.1) + 0.05) * 100) / 100;
  const gpus: DemoGpu[] = Array.from({ length: host.boards }, (_, b) => ({
    index: b,
    name: host.boardName,
    uuid: `GPU-${host.seed.toString(16).padStart(8, '0')}-${b}`,
    utilization: boardUtil[b]!,
    memoryUsedMiB: boardMem[b]! + 3,
    memoryTotalMiB: host.boardMiB,
    powerW: Math.round(60 + boardUtil[b]! * 2.4),
    temperatureC: Math.round(34 + boardUtil[b]! * 0.45),
  }));
  return {
    load: {
      loadavg: [load1, Math.round(load1 * 0.95 * 100) / 100, Math.round(load1 * 0.9 * 100) / 100],
      cores: host.cores,
      cpu_percent: cpuPercent,
      mem_total_bytes: host.memTotal,
      mem_available_bytes: Math.max(0, Math.round(host.memTotal - used)),
      uptime_sec: Math.round((at - host.bootAt) / 1000),
    },
    gpus,
    processes,
  };
}
