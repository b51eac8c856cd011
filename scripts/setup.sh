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

if [ "${1:-}" = "--dev" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
