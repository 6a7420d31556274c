#!/usr/bin/env bash
# Installs what is missing, builds the console and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
echo "[serve] building and serving the console on http://127.0.0.1:8080 (Ctrl-C to stop)"
exec trunk serve --offline --release --address 127.0.0.1 --port 8080 "$@"
