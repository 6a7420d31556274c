#!/usr/bin/env bash
# Builds the JS package @brain/core: two wasm builds of the core, each through wasm-bindgen
# (ES module: init() in browsers, initSync({ module }) in Node) and wasm-opt:
#   js/pkg-lite/  assignment and statistics only (the lite entry, and the package's assignment and
#                 statistics): cargo build --no-default-features --features js,small-alloc (no
#                 engine, no serde_json, lol_alloc for dlmalloc), by the nightly toolchain with its
#                 standard library rebuilt for panic=immediate-abort (below), wasm-opt -Oz. Its
#                 glue, js/lite.js and the modules it imports are then bundled into one file,
#                 js/pkg-lite/lite.js (scripts/bundle-lite.mjs, esbuild), minified by terser
#                 (scripts/minify-js.mjs): package.json's ./lite and index.js load it
#   js/pkg/       the engine: cargo build --profile release-js --features js (opt-level 3, and
#                 wasm-opt -O3: speed first, see Cargo.toml); loaded on first Brain use (js/engine.js)
# Tools: wasm-bindgen 0.2.130 (cargo install wasm-bindgen-cli --version 0.2.130), the nightly
# toolchain with rust-src (scripts/setup-nightly.sh), wasm-opt from the root's binaryen
# devDependency, esbuild and terser from the root's devDependencies (npm ci).
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

# build NAME OUT_DIR OUT_NAME PROFILE WASM_OPT_FLAGS CARGO_TARGET_DIR TOOLCHAIN CARGO_FLAGS...: one
# wasm build into js/<OUT_DIR>/<OUT_NAME>*; TOOLCHAIN is +nightly, or empty for the project's own.
build() {
  local name=$1 dir=$2 out=$ROOT/js/$2 out_name=$3 profile=$4 level=$5 target_dir=$6 toolchain=$7
  shift 7
  echo "[build-js] $name: cargo $toolchain build --profile $profile --target wasm32-unknown-unknown $*"
  cargo ${toolchain:+"$toolchain"} build -p brain-core --profile "$profile" --target wasm32-unknown-unknown \
    --locked --target-dir "$target_dir" "$@"
  echo "[build-js] $name: wasm-bindgen --target web"
  rm -rf "$out"
  wasm-bindgen --target web --out-dir "$out" --out-name "$out_name" \
    "$target_dir/wasm32-unknown-unknown/$profile/brain_core.wasm"
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
# the engine. tests/bench/size.mjs reads the artifacts: lite-nightly/.../release/ (lite),
# release-js/ (engine).
#
# The lite wasm is built by the nightly toolchain with `-Zbuild-std` and `-Cpanic=immediate-abort`:
# the standard library is compiled again so that a panic is a trap on the spot, without the panic
# machinery (the message formatting, the hook, the source locations: 1.6 KB gzip of the 34.8).
# What a page sees does not change: on wasm32-unknown-unknown a panic already printed nowhere and
# ended in a trap (`RuntimeError: unreachable`), and the lite entry checks its inputs in JS and
# Rust so that none is expected. Its own target directory: other flags and another toolchain
# than the console's release build, which would otherwise rebuild each other's artifacts.
LITE_TARGET_DIR=$TARGET_DIR/lite-nightly
# The lite wasm: -Os until nothing changes, without the producers and target-features sections
# (no tool reads them after this step). Measured on the nightly build (Node's gzip -9): -Os
# --converge 33,130 B, -Oz --converge 33,231, -Oz alone 0.3 KB more; -Os inlines a little more,
# which here compresses better.
LITE_WASM_OPT="-Os --converge --strip-producers --strip-target-features"
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
  build lite pkg-lite brain_core_lite release "$LITE_WASM_OPT" "$LITE_TARGET_DIR" +nightly \
  -Zbuild-std=std,panic_abort --no-default-features --features js,small-alloc
node "$ROOT/scripts/bundle-lite.mjs"
# Then minified (terser: local names and whitespace; names exported, properties and strings kept).
node "$ROOT/scripts/minify-js.mjs" "$ROOT/js/pkg-lite/lite.js"
build engine pkg brain_core release-js -O3 "$TARGET_DIR" "" --features js
