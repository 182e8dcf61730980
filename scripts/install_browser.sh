#!/bin/sh
# Install Debian's chromium for the end-to-end tests of the web explorer
# (tests/test_web_e2e.py drives it with Playwright; never `playwright install`).
# Idempotent: does nothing when /usr/bin/chromium exists. Needs root (CI runs as root).
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present) (already installed)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser.sh: no apt-get; install chromium yourself (tests/test_web_e2e.py will skip)" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install_browser.sh: not root and no sudo; cannot install chromium" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version || true
