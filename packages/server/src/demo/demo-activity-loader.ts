import type { Database } from '../db/database.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { intelDir, readIntelBundle } from '../../../../rules/intel/index.js';
import { IntelService } from '../intel/intel.service.js';
import { SignalWriter } from '../signals/signal-writer.js';
import { PowerService } from '../power/power.service.js';
import { insertMeter } from '../power/meter.repository.js';
import { upsertReadings, type ReadingRow } from '../power/reading.repository.js';
import type { RegistryRows } from '../org/workbook/registry-rows.js';
import { generateDemoActivity } from './demo-activity.js';
import { judgeProcess, processRecordSchema, type IntelMatcher } from '@qingling/core';
import { loadHostRules } from '../../../../rules/host/index.js';
import { AgentEnrollmentService, type AgentIdentity } from '../agents/agent-enrollment.service.js';
import { AgentReportService } from '../agents/agent-report.service.js';
import { agentReportEnvelope } from '../agents/agent-report.schema.js';
import { demoHosts, demoSnapshot, type DemoHost, type DemoProcess } from './demo-activity-hosts.js';

export interface DemoActivitySummary {
  meters: number;
  readings: number;
  anomalies: number;
  signals: number;
  agents: number;
}

/**
 * Puts the demo campus' electricity and DNS activity into a database that already holds the demo
 * registry: meters and readings, then the same analysis and signal writing real data goes through.
 * Does nothing when meters exist already.
 */
export async function loadDemoActivity(store: Database, campus: RegistryRows, now = new Date(), seed = 1): Promise<DemoActivitySummary | null> {
  const db = store.db;
  if ((await db.selectFrom('meters').select('id').limit(1).execute()).length) return null;
  const activity = generateDemoActivity(campus, now, seed);
  const nowIso = now.toISOString();
  const departments = new Map((await db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  const rooms = new Map((await db.selectFrom('rooms').select(['id', 'building', 'number']).execute()).map((r) => [`${r.building}|${r.number}`, r.id]));
  let readings = 0;
  await db.transaction().execute(async (trx) => {
    const ids = new Map<string, number>();
    for (const m of activity.meters) {
      const id = await insertMeter(
        trx,
        {
          code: m.code,
          name: m.name,
          kind: m.kind,
          building: m.building,
          floor: null,
          roomId: m.roomNumber ? (rooms.get(`${m.building}|${m.roomNumber}`) ?? null) : null,
          departmentId: m.departmentCode ? (departments.get(m.departmentCode) ?? null) : null,
          parentId: m.parentCode ? (ids.get(m.parentCode) ?? null) : null,
          tariff: m.kind === 'building' ? '一般工商业' : null,
          intervalMinutes: 60,
        },
        nowIso,
      );
      ids.set(m.code, id);
      const rows: ReadingRow[] = [];
      m.kwh.forEach((v, i) => {
        if (!Number.isNaN(v)) rows.push({ meter_id: id, ts: activity.start / 1000 + i * 3600, interval_s: 3600, kwh: Math.round(v * 100) / 100 });
      });
      readings += rows.length;
      await upsertReadings(trx, rows);
    }
  });
  const power = await new PowerService(store, () => now).analyze(SYSTEM_ACTOR, 120);
  const bundle = readIntelBundle(intelDir());
  const intel = new IntelService(store, bundle.sharedPlatforms, () => now);
  await intel.syncBundle(bundle);
  const written = await new SignalWriter(store, intel, () => now).write(activity.dnsEvents, 'dnsmasq');
  const agents = await loadDemoAgents(store, campus, activity.miners, now, (await intel.current()).matcher);
  return { meters: activity.meters.length, readings, anomalies: power.anomalies, signals: written.signals, agents };
}

/**
 * Agents on the computer-science machines, reporting every 10 minutes through the same enrollment
 * and report path as real ones, each enrolled with its own department's token: GPU nodes running
 * students' jobs (one of them mining Ravencoin at night under another name), the lab PCs that asked
 * for pools running a renamed XMRig, some left on overnight, some with stale or no antivirus. Every
 * process of every report is judged by the real host rules and pool list, as on the host.
 */
async function loadDemoAgents(store: Database, campus: RegistryRows, miners: { ip: string; hostname: string; pool: string }[], now: Date, matcher: IntelMatcher): Promise<number> {
  // Enrolled just before the day of reports begins, as a fleet that has been running a while.
  const enrolledAt = new Date(now.getTime() - DEMO_AGENT_HOURS * HOUR_MS - 15 * 60_000);
  const enrollment = new AgentEnrollmentService(store, () => enrolledAt);
  const reports = new AgentReportService(store, () => now);
  const departments = new Map((await store.db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  if (!departments.has('CS')) return 0;
  const assets = campus.assets.filter((a) => a.departmentCode === 'CS' && a.hostname && a.ips.length && (a.kind === 'pc' || a.kind === 'server' || a.kind === 'gpu_node')).slice(0, 40);
  for (const m of miners) {
    const a = campus.assets.find((x) => x.hostname === m.hostname);
    if (a && !assets.includes(a)) assets.push(a);
  }
  const pools = new Map(miners.map((m) => [m.hostname, m.pool]));
  const gpuNodes = assets.filter((a) => a.kind === 'gpu_node');
  const gpuMiner = gpuNodes[16] ?? gpuNodes[0];
  const end = now.getTime();
  const start = end - DEMO_AGENT_HOURS * HOUR_MS;
  const hosts = demoHosts(
    assets.map((a) => ({
      hostname: a.hostname!,
      kind: a.kind === 'pc' ? 'pc' : 'gpu_node',
      platform: a.os?.startsWith('Windows') ? 'win32' : 'linux',
      ...(pools.has(a.hostname!) ? { cpuMinerPool: pools.get(a.hostname!)! } : {}),
      ...(a === gpuMiner ? { gpuMiner: true } : {}),
    })),
    start,
    end,
  );

  // One token per department, as each department enrolls its own machines.
  const tokens = new Map<number, string>();
  for (const a of assets) {
    const dept = departments.get(a.departmentCode)!;
    if (!tokens.has(dept)) tokens.set(dept, (await enrollment.createToken(SYSTEM_ACTOR, { departmentId: dept, uses: assets.length, days: 1, note: 'demo' })).token);
  }
  const agents: AgentIdentity[] = [];
  for (const [i, a] of assets.entries()) {
    const enrolled = await enrollment.enroll({ token: tokens.get(departments.get(a.departmentCode)!)!, hostname: a.hostname!, platform: hosts[i]!.spec.platform, macs: a.macs, ips: a.ips });
    agents.push(await enrollment.authenticate({ headers: { authorization: `Bearer ${enrolled.credential}` } } as never));
  }

  const judge = demoJudge(matcher);
  for (let step = DEMO_AGENT_HOURS * 6; step >= 1; step--) {
    const at = end - step * 10 * 60_000;
    const localHour = (new Date(at).getUTCHours() + 8) % 24;
    // Reports arriving together are written together, as from a fleet of agents.
    await Promise.all(
      hosts.map((host, n) => {
        const leftOn = host.minerFrom !== null || host.spec.gpuMiner || (n + 1) % 5 === 0;
        if (!leftOn && (localHour < 8 || localHour >= 18)) return null;
        const envelope = demoReport(host, assets[n]!, n + 1, at, step, judge);
        return reports.ingest(agents[n]!, agentReportEnvelope.parse(envelope));
      }),
    );
  }
  return assets.length;
}

const HOUR_MS = 3_600_000;
/** The demo's agents report over the last day. */
const DEMO_AGENT_HOURS = 24;

type DemoJudge = (p: DemoProcess, gpu: number | null) => ReturnType<typeof judgeProcess>;

/** The real host rules and pool list, remembered per program and load decile (the demo repeats the same processes every report). */
function demoJudge(matcher: IntelMatcher): DemoJudge {
  const rules = loadHostRules();
  const indicators = { isPoolHost: (h: string) => matcher.matchDomain(h)?.category === 'pool' };
  const known = new Map<string, ReturnType<typeof judgeProcess>>();
  return (p, gpu) => {
    const key = `${p.name}\0${p.exe}\0${p.cmdline}\0${Math.floor(p.cpu / 10)}\0${gpu === null ? '-' : Math.floor(gpu / 10)}`;
    let v = known.get(key);
    if (!v) {
      v = judgeProcess(processRecordSchema.parse({ id: p.pid, pid: p.pid, name: p.name, exe: p.exe, cmdline: p.cmdline, user: p.user, cpu: p.cpu, ...(gpu === null ? {} : { gpu }) }), rules, indicators);
      known.set(key, v);
    }
    return v;
  };
}

/** One report as the agent would send it: the load, the GPUs, the flagged processes as findings, the process table. */
function demoReport(host: DemoHost, asset: RegistryRows['assets'][number], n: number, at: number, step: number, judge: DemoJudge) {
  const snap = demoSnapshot(host, at);
  // A board's utilisation is credited to a process only when it is the board's one compute app (as the agent does).
  const onBoard = new Map<number, number>();
  for (const p of snap.processes) for (const g of p.gpus ?? []) onBoard.set(g.index, (onBoard.get(g.index) ?? 0) + 1);
  const judged = snap.processes.map((p) => {
    const alone = (p.gpus ?? []).filter((g) => onBoard.get(g.index) === 1).map((g) => snap.gpus[g.index]!.utilization);
    const gpu = alone.length ? Math.max(...alone) : null;
    return { p, gpu, v: judge(p, gpu) };
  });
  const findings = judged
    .filter(({ v }) => v.verdict !== 'clean')
    .map(({ p, gpu, v }) => ({ pid: p.pid, name: p.name, exe: p.exe, cmdline: p.cmdline, verdict: v.verdict, score: v.score, reasons: v.reasons.map((r) => ({ ...r })), user: p.user, started: p.started, cpu: p.cpu, gpu }));
  const order = { miner: 0, suspicious: 1, clean: 2 } as const;
  const byCpu = [...judged].sort((a, b) => b.p.cpu - a.p.cpu || b.p.rssBytes - a.p.rssBytes);
  const shown = new Set(byCpu.slice(0, 40));
  for (const j of judged) if (j.v.verdict !== 'clean' || j.p.gpus) shown.add(j);
  const table = byCpu
    .filter((j) => shown.has(j))
    .sort((a, b) => order[a.v.verdict] - order[b.v.verdict])
    .map(({ p, v }) => ({
      pid: p.pid,
      ppid: p.ppid,
      name: p.name.slice(0, 64),
      user: p.user.slice(0, 64),
      cpu: p.cpu,
      mem_percent: Math.round((p.rssBytes / host.memTotal) * 10_000) / 100,
      rss_bytes: Math.round(p.rssBytes),
      started: p.started,
      exe: p.exe.slice(0, 256),
      cmdline: p.cmdline.slice(0, 256),
      verdict: v.verdict,
      ...(p.gpus ? { gpu_mem_mib: p.gpus.reduce((s, g) => s + g.memMiB, 0) } : {}),
    }));
  const windows = host.spec.platform === 'win32';
  return {
    id: `demo-${host.spec.hostname}-${step}`,
    agent: { version: '0.1.0', hostname: host.spec.hostname },
    addresses: { ips: asset.ips, macs: asset.macs },
    scan: {
      host: host.spec.hostname,
      collected_at: new Date(at).toISOString(),
      platform: host.spec.platform,
      findings,
      processes: snap.processes.length,
      process_table: table,
      load: snap.load,
      gpus: snap.gpus,
      antivirus: n % 7 === 0 ? [] : [{ product: windows ? 'defender' : 'clamav', version: windows ? '4.18.24090.11' : '1.0.7', enabled: true, signatureAgeDays: n % 4 === 0 ? 23 : 1 }],
      persistence: { count: 10, findings: [] },
      software: { miners: [] },
      hidden_processes: [],
      slurm_jobs: null,
    },
  };
}
