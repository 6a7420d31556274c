#!/usr/bin/env bash
# Installs what is missing and runs every suite: native cargo tests, the core built for wasm32,
# the web crate's wasm-bindgen tests in headless Chromium, the Node tests, and the end-to-end
# tests against the built console. Exits non-zero when a suite fails or runs zero tests, and
# ends with one summary line per suite. Then each fuzz target runs for 30 s (FUZZ_SECONDS) from
# its committed corpus (the nightly pieces are installed by scripts/setup-fuzz.sh when missing).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash scripts/setup.sh || { echo "[test] setup failed"; exit 1; }
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export CHROMIUM=/usr/bin/chromium
LOGS=$ROOT/target/test-logs
mkdir -p "$LOGS"

summary=()
failed=0

# record NAME STATUS COUNT DETAIL
record() {
  local name=$1 status=$2 count=$3 detail=$4
  if [ "$status" = ok ] && [ "$count" = 0 ]; then status="FAIL"; detail="ran zero tests"; fi
  [ "$status" = ok ] || failed=1
  summary+=("$(printf '%-10s %-4s %6s tests  %s' "$name" "$status" "$count" "$detail")")
}

# cargo's "test result: ok. N passed; M failed" lines, summed.
cargo_counts() { # file -> "passed failed"
  awk '/test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { print p + 0, f + 0 }' "$1"
}

# node --test's "# pass N" / "# fail N" lines.
node_counts() {
  awk '/^# pass / { p = $3 } /^# fail / { f = $3 } END { print p + 0, f + 0 }' "$1"
}

run_cargo_suite() { # name log cmd...
  local name=$1 log=$2; shift 2
  echo "[test] $name: $*"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  read -r pass fail < <(cargo_counts "$log")
  if [ "$rc" = 0 ]; then record "$name" ok "$pass" "$((SECONDS - t0))s"; else record "$name" FAIL "$pass" "$fail failed, exit $rc, $((SECONDS - t0))s (log: $log)"; fi
}

run_node_suite() { # name log cmd...
  local name=$1 log=$2; shift 2
  echo "[test] $name: $*"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  read -r pass fail < <(node_counts "$log")
  if [ "$rc" = 0 ]; then record "$name" ok "$pass" "$((SECONDS - t0))s"; else record "$name" FAIL "$pass" "$fail failed, exit $rc, $((SECONDS - t0))s (log: $log)"; fi
}

# 0. The import graph of core's modules has no circle (scripts/module-graph.py prints it).
echo "[test] module graph: python3 scripts/module-graph.py"
if python3 scripts/module-graph.py > "$LOGS/module-graph.log" 2>&1; then
  record graph ok "$(grep -c -- ' -> ' "$LOGS/module-graph.log")" "edges, no circle"
else
  record graph FAIL 0 "$(tail -1 "$LOGS/module-graph.log")"
fi

# 0b. No file in core or web is over 900 lines of non-test code (scripts/file-size.py prints them).
echo "[test] file size: python3 scripts/file-size.py"
if python3 scripts/file-size.py > "$LOGS/file-size.log" 2>&1; then
  record size ok "$(grep -c '\.rs$' "$LOGS/file-size.log")" "files, none over 900 lines of non-test code"
else
  record size FAIL 0 "$(tail -1 "$LOGS/file-size.log")"
fi

# 1. Native tests of the whole workspace; feature `ts` adds the check that js/types.d.ts (the
# package's TypeScript declarations, generated from the Rust types) is up to date.
run_cargo_suite native "$LOGS/native.log" cargo test --workspace --locked --features brain-core/ts

# 2. The core builds for wasm32 (the console and the JS package depend on it).
echo "[test] wasm32: cargo build -p brain-core --target wasm32-unknown-unknown"
t0=$SECONDS
if cargo build -p brain-core --target wasm32-unknown-unknown --locked 2>&1 | tee "$LOGS/wasm32.log"; [ "${PIPESTATUS[0]}" = 0 ]; then
  record wasm32 ok build "core builds for wasm32-unknown-unknown, $((SECONDS - t0))s"
else
  record wasm32 FAIL build "core does not build for wasm32 (log: $LOGS/wasm32.log)"
fi

# 3. The web crate's wasm-bindgen tests in headless Chromium (through chromedriver).
# cargo runs test binaries from the package root, where web/webdriver.json gives Chromium its flags.
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  run_cargo_suite web-wasm "$LOGS/web-wasm.log" cargo test -p brain-web --lib --target wasm32-unknown-unknown --locked

# 4. Node tests (the JS package and the test tooling); the package is built first.
if [ -f scripts/build-js.sh ] && ! bash scripts/build-js.sh 2>&1 | tee "$LOGS/build-js.log"; then
  record node FAIL 0 "the JS package did not build (log: $LOGS/build-js.log)"
else
  run_node_suite node "$LOGS/node.log" node --test tests/node/
fi

# 5. End-to-end: build the console with Trunk, serve dist/ on 127.0.0.1, drive Chromium.
echo "[test] e2e: trunk build --release --offline"
t0=$SECONDS
if trunk build --release --offline 2>&1 | tee "$LOGS/trunk.log"; [ "${PIPESTATUS[0]}" = 0 ]; then
  port=${E2E_PORT:-8091}
  node tests/serve.mjs dist "$port" > "$LOGS/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 50); do node -e "fetch('http://127.0.0.1:$port/').then(()=>process.exit(0),()=>process.exit(1))" && break; sleep 0.2; done
  BASE_URL="http://127.0.0.1:$port" run_node_suite e2e "$LOGS/e2e.log" node --test --test-concurrency=1 tests/e2e/
  kill "$server" 2>/dev/null
else
  record e2e FAIL 0 "trunk build failed (log: $LOGS/trunk.log)"
fi

# 6. Fuzzing: each cargo-fuzz target (fuzz/) for FUZZ_SECONDS from its committed seeds and corpus, which are
# only read (new inputs go to a scratch directory, so the work tree stays clean).
fuzz_seconds=${FUZZ_SECONDS:-30}
echo "[test] fuzz: cargo +nightly fuzz run, ${fuzz_seconds}s per target"
t0=$SECONDS
if ! bash scripts/setup-fuzz.sh > "$LOGS/fuzz-setup.log" 2>&1; then
  record fuzz FAIL 0 "setup-fuzz.sh failed (log: $LOGS/fuzz-setup.log)"
elif ! (cd fuzz && cargo +nightly fuzz build) > "$LOGS/fuzz-build.log" 2>&1; then
  record fuzz FAIL 0 "the fuzz targets did not build (log: $LOGS/fuzz-build.log)"
else
  fuzz_ok=0; fuzz_failed=(); fuzz_runs=0
  for target in $(cd fuzz && cargo +nightly fuzz list); do
    scratch=$(mktemp -d)
    log="$LOGS/fuzz-$target.log"
    (cd fuzz && cargo +nightly fuzz run "$target" "$scratch" "corpus/$target" "seeds/$target" -- \
      -max_total_time="$fuzz_seconds" -timeout=20 -rss_limit_mb=3072 -print_final_stats=1) > "$log" 2>&1
    rc=$?
    rm -rf "$scratch"
    runs=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log")
    fuzz_runs=$((fuzz_runs + ${runs:-0}))
    echo "[test] fuzz $target: exit $rc, ${runs:-0} executions"
    if [ "$rc" = 0 ]; then fuzz_ok=$((fuzz_ok + 1)); else fuzz_failed+=("$target (log: $log, input in fuzz/artifacts/$target/)"); fi
  done
  if [ ${#fuzz_failed[@]} = 0 ]; then
    record fuzz ok "$fuzz_ok" "targets, $fuzz_runs executions, no crash, $((SECONDS - t0))s"
  else
    record fuzz FAIL "$fuzz_ok" "crashed: ${fuzz_failed[*]}, $((SECONDS - t0))s"
  fi
fi

# 7. The size and speed report (not a test, never fails the run): what a page downloads for
# the lite entry, the package and the console, and the JS engine at 10,000 commands.
echo "[test] report: node tests/bench/report.mjs dist"
nice -n 19 node tests/bench/report.mjs dist 2>&1 | tee "$LOGS/report.log" || echo "[test] report: not produced (see $LOGS/report.log)"

echo
echo "== summary =="
printf '%s\n' "${summary[@]}"
if [ "$failed" != 0 ]; then echo "== FAILED =="; exit 1; fi
echo "== all suites passed =="
