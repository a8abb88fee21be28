#!/usr/bin/env bash
# `esim duplicates` on a fixture of N people (default 311,000) with K planted
# duplicates (default N/200): wall time and peak memory (`/usr/bin/time -v`),
# pairs reported, and recall and precision against the planted pairs
# (.esim-fixture-duplicates.csv), overall and for pairs scoring at least 50,
# 60, 70 and 80. Budget of issue 17 at 311,000 people: 30 s and about 1 GB.
#
#   bash bench/duplicates.sh             # 311,000 people
#   bash bench/duplicates.sh 100000      # another size
#   bash bench/duplicates.sh 100000 2000 # and another number of duplicates
#
# Only the fixture's records are needed (no site is built). The fixture is
# written under $BENCH_CACHE (default /tmp/esim-bench-duplicates) and deleted
# at the end unless KEEP=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-311000}
k=${2:-$((n / 200))}
cache=${BENCH_CACHE:-/tmp/esim-bench-duplicates}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
esim="$root/target/release/esim"
site="$cache/duplicates-$n-$k"
mkdir -p "$cache"
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$site"; }
trap cleanup EXIT
"$esim" fixture --people "$n" --seed 1 --duplicates "$k" --out "$site" --from "$root" >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); $n people, $k planted duplicates"

/usr/bin/time -v "$esim" duplicates --root "$site" --csv "$site/pairs.csv" >"$site/table.txt" 2>"$site/time.txt"
tail -n 1 "$site/table.txt"
awk -F': ' '/Elapsed \(wall clock\)/ {print "wall: " $2} /Maximum resident set size/ {printf "peak RSS: %.0f MB\n", $2 / 1024}' "$site/time.txt"

python3 - "$site" <<'EOF'
import csv, sys
site = sys.argv[1]
truth = {tuple(sorted((r["id_a"], r["id_b"]))) for r in csv.DictReader(open(f"{site}/.esim-fixture-duplicates.csv"))}
pairs = [(int(r["score"]), tuple(sorted((r["id_a"], r["id_b"])))) for r in csv.DictReader(open(f"{site}/pairs.csv"))]
for floor in (0, 50, 60, 70, 80):
    found = {p for s, p in pairs if s >= floor}
    hit = len(found & truth)
    precision = hit / len(found) if found else 1.0
    print(f"score >= {floor:3}: {len(found):7} pairs, recall {hit}/{len(truth)} = {hit / len(truth):.3f}, precision {precision:.3f}")
EOF
