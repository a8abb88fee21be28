#!/usr/bin/env bash
# `esim deploy` to a local S3-compatible server (moto's server mode, the one
# the tests use: tests/support/s3_server.py, with signing enforced):
#   1. the first deploy of a fixture: objects per second;
#   2. a redeploy with nothing changed;
#   3. after one record edit (birth place of the first record) and an
#      incremental build: the objects uploaded and the time.
# Budget of issue 14 (100,000 people): the redeploy after one edit uploads at
# most 10 objects and takes at most 5 s.
#
#   bash bench/deploy.sh             # 100,000 people
#   bash bench/deploy.sh 10000       # another size
#   ESIM=target/debug/esim bash bench/deploy.sh 10000   # without a release build
#   ENCODING=gzip bash bench/deploy.sh   # text sent gzipped: `[build] precompress =
#                                        # ["gzip"]` and the target's content_encoding
#
# moto keeps every object in memory (the 100,000-person site is about 4 GB) and
# answers one request at a time per thread: its figures are a floor, not what
# S3 or MinIO would give. The fixture and its site live in $BENCH_CACHE
# (default /tmp/esim-bench-deploy); the record edit is undone at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
cache=${BENCH_CACHE:-/tmp/esim-bench-deploy}
python3 -c "import moto.server, boto3, flask" 2>/dev/null || python3 -m pip install --quiet "moto[server]>=5,<6"
if [ -z "${ESIM:-}" ]; then
  cargo build --release --quiet --manifest-path "$root/Cargo.toml"
  ESIM="$root/target/release/esim"
fi
site="$cache/fixture-$n"
mkdir -p "$cache"
[ -f "$site/.esim-fixture" ] || "$ESIM" fixture --people "$n" --seed 1 --out "$site" --from "$root" >/dev/null
echo "encoding: ${ENCODING:-none}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); $n people; $ESIM"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
keys=$(mktemp)
fifo=$(mktemp -u) && mkfifo "$fifo"
python3 "$root/tests/support/s3_server.py" "$port" site <"$fifo" >"$keys" 2>/dev/null &
server=$!
exec 3>"$fifo"
csv=$(find "$site/data/records" -name '*.csv' | sort | sed -n 1p)
backup=$(mktemp)
cp "$csv" "$backup"
config_backup=$(mktemp)
cp "$site/config.toml" "$config_backup"
cleanup() {
  exec 3>&-
  kill "$server" 2>/dev/null || true
  cp "$backup" "$csv" && touch -d '1 hour ago' "$csv"
  cp "$config_backup" "$site/config.toml"
  rm -f "$fifo" "$keys" "$backup" "$config_backup"
  rm -rf "$site/.esim/deploy"
}
trap cleanup EXIT
for _ in $(seq 100); do [ -s "$keys" ] && break; sleep 0.2; done
export AWS_ACCESS_KEY_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_key"])' "$keys")
export AWS_SECRET_ACCESS_KEY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret_key"])' "$keys")
# The target goes in before the build: config.toml is part of every page's
# fingerprint, so adding it later would make the edit's build a full one.
printf '\n[deploy.bench]\nurl = "s3://site"\nendpoint = "http://127.0.0.1:%s"\n' "$port" >>"$site/config.toml"
if [ -n "${ENCODING:-}" ]; then
  printf 'content_encoding = "%s"\n\n[build]\nprecompress = ["%s"]\n' "$ENCODING" "$ENCODING" >>"$site/config.toml"
fi
rm -rf "$site/.esim/deploy"
"$ESIM" build --quiet --no-ledger --root "$site" | tail -1

deploy() { "$ESIM" deploy --quiet --root "$site" "$@" | grep '^esim: deploy'; }
objects_per_second() { sed -E 's/.*uploaded ([0-9]+) .* in ([0-9.]+) s.*/\1 \2/' | awk '{ printf "%.0f objects/s\n", $1 / $2 }'; }

echo "== first deploy"
first=$(deploy --max-deletes 0)
echo "$first"
echo "$first" | objects_per_second
echo "== nothing changed"
deploy
echo "== one record edited (birth place), incremental build, redeploy"
python3 - "$csv" <<'PY'
import csv, sys
path = sys.argv[1]
rows = list(csv.reader(open(path, newline='', encoding='utf-8')))
col = rows[0].index('birth_place')
rows[1][col] = (rows[1][col] + ' (edited)').strip()
csv.writer(open(path, 'w', newline='', encoding='utf-8'), lineterminator='\n').writerows(rows)
PY
"$ESIM" build --quiet --no-ledger --root "$site" | tail -1
deploy
