#!/usr/bin/env bash
# Runs every test of the solution, then proves the packages as shipped: packs both into the local feed (feed/), checks
# what they hold and depend on, and runs samples/PackageConsumer against them by version. Installs what is missing (ffmpeg) first.
# TRX reports land in TestResults/ (one per test project).
set -euo pipefail
# Relative folders the caller names (MC_MODELS=../shared/models) are the caller's, not the test runner's.
if [ -n "${MC_MODELS:-}" ]; then MC_MODELS="$(cd "$MC_MODELS" 2>/dev/null && pwd || echo "$PWD/$MC_MODELS")"; export MC_MODELS; fi
if [ -n "${MC_FFMPEG:-}" ] && [[ "$MC_FFMPEG" != /* ]]; then export MC_FFMPEG="$PWD/$MC_FFMPEG"; fi
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh --tests
# Decode through the lean static FFmpeg (built once, ~5 min, then reused from ~/.cache); Debian's ffmpeg when it cannot be built.
if [ -z "${MC_FFMPEG:-}" ]; then
  if lean=$(bash scripts/build-ffmpeg.sh 2>/tmp/mc-build-ffmpeg.log | tail -n 1) && [ -x "$lean" ]; then
    export MC_FFMPEG="$lean"
    echo "Decoding with the lean FFmpeg at $MC_FFMPEG." >&2
  else
    echo "The lean FFmpeg could not be built (see /tmp/mc-build-ffmpeg.log); decoding with ffmpeg on PATH." >&2
  fi
fi
rm -rf TestResults
dotnet test --solution Pipeline.sln -c Release --results-directory "$PWD/TestResults" --report-trx "$@"

# A fresh version each run, so the global package cache never serves an older build of the same number.
version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)-local.$(date +%s)"
rm -f feed/*.nupkg feed/*.snupkg
for project in src/Pipeline src/Pipeline.MusiCnn; do
  # ContinuousIntegrationBuild: deterministic source paths (/_/…) in the PDBs, as a release build has them.
  dotnet pack "$project" -c Release -o feed -p:VersionSuffix="${version#*-}" -p:ContinuousIntegrationBuild=true --nologo -v quiet
done
bash scripts/check-packages.sh "$version"
dotnet run --project samples/PackageConsumer -c Release -p:PipelinePackageVersion="$version"
echo "Packages ${version} restored by version and run by samples/PackageConsumer."
