#!/usr/bin/env bash
# Installs the nightly toolchain with rust-src where it is missing, idempotently (../shared/
# TOOLCHAIN.md: the machine ships a nightly without rust-src). Two things need it:
# - the lite JS entry's wasm (scripts/build-js.sh), built with `-Zbuild-std` so that its standard
#   library panics with `immediate-abort` (1.6 KB gzip less, issue 19);
# - the fuzz targets (scripts/setup-fuzz.sh): libFuzzer's sanitizer build.
# The project itself builds and tests with the stable toolchain.
set -euo pipefail

say() { printf '[setup-nightly] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# 1. A nightly toolchain (the machine ships one; install it where it does not).
if ! rustup toolchain list | grep -q '^nightly'; then
  say "installing the nightly toolchain (minimal profile)"
  rustup toolchain install nightly --profile minimal
fi

# 2. rust-src for nightly: the standard library's sources that -Zbuild-std compiles.
if ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
  say "adding rust-src to nightly"
  rustup component add rust-src --toolchain nightly
fi
