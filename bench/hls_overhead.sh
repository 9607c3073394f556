#!/usr/bin/env bash
# HLS overhead benchmark: makes 10 s FLV files with ffmpeg (~300 kbit/s, ~700 kbit/s,
# ~1.3 Mbit/s, ~2.7 Mbit/s, ~5 Mbit/s: the rates of the SRS 2.0 reference table; H.264 + AAC,
# a noisy test pattern so the encoder reaches its rate) and reports
# what muxing them into HLS TS adds: (TS bytes - FLV bytes) / FLV bytes.
# The inputs are generated at run time (not checked in) under $OUT (default objs/bench).
#
#   bench/hls_overhead.sh            # build objs/hls_overhead first: make, or
#                                    # cmake --build objs/build --target hls_overhead
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-objs/bench}
mkdir -p "$out"

# name  size       video   audio  (bitrates in kbit/s)
inputs=(
  "hls_300k   640x360    240   48"
  "hls_700k   854x480    600   96"
  "hls_1300k  1280x720   1200  96"
  "hls_2700k  1280x720   2570  128"
  "hls_5000k  1920x1080  4870  128"
)

files=()
for line in "${inputs[@]}"; do
  read -r name size vk ak <<<"$line"
  f="$out/$name.flv"
  if [ ! -s "$f" ]; then
    # CBR-like x264 (maxrate = bitrate) so the file is near the nominal rate; 2 s GOP,
    # B-frames on (so PES headers carry DTS, as with most encoders).
    ffmpeg -hide_banner -loglevel error -y \
      -f lavfi -i "testsrc2=size=$size:rate=25,noise=alls=12:allf=t" \
      -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 10 \
      -c:v libx264 -preset veryfast -g 50 -b:v "${vk}k" -maxrate "${vk}k" \
      -bufsize "$((vk * 2))k" -pix_fmt yuv420p \
      -c:a aac -b:a "${ak}k" -ac 2 -f flv "$f"
  fi
  files+=("$f")
done

bin=${HLS_OVERHEAD:-objs/hls_overhead}
"$bin" "$@" "${files[@]}"
