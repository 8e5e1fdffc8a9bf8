#!/usr/bin/env bash
# Installs FFmpeg (compressed formats are decoded through it) and unzip (the package checks read the .nupkg files) with
# apt (Debian/Ubuntu) when they are not on PATH.
set -euo pipefail
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "${missing[*]} missing and this user cannot install it; compressed songs will fail with decoder_missing." >&2
    exit 0
  fi
fi
if command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get..." >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "${missing[*]} missing and apt-get is not available; install by hand." >&2
fi
