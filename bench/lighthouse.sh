#!/usr/bin/env bash
# Lighthouse figures (accessibility, best practices, SEO) for every page type of
# the sample site in each language. Usage: bash bench/lighthouse.sh
# Needs what tests/run.sh installs (chromium, npm packages of tests/e2e).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
"$root/target/release/esim" build --root "$root" --output "$work/host/memorial" --base-url "http://127.0.0.1/memorial/" --quiet --no-ledger
ESIM_HOST_DIR="$work/host" ESIM_BASE_PATH=/memorial/ node "$root/tests/e2e/lighthouse.mjs"
