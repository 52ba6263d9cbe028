#!/usr/bin/env bash
# GPU collector check, for a machine with a real NVIDIA GPU. In three phases — idle, a PyTorch job
# (a hard negative: python with torch), and a decoy GPU job run as /tmp/.cache/nvcache (an unknown
# program from /tmp holding a GPU busy, as a GPU miner would) — it prints nvidia-smi's raw answers
# to the two queries the agent runs, then what the agent's collector parsed and judged, so the two
# can be compared field by field ([N/A] / [Not Supported] must come out as null).
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
else
  echo "python3 with CUDA torch not found: only the idle phase ran"
fi
exit 0
