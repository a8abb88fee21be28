#!/usr/bin/env bash
# Runs every test of esim on a fresh machine: installs what the checks need
# (Java for the Nu HTML Checker, Node packages from tests/e2e/package-lock.json),
# then formatting, lints, unit and integration tests, the node tests of the
# browser's search keys, and the checks of the built sample site (HTML validity,
# links and fragments under a sub-path).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "== npm packages (tests/e2e)"
# --ignore-scripts: vnu-jar's install script would download a JDK; the
# installed Java runs the checker.
npm ci --prefix tests/e2e --ignore-scripts --no-audit --no-fund --loglevel=error

echo "== cargo fmt, clippy"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings

echo "== cargo test"
cargo test --quiet 2>&1 | tee /tmp/esim-cargo-test.log

echo "== node tests (tests/e2e/*.test.mjs: the browser's search keys)"
node --test tests/e2e/*.test.mjs

echo "== the built sample site"
bash tests/e2e/check-site.sh "$PWD/target/debug/esim"
echo "all checks passed"
