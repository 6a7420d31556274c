#!/usr/bin/env bash
# Installs what the workspace needs and is missing, idempotently (skips what is present).
# Follows ../shared/TOOLCHAIN.md: wasm32 target, Trunk ~0.21, wasm-bindgen-cli at the exact
# version in Cargo.lock, wasm-opt from npm binaryen, Debian's Chromium and chromedriver,
# Node dev dependencies from package-lock.json, the nightly toolchain with rust-src
# (scripts/setup-nightly.sh), and the crates of Cargo.lock (Trunk runs offline).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# 1. The wasm32 target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. Trunk 0.21 (0.22 needs a newer rustc than this machine has).
if ! trunk --version 2>/dev/null | grep -qE '^trunk 0\.21\.'; then
  say "installing trunk ~0.21 (about 6 minutes)"
  cargo install trunk --version '~0.21' --locked
fi

# 3. wasm-bindgen-cli at exactly the library's version, or Trunk tries to download one.
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ -z "$wbg_version" ]; then echo "[setup] no wasm-bindgen in Cargo.lock" >&2; exit 1; fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ] ||
   ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wbg_version (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# 4. Chromium and chromedriver from Debian (a test tool's own browser download fails here).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing chromium and chromium-driver from Debian"
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver
fi

# 5. Node dev dependencies (playwright-core, binaryen's wasm-opt) from the committed lock file.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.brain-lock-sum ] || [ "$(cat node_modules/.brain-lock-sum)" != "$lock_sum" ]; then
  say "installing node dev dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.brain-lock-sum
fi

# 6. The nightly toolchain with rust-src: the lite JS entry's wasm is built with -Zbuild-std
#    (scripts/build-js.sh).
bash scripts/setup-nightly.sh

# 7. Every crate of Cargo.lock in the local registry, so that `trunk --offline` can build.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch --locked
say "ready: $(trunk --version), wasm-bindgen $wbg_version, $(wasm-opt --version | cut -d' ' -f1-3), $(chromium --version 2>/dev/null | head -c 40)"
