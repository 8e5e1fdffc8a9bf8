#!/usr/bin/env bash
# Builds a lean, static FFmpeg from Debian's source package: only the demuxers and audio decoders the service accepts,
# the WAV muxer with the pcm_f32le encoder it writes, the file and pipe protocols, and the few audio filters the command
# line needs. About 2.5 MB; it starts in about a millisecond, where Debian's ffmpeg (215 shared libraries bound at load)
# costs 0.12-0.16 CPU s per song before it decodes anything (docs/benchmarks.md, "Decoder start-up").
#
#   bash scripts/build-ffmpeg.sh [--print-path]
#
# The binary lands in $MC_TOOLS_DIR (default ~/.cache/music-classification)/ffmpeg-lean-<version>/ffmpeg and is
# reused when present; --print-path prints that path (empty when it has not been built) and builds nothing. scripts/run.sh
# and scripts/test.sh use it when it is there, Debian's ffmpeg otherwise. Needs apt (Debian/Ubuntu) and about 5 minutes
# of two cores; as root it installs what it lacks (a deb-src entry, dpkg-dev, gcc, make, nasm).
set -euo pipefail

tools_dir="${MC_TOOLS_DIR:-${HOME:-/root}/.cache/music-classification}"
# Bump when the configuration below changes, so a build with other parts is never taken for this one.
recipe=2

existing() {
  local found
  found=$(ls -d "$tools_dir"/ffmpeg-lean-*-r"$recipe" 2>/dev/null | sort | tail -n 1 || true)
  [ -n "$found" ] && [ -x "$found/ffmpeg" ] && echo "$found/ffmpeg"
}

if [ "${1:-}" = "--print-path" ]; then
  existing || true
  exit 0
fi
if path=$(existing); then
  echo "$path"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && SUDO="sudo" || { echo "build-ffmpeg: needs root or sudo to install the build tools." >&2; exit 1; }
fi
command -v apt-get >/dev/null 2>&1 || { echo "build-ffmpeg: needs apt-get (Debian or Ubuntu)." >&2; exit 1; }

# Debian's source index: a deb-src twin of each enabled deb822 source (or of sources.list), added once.
srcfile=/etc/apt/sources.list.d/music-classification-src.sources
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    for f in /etc/apt/sources.list.d/*.sources; do
      sed -n '/^Types:/s/.*/Types: deb-src/p;/^Types:/!p' "$f"
      echo
    done | $SUDO tee "$srcfile" >/dev/null
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | $SUDO tee /etc/apt/sources.list.d/music-classification-src.list >/dev/null
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dpkg-dev gcc make nasm pkg-config xz-utils >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/mc-ffmpeg-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source --download-only -qq ffmpeg >/dev/null
tarball=$(ls ffmpeg_*.orig.tar.xz | head -n 1)
version=$(sed -n 's/^ffmpeg_\(.*\)\.orig\.tar\.xz$/\1/p' <<<"$tarball")
mkdir src
tar -xJf "$tarball" -C src --strip-components=1
cd src

# Demuxers as FfmpegDecoder.AllowedDemuxers; decoders for every codec those containers carry that the sniffer lets in.
./configure \
  --prefix="$work/out" \
  --disable-everything --disable-autodetect --disable-network --disable-doc --disable-debug \
  --disable-ffplay --disable-ffprobe --disable-avdevice --disable-postproc --disable-swscale \
  --enable-static --disable-shared --extra-ldflags=-static --pkg-config-flags=--static \
  --enable-protocol=file,pipe \
  --enable-demuxer=mp3,aac,mov,flac,ogg,wav,w64,aiff,matroska,asf \
  --enable-parser=mpegaudio,aac,flac,vorbis,opus \
  --enable-decoder=mp3float,mp3,mp2float,mp2,aac,alac,flac,vorbis,opus,wmav1,wmav2,wmapro,adpcm_ms,adpcm_ima_wav,adpcm_ima_qt,gsm_ms \
  --enable-decoder='pcm_s8,pcm_u8,pcm_s16le,pcm_s16be,pcm_s24le,pcm_s24be,pcm_s32le,pcm_s32be,pcm_f32le,pcm_f32be,pcm_f64le,pcm_f64be,pcm_alaw,pcm_mulaw' \
  --enable-muxer=wav --enable-encoder=pcm_f32le \
  --enable-filter=abuffer,abuffersink,aformat,anull,aresample,atrim \
  --enable-swresample >/dev/null
make -j"$(nproc)" ffmpeg >/dev/null
strip ffmpeg
./ffmpeg -hide_banner -version | head -n 1

dest="$tools_dir/ffmpeg-lean-$version-r$recipe"
mkdir -p "$dest.tmp"
cp ffmpeg "$dest.tmp/ffmpeg"
cp LICENSE.md COPYING.LGPLv2.1 "$dest.tmp/" 2>/dev/null || true
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "$dest/ffmpeg"
