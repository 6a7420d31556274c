#!/usr/bin/env bash
# Builds the JS package @brain/core into js/pkg/:
#   1. cargo build -p brain-core --release --target wasm32-unknown-unknown --features js
#   2. wasm-bindgen --target web --out-dir js/pkg (ES module: init() in browsers,
#      initSync({ module }) in Node)
#   3. wasm-opt -Oz on the wasm
# Tools: wasm-bindgen 0.2.130 (cargo install wasm-bindgen-cli --version 0.2.130),
# wasm-opt from the root's binaryen devDependency (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$ROOT/js/pkg

for tool in wasm-bindgen wasm-opt; do
  command -v "$tool" >/dev/null || { echo "[build-js] $tool not found (see the header of $0)" >&2; exit 1; }
done
want=0.2.130
have=$(wasm-bindgen --version | awk '{print $2}')
[ "$have" = "$want" ] || { echo "[build-js] wasm-bindgen $have found, $want needed (it must match Cargo.lock)" >&2; exit 1; }

echo "[build-js] cargo build (release, wasm32, feature js)"
cargo build -p brain-core --release --target wasm32-unknown-unknown --features js --locked

echo "[build-js] wasm-bindgen --target web"
rm -rf "$OUT"
wasm-bindgen --target web --out-dir "$OUT" --out-name brain_core \
  "$TARGET_DIR/wasm32-unknown-unknown/release/brain_core.wasm"

# Trailing parameters that may be omitted are declared optional (`alpha?: number`):
# wasm-bindgen writes the `unchecked_param_type` "T | undefined" as a required parameter.
sed -E -i 's/\b([a-zA-Z]+): ([^,():]+) \| undefined([,)])/\1?: \2\3/g; s/(coverage\?: number, )weights: /\1weights?: /' \
  "$OUT/brain_core.d.ts"

echo "[build-js] wasm-opt -Oz"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$OUT/brain_core_bg.wasm" -o "$OUT/brain_core_bg.wasm.opt"
mv "$OUT/brain_core_bg.wasm.opt" "$OUT/brain_core_bg.wasm"
rm -f "$OUT/.gitignore"

raw=$(wc -c < "$OUT/brain_core_bg.wasm")
gz=$(gzip -9 -c "$OUT/brain_core_bg.wasm" | wc -c)
echo "[build-js] js/pkg/brain_core_bg.wasm: $raw bytes, $gz bytes gzip -9"
