#!/usr/bin/env bash
# The editor's loop: how long `esim build` takes after a full build when
#   1. nothing changed,
#   2. one biography was edited,
#   3. one record's date was edited (the year stays: the search index does not change),
#   4. one record's surname was edited (the search index changes).
# Budgets of issue 7 at 311,000 people: 1 s, 2 s, 3 s, 3 s. Each edit is
# measured with `esim build` (a new process, which loads the site again) and
# with `esim serve` (the site stays in memory between builds; the figure is
# the rebuild time serve prints; serve's own site is <fixture>/.esim/serve,
# built in full on the first run).
#
# Then, a change that touches every page (the person template): the rebuild
# over the existing site, against a cold build of the same inputs into an
# empty directory and against `--full` over the existing site (a new site
# swapped in, the old one deleted), each with wall, user and system time.
# Budget of issue 13: the rebuild at most 1.3x the cold build.
#
# With `standby`, the same template changes with `[build] standby = true`:
# the first rebuild writes the standby tree beside the site (as a cold build
# writes a new one) and exchanges the two; the next ones overwrite the
# standby's files and exchange again. The standby is deleted at the end.
#
#   bash bench/incremental.sh            # 311,000 people
#   bash bench/incremental.sh 10000      # another size
#   bash bench/incremental.sh 100000 rebuild   # only the rebuild comparison
#   bash bench/incremental.sh 100000 standby   # rebuilds through the standby tree
#   bash bench/incremental.sh 311000 serve     # only the edits in esim serve
#   bash bench/incremental.sh 311000 build     # only the edits with esim build
#
# The fixture comes from $BENCH_CACHE (default /tmp/esim-bench, shared with
# bench/run.sh) and its site is built once into <fixture>/public (on disk: the
# full site of 311,000 people does not fit a RAM disk). The edits are undone
# at the end, so the next run starts from the same inputs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-311000}
only=${2:-}
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
template="$site/themes/default/templates/person.html"
cold="$cache/cold-$n"
backup=$(mktemp -d)
config="$site/config.toml"
cp "$bio" "$backup/bio" && cp "$csv" "$backup/csv" && cp "$template" "$backup/template" && cp "$config" "$backup/config"
server=
restore() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  cp "$backup/bio" "$bio"; cp "$backup/csv" "$csv"; cp "$backup/template" "$template"; cp "$backup/config" "$config"
  touch -d '1 hour ago' "$bio" "$csv" "$template" "$config"; rm -rf "$backup" "$cold" "$site/.esim-standby-public"
  sync; date +%s >"$cache/.deleted-at"
}
trap restore EXIT

timed() { # label, then the command; prints wall time, peak memory and esim's summary
  local label=$1 log
  shift
  log=$(mktemp)
  /usr/bin/time -f '%e %M' "$@" >"$log.out" 2>"$log"
  read -r secs kb < <(tail -1 "$log")
  printf '%-36s %7.2f s %7d MB   %s\n' "$label" "$secs" $((kb / 1024)) "$(head -1 "$log.out" | cut -c1-150)"
  # The time of each stage, when esim printed it (builds without -q).
  sed -n '2s/^ */    /p' "$log.out"
  rm -f "$log" "$log.out"
}

# The edits. A sentence added to a biography; the birth date of the first
# record (the day changes, the year stays); the surname of the second record.
edit_bio() { printf '\nПредложение, добавленное для измерения (%s).\n' "$1" >>"$bio"; }
edit_record() {
  python3 - "$csv" "$1" <<'EOF'
import csv, sys
path, what = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(path, newline='', encoding='utf-8')))
h = rows[0]
if what == 'date':
    r, b = rows[1], h.index('birth_date')
    r[b] = (r[b][:4] or '1900') + ('-01-03' if r[b][5:10] == '01-02' else '-01-02')
else:
    r = rows[2]
    r[h.index('surname')] += 'ов'
csv.writer(open(path, 'w', newline='', encoding='utf-8'), lineterminator='\n').writerows(rows)
EOF
}

build=("$esim" build --root "$site" --no-ledger -q)
build_stages=("$esim" build --root "$site" --no-ledger)

timed_cpu() { # label, then the command; prints wall, user and system time, peak memory, esim's summary
  local label=$1 log
  shift
  log=$(mktemp)
  /usr/bin/time -f '%e %U %S %M' "$@" >"$log.out" 2>"$log"
  read -r secs user sys kb < <(tail -1 "$log")
  printf '%-44s %8.2f s wall %8.2f s user %8.2f s sys %6d MB   %s\n' "$label" "$secs" "$user" "$sys" $((kb / 1024)) \
    "$(head -1 "$log.out" | cut -c1-120)"
  # The time of each stage, when esim printed it (builds without -q).
  sed -n '2s/^ */    /p' "$log.out"
  rm -f "$log" "$log.out"
}

# A change of the person template: every person page changes.
edit_template() { sed -i "s|{% block main %}|{% block main %}<!-- benchmark edit $1 -->|" "$template"; }

rebuild_vs_cold() {
  echo "== a template changed: rebuild over the existing site vs a cold build (the site on $(df --output=fstype "$cache" | tail -1))"
  "${build[@]}" >/dev/null # the existing site, up to date
  edit_template 1
  sleep 2.1
  rm -rf "$cold"
  sync
  timed_cpu "cold build into an empty directory" "$esim" build --root "$site" --no-ledger -q --full --output "$cold"
  rm -rf "$cold"
  sync
  timed_cpu "rebuild over the existing site" "${build[@]}"
  edit_template 2
  sleep 2.1
  sync
  timed_cpu "--full over the existing site (swap, delete)" "${build[@]}" --full
}

if [ "$only" = rebuild ]; then
  rebuild_vs_cold
  exit 0
fi

# Each timed step of the standby comparison starts with nothing in the page
# cache (when this runs as root), as a publisher's rebuild days after the last
# one does: the standby's directories and files must be read from the disk.
# A cold build creates every inode anew: on ext4 without a journal, inodes
# deleted in the last 360 s slow each allocation (see bench/run.sh), so the cold
# build waits until the last deletion of a site ($cache/.deleted-at, written by
# this script's clean-up and by whoever removes a site: `date +%s >…`) is that old.
settled() {
  local at now
  at=$(cat "$cache/.deleted-at" 2>/dev/null || echo 0)
  now=$(date +%s)
  if [ $((now - at)) -lt "${BENCH_SETTLE:-370}" ]; then
    echo "    (waiting $((${BENCH_SETTLE:-370} - now + at)) s: a site was deleted on this disk $((now - at)) s ago)"
    sleep $((${BENCH_SETTLE:-370} - now + at))
  fi
}

cold_cache() {
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 3 >/proc/sys/vm/drop_caches; fi
}

rebuilds_through_the_standby() {
  echo "== a template changed, [build] standby = true: rebuilds through the standby tree vs a cold build (the site on $(df --output=fstype "$cache" | tail -1))"
  # A site to rebuild (any site of this fixture: the change of config.toml
  # below renders every page again).
  [ -f "$site/public/.esim-output" ] || "${build[@]}" >/dev/null
  grep -q '^standby = true' "$config" || printf '\n[build]\nstandby = true\n' >>"$config"
  sleep 2.1
  cold_cache
  timed_cpu "first rebuild (the standby written anew)" "${build_stages[@]}"
  edit_template 1
  sleep 2.1
  rm -rf "$cold"
  settled
  cold_cache
  # Kept until the end: deleting it frees its blocks, minutes on a disk with discard.
  timed_cpu "cold build into an empty directory" "$esim" build --root "$site" --no-ledger --full --output "$cold"
  cold_cache
  for i in 2 3; do
    timed_cpu "rebuild over the standby ($((i - 1)))" "${build_stages[@]}"
    [ "$i" = 3 ] && break
    edit_template "$i"
    sleep 2.1
    cold_cache
  done
}

if [ "$only" = standby ]; then
  rebuilds_through_the_standby
  exit 0
fi

edits_with_build() {
  echo "== esim build (a new process each time: it reads the state the last build saved, or loads the site)"
  local build=("$esim" build --root "$site" --no-ledger)
  timed "build (full, or catching up)" "${build[@]}"
  timed "build again: nothing changed" "${build[@]}"
  edit_bio 1
  sleep 2.1 # let the time stamp of the edit age past the build's racy window
  timed "one biography edited" "${build[@]}"
  edit_record date
  sleep 2.1
  timed "one record's date edited" "${build[@]}"
  edit_record surname
  sleep 2.1
  timed "one record's surname edited" "${build[@]}"
  timed "build again: nothing changed" "${build[@]}"
}

edits_with_serve() {
  echo "== esim serve (the site stays in memory between builds; its own site in <fixture>/.esim/serve)"
  log=$(mktemp)
  "$esim" serve --root "$site" --port "${BENCH_SERVE_PORT:-18719}" >"$log" 2>&1 &
  server=$!
  wait_for() { # a pattern of serve's output, how many times
    until [ "$(grep -c "$1" "$log" || true)" -ge "$2" ]; do
      kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
      sleep 0.2
    done
  }
  wait_for 'esim: serving' 1
  echo "first build: $(grep -m1 'esim: built' "$log" | cut -c1-150)"
  n=0
  for edit in "edit_bio 2:one biography edited" "edit_record date:one record's date edited" \
    "edit_record surname:one record's surname edited" "edit_bio 3:one biography edited again"; do
    ${edit%%:*}
    n=$((n + 1))
    wait_for 'esim: rebuilt in' "$n"
    printf '%-36s %s\n' "serve: ${edit#*:}" "$(grep 'esim: rebuilt in' "$log" | sed -n "${n}p" | cut -c1-150)"
    printf '%-36s %s\n' "" "$(grep -A1 'esim: rebuilt in' "$log" | grep '^ *load' | sed -n "${n}p")"
  done
  ps -o rss= -p "$server" | awk '{printf "serve: resident memory %d MB\n", $1 / 1024}'
  kill "$server" 2>/dev/null || true
  server=
}

case "$only" in
  build) edits_with_build ;;
  serve) edits_with_serve ;;
  *) edits_with_build; edits_with_serve; rebuild_vs_cold ;;
esac
