#!/usr/bin/env bash
# The web sample's end-to-end tests drive the Debian chromium package (Playwright never downloads a browser here).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
