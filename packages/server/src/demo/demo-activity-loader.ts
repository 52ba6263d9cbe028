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
import { AgentEnrollmentService } from '../agents/agent-enrollment.service.js';
import { AgentReportService } from '../agents/agent-report.service.js';

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
 * Agents on the computer-science machines, reporting through the same enrollment and report path
 * as real ones: most clean, the lab PCs that asked for pools running a renamed XMRig, some left on
 * overnight, some with stale or no antivirus.
 */
async function loadDemoAgents(store: Database, campus: RegistryRows, miners: { ip: string; hostname: string }[], now: Date, matcher: IntelMatcher): Promise<number> {
  const minerFinding = demoMinerFinding(matcher);
  const enrollment = new AgentEnrollmentService(store, () => now);
  const reports = new AgentReportService(store, () => now);
  const dept = await store.db.selectFrom('departments').select('id').where('code', '=', 'CS').executeTakeFirst();
  if (!dept) return 0;
  const hosts = campus.assets.filter((a) => a.departmentCode === 'CS' && a.hostname && a.ips.length && (a.kind === 'pc' || a.kind === 'server' || a.kind === 'gpu_node')).slice(0, 40);
  for (const m of miners) {
    const a = campus.assets.find((x) => x.hostname === m.hostname);
    if (a && !hosts.includes(a)) hosts.push(a);
  }
  const { token } = await enrollment.createToken(SYSTEM_ACTOR, { departmentId: dept.id, uses: hosts.length, days: 1, note: 'demo' });
  const minerHosts = new Set(miners.map((m) => m.hostname));
  let n = 0;
  for (const a of hosts) {
    n++;
    const enrolled = await enrollment.enroll({ token, hostname: a.hostname!, platform: a.os?.startsWith('Windows') ? 'win32' : 'linux', macs: a.macs, ips: a.ips });
    const agent = await enrollment.authenticate({ headers: { authorization: `Bearer ${enrolled.credential}` } } as never);
    const mining = minerHosts.has(a.hostname!);
    const leftOn = mining || n % 5 === 0;
    // Reports over the last day: every 30 min in working hours, and through the night for hosts left on.
    for (let h = 24; h >= 1; h -= 0.5) {
      const at = new Date(now.getTime() - h * 3_600_000);
      const localHour = (at.getUTCHours() + 8) % 24;
      if (!leftOn && (localHour < 8 || localHour >= 18)) continue;
      await reports.ingest(agent, {
        id: `demo-${a.hostname}-${h}`,
        agent: { version: '0.1.0', hostname: a.hostname! },
        addresses: { ips: a.ips, macs: a.macs },
        scan: {
          host: a.hostname!,
          collected_at: at.toISOString(),
          platform: a.os?.startsWith('Windows') ? 'win32' : 'linux',
          findings: mining && h < 20 ? [minerFinding] : [],
          load: { loadavg: mining ? [3.9, 3.9, 3.8] : [0.3, 0.2, 0.2], cores: 4, cpu_percent: mining ? 97 : 5 },
          gpus: [],
          antivirus: n % 7 === 0 ? [] : [{ product: a.os?.startsWith('Windows') ? 'defender' : 'clamav', version: '1.0.7', enabled: true, signatureAgeDays: n % 4 === 0 ? 23 : 1 }],
          persistence: { count: 10, findings: [] },
          software: { miners: [] },
          hidden_processes: [],
          slurm_jobs: null,
        },
      });
    }
  }
  return hosts.length;
}

/**
 * A renamed XMRig as the notice's measure 5 describes it (high CPU, a pool on its command line),
 * judged by the same rules and indicators the agent uses, so the demo shows the real verdict.
 */
function demoMinerFinding(matcher: IntelMatcher) {
  const record = {
    id: 'demo',
    pid: 31337,
    name: 'sysupdate',
    exe: '/tmp/.cache/sysupdate',
    cmdline: '/tmp/.cache/sysupdate -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A -k --donate-level 1 -a rx/0',
    cpu: 97,
  };
  const verdict = judgeProcess(processRecordSchema.parse(record), loadHostRules(), { isPoolHost: (h) => matcher.matchDomain(h)?.category === 'pool' });
  return { pid: record.pid, name: record.name, exe: record.exe, cmdline: record.cmdline, verdict: verdict.verdict, score: verdict.score, reasons: verdict.reasons.map((r) => ({ ...r })) };
}
