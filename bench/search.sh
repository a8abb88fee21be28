#!/usr/bin/env bash
# The search benchmark on a fixture of N people (default 311,000): builds the
# site, then measures in Debian's Chromium the index size, the search page's JS
# and CSS, bytes and time per query, and the top-10 quality of the query list
# bench/search-queries.tsv (made from the fixture of seed 1 by
# bench/search-queries.mjs). Usage: bash bench/search.sh [N] [output dir]
# Needs what tests/run.sh installs (chromium, npm packages of tests/e2e).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-311000}
out=${2:-/tmp/esim-search-bench}
cache=${BENCH_CACHE:-/tmp/esim-bench}
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
esim="$root/target/release/esim"
site="$cache/fixture-$n"
[ -f "$site/.esim-fixture" ] || "$esim" fixture --people "$n" --seed 1 --out "$site" >/dev/null
# The fixture's theme is a copy: measure the current one.
rm -rf "$site/themes" && cp -r "$root/themes" "$site/"
if [ ! -f "$out/memorial/.esim-output" ]; then
  "$esim" build --root "$site" --output "$out/memorial" --base-url http://127.0.0.1/memorial/ --quiet --no-ledger
fi
# QUERIES: another list (say, one made from a smaller fixture while developing).
queries=${QUERIES:-$root/bench/search-queries.tsv}
[ -f "$queries" ] || node "$root/bench/search-queries.mjs" "$out/memorial/data/records.csv" > "$queries"
ESIM_HOST_DIR="$out" ESIM_BASE_PATH=/memorial/ node "$root/bench/search.mjs" "$queries"
