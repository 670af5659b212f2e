#!/usr/bin/env bash
# Installs asciinema (Debian's 2.x) when it is missing: the e2e suite replays session recordings with it to show
# they are asciicast v2 files that the reference player reads. Quiet when it is there; one line per step otherwise.
set -euo pipefail
command -v asciinema >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "prepare-asciinema: asciinema is missing; install it with: sudo apt-get install asciinema" >&2
  exit 1
fi
echo "prepare-asciinema: installing asciinema from Debian"
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q asciinema >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q asciinema >/dev/null
fi
