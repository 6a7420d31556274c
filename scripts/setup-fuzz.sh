#!/usr/bin/env bash
# Installs what the fuzz targets need and is missing, idempotently: the machine's nightly
# toolchain with rust-src (libFuzzer's sanitizer build needs nightly; scripts/setup-nightly.sh,
# which the main setup runs too, for the lite JS entry's build) and cargo-fuzz, which only the
# `fuzz` suite of scripts/test.sh (and a person fuzzing) needs, so the main setup does not pay
# for it.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup-fuzz] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# 1. The nightly toolchain with rust-src.
bash scripts/setup-nightly.sh

# 2. cargo-fuzz.
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (about 2 minutes)"
  cargo install cargo-fuzz --locked
fi

say "ready: $(rustc +nightly --version), $(cargo fuzz --version)"
