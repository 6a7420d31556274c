#!/usr/bin/env bash
# Installs what the fuzz targets need and is missing, idempotently: the machine's nightly
# toolchain with rust-src (libFuzzer's sanitizer build needs nightly) and cargo-fuzz.
# Only the `fuzz` suite of scripts/test.sh (and a person fuzzing) needs these, so the main
# setup does not pay for them.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup-fuzz] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# 1. A nightly toolchain (the machine ships one; install it where it does not).
if ! rustup toolchain list | grep -q '^nightly'; then
  say "installing the nightly toolchain (minimal profile)"
  rustup toolchain install nightly --profile minimal
fi

# 2. rust-src for nightly (cargo-fuzz builds with sanitizers).
if ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
  say "adding rust-src to nightly"
  rustup component add rust-src --toolchain nightly
fi

# 3. cargo-fuzz.
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (about 2 minutes)"
  cargo install cargo-fuzz --locked
fi

say "ready: $(rustc +nightly --version), $(cargo fuzz --version)"
