#!/usr/bin/env bash
# Install what the app needs (and, with --dev, what the tests need). Idempotent: a second run changes nothing.
#   scripts/setup.sh        Python packages for the app + Leaflet copied into static/ (served by the app)
#   scripts/setup.sh --dev  the above + test tools + Debian's Chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
requirements=requirements.txt
[ "${1:-}" = "--dev" ] && requirements=requirements-dev.txt

"$PYTHON" -m pip install --disable-pip-version-check -q -r "$requirements"
"$PYTHON" scripts/install_leaflet.py

# Debian packages the tests need: chromium (browser tests) and postgresql (the notes store on PostgreSQL).
if [ "${1:-}" = "--dev" ]; then
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
  if [ -n "$missing" ]; then
    echo "Installing Debian packages for the tests:$missing"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi
