#!/usr/bin/env bash
# GPU device check: `trainyard gpus --json` against the REAL nvidia-smi, then per-process attribution of two torch jobs.
#
# Needs: an NVIDIA GPU with nvidia-smi on PATH; python3 with torch (CUDA) — override with $PYTHON; Node 20 as $NODE or
# on PATH; the compiled engine (`npm run build` → out/node, used by bin/trainyard.js) OR node_modules/.bin/tsx (then
# the TypeScript sources are run directly).
# What it does:
#   1. `node bin/trainyard.js gpus --json` must exit 0 and list as many NVIDIA GPUs as `nvidia-smi -L`, with memory.
#   2. Starts two torch processes on the first GPU that allocate ALLOC_A / ALLOC_B MiB (default 1024 / 2048):
#      run-A is the python process itself; run-B is a python under a wrapper bash (the resolver only knows the wrapper,
#      so the engine's process-tree walk must find it).
#   3. A tiny Node script starts the engine's Monitor with a pid resolver mapping those pids to run-A / run-B and waits
#      (up to 30 s) until both show up with at least their allocation (the CUDA context adds a few hundred MiB).
# Prints PASS/FAIL per check and exits 1 if anything failed. Usage: bash test/device/gpu-check.sh
# Dry run without a GPU (checks the script, not the hardware): PATH="$PWD/test/fixtures/bin:$PATH" FAKE_GPUS=2
#   PYTHON=<a script that prints READY and execs `FAKE_GPU_MEM_MIB=<mib+300> sleep 120`> FROM_SOURCE=1 bash test/device/gpu-check.sh
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE="${NODE:-node}"
PYTHON="${PYTHON:-python3}"
ALLOC_A="${ALLOC_A:-1024}"
ALLOC_B="${ALLOC_B:-2048}"
TMP="$(mktemp -d)"
FAILS=0
PIDS=()
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT

command -v nvidia-smi >/dev/null || { fail "nvidia-smi is not on PATH: this check needs a real NVIDIA GPU"; exit 1; }
command -v "$NODE" >/dev/null || { fail "node not found (set NODE=/path/to/node)"; exit 1; }
EXPECTED=$(nvidia-smi -L | grep -c '^GPU ')
echo "nvidia-smi -L: $EXPECTED GPU(s); driver $(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1)"

# Which engine build to use: compiled JS first (rebuild it if stale: `npm run build`), TypeScript through tsx otherwise
# or when FROM_SOURCE=1.
FROM_SOURCE="${FROM_SOURCE:-0}"
if [ "$FROM_SOURCE" != 1 ] && [ -f "$ROOT/out/node/src/core/gpu/monitor.js" ]; then
  RUNNER=("$NODE"); MONITOR="$ROOT/out/node/src/core/gpu/monitor.js"
elif [ -x "$ROOT/node_modules/.bin/tsx" ]; then
  RUNNER=("$NODE" "$ROOT/node_modules/.bin/tsx"); MONITOR="$ROOT/src/core/gpu/monitor.ts"
else
  fail "neither out/node (npm run build) nor node_modules/.bin/tsx is here"; exit 1
fi

# 1. The CLI against the real tool.
if [ "$FROM_SOURCE" != 1 ] && [ -f "$ROOT/out/node/src/cli/main.js" ]; then
  "$NODE" "$ROOT/bin/trainyard.js" gpus --json >"$TMP/gpus.json" 2>"$TMP/gpus.err"; CODE=$?
else
  echo "(running the CLI from source through tsx)"
  "${RUNNER[@]}" -e "import('$ROOT/src/cli/index.ts').then(async (m) => process.exit(await m.runCli(['gpus','--json'], {out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env})))" >"$TMP/gpus.json" 2>"$TMP/gpus.err"; CODE=$?
fi
if [ "$CODE" = 0 ]; then pass "trainyard gpus --json exits 0"; else fail "trainyard gpus --json exited $CODE: $(cat "$TMP/gpus.err")"; fi
"$NODE" -e '
  const gpus = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const want = Number(process.argv[2]);
  const ok = gpus.length === want && gpus.every((g) => g.vendor === "nvidia" && g.memoryTotalMiB > 0 && /^GPU-/.test(g.uuid));
  for (const g of gpus) console.log(`  GPU ${g.index} ${g.name} ${g.memoryUsedMiB}/${g.memoryTotalMiB} MiB util ${g.utilizationGpuPct}% ${g.temperatureC}C ${g.powerDrawW}W`);
  process.exit(ok ? 0 : 1);
' "$TMP/gpus.json" "$EXPECTED" && pass "JSON lists $EXPECTED NVIDIA GPU(s) with uuid and memory" || fail "JSON does not match nvidia-smi -L ($(head -c 300 "$TMP/gpus.json"))"

# 2. Two torch jobs with known allocations on GPU 0.
cat >"$TMP/alloc.py" <<'PY'
import sys, time, torch
mib = int(sys.argv[1])
x = torch.empty(mib * 2**20, dtype=torch.uint8, device="cuda")
x.fill_(1)
torch.cuda.synchronize()
print("READY", flush=True)
time.sleep(120)
PY
CUDA_VISIBLE_DEVICES=0 "$PYTHON" "$TMP/alloc.py" "$ALLOC_A" >"$TMP/a.out" 2>&1 &
PID_A=$!; PIDS+=("$PID_A")
CUDA_VISIBLE_DEVICES=0 bash -c "\"$PYTHON\" \"$TMP/alloc.py\" $ALLOC_B; :" >"$TMP/b.out" 2>&1 &
WRAP_B=$!; PIDS+=("$WRAP_B")
for _ in $(seq 60); do grep -q READY "$TMP/a.out" && grep -q READY "$TMP/b.out" && break; sleep 0.5; done
# The wrapper's python child must be stopped too at the end (killing bash alone would orphan it holding GPU memory).
for c in $(cat "/proc/$WRAP_B/task/$WRAP_B/children" 2>/dev/null); do PIDS+=("$c"); done
if grep -q READY "$TMP/a.out" && grep -q READY "$TMP/b.out"; then pass "two torch processes allocated $ALLOC_A and $ALLOC_B MiB"
else fail "torch processes did not start: $(tail -3 "$TMP/a.out" "$TMP/b.out")"; exit 1; fi

# 3. The engine's attribution.
cat >"$TMP/attr.mjs" <<'JS'
const { Monitor } = await import(process.env.MONITOR_MODULE);
const runs = { [process.env.PID_A]: 'run-A', [process.env.WRAP_B]: 'run-B' };
const m = new Monitor({ env: process.env, intervalMs: () => 1000, appsIntervalMs: 1000 });
m.setPidResolver((pid) => runs[String(pid)] ?? null);
await m.start();
const want = { 'run-A': Number(process.env.ALLOC_A), 'run-B': Number(process.env.ALLOC_B) };
const deadline = Date.now() + 30_000;
let procs = [];
while (Date.now() < deadline) {
  procs = m.snapshot().processes;
  const ok = Object.entries(want).every(([run, mib]) => procs.some((p) => p.runId === run && p.usedMemoryMiB >= mib && p.gpuIndex === 0));
  if (ok) break;
  await new Promise((r) => setTimeout(r, 1000));
}
await m.stop();
for (const p of procs) console.log(`  pid ${p.pid} ${p.name} GPU ${p.gpuIndex} ${p.usedMemoryMiB} MiB run ${p.runId ?? '(external)'}`);
for (const [run, mib] of Object.entries(want)) {
  const p = procs.find((x) => x.runId === run);
  console.log(p && p.usedMemoryMiB >= mib && p.gpuIndex === 0 ? `PASS ${run} attributed: pid ${p.pid} with ${p.usedMemoryMiB} MiB (>= ${mib}) on GPU 0` : `FAIL ${run} not attributed with >= ${mib} MiB on GPU 0`);
}
console.log(m.snapshot().source === 'nvidia-smi' ? 'PASS monitor source is nvidia-smi (live stream)' : `FAIL monitor source ${m.snapshot().source}: ${JSON.stringify(m.snapshot().notice)}`);
JS
MONITOR_MODULE="$MONITOR" PID_A="$PID_A" WRAP_B="$WRAP_B" ALLOC_A="$ALLOC_A" ALLOC_B="$ALLOC_B" \
  "${RUNNER[@]}" "$TMP/attr.mjs" | tee "$TMP/attr.out"
FAILS=$((FAILS + $(grep -c '^FAIL' "$TMP/attr.out")))
grep -q '^PASS run-A' "$TMP/attr.out" && grep -q '^PASS run-B' "$TMP/attr.out" || true

if [ "$FAILS" = 0 ]; then echo "ALL PASS"; else echo "$FAILS check(s) FAILED"; exit 1; fi
