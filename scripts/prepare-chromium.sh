#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver when either is missing: the e2e suite drives the web UI (/ui) in a
# real headless browser through Selenium (WebUiInBrowserTest). Quiet when they are there; one line per step otherwise.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "prepare-chromium: chromium or chromedriver is missing; install them with: sudo apt-get install chromium chromium-driver" >&2
  exit 1
fi
echo "prepare-chromium: installing chromium and chromium-driver from Debian"
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null
fi
