#!/usr/bin/env bash
# Runs every test of esim on a fresh machine: installs what the checks need
# (Java for the Nu HTML Checker, nginx and rsync for the own-server tests, Node packages from tests/e2e/package-lock.json,
# moto's S3 server for the deploy tests),
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
# The README's own-web-server section is run for real (tests/own_server.rs).
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq
  # nginx is installed for the tests, not as a service: without a policy
  # saying so, its package would start one on port 80 (and fail the install
  # where that port is taken).
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
fi

echo "== S3 test server (moto's server mode, for tests/deploy.rs) and Azure's client (tests/deploy_azure.rs)"
if ! python3 -c "import moto.server, boto3, flask, azure.storage.blob" 2>/dev/null; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip
  fi
  # Debian's own python3 refuses pip installs unless told (PEP 668).
  python3 -m pip install --quiet "moto[server]>=5,<6" "azure-storage-blob>=12,<13" 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages "moto[server]>=5,<6" "azure-storage-blob>=12,<13"
fi

echo "== npm packages (tests/e2e; Azurite, the Azure Storage emulator, among them)"
# --ignore-scripts: vnu-jar's install script would download a JDK; the
# installed Java runs the checker.
npm ci --prefix tests/e2e --ignore-scripts --no-audit --no-fund --loglevel=error

echo "== cargo fmt, clippy"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings

echo "== cargo test"
cargo test --quiet 2>&1 | tee /tmp/esim-cargo-test.log

echo "== node tests (tests/e2e/*.test.mjs: the browser's search keys and matching)"
node --test tests/e2e/*.test.mjs

echo "== the built sample site"
bash tests/e2e/check-site.sh "$PWD/target/debug/esim"
echo "all checks passed"
