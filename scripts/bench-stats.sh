#!/usr/bin/env bash
# Runs the statistics and assignment benchmarks side by side with gbstats.
# Usage: scripts/bench-stats.sh [python-with-gbstats]
# The Python interpreter needs scripts/fixtures/requirements.txt installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${1:-python3}"

echo "== gbstats (Python) =="
"$PYTHON" scripts/fixtures/bench_gbstats.py

echo "== brain-core (Rust, criterion) =="
cargo bench -p brain-core --bench stats -- --warm-up-time 1 --measurement-time 2 2>&1 \
  | grep -E '^[a-z_0-9/]+ +time:|^[a-z_0-9]+$|time:' || true
cargo bench -p brain-core --bench assign -- --warm-up-time 1 --measurement-time 2 2>&1 \
  | grep -E 'time:|thrpt:|^assign/' || true
