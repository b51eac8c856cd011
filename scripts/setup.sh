#!/usr/bin/env bash
# Install what the app needs into the project's virtual environment .venv/ (and, with --dev, what the tests need).
# Idempotent, and offline once installed: a lock file is installed again only when it changes.
#   scripts/setup.sh        .venv + requirements.lock + Leaflet copied into static/ (served by the app)
#   scripts/setup.sh --dev  .venv + requirements-dev.lock + Debian's chromium, postgresql, nginx and nodejs for the
#                           tests, and the test OpenID Connect provider's npm packages (harness/oidc)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
lock=requirements.lock
[ "${1:-}" = "--dev" ] && lock=requirements-dev.lock

apt_install() {
  echo "Installing Debian packages: $*"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# 1. The virtual environment (Debian's python3 needs its python3-venv package for this).
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
    rm -rf "$VENV"
    apt_install python3-venv
    "$PYTHON" -m venv "$VENV"
  fi
fi

# 2. The locked packages (exact versions, checked against their hashes), once per version of the lock file.
stamp="$VENV/.installed-$lock-$(sha256sum "$lock" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q --require-hashes -r "$lock"
  rm -f "$VENV/.installed-$lock-"*
  touch "$stamp"
fi

# 3. Leaflet, served by the app itself.
"$VENV/bin/python" scripts/install_leaflet.py >/dev/null

# 4. Debian packages the tests need: chromium (browser tests), postgresql (the notes store on PostgreSQL) and
#    nginx (the proxy in front of several app processes: deploy/ and tests/test_deploy.py) and nodejs with npm (the
#    test OpenID Connect provider).
if [ "${1:-}" = "--dev" ]; then
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
  [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
  command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
  # shellcheck disable=SC2086
  [ -z "$missing" ] || apt_install $missing

  # 5. The local OpenID Connect provider the tests of the City's sign-in run (harness/oidc, a test fixture):
  #    its locked npm packages, once per version of its lock file.
  npm_stamp="harness/oidc/node_modules/.installed-$(sha256sum harness/oidc/package-lock.json | cut -c1-16)"
  if [ ! -f "$npm_stamp" ]; then
    (cd harness/oidc && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$npm_stamp"
  fi
fi
