#!/usr/bin/env bash
# `make bench`: every comparison case against nginx-rtmp (bench/compare.sh), then the HLS
# overhead bench. Tables go to stdout and to objs/bench/compare.md; the figures worth
# keeping are copied by hand into bench/RESULTS.md. Takes ~6 minutes.
#
#   CASES="play1000 latency-min" bench/run.sh   # a subset
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-objs/bench}
mkdir -p "$out"
cases=${CASES:-play1000 play3000 flv1000 flv3000 publish200 latency-default latency-min}
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ) commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)," \
    "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), server on core 0, load on core 1"
  echo
  echo "| case | server | core-s per Gbit (CPU) | RSS per client | startup p50 / p99 | delay p50 / p99 | clients | delivered | failures |"
  echo "|---|---|---|---|---|---|---|---|---|"
} | tee -a "$out/compare.md"
for c in $cases; do
  before=$(wc -l <"$out/compare.md")
  OUT="$out" bench/compare.sh "$c" >/dev/null
  tail -n +$((before + 1)) "$out/compare.md" | grep "^| $c |"
done
bench/hls_overhead.sh
