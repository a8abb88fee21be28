#!/usr/bin/env bash
# Builds the sample site under a sub-path and checks it as a publisher's host
# would serve it: the Nu HTML Checker on every page, then linkinator crawling
# every link and fragment from a local static server, and the browser tests
# (tests/e2e/*.browser.mjs) in Debian's Chromium, among them `esim serve`'s live
# reload (serve.browser.mjs runs the binary given here, as ESIM_BIN).
# Usage: tests/e2e/check-site.sh <path-to-esim-binary>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
esim=${1:-$root/target/debug/esim}
work=$(mktemp -d)
port=${ESIM_E2E_PORT:-8719}
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

site="$work/host/memorial"
"$esim" build --root "$root" --output "$site" --base-url "http://127.0.0.1:$port/memorial/" --quiet --no-ledger

echo "== Nu HTML Checker"
java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --skip-non-html --errors-only --format gnu "$site"
echo "vnu: $(find "$site" -name '*.html' | wc -l) pages, 0 errors"

echo "== linkinator (sub-path /memorial/, fragments checked)"
# Python's http.server listens with a backlog of 5: connections beyond it wait
# for SYN retransmits and linkinator reports them as status 0 after ~2 minutes
# (a CI run failed so). Serve with a deep backlog and crawl 16 at a time.
python3 - "$port" "$work/host" >/dev/null 2>&1 <<'PY' &
import functools, http.server, sys
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 256
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
Server(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
PY
server=$!
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/memorial/" >/dev/null && break
  sleep 0.1
done
"$here/node_modules/.bin/linkinator" "http://127.0.0.1:$port/memorial/" \
  --recurse --check-fragments --concurrency 16 --retry-errors --retry-errors-count 3 --skip "^(?!http://127\.0\.0\.1:$port/)" \
  --format text --verbosity error
echo "linkinator: no broken links"

echo "== browser tests (Debian chromium, axe-core)"
ESIM_BIN="$esim" ESIM_HOST_DIR="$work/host" ESIM_BASE_PATH=/memorial/ node --test --test-concurrency=1 "$here"/*.browser.mjs
