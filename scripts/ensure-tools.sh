#!/usr/bin/env bash
# Installs what is missing, with apt (Debian/Ubuntu): FFmpeg (compressed formats are decoded through it); with --tests
# also unzip (the package checks read the .nupkg files), rabbitmq-server and postgresql (the scale-out and shared job
# store tests start servers of their own).
set -euo pipefail
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
if [ "${1:-}" = "--tests" ]; then
  command -v unzip >/dev/null 2>&1 || missing+=(unzip)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
fi
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "${missing[*]} missing and this user cannot install it (without FFmpeg compressed songs fail with decoder_missing)." >&2
    exit 0
  fi
fi
if command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get..." >&2
  $SUDO apt-get update -qq
  # policy-rc.d: the packages must not start a system-wide broker or database; the tests start their own.
  if [[ " ${missing[*]} " == *" rabbitmq-server "* || " ${missing[*]} " == *" postgresql "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
    remove_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  if [ "${remove_policy:-0}" = 1 ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
else
  echo "${missing[*]} missing and apt-get is not available; install by hand." >&2
fi
