#!/usr/bin/env bash
# The build benchmark: full builds of fixture sites of 10,000, 100,000 and
# 311,000 people (all three languages), printing wall time, user and system
# CPU, pages per second, files and bytes written (apparent size), peak resident
# memory (/usr/bin/time -v) and the time of each pipeline stage.
#
#   bash bench/run.sh                 # all three sizes
#   bash bench/run.sh 10000 100000    # chosen sizes
#
# Output goes to $BENCH_OUT when set. Otherwise sites up to 150,000 people are
# written to /dev/shm (a RAM disk): on the development VMs creating a file costs
# ~0.7 ms of kernel time, which would measure the disk rather than esim. Larger
# sites do not fit a RAM disk beside the build (311,000 people are 1.2 million
# files, 12 GB in 4 KB pages) and go to /tmp on disk. Fixtures are generated
# once into $BENCH_CACHE (default /tmp/esim-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 311000)
cache=${BENCH_CACHE:-/tmp/esim-bench}
out_for() { if [ -n "${BENCH_OUT:-}" ]; then echo "$BENCH_OUT"; elif [ "$1" -le 150000 ]; then echo /dev/shm; else echo /tmp; fi; }
# Deleting a site leaves the disk slow to create files for minutes: ext4
# without a journal (the development VMs' disk) passes over, on every inode it
# allocates, each free inode of the group deleted in the last 60 s, or in the
# last 360 s when its inode table block is dirty (which allocating in that
# block makes it), looking each one up. A cold build of 311,000 people right
# after the deletion of another site spent 37 % of all CPU time there (its
# system time 189 s instead of ~75 s). So the outputs of an earlier run are
# removed first and the disk left alone for six minutes, and each size's
# output is kept until the end.
settle() {
  local gone=0
  for dir in "$@"; do [ ! -e "$dir" ] || { rm -rf "$dir"; gone=1; }; done
  [ "$gone" = 0 ] || { sync; echo "waiting ${BENCH_SETTLE:-370} s after removing earlier outputs" >&2; sleep "${BENCH_SETTLE:-370}"; }
}
command -v /usr/bin/time >/dev/null && command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq time bc; }

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
outs=(); for n in "${sizes[@]}"; do outs+=("$(out_for "$n")/esim-bench-$n"); done
settle "${outs[@]}"
esim="$root/target/release/esim"
mkdir -p "$cache"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r)"
printf '%-8s %-9s %8s %9s %8s %8s %10s %9s %9s %9s  %s\n' people output pages wall user sys pages/s files MB "peak MB" "stages"
for n in "${sizes[@]}"; do
  site="$cache/fixture-$n"
  [ -f "$site/.esim-fixture" ] || "$esim" fixture --people "$n" --seed 1 --out "$site" >/dev/null
  # The fixture's theme is a copy: measure the current one.
  rm -rf "$site/themes" && cp -r "$root/themes" "$site/"
  out="$(out_for "$n")/esim-bench-$n"
  log=$(mktemp)
  /usr/bin/time -v "$esim" build --root "$site" --output "$out" --no-ledger >"$log.out" 2>"$log"
  wall=$(grep -oP 'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): \K.*' "$log")
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep -oP 'Maximum resident set size \(kbytes\): \K[0-9]+' "$log")
  user=$(grep -oP 'User time \(seconds\): \K.*' "$log")
  sys=$(grep -oP 'System time \(seconds\): \K.*' "$log")
  files=$(find "$out" -type f | wc -l)
  bytes=$(du -sb "$out" | cut -f1)
  pages=$(grep -oP 'built [0-9]+ people, \K[0-9]+' "$log.out")
  stages=$(grep -oP 'load .*' "$log.out")
  printf '%-8s %-9s %8s %8.1fs %7.1fs %7.1fs %10.0f %9s %9s %9.0f  %s\n' "$n" "$(out_for "$n")" "$pages" "$secs" "$user" "$sys" \
    "$(echo "$pages / $secs" | bc -l)" "$files" "$((bytes / 1048576))" "$((rss / 1024))" "$stages"
  rm -f "$log" "$log.out"
done
echo "outputs kept (remove them, then leave the disk six minutes before building again): ${outs[*]}" >&2
