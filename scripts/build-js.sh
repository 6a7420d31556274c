#!/usr/bin/env bash
# Builds the JS package @brain/core: two wasm builds of the core, each through wasm-bindgen
# (ES module: init() in browsers, initSync({ module }) in Node) and wasm-opt -Oz:
#   js/pkg-lite/  assignment and statistics only: cargo build --no-default-features --features
#                 js,small-alloc (no engine, no serde_json, lol_alloc for dlmalloc; its glue
#                 minified, below, which drops the doc comments wasm-bindgen copies from Rust: they
#                 stay in the .d.ts); the lite entry and the package's assignment and statistics. The
#                 hand-written lite.js, inputs.js and assign-fast.js are shipped from here too, as
#                 comment-free copies beside the glue (scripts/ship-js.mjs; the sources in js/ keep
#                 their comments), and these and the glue minified by terser (scripts/minify-js.mjs):
#                 package.json's ./lite, index.js and route-fast.js load the copies
#   js/pkg/       the engine: cargo build --profile release-js --features js (opt-level 3, and
#                 wasm-opt -O3: speed first, see Cargo.toml); loaded on first Brain use (js/engine.js)
# Tools: wasm-bindgen 0.2.130 (cargo install wasm-bindgen-cli --version 0.2.130),
# wasm-opt from the root's binaryen devDependency, terser from its terser devDependency (npm ci).
# BRAIN_JS_NAMES=1 keeps the functions' names in both wasms (wasm-opt -g), for profiles that
# name Rust functions (`node --cpu-prof tests/bench/engine.mjs`); the code is the same, the
# files larger. Not for shipping.
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

NAMES=()
[ "${BRAIN_JS_NAMES:-}" = 1 ] && NAMES=(-g)

FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

# build NAME OUT_DIR OUT_NAME PROFILE WASM_OPT_FLAGS CARGO_FLAGS...: one wasm build into
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
  # $level may hold several flags (word-split on purpose).
  # shellcheck disable=SC2086
  wasm-opt $level "${NAMES[@]}" "${FEATURES[@]}" "$out/${out_name}_bg.wasm" -o "$out/${out_name}_bg.wasm.opt"
  mv "$out/${out_name}_bg.wasm.opt" "$out/${out_name}_bg.wasm"
  rm -f "$out/.gitignore"
  local raw gz
  raw=$(wc -c < "$out/${out_name}_bg.wasm")
  gz=$(gzip -9 -c "$out/${out_name}_bg.wasm" | wc -c)
  echo "[build-js] js/$dir/${out_name}_bg.wasm: $raw bytes, $gz bytes gzip -9"
}

# Size first for the lite entry (every page that buckets users downloads it), speed first for
# the engine. tests/bench/size.mjs reads the artifacts: release/ (lite), release-js/ (engine).
# The lite wasm: -Oz until nothing changes, without the producers and target-features sections
# (no tool reads them after this step): 0.3 KB less gzip than -Oz alone.
LITE_WASM_OPT="-Oz --converge --strip-producers --strip-target-features"
build lite pkg-lite brain_core_lite release "$LITE_WASM_OPT" --no-default-features --features js,small-alloc
node "$ROOT/scripts/ship-js.mjs" "$ROOT/js/pkg-lite" "$ROOT/js/lite.js" "$ROOT/js/inputs.js" "$ROOT/js/assign-fast.js"
# Then minified (terser: local names and whitespace; names exported, properties and strings kept).
node "$ROOT/scripts/minify-js.mjs" "$ROOT/js/pkg-lite/brain_core_lite.js" "$ROOT/js/pkg-lite/lite.js" \
  "$ROOT/js/pkg-lite/inputs.js" "$ROOT/js/pkg-lite/assign-fast.js"
build engine pkg brain_core release-js -O3 --features js
