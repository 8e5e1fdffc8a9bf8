#!/usr/bin/env bash
# Runs the HTTP service on its embedded defaults (http://localhost:5000 unless --urls or ASPNETCORE_URLS says otherwise).
set -euo pipefail
# Paths given on the command line are the caller's (./scripts/run.sh --MusiCnn:ModelsPath=../shared/models), not the
# host project's folder, which `dotnet run` runs it from: make them absolute first.
args=()
for arg in "$@"; do
  case "$arg" in
    --MusiCnn:ModelsPath=*|--Pipeline:Decoding:FfmpegPath=*|--Pipeline:Decoding:TempDirectory=*|--Jobs:DataDirectory=*|--Limits:TempDirectory=*)
      key="${arg%%=*}"; value="${arg#*=}"
      [[ -n "$value" && "$value" != /* ]] && value="$PWD/$value"
      args+=("$key=$value");;
    *) args+=("$arg");;
  esac
done
set -- "${args[@]+"${args[@]}"}"
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
if [ -z "${ASPNETCORE_URLS:-}" ] && [[ " $* " != *" --urls "* ]]; then
  set -- --urls http://localhost:5000 "$@"
fi
# The lean static FFmpeg (scripts/build-ffmpeg.sh) when it has been built: no start-up cost per song. Else ffmpeg on PATH.
if [[ " $* " != *"FfmpegPath"* ]] && lean=$(bash scripts/build-ffmpeg.sh --print-path) && [ -n "$lean" ]; then
  set -- "$@" "--Pipeline:Decoding:FfmpegPath=$lean"
fi
exec dotnet run --project src/Host -c Release -- "$@"
