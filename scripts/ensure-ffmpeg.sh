#!/usr/bin/env bash
# Installs FFmpeg (Debian/Ubuntu apt) when it is not on PATH; compressed formats are decoded through it.
set -euo pipefail
if command -v ffmpeg >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ffmpeg is missing and this user cannot install it; compressed songs will fail with decoder_missing." >&2
    exit 0
  fi
fi
if command -v apt-get >/dev/null 2>&1; then
  echo "Installing ffmpeg with apt-get..." >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ffmpeg >/dev/null
else
  echo "ffmpeg is missing and apt-get is not available; install ffmpeg by hand for compressed formats." >&2
fi
