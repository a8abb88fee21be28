#!/usr/bin/env bash
# The editor's loop: how long `esim build` takes after a full build when
#   1. nothing changed,
#   2. one biography was edited,
#   3. one record's date was edited (the year stays: the search index does not change),
#   4. one record's surname was edited (the search index changes).
# Budgets of issue 7 at 311,000 people: 1 s, 2 s, 3 s, 3 s.
#
#   bash bench/incremental.sh            # 311,000 people
#   bash bench/incremental.sh 10000      # another size
#
# The fixture comes from $BENCH_CACHE (default /tmp/esim-bench, shared with
# bench/run.sh) and its site is built once into <fixture>/public (on disk: the
# full site of 311,000 people does not fit a RAM disk). The edits are undone
# at the end, so the next run starts from the same inputs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-311000}
cache=${BENCH_CACHE:-/tmp/esim-bench}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
esim="$root/target/release/esim"
site="$cache/fixture-$n"
mkdir -p "$cache"
[ -f "$site/.esim-fixture" ] || "$esim" fixture --people "$n" --seed 1 --out "$site" >/dev/null
if ! diff -rq "$root/themes" "$site/themes" >/dev/null; then
  rm -rf "$site/themes" && cp -r "$root/themes" "$site/"
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); $n people"

bio=$(find "$site/content/people" -name '*.ru.md' | sort | sed -n 1p)
csv=$(find "$site/data/records" -name '*.csv' | sort | sed -n 1p)
backup=$(mktemp -d)
cp "$bio" "$backup/bio" && cp "$csv" "$backup/csv"
restore() { cp "$backup/bio" "$bio"; cp "$backup/csv" "$csv"; touch -d '1 hour ago' "$bio" "$csv"; rm -rf "$backup"; }
trap restore EXIT

timed() { # label, then the command; prints wall time, peak memory and esim's summary
  local label=$1 log
  shift
  log=$(mktemp)
  /usr/bin/time -f '%e %M' "$@" >"$log.out" 2>"$log"
  read -r secs kb < <(tail -1 "$log")
  printf '%-34s %7.2f s %7d MB   %s\n' "$label" "$secs" $((kb / 1024)) "$(head -1 "$log.out" | cut -c1-150)"
  rm -f "$log" "$log.out"
}

build=("$esim" build --root "$site" --no-ledger -q)

echo "== a full build first (once; kept in $site/public)"
timed "build (full or catching up)" "${build[@]}"
timed "build again: nothing changed" "${build[@]}"

printf '\nEin Satz, der für die Messung angehängt wurde.\n' >>"$bio"
sleep 2.1 # let the time stamp of the edit age past the build's racy window
timed "one biography edited" "${build[@]}"

# The birth date of the first record: the day changes, the year stays.
python3 - "$csv" <<'EOF'
import csv, sys
path = sys.argv[1]
rows = list(csv.reader(open(path, newline='', encoding='utf-8')))
h = rows[0]
r = rows[1]
b = h.index('birth_date')
r[b] = (r[b][:4] or '1900') + '-01-02' if r[b][8:10] != '02' else r[b][:4] + '-01-03'
w = csv.writer(open(path, 'w', newline='', encoding='utf-8'), lineterminator='\n')
w.writerows(rows)
EOF
sleep 2.1
timed "one record's date edited" "${build[@]}"

python3 - "$csv" <<'EOF'
import csv, sys
path = sys.argv[1]
rows = list(csv.reader(open(path, newline='', encoding='utf-8')))
r = rows[2]
r[rows[0].index('surname')] += 'ов'
w = csv.writer(open(path, 'w', newline='', encoding='utf-8'), lineterminator='\n')
w.writerows(rows)
EOF
sleep 2.1
timed "one record's surname edited" "${build[@]}"
timed "build again: nothing changed" "${build[@]}"
