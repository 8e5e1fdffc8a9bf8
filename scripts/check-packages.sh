#!/usr/bin/env bash
# Checks the packed packages in feed/ for what a consumer must (not) get: the core without ONNX Runtime, natives, test
# data or models; the MusiCNN package depending on the core from the same version on (public API only); README, XML docs and symbols in both.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$1"
core="feed/MusicClassification.Pipeline.${version}.nupkg"
musicnn="feed/MusicClassification.Pipeline.MusiCnn.${version}.nupkg"
fail() { echo "package check failed: $*" >&2; exit 1; }
for package in "$core" "$musicnn"; do
  [ -f "$package" ] || fail "$package was not packed"
  [ -f "${package%.nupkg}.snupkg" ] || fail "$package has no symbols package"
  files="$(unzip -Z1 "$package")"
  grep -qx 'README.md' <<<"$files" || fail "$package has no README"
  grep -q '^lib/net10.0/.*\.xml$' <<<"$files" || fail "$package has no XML docs"
  if grep -Eq '^runtimes/|\.onnx$|\.wav$|\.ogg$|\.csv$' <<<"$files"; then fail "$package holds natives, models or data"; fi
done
core_nuspec="$(unzip -p "$core" '*.nuspec')"
if grep -q 'OnnxRuntime' <<<"$core_nuspec"; then fail "the core package depends on ONNX Runtime"; fi
musicnn_nuspec="$(unzip -p "$musicnn" '*.nuspec')"
grep -q "id=\"MusicClassification.Pipeline\" version=\"${version}\"" <<<"$musicnn_nuspec" \
  || fail "the MusiCNN package does not depend on MusicClassification.Pipeline ${version} or later"
grep -q 'id="Microsoft.ML.OnnxRuntime"' <<<"$musicnn_nuspec" || fail "the MusiCNN package does not depend on ONNX Runtime"
echo "packages checked: core without ONNX Runtime; MusiCNN on core ${version} or later; README, docs and symbols in both"
