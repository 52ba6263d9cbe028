#!/usr/bin/env bash
# GPU collector check, for a machine with a real NVIDIA GPU. In three phases — idle, a PyTorch job
# (a hard negative: python with torch), and a decoy GPU job run as /tmp/.cache/nvcache (an unknown
# program from /tmp holding a GPU busy, as a GPU miner would) — it prints nvidia-smi's raw answers
# to the two queries the agent runs, then what the agent's collector parsed and judged, so the two
# can be compared field by field ([N/A] / [Not Supported] must come out as null). A last phase runs
# the service loop for ~30 s with the decoy busy and prints what its spooled reports say.
#   node packages/agent/build.mjs          (on the dev machine; carry packages/agent/dist)
#   bash bench/agent/gpu-check.sh [OUT_DIR]
# With OUT_DIR, the raw answers and each phase's scan JSON are saved there, to become fixtures.
# The loads are plain matrix products (never a miner); they need python3 with CUDA-enabled torch.
set -u
cd "$(dirname "$0")/../.."
BUNDLE=packages/agent/dist/qingling-agent.mjs
OUT_DIR=${1:-}
[ -n "$OUT_DIR" ] && mkdir -p "$OUT_DIR"
QUERY_GPU=(--query-gpu=index,name,uuid,utilization.gpu,memory.used,memory.total,power.draw,temperature.gpu --format=csv,noheader,nounits)
QUERY_APPS=(--query-compute-apps=pid,process_name,used_memory,gpu_uuid --format=csv,noheader,nounits)

echo "== nvidia-smi -L"
nvidia-smi -L || echo "nvidia-smi missing or failing (exit $?)"
if command -v nvidia-smi >/dev/null; then
  echo "== cost of the agent's two queries (10 rounds)"
  start=$(date +%s%N)
  for _ in 1 2 3 4 5 6 7 8 9 10; do nvidia-smi "${QUERY_GPU[@]}" >/dev/null; nvidia-smi "${QUERY_APPS[@]}" >/dev/null; done
  echo "per cycle: $(( ($(date +%s%N) - start) / 10000000 )) ms wall"
  echo "CPU of one cycle (user+sys):"; time (nvidia-smi "${QUERY_GPU[@]}" >/dev/null; nvidia-smi "${QUERY_APPS[@]}" >/dev/null)
fi

# A 25-second matrix-product loop; $1 is the interpreter to run it under.
MATMUL='import torch,time
a=torch.randn(8192,8192,device="cuda"); t=time.time()
while time.time()-t<25: a=a@a; a=a/a.norm()
torch.cuda.synchronize()'

phase() { # name
  local name=$1
  echo "== [$name] raw: --query-gpu"
  nvidia-smi "${QUERY_GPU[@]}" | tee ${OUT_DIR:+"$OUT_DIR/$name-gpus.csv"}
  echo "== [$name] raw: --query-compute-apps"
  nvidia-smi "${QUERY_APPS[@]}" | tee ${OUT_DIR:+"$OUT_DIR/$name-apps.csv"}
  echo "== [$name] agent: gpus, gpu_processes, GPU notes and findings (scan --json)"
  if ! command -v node >/dev/null; then echo "node not found: cannot run the agent here"; return; fi
  if [ ! -f "$BUNDLE" ]; then echo "$BUNDLE missing: build it and carry packages/agent/dist"; return; fi
  node --lite-mode --no-expose-wasm "$BUNDLE" scan --json --no-software --interval 1000 >/tmp/gpu-scan.json
  echo "agent exit code: $?"
  [ -n "$OUT_DIR" ] && cp /tmp/gpu-scan.json "$OUT_DIR/$name-scan.json"
  node -e 'const r=JSON.parse(require("fs").readFileSync("/tmp/gpu-scan.json","utf8"));
console.log(JSON.stringify({gpus:r.gpus,gpu_processes:r.gpu_processes,notes:r.notes.filter(n=>/nvidia|gpu/i.test(n))},null,1));
const pids=new Set(r.gpu_processes.map(p=>p.pid));
for(const f of r.findings.filter(f=>f.gpu!==null||pids.has(f.pid)))console.log("finding:",JSON.stringify({pid:f.pid,name:f.name,exe:f.exe,gpu:f.gpu,verdict:f.verdict,score:f.score,rules:f.reasons.map(x=>x.rule)}));
for(const p of r.process_table.filter(p=>p.gpu_mem_mib!==undefined))console.log("table row:",JSON.stringify(p))'
}

phase idle

if command -v python3 >/dev/null && python3 -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  python3 -c "$MATMUL" & LOAD=$!
  sleep 8; phase torch; wait $LOAD

  # The decoy: the same interpreter binary copied to /tmp under another name, so /proc shows an
  # unknown executable in /tmp with the GPU busy. Its packages come through PYTHONPATH.
  SITE=$(python3 -c 'import site; print(":".join(site.getsitepackages()))')
  mkdir -p /tmp/.cache && cp "$(python3 -c 'import sys,os; print(os.path.realpath(sys.executable))')" /tmp/.cache/nvcache
  printf '%s\n' "$MATMUL" >/tmp/.cache/w.py
  PYTHONPATH=$SITE /tmp/.cache/nvcache /tmp/.cache/w.py & LOAD=$!
  sleep 8; phase decoy; wait $LOAD
  GPU_LOAD="PYTHONPATH=$SITE /tmp/.cache/nvcache /tmp/.cache/w.py"
else
  echo "python3 with CUDA torch not found: only the idle phase ran"
  GPU_LOAD=
fi

# The service: `run` every 5 s for ~30 s (the decoy busy on the GPU when there is one), towards a
# server that is not there, so each report lands in the spool; then what the reports say.
echo "== [service] agent run --interval 5, server unreachable: reports spool"
if command -v node >/dev/null && [ -f "$BUNDLE" ]; then
  SVC=$(mktemp -d)
  printf '{"server":"http://127.0.0.1:9","agentId":"ag_gpucheck","credential":"qla_ag_gpucheck.check","enrolledAt":"2026-01-01T00:00:00Z","spoolDir":"%s/spool"}\n' "$SVC" >"$SVC/agent.json"
  [ -n "$GPU_LOAD" ] && { bash -c "$GPU_LOAD" & LOAD=$!; sleep 6; }
  node --lite-mode --no-expose-wasm --expose-gc "$BUNDLE" run --config "$SVC/agent.json" --interval 5 --no-software >"$SVC/log" 2>&1 & AGENT=$!
  sleep 32; kill -TERM "$AGENT"; wait "$AGENT"
  [ -n "$GPU_LOAD" ] && wait "$LOAD"
  grep '"agent.cycle"' "$SVC/log" | grep -o '"processes":[0-9]*,"findings":[0-9]*\|"ms":[0-9]*' | paste -d' ' - -
  node -e 'const fs=require("fs"),z=require("zlib"),d=process.argv[1];
for(const f of fs.readdirSync(d).sort()){const r=JSON.parse(z.gunzipSync(fs.readFileSync(d+"/"+f)));const s=r.scan;
const flagged=s.findings.map(x=>`${x.name}:${x.verdict}:cpu=${x.cpu}:gpu=${x.gpu}`);
console.log(f.slice(0,16),"interval",s.interval_sec,"s; processes",s.processes,"; gpu util",s.gpus.map(g=>g.utilization).join(","),"; table",Array.isArray(s.process_table),"; findings",flagged.join(" ")||"none")}' "$SVC/spool"
  [ -n "$OUT_DIR" ] && cp "$SVC/log" "$OUT_DIR/service.log"
else
  echo "node or the bundle missing: service phase skipped"
fi
exit 0
