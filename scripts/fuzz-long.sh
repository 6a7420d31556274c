#!/usr/bin/env bash
# Runs each fuzz target, one after the other, under `nice -n 19`, until it has used
# CPU_SECONDS of CPU time (default 600: ten CPU-minutes), in chunks of at most CHUNK seconds
# of wall time. The corpus grows in fuzz/corpus/<target>/ (seeded from fuzz/seeds/<target>/);
# crashes land in fuzz/artifacts/<target>/. Prints executions and exec/s per target.
# Usage: bash scripts/fuzz-long.sh [target[:cpu_seconds] ...]   (after scripts/setup-fuzz.sh)
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
CPU_SECONDS=${CPU_SECONDS:-600}
CHUNK=${CHUNK:-300}
# libFuzzer's -timeout is wall time: under `nice -n 19` on a busy machine a 1 s input can wait
# 20 s for the CPU and be reported as a timeout. Raise TIMEOUT there (seconds, default 20).
TIMEOUT=${TIMEOUT:-20}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(command_json snapshot_import audit_export policy_json)
# FUZZ_NO_BUILD=1: use the binaries already built (the shared target dir's lock can be busy).
[ -n "${FUZZ_NO_BUILD:-}" ] || nice -n 19 cargo +nightly fuzz build || exit 1
bin_dir=${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release
logs=${FUZZ_LOGS:-/tmp/brain-fuzz}
mkdir -p "$logs"
for spec in "${targets[@]}"; do
  t=${spec%%:*}
  want=$CPU_SECONDS
  [ "$spec" = "$t" ] || want=${spec#*:}
  mkdir -p "corpus/$t" "artifacts/$t"
  cpu=0; runs=0; chunk=0
  while [ "$cpu" -lt "$want" ]; do
    chunk=$((chunk + 1))
    log="$logs/$t.$chunk.log"
    /usr/bin/time -f '%U %S' -o "$logs/$t.$chunk.time" \
      nice -n 19 "$bin_dir/$t" "corpus/$t" "seeds/$t" -max_total_time="$CHUNK" \
        -timeout="$TIMEOUT" -rss_limit_mb=3072 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" > "$log" 2>&1
    rc=$?
    used=$(awk '{ printf "%d", $1 + $2 }' "$logs/$t.$chunk.time" | tail -1)
    cpu=$((cpu + used))
    n=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log")
    runs=$((runs + ${n:-0}))
    echo "[fuzz-long] $t chunk $chunk: exit $rc, $used CPU s, ${n:-0} executions (total $cpu CPU s, $runs executions)"
    if [ "$rc" != 0 ]; then echo "[fuzz-long] $t FOUND A CRASH: see $log and artifacts/$t/"; break; fi
  done
  echo "[fuzz-long] $t done: $runs executions in $cpu CPU s ($((runs / (cpu > 0 ? cpu : 1))) exec/CPU s)"
done
