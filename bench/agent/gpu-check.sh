#!/usr/bin/env bash
# GPU collector check, for a machine with a real NVIDIA GPU: prints nvidia-smi's raw answers to
# the two queries the agent runs, then what the agent's GPU collector parsed from them, so the two
# can be compared field by field ([N/A] / [Not Supported] must come out as null).
#   node packages/agent/build.mjs          (on the dev machine; carry packages/agent/dist)
#   bash bench/agent/gpu-check.sh
# Starts nothing on the GPU itself; if a CUDA-capable python3 with torch is present, a 5-second
# matmul runs so --query-compute-apps has one process to report (set GPU_CHECK_LOAD=0 to skip).
set -u
cd "$(dirname "$0")/../.."
BUNDLE=packages/agent/dist/qingling-agent.mjs

echo "== nvidia-smi -L"
nvidia-smi -L || { echo "nvidia-smi missing or failing (exit $?)"; }

LOAD_PID=
if [ "${GPU_CHECK_LOAD:-1}" = 1 ] && command -v python3 >/dev/null && python3 -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  python3 -c 'import torch,time
a=torch.randn(8192,8192,device="cuda"); t=time.time()
while time.time()-t<5: a=a@a; a=a/a.norm()
torch.cuda.synchronize()' &
  LOAD_PID=$!
  sleep 2
fi

echo "== raw: --query-gpu"
nvidia-smi --query-gpu=index,name,uuid,utilization.gpu,memory.used,memory.total,power.draw,temperature.gpu --format=csv,noheader,nounits
echo "== raw: --query-compute-apps"
nvidia-smi --query-compute-apps=pid,process_name,used_memory,gpu_uuid --format=csv,noheader,nounits

echo "== agent: gpus, gpu_processes, notes (qingling-agent scan --json)"
if ! command -v node >/dev/null; then
  echo "node not found: cannot run the agent here"
elif [ ! -f "$BUNDLE" ]; then
  echo "$BUNDLE missing: run node packages/agent/build.mjs first and carry packages/agent/dist"
else
  node --lite-mode --no-expose-wasm "$BUNDLE" scan --json --no-software --interval 500 |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(JSON.stringify({gpus:r.gpus,gpu_processes:r.gpu_processes,notes:r.notes.filter(n=>/nvidia|gpu/i.test(n))},null,2));const f=r.findings.filter(f=>f.gpu!==null);if(f.length)console.log("findings with GPU use:",JSON.stringify(f.map(x=>({pid:x.pid,name:x.name,gpu:x.gpu,verdict:x.verdict}))))})'
  echo "agent exit code: ${PIPESTATUS[0]}"
fi
[ -n "$LOAD_PID" ] && wait "$LOAD_PID"
exit 0
