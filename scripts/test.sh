#!/usr/bin/env bash
# Runs every test of the solution. Installs what is missing (ffmpeg) first.
# TRX reports land in TestResults/ (one per test project).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-ffmpeg.sh
rm -rf TestResults
dotnet test --solution Pipeline.sln -c Release --results-directory "$PWD/TestResults" --report-trx "$@"
