#!/usr/bin/env bash
# Builds the JS package @brain/core: two wasm builds of the core, each through wasm-bindgen
# (ES module: init() in browsers, initSync({ module }) in Node) and wasm-opt -Oz:
#   js/pkg-lite/  assignment and statistics only: cargo build --no-default-features --features js
#                 (no engine, no serde_json); the lite entry (js/lite.js) and the package's
#                 assignment and statistics
#   js/pkg/       the engine: cargo build --profile release-js --features js (opt-level 3, and
#                 wasm-opt -O3: speed first, see Cargo.toml); loaded on first Brain use (js/engine.js)
# BRAIN_WASM_NAMES=1 keeps the function names (wasm-opt --debuginfo) for profiling, e.g.
# `node --cpu-prof tests/bench/engine.mjs`; the package then is larger, so never publish it.
# Tools: wasm-bindgen 0.2.130 (cargo install wasm-bindgen-cli --version 0.2.130),
# wasm-opt from the root's binaryen devDependency (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

for tool in wasm-bindgen wasm-opt; do
  command -v "$tool" >/dev/null || { echo "[build-js] $tool not found (see the header of $0)" >&2; exit 1; }
done
want=0.2.130
have=$(wasm-bindgen --version | awk '{print $2}')
[ "$have" = "$want" ] || { echo "[build-js] wasm-bindgen $have found, $want needed (it must match Cargo.lock)" >&2; exit 1; }

FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

# build NAME OUT_DIR OUT_NAME PROFILE WASM_OPT_LEVEL CARGO_FLAGS...: one wasm build into
# js/<OUT_DIR>/<OUT_NAME>*.
build() {
  local name=$1 dir=$2 out=$ROOT/js/$2 out_name=$3 profile=$4 level=$5
  shift 5
  echo "[build-js] $name: cargo build --profile $profile --target wasm32-unknown-unknown $*"
  cargo build -p brain-core --profile "$profile" --target wasm32-unknown-unknown --locked "$@"
  echo "[build-js] $name: wasm-bindgen --target web"
  rm -rf "$out"
  wasm-bindgen --target web --out-dir "$out" --out-name "$out_name" \
    "$TARGET_DIR/wasm32-unknown-unknown/$profile/brain_core.wasm"
  # Trailing parameters that may be omitted are declared optional (`alpha?: number`):
  # wasm-bindgen writes the `unchecked_param_type` "T | undefined" as a required parameter.
  sed -E -i 's/\b([a-zA-Z]+): ([^,():]+) \| undefined([,)])/\1?: \2\3/g; s/(coverage\?: number, )weights: /\1weights?: /' \
    "$out/$out_name.d.ts"
  echo "[build-js] $name: wasm-opt $level"
  local names=()
  [ "${BRAIN_WASM_NAMES:-0}" = 1 ] && names=(--debuginfo)
  wasm-opt "$level" "${FEATURES[@]}" "${names[@]}" "$out/${out_name}_bg.wasm" -o "$out/${out_name}_bg.wasm.opt"
  mv "$out/${out_name}_bg.wasm.opt" "$out/${out_name}_bg.wasm"
  rm -f "$out/.gitignore"
  local raw gz
  raw=$(wc -c < "$out/${out_name}_bg.wasm")
  gz=$(gzip -9 -c "$out/${out_name}_bg.wasm" | wc -c)
  echo "[build-js] js/$dir/${out_name}_bg.wasm: $raw bytes, $gz bytes gzip -9"
}

# Size first for the lite entry (every page that buckets users downloads it), speed first for
# the engine. tests/bench/size.mjs reads the artifacts: release/ (lite), release-js/ (engine).
build lite pkg-lite brain_core_lite release -Oz --no-default-features --features js
build engine pkg brain_core release-js -O3 --features js
